"""Proposing an exchange with a colleague chosen by name, not e-mail."""

import uuid

import pytest
from django.urls import reverse

from equitime.exchanges.models import Exchange
from equitime.members.models import Member
from equitime.members.services import profile_update

pytestmark = pytest.mark.django_db

URL = reverse("exchange_direct")


def direct(client, area, **fields):
    data = {
        "colleague": "",
        "colleague_id": "",
        "direction": "gave",
        "title": "Coaching on a QI project charter",
        "improvement_area": area.pk,
        "benefit": "A clearer aim for the sepsis project.",
        "hours": "1",
        "message": "",
        "request_key": str(uuid.uuid4()),
    }
    data.update(fields)
    return client.post(URL, data)


def test_propose_to_a_colleague_by_name(client, provider, area, make_member):
    rob = make_member(display_name="Dr Rob Hale")
    client.force_login(provider)

    response = direct(client, area, colleague="rob hale")

    exchange = Exchange.objects.get()
    assert response.url == reverse("exchange_detail", args=[exchange.pk])
    assert (exchange.provider, exchange.receiver) == (provider, rob)


def test_ask_for_help_by_name_makes_the_colleague_the_provider(client, receiver, area, make_member):
    rob = make_member(display_name="Rob Hale")
    client.force_login(receiver)

    direct(client, area, colleague="Hale", direction="received")

    exchange = Exchange.objects.get()
    assert (exchange.provider, exchange.receiver) == (rob, receiver)


def test_several_colleagues_of_one_name_are_offered_as_a_choice(
    client, provider, area, make_member
):
    first = make_member(display_name="Rob Hale")
    make_member(display_name="Rob Hill")
    client.force_login(provider)

    response = direct(client, area, colleague="Rob")

    assert response.context["form"].errors["colleague"] == [
        "2 members are called “Rob”. Choose yours below."
    ]
    assert 'name="colleague_id"' in response.content.decode()
    assert not Exchange.objects.exists()

    direct(client, area, colleague="Rob", colleague_id=str(first.pk))

    assert Exchange.objects.get().receiver == first


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Enter your colleague's name."),
        ("Nobody Here", "No member is called “Nobody Here”."),
        ("Pat Provider", "Choose a colleague, not yourself."),
    ],
)
def test_a_name_that_chooses_nobody_is_a_clear_error(client, provider, area, typed, error):
    profile_update(member=provider, display_name="Pat Provider")
    client.force_login(provider)

    response = direct(client, area, colleague=typed)

    assert response.status_code == 200
    assert response.context["form"].errors["colleague"][0].startswith(error)
    assert not Exchange.objects.exists()


def test_a_tampered_colleague_id_chooses_nobody(client, provider, area, make_member):
    staff = make_member(display_name="Staff Person")
    Member.objects.filter(pk=staff.pk).update(is_staff=True)
    client.force_login(provider)

    response = direct(client, area, colleague_id=str(staff.pk))

    assert response.context["form"].errors["colleague"] == ["Choose your colleague from the list."]
    assert not Exchange.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, area, make_member):
    rob = make_member(display_name="Rob Hale")

    response = direct(client, area, colleague="Rob Hale", colleague_id=str(rob.pk))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Exchange.objects.exists()
