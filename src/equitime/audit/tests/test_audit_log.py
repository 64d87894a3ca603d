"""Sensitive actions leave one append-only audit entry each."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from equitime.audit.models import AuditEntry
from equitime.ledger import services as ledger
from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import earn
from equitime.members.models import Member
from equitime.privacy.services import member_data_export, member_erase

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action


@pytest.fixture
def admin_member(make_member):
    member = make_member(display_name="Ada Admin")
    member.is_staff = member.is_superuser = True
    member.save(update_fields=["is_staff", "is_superuser"])
    return member


def entries(action):
    return AuditEntry.objects.filter(action=action)


def test_a_failed_sign_in_is_recorded_without_the_password(client, member):
    client.post(reverse("account_login"), {"login": member.email, "password": "wrong guess 123"})

    entry = entries(Action.SIGN_IN_FAILED).get()
    assert member.email in entry.summary
    assert entry.ip_address == "127.0.0.1"
    assert "wrong guess" not in str(entry.data) + entry.summary


def test_a_reversal_is_recorded_once_with_who_keyed_it(member, other_member, admin_member):
    earn(member, 30)
    gift = ledger.donation_make(key="d", donor=member, recipient=other_member, amount=30)

    ledger.transfer_reverse(key="r", transfer=gift, initiated_by=admin_member, memo="mistake")
    ledger.transfer_reverse(key="r", transfer=gift, initiated_by=admin_member, memo="mistake")

    entry = entries(Action.LEDGER_REVERSAL).get()
    assert entry.actor == admin_member
    assert entry.target == f"ledger.transfer:{gift.pk}"
    assert entry.data["memo"] == "mistake"


def test_an_adjustment_is_recorded(member, admin_member):
    ledger.transfer_create(
        key="adj",
        kind=Transfer.Kind.ADJUSTMENT,
        debit_account=ledger.pool_account(),
        credit_account=member.account,
        amount=15,
        initiated_by=admin_member,
        memo="Session logged twice",
    )
    assert entries(Action.LEDGER_ADJUSTMENT).get().actor == admin_member


def test_plain_transfers_are_not_audited(member, other_member):
    earn(member, 15)
    ledger.donation_make(key="d", donor=member, recipient=other_member, amount=15)
    assert not AuditEntry.objects.exclude(action=Action.SIGN_IN_FAILED).exists()


def test_exports_and_erasures_are_recorded(member):
    member_data_export(member=member, ip_address="10.0.0.7")
    member_erase(member=member)

    assert entries(Action.DATA_EXPORTED).get().ip_address == "10.0.0.7"
    erased = entries(Action.MEMBER_ERASED).get()
    assert erased.actor_id == member.pk
    assert member.email not in erased.summary  # the log keeps no erased address


def test_staff_flag_changes_in_admin_are_recorded(client, admin_member, member):
    moderators = Group.objects.get(name="Moderators")  # made by roles_sync
    client.force_login(admin_member)
    url = reverse("admin:members_member_change", args=[member.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and name not in {"groups", "user_permissions"}
    }
    data.update(
        {
            "email": member.email,
            "display_name": member.display_name,
            "is_active": "on",
            "is_staff": "on",
            "groups": [moderators.pk],
            "date_joined_0": member.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": member.date_joined.strftime("%H:%M:%S"),
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-id": member.profile.pk,
            "profile-0-member": member.pk,
            "profile-0-country": "GB",
            "profile-0-time_zone": "Europe/London",
            "profile-0-preference": "either",
            "profile-0-languages": "[]",
            "profile-0-skills_offered": "[]",
        }
    )
    data.pop("password", None)

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(pk=member.pk)
    assert member.is_staff
    entry = entries(Action.ROLE_CHANGED).get()
    assert entry.actor == admin_member
    assert entry.data["before"]["is_staff"] is False
    # Roles (groups) change only through the role service (members.admin actions).
    assert entry.data["after"]["groups"] == []


def test_administrators_read_and_filter_but_never_change_the_log(client, admin_member, member):
    member_data_export(member=member)
    client.force_login(admin_member)
    changelist = reverse("admin:audit_auditentry_changelist")

    everything = client.get(changelist)
    exports = client.get(changelist, {"action__exact": Action.DATA_EXPORTED})
    failures = client.get(changelist, {"action__exact": Action.SIGN_IN_FAILED})

    assert everything.status_code == 200
    assert exports.context["cl"].result_count == 1
    assert failures.context["cl"].result_count == 0
    entry = AuditEntry.objects.get()
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_change", args=[entry.pk])).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    assert AuditEntry.objects.count() == 1


def test_members_cannot_read_the_log(client, member):
    client.force_login(member)
    response = client.get(reverse("admin:audit_auditentry_changelist"))
    assert response.status_code == 302


def test_a_moderation_decision_is_recorded(make_member, member, other_member):
    from django.contrib.auth.models import Permission

    from equitime.exchanges import services as exchanges
    from equitime.listings.models import Format, Listing
    from equitime.listings.services import listing_create
    from equitime.skills.models import ImprovementArea

    moderator = make_member(display_name="Mo")
    moderator.user_permissions.add(Permission.objects.get(codename="resolve_dispute"))
    moderator = Member.objects.get(pk=moderator.pk)
    offer = listing_create(
        owner=member,
        kind=Listing.Kind.OFFER,
        title="Run charts",
        description="An hour on run charts.",
        improvement_area=ImprovementArea.objects.all()[0],
        benefit="Better measurement.",
        estimated_minutes=60,
        format=Format.REMOTE,
    )
    exchange = exchanges.exchange_propose_from_listing(
        listing=offer, member=other_member, minutes=60
    )
    exchanges.exchange_accept(exchange=exchange, member=member)
    exchanges.exchange_deliver(exchange=exchange, member=member, minutes=60)
    exchanges.exchange_dispute(exchange=exchange, member=other_member, reason="Too long")

    exchanges.exchange_resolve(exchange=exchange, moderator=moderator, minutes=30, note="Half")

    entry = entries(Action.DISPUTE_RESOLVED).get()
    assert entry.actor == moderator
    assert entry.data == {"minutes": 30, "note": "Half"}
