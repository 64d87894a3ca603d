"""Members are told how long their data is kept in years and months, not
"730 days" (issue 12 point 14): the privacy notice, the exchange page's note
on messages, the warning before a dormant account closes."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def retention(settings, **days):
    settings.EQUITIME_RETENTION = {**settings.EQUITIME_RETENTION, **days}


def test_the_privacy_notice_says_years_and_months(client, settings):
    retention(settings, messages_days=548, dormant_account_days=1095, dormant_warning_days=30)

    page = client.get(reverse("privacy_notice")).content.decode()

    assert "1 year and 6 months: deleted this long after the exchange ended" in page
    assert "The messages in an exchange are deleted 1 year and 6 months after" in page
    assert "kept 1 year and 6 months from when it was written" in page
    assert "If you do not sign in for 3 years, we e-mail you 30 days before closing" in page
    assert "3 years: closed and erased after this long without signing in" in page
    assert "548 days" not in page and "1095 days" not in page
    assert "this many days" not in page


def test_the_default_message_period_reads_two_years(client, settings):
    retention(settings, messages_days=730)

    page = client.get(reverse("privacy_notice")).content.decode()

    assert "2 years: deleted this long after the exchange ended" in page
    assert "730 days" not in page


def test_a_period_of_one_day_is_singular(client, settings):
    retention(settings, messages_days=1)

    page = client.get(reverse("privacy_notice")).content.decode()

    assert "1 day: deleted this long after the exchange ended" in page
    assert "The messages in an exchange are deleted 1 day after the exchange ends" in page


def test_the_dormant_warning_says_years():
    text = render_to_string(
        "members/email/dormant_warning.txt",
        {
            "member": {"display_name": "Amina"},
            "closes_on": timezone.now(),
            "days": 1095,
            "sign_in_link": "https://example.org/accounts/login/",
            "privacy_link": "https://example.org/privacy/",
        },
    )

    assert "accounts nobody uses are closed after 3 years." in text
    assert "1095" not in text


# Other periods set in the settings and told to people read the same way.


def test_automatic_confirmation_after_one_day_is_singular(settings):
    from datetime import timedelta

    from equitime.exchanges import services
    from equitime.exchanges.models import Status
    from equitime.exchanges.tests.factories import exchange_at
    from equitime.notifications.models import Notification

    settings.EQUITIME_AUTO_CONFIRM_DAYS = 1
    delivered = exchange_at(Status.DELIVERED)
    assert delivered.delivered_at is not None

    services.exchange_auto_confirm(
        exchange=delivered, now=delivered.delivered_at + timedelta(days=1, minutes=1)
    )

    told = Notification.objects.filter(kind="exchange_completed", exchange=delivered)
    assert told.exists()
    for notice in told:
        assert f"{delivered.title} was confirmed automatically after 1 day." in notice.message


def test_an_invitation_lasting_two_months_says_so(
    settings, make_member, mailoutbox, django_capture_on_commit_callbacks
):
    from equitime.members import roles
    from equitime.members.services import invitation_send, member_role_grant

    settings.EQUITIME_INVITATION_DAYS = 61
    admin = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)

    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(email="locum@example.nhs.uk", by=admin)

    [email] = mailoutbox
    assert "it works once, for this address, for 2 months)" in email.body
