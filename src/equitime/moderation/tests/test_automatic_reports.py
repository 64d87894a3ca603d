"""Words that may be payment are published and read by a moderator (issue 12 §4):
the money check makes an automatic report, with no member behind it."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from equitime.listings import services as listings
from equitime.listings.models import Listing
from equitime.moderation.models import ListingFlag

pytestmark = pytest.mark.django_db

UNCLEAR = "Agency nurses cost £60 per hour: help us build the business case"


def post(make_listing, owner=None, **fields):
    fields.setdefault("title", "Business case for a staff bank")
    fields.setdefault("description", "We want to cut agency spend.")
    return make_listing(owner, **fields)


def test_unclear_money_is_published_and_reported_automatically(make_member, make_listing):
    listing = post(make_listing, make_member(), description=UNCLEAR)

    assert listing.status == Listing.Status.OPEN
    flag = ListingFlag.objects.get(listing=listing)
    assert flag.automatic is True
    assert flag.flagged_by is None
    assert flag.reason == ListingFlag.Reason.ASKS_FOR_MONEY
    assert flag.status == ListingFlag.Status.OPEN
    assert "\u201c£60 per hour\u201d in the description" in flag.note


def test_money_as_a_subject_is_not_reported(make_member, make_listing):
    listing = post(make_listing, make_member(), description="Business case showing £50,000 savings")

    assert not ListingFlag.objects.filter(listing=listing).exists()


def test_an_edit_reports_once_while_a_report_is_open(make_member, make_listing):
    owner = make_member()
    listing = post(make_listing, owner, description=UNCLEAR)
    listings.listing_update(listing=listing, member=owner, benefit="Is this a paid role?")

    assert ListingFlag.objects.filter(listing=listing, automatic=True).count() == 1


def test_the_database_refuses_a_report_with_neither_or_both_reporters(make_member, make_listing):
    member = make_member()
    listing = post(make_listing, make_member())
    for flagged_by, automatic in ((None, False), (member, True)):
        with pytest.raises(IntegrityError), transaction.atomic():
            ListingFlag.objects.create(
                listing=listing, flagged_by=flagged_by, automatic=automatic, reason="other"
            )


def test_the_queue_says_the_check_reported_it(make_member, make_listing, make_moderator, client):
    listing = post(make_listing, make_member(), description=UNCLEAR)
    moderator = make_moderator()
    client.force_login(moderator)

    page = client.get(reverse("moderation_queue")).content.decode()

    assert listing.title in page
    assert "found automatically by the money check" in page
