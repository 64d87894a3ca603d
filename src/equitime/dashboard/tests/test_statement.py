"""The statement on the dashboard says each movement from its reader's side
(issue 12 point 13): what they received, paid, held and got back, never a row
about someone else's hold; every amount signed; a hold read as held, not spent.

Tom gives time to Priya in two exchanges: one confirmed (Priya's credits held,
then paid to Tom), one cancelled after acceptance (held, then released)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from equitime.exchanges import services as exchanges
from equitime.exchanges.tests.factories import moderator_for_tests
from equitime.ledger.tests.factories import donation_recorded

pytestmark = pytest.mark.django_db

MINUS = "\N{MINUS SIGN}"


@pytest.fixture
def tom(make_member):
    return make_member(display_name="Tom Reyes")


@pytest.fixture
def priya(make_member):
    return make_member(display_name="Priya Shah")


@pytest.fixture
def offer(make_listing, tom):
    return make_listing(tom, "offer", 60, title="Teaching a run chart")


def rows(client, member) -> list[dict[str, str]]:
    """The statement's rows as the member reads them: what, and the amount
    shown and spoken."""
    client.force_login(member)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    found = []
    for row in re.findall(r'<tr[^>]*data-testid="statement-row">(.*?)</tr>', html, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        what = re.search(r'class="statement__what">(.*?)</span>', row, flags=re.S)
        amount = re.search(r'data-testid="amount">(.*?)</span>', row, flags=re.S)
        spoken = re.search(r'class="visually-hidden">(.*?)</span>', cells[2], flags=re.S)
        assert what and amount and spoken, row
        found.append(
            {
                "what": unescape(what.group(1)),
                "amount": unescape(amount.group(1)),
                "spoken": unescape(spoken.group(1)),
                "cells": unescape(" ".join(re.sub(r"<[^>]+>", " ", row).split())),
            }
        )
    return found


def whats(client, member) -> list[str]:
    return [row["what"] for row in rows(client, member)]


def propose_and_accept(offer, tom, priya):
    exchange = exchanges.exchange_propose_from_listing(listing=offer, member=priya, minutes=60)
    return exchanges.exchange_accept(exchange=exchange, member=tom)


def test_a_confirmed_exchange_from_each_side(client, offer, tom, priya):
    exchange = exchanges.exchange_propose_from_listing(listing=offer, member=priya, minutes=60)

    # Proposed: nothing has moved for either of them.
    assert whats(client, priya) == ["Your welcome gift: 2 credits from the community pool"]
    assert whats(client, tom) == ["Your welcome gift: 2 credits from the community pool"]

    exchange = exchanges.exchange_accept(exchange=exchange, member=tom)

    # Accepted: Priya's credit is held, and said to be held, not spent.
    [held, gift] = rows(client, priya)
    assert held["what"] == "1 credit held for your exchange with Tom Reyes"
    assert held["amount"] == f"{MINUS}1"
    assert held["spoken"] == "minus 1 credit, held"
    assert "Held" in held["cells"] and "Teaching a run chart" in held["cells"]
    assert gift["amount"] == "+2"
    assert gift["spoken"] == "plus 2 credits"
    # Tom sees nothing of Priya's hold: those credits are still hers.
    assert whats(client, tom) == ["Your welcome gift: 2 credits from the community pool"]

    exchange = exchanges.exchange_deliver(exchange=exchange, member=tom, minutes=60)
    exchanges.exchange_confirm(exchange=exchange, member=priya)

    [paid, ended, gift] = rows(client, priya)
    assert paid["what"] == "You paid 1 credit to Tom Reyes for your exchange"
    assert paid["amount"] == f"{MINUS}1"
    assert paid["spoken"] == "minus 1 credit"
    assert ended["what"] == "1 credit held for your exchange with Tom Reyes"
    assert "No longer held" in ended["cells"]
    [received, gift] = rows(client, tom)
    assert received["what"] == "You received 1 credit from Priya Shah for your exchange"
    assert received["amount"] == "+1"
    assert received["spoken"] == "plus 1 credit"
    assert "Teaching a run chart" in received["cells"]
    page = client.get(reverse("dashboard")).content.decode()
    assert "Hold released" not in page
    assert "held" not in " ".join(row["cells"] for row in rows(client, tom)).lower()


def test_a_cancelled_exchange_releases_the_hold_back_to_the_receiver_only(
    client, offer, tom, priya
):
    exchange = propose_and_accept(offer, tom, priya)

    exchanges.exchange_cancel(exchange=exchange, member=tom, reason="I am off sick this week")

    [released, ended, _gift] = rows(client, priya)
    assert released["what"] == (
        "Hold released back to you: 1 credit from your exchange with Tom Reyes"
    )
    assert released["amount"] == "+1"
    assert released["spoken"] == "plus 1 credit, released"
    assert ended["what"] == "1 credit held for your exchange with Tom Reyes"
    assert ended["amount"] == f"{MINUS}1"
    assert "No longer held" in ended["cells"]
    # Tom never held anything: no row about Priya's hold or its release.
    assert whats(client, tom) == ["Your welcome gift: 2 credits from the community pool"]
    client.force_login(tom)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Hold released" not in page
    assert "Hold cancelled" not in page


def test_a_reversed_exchange_from_each_side(client, offer, tom, priya):
    exchange = propose_and_accept(offer, tom, priya)
    exchange = exchanges.exchange_deliver(exchange=exchange, member=tom, minutes=60)
    exchange = exchanges.exchange_confirm(exchange=exchange, member=priya)
    moderator = moderator_for_tests()

    exchanges.exchange_reverse(exchange=exchange, moderator=moderator, reason="Entered twice")

    reversal = rows(client, tom)[0]
    assert reversal["what"] == "Reversed: 1 credit returned to Priya Shah"
    assert reversal["amount"] == f"{MINUS}1"
    assert "Teaching a run chart" in reversal["cells"]
    assert rows(client, priya)[0]["what"] == "Reversed: 1 credit back to you from Tom Reyes"
    assert rows(client, priya)[0]["amount"] == "+1"
    # The payment it undid says so.
    paid = rows(client, priya)[1]
    assert paid["what"] == "You paid 1 credit to Tom Reyes for your exchange"
    assert "Reversed" in paid["cells"]


def test_gifts_from_each_side_with_the_note(client, tom, priya):
    donation_recorded(tom, 90, priya, memo="For the huddle tips")
    donation_recorded(priya, 15, None)

    [to_pool, gift, _welcome] = rows(client, priya)
    assert gift["what"] == "Tom Reyes gave you 1.5 credits"
    assert gift["amount"] == "+1.5"
    assert "For the huddle tips" in gift["cells"]
    assert to_pool["what"] == "You gave 0.25 credits to the community pool"
    assert to_pool["amount"] == f"{MINUS}0.25"
    assert rows(client, tom)[0]["what"] == "You gave 1.5 credits to Priya Shah"
    assert rows(client, tom)[0]["amount"] == f"{MINUS}1.5"


def test_every_amount_carries_a_sign(client, offer, tom, priya):
    exchange = propose_and_accept(offer, tom, priya)
    exchanges.exchange_cancel(exchange=exchange, member=priya)
    propose_and_accept(offer, tom, priya)
    donation_recorded(priya, 15, tom)

    # Tom: his welcome gift and Priya's gift. Priya: her welcome gift, the
    # first hold and its release, the second hold, her gift.
    for member, count in ((tom, 2), (priya, 5)):
        statement = rows(client, member)
        assert len(statement) == count
        for row in statement:
            assert row["amount"][0] in ("+", MINUS), row
            assert row["spoken"].startswith(("plus ", "minus ")), row


def test_the_provider_never_reads_of_the_receivers_hold(client, offer, tom, priya):
    """Whatever the page's markup: no word of a hold on Tom's page, before or
    after it is paid, and no transfer of Priya's held credits in his history."""
    exchange = propose_and_accept(offer, tom, priya)
    client.force_login(tom)

    before = client.get(reverse("dashboard"))
    exchange = exchanges.exchange_deliver(exchange=exchange, member=tom, minutes=60)
    exchanges.exchange_confirm(exchange=exchange, member=priya)
    after = client.get(reverse("dashboard"))

    for response in (before, after):
        html = response.content.decode()
        assert "Hold released" not in html
        assert "badge--held" not in html
        assert {t.state for t in response.context["transfers"]} == {"posted"}


def test_another_members_statement_is_not_shown(client, offer, tom, priya, make_member):
    propose_and_accept(offer, tom, priya)
    bystander = make_member(display_name="Bea Stander")

    assert whats(client, bystander) == ["Your welcome gift: 2 credits from the community pool"]


def test_the_exchange_page_says_whose_credits_are_held(client, offer, tom, priya):
    exchange = propose_and_accept(offer, tom, priya)
    url = reverse("exchange_detail", args=[exchange.pk])

    def held_text(member) -> str:
        client.force_login(member)
        html = client.get(url).content.decode()
        match = re.search(r'data-testid="held">(.*?)</dd>', html, flags=re.S)
        assert match, html
        return unescape(match.group(1))

    assert held_text(priya) == "1 credit of yours, held (not spent) until you confirm the time"
    assert held_text(tom) == (
        "1 credit of Priya Shah's, held for you: yours when the time is confirmed"
    )
