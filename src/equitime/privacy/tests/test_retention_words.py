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
