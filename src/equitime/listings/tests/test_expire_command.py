"""``equitime expire_listings``: warn owners once before expiry, then expire."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command, load_command_class
from django.urls import reverse
from django.utils import timezone

from equitime.ledger.verify import verify_ledger
from equitime.listings.expiry import listings_warn_expiring
from equitime.listings.models import Listing
from equitime.listings.services import listing_pause, listing_renew
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_member):
    return make_member(display_name="Olu Owner")


def run_command(capture) -> tuple[int, int, str]:
    out = io.StringIO()
    with capture(execute=True):
        call_command("expire_listings", stdout=out)
    text = out.getvalue()
    warned = re.search(r"Warned (\d+) listing owner", text)
    expired = re.search(r"Expired (\d+) listing", text)
    assert warned and expired, text
    return int(warned.group(1)), int(expired.group(1)), text


def warnings_for(listing):
    return Notification.objects.filter(listing=listing, kind=Notification.Kind.LISTING_EXPIRING)


def test_help_says_it_is_safe_for_cron():
    command = load_command_class("equitime.listings", "expire_listings")
    assert "Safe to run from cron" in command.help


def test_warns_soon_expiring_listings_once_and_expires_past_ones(
    make_listing, owner, make_member, settings, django_capture_on_commit_callbacks
):
    settings.EQUITIME_LISTING_EXPIRY_WARNING_DAYS = 7
    other_owner = make_member(display_name="Tess Other")
    soon = make_listing(owner, title="Soon", expires_in=timedelta(days=3))
    soon_other = make_listing(other_owner, title="Soon too", expires_in=timedelta(days=6, hours=23))
    later = make_listing(owner, title="Later", expires_in=timedelta(days=8))
    past = make_listing(owner, title="Past", expires_in=-timedelta(minutes=1))
    paused = make_listing(owner, title="Paused soon", expires_in=timedelta(days=2))
    listing_pause(listing=paused, member=owner)
    mail.outbox.clear()

    warned, expired, _ = run_command(django_capture_on_commit_callbacks)

    assert (warned, expired) == (2, 1)
    [notice] = warnings_for(soon)
    assert notice.recipient == owner
    assert notice.url == reverse("listing_detail", args=[soon.pk])
    assert "Soon" in notice.message
    assert warnings_for(soon_other).get().recipient == other_owner
    assert not warnings_for(later).exists()
    assert not warnings_for(past).exists()
    assert not warnings_for(paused).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, other_owner.email])

    for listing in (soon, soon_other, later, past, paused):
        listing.refresh_from_db()
    assert soon.expiry_warned_at is not None
    assert soon_other.expiry_warned_at is not None
    assert later.expiry_warned_at is None
    assert (soon.status, later.status, past.status) == ("open", "open", "expired")
    assert paused.status == "paused"
    assert verify_ledger().ok

    # Again, as cron would a few minutes later: nobody is warned twice.
    mail.outbox.clear()
    warned, expired, _ = run_command(django_capture_on_commit_callbacks)

    assert (warned, expired) == (0, 0)
    assert warnings_for(soon).count() == 1
    assert mail.outbox == []


def test_a_paused_listing_past_its_date_is_expired(
    make_listing, owner, django_capture_on_commit_callbacks
):
    listing = make_listing(owner, expires_in=timedelta(days=1))
    listing_pause(listing=listing, member=owner)
    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() - timedelta(days=1))

    warned, expired, _ = run_command(django_capture_on_commit_callbacks)

    assert (warned, expired) == (0, 1)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.EXPIRED
    assert not warnings_for(listing).exists()


def test_renewing_lets_the_next_period_warn_again(make_listing, owner):
    listing = make_listing(owner, expires_in=timedelta(days=2))
    assert listings_warn_expiring() == 1

    listing = listing_renew(listing=listing, member=owner)
    assert listing.expiry_warned_at is None
    assert listings_warn_expiring() == 0  # 90 days away now

    Listing.objects.filter(pk=listing.pk).update(expires_at=timezone.now() + timedelta(days=1))
    assert listings_warn_expiring() == 1
    assert warnings_for(listing).count() == 2


def test_warning_window_follows_the_setting(make_listing, owner, settings):
    settings.EQUITIME_LISTING_EXPIRY_WARNING_DAYS = 14
    listing = make_listing(owner, expires_in=timedelta(days=10))

    assert listings_warn_expiring() == 1
    listing.refresh_from_db()
    assert listing.expiry_warned_at is not None
