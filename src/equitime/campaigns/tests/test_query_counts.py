"""The campaign page and the welcome page cost the same however much they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equitime.campaigns import services
from equitime.campaigns.tests.factories import ambassador
from equitime.campaigns.tests.factories import campaign as make_campaign
from equitime.exchanges.models import Status
from equitime.exchanges.services import thanks_give
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def add_listings(campaign, n: int, amb) -> None:
    for _ in range(n):
        owner = make_member()
        offer = make_listing(owner)
        services.campaign_listing_join(campaign=campaign, listing=offer, member=owner)
        services.campaign_listing_feature(campaign=campaign, listing=offer, member=amb)
        exchange = exchange_at(Status.COMPLETED, listing=offer)
        thanks_give(exchange=exchange, member=exchange.receiver, message="Thank you.")


def queries_for(client, url) -> int:
    client.get(url)  # the menu's permissions are read once, then cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_campaign_page_does_not_grow_with_its_listings(client):
    campaign = make_campaign()
    amb = ambassador()
    add_listings(campaign, 1, amb)
    client.force_login(amb)
    url = reverse("campaign_detail", args=[campaign.slug])
    few = queries_for(client, url)
    add_listings(campaign, 4, amb)
    assert queries_for(client, url) == few


def test_the_welcome_page_does_not_grow_with_its_members(client):
    amb = ambassador()
    newcomer = make_member()
    services.member_welcome(member=newcomer, ambassador=amb, message="Welcome!")
    client.force_login(amb)
    url = reverse("campaign_welcome_list")
    few = queries_for(client, url)
    for _ in range(4):
        services.member_welcome(member=make_member(), ambassador=amb, message="Welcome!")
    assert queries_for(client, url) == few
