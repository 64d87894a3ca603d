"""The member's dashboard: their figures and their own transfer history only."""

import re
import uuid

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equitime.ledger import services as ledger
from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import donation_recorded
from equitime.members.services import profile_update

pytestmark = pytest.mark.django_db


def text_of(response, testid: str) -> str:
    """The visible text of the element carrying ``data-testid``."""
    match = re.search(
        rf'data-testid="{testid}"[^>]*>(.*?)</dd>', response.content.decode(), flags=re.S
    )
    assert match, f"no element with data-testid={testid!r}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def give(donor, amount, recipient=None, memo=""):
    # The donation as the ledger records it: this page shows donations, and
    # the donation service's own rules are tested with it (ledger.tests).
    return donation_recorded(donor, amount, recipient, memo=memo)


def bonus(member, amount):
    return ledger.transfer_create(
        key=f"test-bonus:{uuid.uuid4()}",
        kind=Transfer.Kind.BONUS,
        debit_account=ledger.pool_account(),
        credit_account=member.account,
        amount=amount,
        initiated_by=None,
    )


def hold(member, other, amount):
    return ledger.hold_place(
        key=f"test-hold:{uuid.uuid4()}",
        kind=Transfer.Kind.EXCHANGE,
        debit_account=member.account,
        credit_account=other.account,
        amount=amount,
        initiated_by=member,
    )


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('dashboard')}"


def test_member_sees_the_welcome_gift_and_two_credits(client, member):
    client.force_login(member)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert "Hello, Amina Okafor" in response.content.decode()
    assert text_of(response, "available") == "2 credits"
    assert text_of(response, "held") == "0 credits"
    assert text_of(response, "balance") == "2 credits"
    [gift] = response.context["transfers"]
    assert gift.kind == Transfer.Kind.WELCOME_GIFT
    assert gift.incoming is True


def test_member_sees_available_held_and_balance_after_giving_and_a_hold(
    client, member, other_member
):
    give(member, 30, recipient=other_member, memo="Thanks for the run chart help")
    hold(member, other_member, 45)
    client.force_login(member)

    response = client.get(reverse("dashboard"))

    # 120 gift - 30 given = 90 balance; 45 of it held; 45 available.
    assert text_of(response, "balance") == "1.5 credits"
    assert text_of(response, "held") == "0.75 credits"
    assert text_of(response, "available") == "0.75 credits"
    content = response.content.decode()
    assert "Thanks for the run chart help" in content
    assert "Ben Carter" in content
    assert content.count('class="badge badge--held"') == 1
    transfers = list(response.context["transfers"])
    assert [t.kind for t in transfers] == [
        Transfer.Kind.EXCHANGE,
        Transfer.Kind.DONATION,
        Transfer.Kind.WELCOME_GIFT,
    ]
    assert [t.incoming for t in transfers] == [False, False, True]


def test_recipient_sees_a_donation_as_incoming(client, member, other_member):
    give(member, 60, recipient=other_member, memo="For the stats tutorial")
    client.force_login(other_member)

    response = client.get(reverse("dashboard"))

    assert text_of(response, "available") == "3 credits"
    donation = next(t for t in response.context["transfers"] if t.kind == Transfer.Kind.DONATION)
    assert donation.incoming is True
    content = response.content.decode()
    assert "For the stats tutorial" in content
    assert "Amina Okafor" in content
    assert "+1" in content


def test_member_cannot_see_transfers_between_other_members(client, make_member):
    giver = make_member(display_name="Giver Gwen")
    taker = make_member(display_name="Taker Tom")
    bystander = make_member(display_name="Bystander Bea")
    donation = give(giver, 45, recipient=taker, memo="Secret memo between Gwen and Tom")
    client.force_login(bystander)

    response = client.get(reverse("dashboard"))

    transfers = list(response.context["transfers"])
    assert donation not in transfers
    assert [t.kind for t in transfers] == [Transfer.Kind.WELCOME_GIFT]
    content = response.content.decode()
    assert "Secret memo between Gwen and Tom" not in content
    assert "Giver Gwen" not in content
    assert "Taker Tom" not in content
    assert text_of(response, "available") == "2 credits"


