"""A member who receives a donation is told, in the app and by e-mail, however
it was given (the page or the API); the giver is not, and a refused, replayed
or pool donation tells nobody."""

import json
import uuid

import pytest
from django.core import mail
from django.test import Client

from equitime.api.services import api_token_create
from equitime.ledger import services
from equitime.ledger.tests.factories import earn
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db

KIND = "donation_received"


@pytest.fixture
def give_on_page(client, django_capture_on_commit_callbacks):
    def give(donor, **data):
        client.force_login(donor)
        form = {"recipient": "", "hours": "1", "memo": "", "request_key": str(uuid.uuid4())}
        form.update(data)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/give/", form)

    return give


@pytest.fixture
def give_by_api(django_capture_on_commit_callbacks):
    def give(donor, body, *, key="gift-1"):
        _, secret = api_token_create(member=donor, name="test")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(
                "/api/v1/transfers/donations",
                json.dumps(body),
                content_type="application/json",
                headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": key},
            )

    return give


def notices(member):
    return list(Notification.objects.filter(recipient=member, kind=KIND))


def test_a_donation_on_the_page_tells_the_recipient_in_the_app_and_by_email(
    give_on_page, member, other_member
):
    earn(member, 90)

    response = give_on_page(
        member, recipient=other_member.email, hours="1.5", memo="For covering my shift"
    )

    assert response.status_code == 302
    [notice] = notices(other_member)
    assert (
        notice.message == "Amina Okafor gave you 1.5 credits, with a note: “For covering my shift”"
    )
    assert notice.url == "/dashboard/#transfers"
    assert notice.read_at is None
    [email] = mail.outbox
    assert email.to == [other_member.email]
    assert email.subject == f"Equitime: {notice.message}"
    body = email.body
    assert "Hello Ben Carter," in body
    assert "Amina Okafor gave you 1.5 credits" in body
    assert "For covering my shift" in body
    assert "/dashboard/#transfers" in body
    [(html, _mimetype)] = getattr(email, "alternatives", [])
    assert "/dashboard/#transfers" in html
    # The giver is not told about their own gift.
    assert notices(member) == []
    assert not Notification.objects.filter(recipient=member).exists()


def test_one_credit_without_a_note_reads_in_the_singular(give_on_page, member, other_member):
    earn(member, 60)

    give_on_page(member, recipient=other_member.email, hours="1")

    [notice] = notices(other_member)
    assert notice.message == "Amina Okafor gave you 1 credit."


def test_a_donation_by_the_api_tells_the_recipient_once_however_often_it_is_retried(
    give_by_api, member, other_member
):
    earn(member, 60)
    body = {"member_id": other_member.pk, "minutes": 60, "memo": "Thank you"}

    first = give_by_api(member, body)
    again = give_by_api(member, body)

    assert first.status_code == 201, first.content
    assert again.status_code == 201, again.content
    [notice] = notices(other_member)
    assert notice.message == "Amina Okafor gave you 1 credit, with a note: “Thank you”"
    # The retry sent nothing more: the outbox holds only the first call's e-mail.
    assert mail.outbox == []
    assert Notification.objects.get(pk=notice.pk).emailed_at is not None
    assert notices(member) == []


def test_a_replayed_service_call_tells_nobody_twice(member, other_member):
    earn(member, 120)

    services.donation_make(key="gift:replayed", donor=member, recipient=other_member, amount=60)
    services.donation_make(key="gift:replayed", donor=member, recipient=other_member, amount=60)

    assert len(notices(other_member)) == 1


def test_a_refused_donation_tells_nobody(give_on_page, give_by_api, member, other_member):
    # The welcome gift is for receiving time, not for giving on: refused.
    page = give_on_page(member, recipient=other_member.email, hours="1")
    api = give_by_api(member, {"member_id": other_member.pk, "minutes": 60})

    assert page.status_code == 200
    assert api.status_code == 409, api.content
    assert notices(other_member) == []
    assert mail.outbox == []


def test_a_gift_to_the_community_pool_tells_nobody(give_on_page, member, other_member):
    earn(member, 60)

    response = give_on_page(member, hours="1")

    assert response.status_code == 302
    assert not Notification.objects.filter(kind=KIND).exists()
    assert mail.outbox == []


def test_a_donation_rolled_back_tells_nobody(
    member, other_member, django_capture_on_commit_callbacks
):
    from django.db import transaction

    earn(member, 60)
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.donation_make(key="gift:undone", donor=member, recipient=other_member, amount=60)
        raise RuntimeError("the caller failed after giving")

    assert notices(other_member) == []
    assert mail.outbox == []


def test_the_pool_as_giver_is_named_so(member):
    from equitime.notifications.messages import render
    from equitime.notifications.receivers import donation_told

    earn(member, 60)
    donation = services.donation_make(key="gift:pool-words", donor=member, amount=60)

    told = donation_told(donation=donation, donor=None)
    assert told == {"variant": "pool", "params": {"amount_minutes": 60}}
    assert render("donation_received", **told) == "The community pool gave you 1 credit."


def test_nobody_signed_out_gives_and_nobody_else_is_told(
    client, give_on_page, member, other_member, make_member
):
    bystander = make_member(display_name="Bea Stander")
    earn(member, 60)

    signed_out = client.post(
        "/give/",
        {"recipient": other_member.email, "hours": "1", "request_key": str(uuid.uuid4())},
    )
    assert signed_out.status_code == 302
    assert "/accounts/login/" in signed_out["Location"]
    assert not Notification.objects.filter(kind=KIND).exists()

    give_on_page(member, recipient=other_member.email, hours="1")

    assert len(notices(other_member)) == 1
    assert notices(bystander) == []
    assert notices(member) == []
