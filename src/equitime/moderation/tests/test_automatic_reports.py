"""Words that may be payment are published and read by a moderator (issue 12 §4):
the money check makes an automatic report, with no member behind it."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from equitime.api.services import api_token_create
from equitime.listings import services as listings
from equitime.listings.models import Listing
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag_uphold
from equitime.notifications.models import Notification

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


def test_the_api_says_the_check_reported_it(make_member, make_listing, make_moderator):
    listing = post(make_listing, make_member(), description=UNCLEAR)
    _, secret = api_token_create(member=make_moderator(), name="test")

    response = Client().get(
        "/api/v1/moderation/reports", headers={"Authorization": f"Bearer {secret}"}
    )

    assert response.status_code == 200, response.content
    [item] = response.json()["items"]
    assert item["listing"]["id"] == listing.pk
    [report] = item["reports"]
    assert report["automatic"] is True
    assert report["reported_by"] is None
    assert report["reason"] == "asks_for_money"


def test_a_moderator_upholds_an_automatic_report_and_the_owner_is_told(
    make_member, make_listing, make_moderator
):
    owner = make_member()
    listing = post(make_listing, owner, description=UNCLEAR)
    flag = ListingFlag.objects.get(listing=listing)

    listing_flag_uphold(flag=flag, moderator=make_moderator(), note="Rates are not allowed.")

    listing.refresh_from_db()
    assert listing.status == Listing.Status.CLOSED
    assert Notification.objects.filter(recipient=owner, kind="listing_moderated").exists()
