"""The privacy notice: who is responsible, why, who processes it, where, and your rights."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def page(client) -> str:
    response = client.get(reverse("privacy_notice"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_names_the_controller_and_dpo_from_the_settings(client, settings):
    settings.EQUITIME_DATA_CONTROLLER_NAME = "Leeds Health Partners NHS Trust"
    settings.EQUITIME_DATA_CONTROLLER_ADDRESS = "1 Park Row, Leeds LS1 5AB"
    settings.EQUITIME_DATA_CONTROLLER_ICO_NUMBER = "Z1234567"
    settings.EQUITIME_DPO_EMAIL = "dpo@leeds-health.example"

    text = page(client)

    assert "The data controller is Leeds Health Partners NHS Trust." in text
    assert "1 Park Row, Leeds LS1 5AB" in text
    assert "Z1234567" in text
    assert 'href="mailto:dpo@leeds-health.example"' in text


def test_the_defaults_say_the_operator_sets_them_rather_than_inventing_one(client):
    text = page(client)
    assert "The data controller is the organisation that runs this Equitime service." in text
    assert "set by the operator of this service" in text
    assert "example" not in text.lower()


def test_it_gives_a_lawful_basis_for_each_use(client):
    text = page(client)
    for basis in (
        "Contract, 6(1)(b)",
        "Legitimate interests, 6(1)(f)",
        "Legal obligation, 6(1)(c)",
    ):
        assert basis in text
    assert text.count("<dt>") >= 8


def test_processors_and_international_transfers_come_from_the_settings(client, settings):
    settings.EQUITIME_HOSTING_PROVIDER = "Acme Cloud (London region)"
    settings.EQUITIME_EMAIL_PROVIDER = "NHSmail relay"
    settings.EQUITIME_INTERNATIONAL_TRANSFERS = []
    text = page(client)
    assert "Acme Cloud (London region)" in text and "NHSmail relay" in text
    assert "we do not transfer it abroad" in text

    settings.EQUITIME_INTERNATIONAL_TRANSFERS = ["Ireland", "United States"]
    text = page(client)
    assert "Ireland, United States" in text
    assert "International Data Transfer Agreement" in text


def test_it_lists_every_right_and_the_ico(client, member):
    client.force_login(member)
    text = page(client)
    for right in (
        "Access and portability",
        "Rectification",
        "Erasure",
        "Restriction and objection",
    ):
        assert right in text
    assert "https://ico.org.uk/make-a-complaint/" in text
    assert f'href="{reverse("account_privacy")}"' in text
    assert f'href="{reverse("profile_edit")}"' in text