def test_dashboard_ignores_a_page_number_from_someone_else(client, make_member):
    # Even paging past the end only ever shows the member's own history.
    busy = make_member()
    for _ in range(8):
        give(busy, 15)
    quiet = make_member()
    client.force_login(quiet)

    response = client.get(reverse("dashboard"), {"page": 5})

    assert [t.kind for t in response.context["transfers"]] == [Transfer.Kind.WELCOME_GIFT]


def test_transfer_history_is_paginated_by_twenty(client, member):
    for _ in range(12):
        bonus(member, 15)
    for _ in range(12):
        give(member, 15)
    total = 1 + 12 + 12
    client.force_login(member)

    first = client.get(reverse("dashboard"))
    second = client.get(reverse("dashboard"), {"page": 2})

    assert len(first.context["transfers"]) == 20
    assert first.context["transfers"].paginator.count == total
    assert 'rel="next"' in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    second_page = list(second.context["transfers"])
    assert len(second_page) == total - 20
    assert "Page 2 of 2" in second.content.decode()
    assert 'rel="prev"' in second.content.decode()
    # Newest first, and no transfer on both pages.
    assert second_page[-1].kind == Transfer.Kind.WELCOME_GIFT
    assert not set(first.context["transfers"]) & set(second_page)


def test_out_of_range_or_junk_page_numbers_do_not_fail(client, member):
    client.force_login(member)

    for page in ("99", "abc", "-1"):
        response = client.get(reverse("dashboard"), {"page": page})
        assert response.status_code == 200
        assert [t.kind for t in response.context["transfers"]] == [Transfer.Kind.WELCOME_GIFT]


def _dashboard_queries(client, member):
    client.force_login(member)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(captured), response


def test_dashboard_query_count_does_not_grow_with_transfers(client, make_member):
    few = make_member()
    many = make_member()
    partner = make_member()
    # Mix kinds and states so every branch of a history row (incoming,
    # outgoing, held, released, voided, reversed) is drawn on the first page.
    for n in range(4):
        give(few, 15, recipient=partner if n % 2 else None)
    for _ in range(20):
        bonus(many, 15)
    for n in range(20):
        transfer = give(many, 15, recipient=partner if n % 2 else None)
        if n % 5 == 0:
            ledger.transfer_reverse(key=f"rev:{transfer.pk}", transfer=transfer, initiated_by=None)
    released = hold(many, partner, 15)
    ledger.hold_post(key=f"post:{released.pk}", hold=released, initiated_by=None)
    cancelled = hold(many, partner, 15)
    ledger.hold_void(key=f"void:{cancelled.pk}", hold=cancelled, initiated_by=None)
    hold(many, partner, 15)
    history = Transfer.objects.filter(
        Q(debit_account__member=many) | Q(credit_account__member=many)
    )
    assert (
        Transfer.objects.filter(
            Q(debit_account__member=few) | Q(credit_account__member=few)
        ).count()
        == 5
    )
    assert history.count() == 50

    few_count, _ = _dashboard_queries(client, few)
    many_count, response = _dashboard_queries(client, many)

    assert len(response.context["transfers"]) == 20
    assert many_count == few_count


def test_dashboard_query_count_has_a_ceiling(client, member, django_assert_max_num_queries):
    for _ in range(5):
        give(member, 15)
    client.force_login(member)
    client.get(reverse("dashboard"))  # the menu's roles are read once, then cached

    # Session, member, their profile (the time zone the page is written in),
    # account, count and one page of transfers with their accounts, whether
    # each hold was released and each transfer reversed (by key); open
    # exchanges and open listings; the header's unread count; whether the
    # address is confirmed; the campaigns running (none here).
    with django_assert_max_num_queries(13):
        client.get(reverse("dashboard"))


def test_history_shows_the_counterpart_current_name_after_a_rename(client, member, other_member):
    give(member, 30, recipient=other_member)
    profile_update(member=other_member, display_name="Dr Ben Carter-Jones")
    client.force_login(member)

    response = client.get(reverse("dashboard"))

    assert "Dr Ben Carter-Jones" in response.content.decode()
