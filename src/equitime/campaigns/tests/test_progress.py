"""A campaign's progress is exactly the minutes of its completed exchanges."""

from datetime import timedelta

import pytest
from django.utils import timezone

from equitime.campaigns import selectors, services
from equitime.campaigns.tests.factories import campaign as make_campaign
from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.models import Listing
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def joined_listing(campaign, kind=Listing.Kind.OFFER):
    owner = make_member(display_name="Olu Owner")
    listing = make_listing(owner, kind)
    services.campaign_listing_join(campaign=campaign, listing=listing, member=owner)
    return listing


def test_progress_counts_completed_exchanges_only():
    campaign = make_campaign()
    offer = joined_listing(campaign)
    request = joined_listing(campaign, Listing.Kind.REQUEST)
    # Two completed on one listing (no double count), one on the request.
    exchange_at(Status.COMPLETED, listing=offer, minutes=60)
    exchange_at(Status.COMPLETED, listing=offer, minutes=90, logged=75)
    exchange_at(Status.COMPLETED, listing=request, minutes=30)
    # None of these count.
    for status in (
        Status.REVERSED,
        Status.DISPUTED,
        Status.CANCELLED,
        Status.VOIDED,
        Status.DELIVERED,
        Status.ACCEPTED,
        Status.DECLINED,
        Status.PROPOSED,
    ):
        exchange_at(status, listing=offer, minutes=45)
    # A completed exchange on a listing outside the campaign does not count.
    exchange_at(Status.COMPLETED, minutes=120)

    assert selectors.campaign_progress_minutes(campaign) == 60 + 75 + 30
    logged = Exchange.objects.filter(
        listing__campaign_links__campaign=campaign, status=Status.COMPLETED
    ).values_list("logged_minutes", flat=True)
    assert selectors.campaign_progress_minutes(campaign) == sum(m or 0 for m in logged)


def test_an_exchange_counts_once_in_each_campaign_it_belongs_to():
    first = make_campaign(title="Reducing length of stay")
    second = make_campaign(title="Net zero in clinics")
    owner = make_member()
    offer = make_listing(owner)
    for campaign in (first, second):
        services.campaign_listing_join(campaign=campaign, listing=offer, member=owner)
    exchange_at(Status.COMPLETED, listing=offer, minutes=60)

    assert selectors.campaign_progress_minutes(first) == 60
    assert selectors.campaign_progress_minutes(second) == 60
    [row] = selectors.campaigns_active()[:1]
    assert row.progress_minutes == 60


def test_exchanges_completed_outside_the_campaign_dates_do_not_count():
    campaign = make_campaign()
    offer = joined_listing(campaign)
    before = exchange_at(Status.COMPLETED, listing=offer, minutes=60)
    Exchange.objects.filter(pk=before.pk).update(
        completed_at=timezone.now() - timedelta(days=30)  # before the first day
    )
    exchange_at(Status.COMPLETED, listing=offer, minutes=30)

    assert selectors.campaign_progress_minutes(campaign) == 30


def test_a_listing_taken_out_takes_its_hours_with_it():
    campaign = make_campaign()
    offer = joined_listing(campaign)
    exchange_at(Status.COMPLETED, listing=offer, minutes=60)
    services.campaign_listing_leave(campaign=campaign, listing=offer, member=offer.owner)

    assert selectors.campaign_progress_minutes(campaign) == 0


def test_active_campaigns_are_those_running_today():
    running = make_campaign(title="Running")
    make_campaign(title="Coming", starts_in_days=5)
    make_campaign(title="Over", starts_in_days=-100, days=10)

    assert [c.pk for c in selectors.campaigns_active()] == [running.pk]
    later = timezone.now() + timedelta(days=7)
    assert {c.title for c in selectors.campaigns_active(now=later)} == {"Running", "Coming"}


def test_the_percentage_stops_at_a_full_bar():
    campaign = make_campaign(target_hours=1)
    offer = joined_listing(campaign)
    exchange_at(Status.COMPLETED, listing=offer, minutes=120)

    [row] = selectors.with_progress([campaign])
    assert (row.progress_minutes, row.progress_percent, row.progress_hours) == (120, 100, "2")
