"""The ledger in Django admin: staff can look, and correct only by reversal."""

import pytest
from django.urls import reverse

from equitime.ledger.models import Account, Transfer
from equitime.ledger.services import donation_make
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(make_member):
    admin = make_member(display_name="Site Admin", email="admin@example.nhs.uk")
    admin.is_staff = True
    admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return admin


@pytest.fixture
def donation(member, other_member):
    earn(member, 45)
    return donation_make(
        key="admin-test-donation", donor=member, recipient=other_member, amount=45, memo="Thanks"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def run_reverse_action(client, *transfers, follow=True):
    """Run the action as the changelist form does; by default follow the redirect
    back to the changelist, which shows (and so consumes) the messages."""
    return client.post(
        reverse("admin:ledger_transfer_changelist"),
        {
            "action": "reverse_transfers",
            "_selected_action": [str(t.pk) for t in transfers],
            "index": "0",
            "select_across": "0",
        },
        follow=follow,
    )


def message_texts(response):
    return [str(m) for m in response.context["messages"]]


def reversals_of(transfer):
    return Transfer.objects.filter(reverses=transfer)


def test_superuser_sees_the_account_changelist(admin_client, member, other_member):
    response = admin_client.get(reverse("admin:ledger_account_changelist"))

    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert shown == set(Account.objects.all())
    content = response.content.decode()
    assert "Amina Okafor" in content
    assert "Ben Carter" in content
    assert "Community pool" in content


def test_superuser_sees_the_transfer_changelist(admin_client, donation):
    response = admin_client.get(reverse("admin:ledger_transfer_changelist"))

    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert donation in shown
    assert len(shown) == Transfer.objects.count()
    assert "Donation" in response.content.decode()


def test_transfer_changelist_offers_reversal_and_no_delete(admin_client, donation):
    response = admin_client.get(reverse("admin:ledger_transfer_changelist"))

    choices = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert "reverse_transfers" in choices
    assert "delete_selected" not in choices


@pytest.mark.parametrize("model", ["account", "transfer"])
def test_ledger_admin_has_no_add_page(admin_client, model):
    count_before = Transfer.objects.count(), Account.objects.count()

    get = admin_client.get(reverse(f"admin:ledger_{model}_add"))
    post = admin_client.post(reverse(f"admin:ledger_{model}_add"), {"amount": "999"})

    assert get.status_code == post.status_code == 403
    assert (Transfer.objects.count(), Account.objects.count()) == count_before


def test_transfer_change_page_is_read_only(admin_client, donation):
    url = reverse("admin:ledger_transfer_change", args=[donation.pk])

    get = admin_client.get(url)
    post = admin_client.post(url, {"amount": "999", "memo": "edited", "_save": "Save"})

    # Staff may look at a transfer, but the page has no save button and a
    # forged save is refused.
    assert get.status_code == 200
    assert get.context["has_change_permission"] is False
    assert 'name="_save"' not in get.content.decode()
    assert post.status_code == 403
    donation.refresh_from_db()
    assert donation.amount == 45
    assert donation.memo == "Thanks"


def test_account_change_page_is_read_only(admin_client, member):
    account = member.account
    url = reverse("admin:ledger_account_change", args=[account.pk])

    get = admin_client.get(url)
    post = admin_client.post(url, {"posted_credits": "100000", "floor": "-1000", "_save": "Save"})

    assert get.status_code == 200
    assert 'name="_save"' not in get.content.decode()
    assert post.status_code == 403
    account.refresh_from_db()
    assert account.posted_credits == 120
    assert account.floor == 0


@pytest.mark.parametrize("model", ["account", "transfer"])
def test_ledger_admin_cannot_delete(admin_client, member, donation, model):
    obj = member.account if model == "account" else donation
    url = reverse(f"admin:ledger_{model}_delete", args=[obj.pk])

    get = admin_client.get(url)
    post = admin_client.post(url, {"post": "yes"})

    assert get.status_code == post.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_reverse_action_creates_one_reversal(
    admin_client, superuser, member, other_member, donation
):
    response = run_reverse_action(admin_client, donation)

    assert response.redirect_chain == [(reverse("admin:ledger_transfer_changelist"), 302)]
    reversal = reversals_of(donation).get()
    assert reversal.kind == Transfer.Kind.REVERSAL
    assert reversal.state == Transfer.State.POSTED
    assert reversal.amount == 45
    assert reversal.debit_account == other_member.account
    assert reversal.credit_account == member.account
    assert reversal.initiated_by == superuser
    member.account.refresh_from_db()
    other_member.account.refresh_from_db()
    assert member.account.available == 165  # the gift, and the 45 earned and given back
    assert other_member.account.available == 120
    assert "Reversed 1 transfer." in message_texts(response)
    assert verify_ledger().ok


def test_running_the_reverse_action_again_creates_no_second_reversal(
    admin_client, member, donation
):
    run_reverse_action(admin_client, donation)

    run_reverse_action(admin_client, donation)

    assert reversals_of(donation).count() == 1
    assert Transfer.objects.filter(kind=Transfer.Kind.REVERSAL).count() == 1
    member.account.refresh_from_db()
    assert member.account.available == 165
    assert verify_ledger().ok


def test_running_the_reverse_action_again_does_not_claim_a_new_reversal(admin_client, donation):
    run_reverse_action(admin_client, donation)

    response = run_reverse_action(admin_client, donation)

    assert "Reversed 1 transfer." not in message_texts(response)


def test_reverse_action_refuses_a_reversal_and_a_hold(admin_client, member, other_member, donation):
    from equitime.ledger.services import hold_place

    run_reverse_action(admin_client, donation)
    reversal = reversals_of(donation).get()
    hold = hold_place(
        key="admin-test-hold",
        kind=Transfer.Kind.EXCHANGE,
        debit_account=member.account,
        credit_account=other_member.account,
        amount=15,
        initiated_by=member,
    )
    before = Transfer.objects.count()

    response = run_reverse_action(admin_client, reversal, hold)

    assert response.status_code == 200
    assert Transfer.objects.count() == before
    texts = message_texts(response)
    assert any(f"Transfer {reversal.pk}:" in t and "cannot itself be reversed" in t for t in texts)
    assert any(f"Transfer {hold.pk}:" in t and "void a hold instead" in t for t in texts)
    assert not any(t.startswith("Reversed") for t in texts)


def test_non_staff_member_is_sent_to_the_admin_login(client, member, donation):
    client.force_login(member)

    for url in (
        reverse("admin:index"),
        reverse("admin:ledger_transfer_changelist"),
        reverse("admin:ledger_account_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_non_staff_member_cannot_run_the_reverse_action(client, member, donation):
    client.force_login(member)

    response = run_reverse_action(client, donation, follow=False)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not reversals_of(donation).exists()


def test_staff_without_ledger_permissions_is_refused(client, make_member, donation):
    staff = make_member()
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client.force_login(staff)

    listing = client.get(reverse("admin:ledger_transfer_changelist"))
    action = run_reverse_action(client, donation, follow=False)

    assert listing.status_code == 403
    assert action.status_code == 403
    assert not reversals_of(donation).exists()


def test_anonymous_visitor_is_sent_to_the_admin_login(client, donation):
    response = client.get(reverse("admin:ledger_transfer_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
