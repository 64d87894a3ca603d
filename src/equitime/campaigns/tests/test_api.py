"""The campaigns' API: progress, the administrators' writes, joining,
featuring, and the ambassadors' new members, with problems for refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from equitime.api.services import api_token_create
from equitime.campaigns import services
from equitime.campaigns.models import Welcome
from equitime.campaigns.tests.factories import administrator, ambassador
from equitime.campaigns.tests.factories import campaign as make_campaign
from equitime.core.units import MINUTES_PER_CREDIT
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.tests.factories import make_member
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db
API = "/api/v1"


def as_(member) -> dict[str, str]:
    _token, secret = api_token_create(member=member, name="tests")
    return {"Authorization": f"Bearer {secret}"}


def test_a_campaign_reads_with_its_exact_progress(client):
    campaign = make_campaign()
    owner = make_member()
    offer = make_listing(owner)
    services.campaign_listing_join(campaign=campaign, listing=offer, member=owner)
    exchange_at(Status.COMPLETED, listing=offer, minutes=75)
    exchange_at(Status.REVERSED, listing=offer, minutes=60)
    headers = as_(make_member())

    [row] = client.get(f"{API}/campaigns", headers=headers).json()
    assert (row["slug"], row["progress_minutes"], row["target_minutes"], row["running"]) == (
        campaign.slug,
        75,
        100 * MINUTES_PER_CREDIT,
        True,
    )
    detail = client.get(f"{API}/campaigns/{campaign.slug}", headers=headers).json()
    assert [item["listing_id"] for item in detail["listings"]] == [offer.pk]
    assert client.get(f"{API}/campaigns/no-such", headers=headers).status_code == 404


def test_administrators_create_and_change_campaigns(client):
    area = ImprovementArea.objects.get(slug="patient-safety")
    today = timezone.now().date()
    body = {
        "title": "Net zero in clinics",
        "description": "Greener clinics.",
        "improvement_area_id": area.pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
        "target_hours": 40,
    }
    headers = as_(administrator())
    response = client.post(
        f"{API}/campaigns", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.content
    slug = response.json()["slug"]
    response = client.patch(
        f"{API}/campaigns/{slug}",
        {"target_hours": 80},
        content_type="application/json",
        headers=headers,
    )
    assert response.json()["target_minutes"] == 80 * MINUTES_PER_CREDIT
    bad = body | {"ends_on": (today - timedelta(days=1)).isoformat()}
    response = client.post(
        f"{API}/campaigns", bad, content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == "ends_before_start"
    member = client.post(
        f"{API}/campaigns", body, content_type="application/json", headers=as_(make_member())
    )
    assert member.status_code == 403 and member["Content-Type"] == "application/problem+json"


def test_owners_join_and_ambassadors_feature(client):
    campaign = make_campaign()
    owner = make_member()
    offer = make_listing(owner)
    url = f"{API}/campaigns/{campaign.slug}/listings"
    body = {"listing_id": offer.pk}
    refused = client.post(url, body, content_type="application/json", headers=as_(make_member()))
    assert refused.status_code == 403
    joined = client.post(url, body, content_type="application/json", headers=as_(owner))
    assert joined.status_code == 200
    again = client.post(url, body, content_type="application/json", headers=as_(owner))
    assert (again.status_code, again.json()["code"]) == (409, "already_joined")
    feature = f"{url}/{offer.pk}/feature"
    assert (
        client.post(feature, {}, content_type="application/json", headers=as_(owner)).status_code
        == 403
    )
    response = client.post(feature, {}, content_type="application/json", headers=as_(ambassador()))
    assert response.json()["listings"][0]["featured"] is True
    left = client.delete(f"{url}/{offer.pk}", headers=as_(owner))
    assert left.status_code == 200 and left.json()["listings"] == []


def test_ambassadors_see_new_members_and_welcome_them_once(client):
    newcomer = make_member(display_name="Nia Newcomer")
    amb = ambassador()
    headers = as_(amb)
    rows = client.get(f"{API}/new-members", headers=headers).json()
    assert [row["member"]["id"] for row in rows] == [newcomer.pk]
    url = f"{API}/new-members/{newcomer.pk}/welcome"
    response = client.post(
        url, {"message": "Welcome, Nia!"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.content
    assert Welcome.objects.get().ambassador == amb
    [row] = client.get(f"{API}/new-members", headers=headers).json()
    assert row["welcomed_by"]["id"] == amb.pk
    again = client.post(url, {"message": "Hi"}, content_type="application/json", headers=headers)
    assert (again.status_code, again.json()["code"]) == (409, "already_welcomed")
    member = as_(make_member())
    assert client.get(f"{API}/new-members", headers=member).status_code == 403
    assert (
        client.post(
            url, {"message": "Hi"}, content_type="application/json", headers=member
        ).status_code
        == 403
    )
