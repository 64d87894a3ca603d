"""Renew is offered (and allowed) only when it would change something, and
Close asks first (issue 12 point 20)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from equitime.api.services import api_token_create
from equitime.core.errors import DomainError
from equitime.listings import services
from equitime.listings.models import Listing

pytestmark = pytest.mark.django_db

EXPIRY_DAYS = 90  # the default EQUITIME_LISTING_EXPIRY_DAYS; renewal opens in its last third


@pytest.fixture(autouse=True)
def _expiry(settings):
    settings.EQUITIME_LISTING_EXPIRY_DAYS = EXPIRY_DAYS
    settings.EQUITIME_LISTING_EXPIRY_WARNING_DAYS = 7


@pytest.fixture
def listing(make_listing, member):
    return make_listing(member)  # new: open for the whole expiry period


@pytest.fixture
def ending(make_listing, member):
    return make_listing(member, expires_in=timedelta(days=10))


def act_url(listing: Listing, action: str) -> str:
    return reverse("listing_act", args=[listing.pk, action])


def confirm_url(listing: Listing) -> str:
    return reverse("listing_close_confirm", args=[listing.pk])


def detail(client, listing: Listing) -> str:
    return client.get(reverse("listing_detail", args=[listing.pk])).content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def state(listing: Listing) -> tuple:
    fresh = Listing.objects.get(pk=listing.pk)
    return fresh.status, fresh.expires_at, fresh.updated_at, fresh.closed_at


# --- When renewing changes something ------------------------------------------------------


def test_the_window_is_the_last_third_of_a_listings_life_and_never_under_the_warning(settings):
    assert services.listing_renew_window() == timedelta(days=30)
    settings.EQUITIME_LISTING_EXPIRY_DAYS = 12
    assert services.listing_renew_window() == timedelta(days=7)


@pytest.mark.parametrize(
    ("days_left", "status", "may"),
    [
        (90, Listing.Status.OPEN, False),
        (31, Listing.Status.OPEN, False),
        (29, Listing.Status.OPEN, True),
        (-1, Listing.Status.OPEN, True),  # past its date, the expiry job not yet run
        (60, Listing.Status.PAUSED, False),
        (5, Listing.Status.PAUSED, True),
        (-3, Listing.Status.EXPIRED, True),
        (5, Listing.Status.CLOSED, False),
    ],
)
def test_who_may_renew_when(listing, days_left, status, may):
    Listing.objects.filter(pk=listing.pk).update(
        status=status, expires_at=timezone.now() + timedelta(days=days_left)
    )
    listing.refresh_from_db()

    assert services.listing_may_renew(listing=listing) is may


def test_a_new_listing_is_not_offered_renew_and_is_told_from_when(client, member, listing):
    client.force_login(member)

    page = detail(client, listing)

    assert act_url(listing, "renew") not in page
    renew_from = timezone.localtime(listing.expires_at - timedelta(days=30))
    assert f"You can renew it from {renew_from:%-d %B %Y}" in page


def test_renewing_a_new_listing_by_post_is_refused_with_a_clear_message(client, member, listing):
    before = state(listing)
    client.force_login(member)

    response = client.post(act_url(listing, "renew"), follow=True)

    assert response.redirect_chain == [(reverse("listing_detail", args=[listing.pk]), 302)]
    [message] = [str(m) for m in response.context["messages"]]
    expires = timezone.localtime(listing.expires_at)
    assert message.startswith(f"This listing is open until {expires:%-d %B %Y}: renewing now")
    assert "You can renew it from" in message
    assert state(listing) == before


def test_the_service_refuses_too(listing, member):
    with pytest.raises(DomainError) as refused:
        services.listing_renew(listing=listing, member=member)

    assert refused.value.code == "not_yet_renewable"


def test_the_api_refuses_a_new_listings_renewal_as_a_conflict(client, member, listing):
    _, secret = api_token_create(member=member, name="test")
    before = state(listing)

    response = client.post(
        f"/api/v1/listings/{listing.pk}/renew", headers={"Authorization": f"Bearer {secret}"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_yet_renewable"
    assert state(listing) == before


def test_near_its_end_renew_is_offered_and_pushes_the_date_out(client, member, ending):
    client.force_login(member)

    page = detail(client, ending)
    response = client.post(act_url(ending, "renew"))

    assert f'action="{act_url(ending, "renew")}"' in page
    assert "Renew for 90 days" in page
    assert "You can renew it from" not in page
    assert messages_of(response) == ["Your listing is renewed and open."]
    ending.refresh_from_db()
    assert ending.expires_at > timezone.now() + timedelta(days=89)


def test_an_expired_listing_is_offered_renew(client, member, listing):
    Listing.objects.filter(pk=listing.pk).update(
        status=Listing.Status.EXPIRED, expires_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(member)

    assert f'action="{act_url(listing, "renew")}"' in detail(client, listing)


def test_renew_is_refused_to_others_and_visitors(client, other_member, ending):
    before = state(ending)

    anonymous = client.post(act_url(ending, "renew"))
    client.force_login(other_member)
    other = client.post(act_url(ending, "renew"))

    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))
    assert other.status_code == 404
    assert state(ending) == before


# --- Close asks first ---------------------------------------------------------------------


def test_the_listing_page_links_to_the_question_instead_of_closing_at_one_click(
    client, member, listing
):
    client.force_login(member)

    page = detail(client, listing)

    assert f'href="{confirm_url(listing)}"' in page
    assert f'action="{act_url(listing, "close")}"' not in page


def test_the_question_explains_and_changes_nothing(client, member, listing):
    before = state(listing)
    client.force_login(member)

    response = client.get(confirm_url(listing))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<h1 id="close-title">Close “{listing.title}”?</h1>' in page
    assert "Closing is final" in page
    assert f'<form method="post" action="{act_url(listing, "close")}">' in page
    assert f'action="{act_url(listing, "pause")}"' in page  # the gentler choice
    assert f'href="{reverse("listing_detail", args=[listing.pk])}"' in page
    assert state(listing) == before


def test_the_question_takes_no_posts(client, member, listing):
    client.force_login(member)

    assert client.post(confirm_url(listing)).status_code == 405
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.OPEN


def test_confirming_closes(client, member, listing):
    client.force_login(member)

    response = client.post(act_url(listing, "close"))

    assert response.url == reverse("listing_detail", args=[listing.pk])
    assert messages_of(response) == ["Your listing is closed."]
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.CLOSED


def test_a_closed_listing_is_not_asked_about_again(client, member, listing):
    services.listing_close(listing=listing, member=member)
    client.force_login(member)

    response = client.get(confirm_url(listing), follow=True)

    assert response.redirect_chain == [(reverse("listing_detail", args=[listing.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == ["This listing is already closed."]
    page = response.content.decode()
    assert confirm_url(listing) not in page and act_url(listing, "renew") not in page


def test_the_question_is_the_owners_alone(client, other_member, listing):
    before = state(listing)

    anonymous = client.get(confirm_url(listing))
    client.force_login(other_member)
    other_get = client.get(confirm_url(listing))
    other_post = client.post(act_url(listing, "close"))

    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))
    assert other_get.status_code == 404 and other_post.status_code == 404
    assert state(listing) == before
