"""The exchange page as a moderator outside the exchange sees it (issue 12
point 17): it is not one of "your exchanges", so the way back leads to the
moderation queue and the page says whose exchange it is."""

import pytest
from django.urls import reverse

from equitime.exchanges import services
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at

pytestmark = pytest.mark.django_db


def breadcrumb(response) -> str:
    return response.content.decode().split('<p class="breadcrumb">', 1)[1].split("</p>", 1)[0]


@pytest.fixture
def resolved(disputed, moderator):
    return services.exchange_resolve(
        exchange=disputed, moderator=moderator, minutes=disputed.logged_minutes, note="Agreed."
    )


@pytest.mark.parametrize("which", ["disputed", "resolved"])
def test_a_moderator_outside_the_exchange_is_led_back_to_moderation(
    client, request, moderator, which
):
    exchange = request.getfixturevalue(which)
    client.force_login(moderator)

    response = client.get(reverse("exchange_detail", args=[exchange.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your exchanges" not in page
    assert f'<a href="{reverse("moderation_queue")}">Moderation</a>' in breadcrumb(response)
    assert "Exchange between Priya Provider and Rob Receiver" in page


@pytest.mark.parametrize("party", ["provider", "receiver"])
def test_the_parties_are_led_back_to_their_exchanges(client, request, disputed, party):
    client.force_login(request.getfixturevalue(party))

    response = client.get(reverse("exchange_detail", args=[disputed.pk]))

    assert f'<a href="{reverse("exchange_list")}">Your exchanges</a>' in breadcrumb(response)
    assert "Exchange between" not in response.content.decode()


def test_a_moderator_who_is_a_party_sees_their_exchanges(client, make_listing, moderator):
    exchange = exchange_at(Status.DISPUTED, listing=make_listing(moderator), reason="Too short.")
    client.force_login(moderator)

    response = client.get(reverse("exchange_detail", args=[exchange.pk]))

    assert "Your exchanges" in breadcrumb(response)


def test_others_still_do_not_see_it(client, stranger, disputed):
    client.force_login(stranger)

    assert client.get(reverse("exchange_detail", args=[disputed.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("exchange_detail", args=[disputed.pk])).status_code == 302
