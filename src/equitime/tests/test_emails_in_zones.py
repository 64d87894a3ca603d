"""Every e-mail to a member is written on the recipient's clock, whatever zone
the worker (or the requester) is in: a member in Kolkata reads Kolkata dates
and times, one in London London's."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.core import mail
from django.template import loader
from django.utils import timezone

from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.expiry import listings_warn_expiring
from equitime.listings.models import Listing
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.models import Member, Profile
from equitime.members.retention import members_dormant_warn
from equitime.members.tests.factories import make_member
from equitime.notifications import tasks
from equitime.notifications.services import notify
from equitime.scheduling.models import Session
from equitime.scheduling.reminders import reminders_send_due

pytestmark = pytest.mark.django_db

KOLKATA = "Asia/Kolkata"
LONDON = "Europe/London"


def in_zone(member, zone: str):
    Profile.objects.filter(member=member).update(time_zone=zone)
    return Member.objects.get(pk=member.pk)


def test_a_notification_email_is_rendered_on_the_recipient_s_clock(
    member, monkeypatch, django_capture_on_commit_callbacks
):
    kolkata = in_zone(member, KOLKATA)
    zones_seen = []

    def render(template_name, context=None, request=None, using=None):
        zones_seen.append(timezone.get_current_timezone_name())
        return loader.render_to_string(template_name, context, request, using)

    monkeypatch.setattr(tasks, "render_to_string", render)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=kolkata,
            kind="exchange_accepted",
            params={"name": "Priya", "title": "Run charts"},
        )

    assert zones_seen == [KOLKATA, KOLKATA]
    assert timezone.get_current_timezone_name() == LONDON
    assert len(mail.outbox) == 1


def test_a_session_reminder_e_mail_gives_the_kolkata_time(django_capture_on_commit_callbacks):
    provider = make_member(display_name="Priya Provider")
    receiver = in_zone(make_member(display_name="Kiran Rao"), KOLKATA)
    exchange = exchange_at(
        Status.ACCEPTED, listing=make_listing(provider, title="Run charts"), receiver=receiver
    )
    starts = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)
    Session.objects.create(
        kind=Session.Kind.ONE_TO_ONE,
        exchange=exchange,
        organiser=provider,
        title="Run charts",
        status=Session.Status.SCHEDULED,
        starts_at=starts,
        minutes=60,
        place="Seminar Room 2",
    )
    mail.outbox.clear()

    at = starts - timedelta(hours=20)
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(now=at)

    [to_kiran] = [message for message in mail.outbox if message.to == [receiver.email]]
    [to_priya] = [message for message in mail.outbox if message.to == [provider.email]]
    assert "Tuesday 8 December at 19:30 Kolkata time (IST, UTC+5:30)" in to_kiran.body
    assert "Tuesday 8 December at 14:00 London time (GMT, UTC)" in to_priya.body


@pytest.mark.parametrize(
    ("zone", "date"), [(KOLKATA, "11 December 2026"), (LONDON, "10 December 2026")]
)
def test_a_listing_expiry_warning_gives_the_owner_s_date(
    zone, date, django_capture_on_commit_callbacks
):
    owner = in_zone(make_member(display_name="Olu Owner"), zone)
    listing = make_listing(owner, title="Run charts")
    # 20:00 in London on the 10th is 01:30 on the 11th in Kolkata.
    Listing.objects.filter(pk=listing.pk).update(
        expires_at=datetime(2026, 12, 10, 20, 0, tzinfo=UTC)
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert listings_warn_expiring(now=datetime(2026, 12, 8, 9, 0, tzinfo=UTC)) == 1

    [email] = mail.outbox
    assert f"expires on {date}." in email.body


@pytest.mark.parametrize(
    ("zone", "date"), [(KOLKATA, "6 January 2027"), (LONDON, "5 January 2027")]
)
def test_the_dormant_account_warning_gives_the_member_s_date(
    zone, date, settings, django_capture_on_commit_callbacks
):
    settings.EQUITIME_RETENTION = {
        **settings.EQUITIME_RETENTION,
        "dormant_account_days": 1095,
        "dormant_warning_days": 30,
    }
    member = in_zone(make_member(display_name="Dara Dormant"), zone)
    long_ago = datetime(2023, 6, 1, 9, 0, tzinfo=UTC)
    Member.objects.filter(pk=member.pk).update(last_login=long_ago, date_joined=long_ago)
    mail.outbox.clear()

    # Closing 30 days on: 20:00 UTC on 5 January, past midnight in Kolkata.
    with django_capture_on_commit_callbacks(execute=True):
        assert members_dormant_warn(now=datetime(2026, 12, 6, 20, 0, tzinfo=UTC)) == 1

    [email] = mail.outbox
    assert f"Your account will be closed on or after {date}." in email.body


@pytest.mark.parametrize(
    ("zone", "when"), [(KOLKATA, "8 December 2026, 19:30"), (LONDON, "8 December 2026, 14:00")]
)
def test_a_security_notice_says_when_on_the_account_holder_s_clock(rf, member, zone, when):
    holder = in_zone(member, zone)
    request = rf.get("/")
    context = {
        "user": holder,
        "timestamp": datetime(2026, 12, 8, 14, 0, tzinfo=UTC),
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
    }

    with allauth_context.request_context(request):
        get_adapter(request).send_mail("account/email/password_changed", holder.email, context)

    [email] = mail.outbox
    assert f"When: {when}" in email.body
