"""The moderation queue and its decisions: who may open it, what it shows,
upholding and dismissing from it, the menu link, and its query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equitime.audit.models import AuditEntry
from equitime.exchanges.models import Status as ExchangeStatus
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.models import Listing
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag, listing_flag_dismiss

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("moderation_queue")
Status = ListingFlag.Status


def body(response) -> str:
    return response.content.decode()


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def uphold_url(flag):
    return reverse("listing_flag_uphold", args=[flag.pk])


def dismiss_url(flag):
    return reverse("listing_flag_dismiss", args=[flag.pk])


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def nav(response) -> str:
    return body(response).split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]


# --- Who may open it ------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(QUEUE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={QUEUE_URL}"


def test_a_member_is_refused(client, reporter, flag):
    client.force_login(reporter)

    response = client.get(QUEUE_URL)

    assert response.status_code == 403
    assert flag.listing.title not in body(response)


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_moderators_and_administrators_open_it(client, request, who, flag):
    client.force_login(request.getfixturevalue(who))

    response = client.get(QUEUE_URL)

    assert response.status_code == 200
    assert "<h1>Moderation</h1>" in body(response)


def test_the_queue_takes_no_posts(client, moderator):
    client.force_login(moderator)

    assert client.post(QUEUE_URL).status_code == 405


# --- What it shows ------------------------------------------------------------------


def test_open_flags_are_grouped_by_listing_with_owner_count_reasons_notes_and_age(
    client, moderator, flag, second_reporter, reporter, owner
):
    listing = flag.listing
    listing_flag(listing=listing, member=second_reporter, reason="other", note="Looks like sales.")
    client.force_login(moderator)

    response = client.get(QUEUE_URL)

    page = body(response)
    group = page.split(f'data-testid="flagged-{listing.pk}"', 1)[1].split("</article>", 1)[0]
    assert f'<a href="/listings/{listing.pk}/">{listing.title}</a>' in group
    assert f"Posted by {owner.display_name}" in group
    assert "2 reports" in group
    assert "It asks for or offers money; Something else" in group
    assert "It asks for £50 an hour." in group
    assert "Looks like sales." in group
    assert reporter.display_name in group and second_reporter.display_name in group
    assert "first reported just now" in group
    # One decision form for the listing, acting on its oldest flag.
    assert f'action="{dismiss_url(flag)}"' in group
    assert f'formaction="{uphold_url(flag)}"' in group
    assert f'<label for="id_flag-{flag.pk}-note">Note on your decision</label>' in group
    assert len(response.context["flagged"]) == 1


def test_decided_flags_leave_the_queue(client, moderator, make_moderator, flag):
    listing_flag_dismiss(flag=flag, moderator=make_moderator("Other Mo"), note="Fine.")
    client.force_login(moderator)

    response = client.get(QUEUE_URL)

    assert response.context["flagged"] == []
    assert "No listings are waiting for a decision." in body(response)


def test_disputed_exchanges_link_to_the_exchange_with_parties_hours_reason_and_age(
    client, moderator, make_dispute
):
    exchange = make_dispute()
    client.force_login(moderator)

    response = client.get(QUEUE_URL)

    page = body(response)
    assert f'<a href="/exchanges/{exchange.pk}/">{exchange.title}</a>' in page
    assert exchange.provider.display_name in page
    assert exchange.receiver.display_name in page
    assert "1 hour" in page
    assert "We only met for twenty minutes." in page
    assert f'datetime="{exchange.disputed_at:%Y-%m-%dT%H:%M}' in page


def test_the_moderator_can_open_a_disputed_exchange_from_the_queue(client, moderator, make_dispute):
    exchange = make_dispute()
    client.force_login(moderator)

    response = client.get(reverse("exchange_detail", args=[exchange.pk]))

    assert response.status_code == 200
    assert "Resolve the dispute" in body(response)


def test_an_empty_queue_says_so(client, moderator):
    client.force_login(moderator)

    page = body(client.get(QUEUE_URL))

    assert "No listings are waiting for a decision." in page
    assert "No exchanges are disputed." in page
    assert "Nobody is suspended." in page


def test_the_page_has_one_h1_labelled_sections_and_a_labelled_table(
    client, moderator, flag, make_dispute
):
    make_dispute()
    client.force_login(moderator)

    page = body(client.get(QUEUE_URL))

    assert page.count("<h1") == 1
    for section in ("flagged-title", "disputed-title", "suspended-title"):
        assert f'aria-labelledby="{section}"' in page
        assert f'id="{section}"' in page
    assert 'role="region" aria-label="Table of disputed exchanges" tabindex="0"' in page
    assert '<th scope="col" role="columnheader">' in page


# --- Deciding from the queue ---------------------------------------------------------------


def test_upholding_closes_the_listing_and_comes_back_with_a_message(
    client, moderator, flag, second_reporter
):
    second = listing_flag(listing=flag.listing, member=second_reporter, reason="inappropriate")
    client.force_login(moderator)

    response = client.post(
        uphold_url(flag), {f"flag-{flag.pk}-note": "It asks for a fee."}, follow=True
    )

    assert response.redirect_chain == [(QUEUE_URL, 302)]
    assert any("is closed" in text for text in page_messages(response))
    assert fresh(flag.listing).status == Listing.Status.CLOSED
    assert {fresh(flag).status, fresh(second).status} == {Status.UPHELD}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MODERATION_DECISION)
    assert entry.actor == moderator
    assert response.context["flagged"] == []


def test_dismissing_leaves_the_listing_open(client, admin, flag):
    client.force_login(admin)

    response = client.post(dismiss_url(flag), {f"flag-{flag.pk}-note": "It is QI teaching."})

    assert response.status_code == 302
    assert response["Location"] == QUEUE_URL
    assert fresh(flag).status == Status.DISMISSED
    assert fresh(flag.listing).status == Listing.Status.OPEN


@pytest.mark.parametrize("url", [uphold_url, dismiss_url])
def test_a_decision_without_a_note_is_shown_again_with_the_error_in_place(
    client, moderator, flag, url
):
    client.force_login(moderator)

    response = client.post(url(flag), {f"flag-{flag.pk}-note": ""})

    assert response.status_code == 422
    group = body(response).split(f'data-testid="flagged-{flag.listing_id}"', 1)[1]
    assert "There is a problem" in group.split("</article>", 1)[0]
    assert "This field is required." in group
    assert fresh(flag).status == Status.OPEN


# --- A moderator's own listing waits for another moderator (issue 12 point 16) ----------


@pytest.fixture
def own_flag(make_listing, moderator, reporter):
    own = make_listing(moderator, title="Mo's own offer")
    return listing_flag(listing=own, member=reporter, reason="other", note="Self-serving")


def test_the_queue_offers_no_decision_on_the_moderators_own_listing(
    client, moderator, own_flag, flag
):
    client.force_login(moderator)

    page = body(client.get(QUEUE_URL))

    own = page.split(f'data-testid="flagged-{own_flag.listing_id}"', 1)[1].split("</article>")[0]
    other = page.split(f'data-testid="flagged-{flag.listing_id}"', 1)[1].split("</article>")[0]
    assert uphold_url(own_flag) not in own and dismiss_url(own_flag) not in own
    assert "<form" not in own
    assert "your own listing: it waits for another moderator" in own
    assert uphold_url(flag) in other and dismiss_url(flag) in other


def test_another_moderator_is_offered_the_decision_and_makes_it(client, make_moderator, own_flag):
    client.force_login(make_moderator("Other Mo"))

    page = body(client.get(QUEUE_URL))
    response = client.post(uphold_url(own_flag), {f"flag-{own_flag.pk}-note": "Not allowed."})

    assert uphold_url(own_flag) in page and "waits for another moderator" not in page
    assert response.status_code == 302
    assert fresh(own_flag).status == Status.UPHELD
    assert fresh(own_flag.listing).status == Listing.Status.CLOSED


@pytest.mark.parametrize("url", [uphold_url, dismiss_url])
@pytest.mark.parametrize("note", ["Mine is fine.", ""])
def test_the_owner_moderator_posting_anyway_is_refused_with_a_clear_message(
    client, moderator, own_flag, url, note
):
    client.force_login(moderator)

    response = client.post(url(own_flag), {f"flag-{own_flag.pk}-note": note}, follow=True)

    assert response.redirect_chain == [(QUEUE_URL, 302)]
    assert page_messages(response) == [
        "This is your own listing: another moderator must decide about it."
    ]
    assert fresh(own_flag).status == Status.OPEN
    assert fresh(own_flag.listing).status == Listing.Status.OPEN
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.MODERATION_DECISION).exists()


def test_a_listing_the_moderator_reported_waits_for_another_moderator_too(client, moderator, flag):
    listing_flag(listing=flag.listing, member=moderator, reason="other", note="Me too")
    client.force_login(moderator)

    page = body(client.get(QUEUE_URL))
    response = client.post(uphold_url(flag), {f"flag-{flag.pk}-note": "Close."}, follow=True)

    group = page.split(f'data-testid="flagged-{flag.listing_id}"', 1)[1].split("</article>")[0]
    assert "You reported this listing yourself" in group and "<form" not in group
    assert any("You reported this listing yourself" in text for text in page_messages(response))
    assert fresh(flag).status == Status.OPEN


@pytest.mark.parametrize("url", [uphold_url, dismiss_url])
def test_decisions_on_a_moderators_listing_are_refused_to_members_and_visitors(
    client, reporter, own_flag, url
):
    data = {f"flag-{own_flag.pk}-note": "Close it."}

    anonymous = client.post(url(own_flag), data)
    client.force_login(reporter)
    member = client.post(url(own_flag), data)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert member.status_code == 403
    assert fresh(own_flag).status == Status.OPEN


@pytest.mark.parametrize("note", ["Too late.", ""])
def test_a_flag_decided_meanwhile_is_refused_with_a_message(
    client, moderator, make_moderator, flag, note
):
    listing_flag_dismiss(flag=flag, moderator=make_moderator("Quick Mo"), note="Fine.")
    client.force_login(moderator)

    response = client.post(uphold_url(flag), {f"flag-{flag.pk}-note": note}, follow=True)

    assert response.redirect_chain == [(QUEUE_URL, 302)]
    assert any("already been decided" in text for text in page_messages(response))
    assert fresh(flag).status == Status.DISMISSED
    assert fresh(flag.listing).status == Listing.Status.OPEN


@pytest.mark.parametrize("url", [uphold_url, dismiss_url])
def test_decisions_are_refused_to_anonymous_visitors_and_members(
    client, reporter, owner, flag, url
):
    data = {f"flag-{flag.pk}-note": "Close it."}

    anonymous = client.post(url(flag), data)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    for person in (reporter, owner):
        client.force_login(person)
        assert client.post(url(flag), data).status_code == 403
    assert fresh(flag).status == Status.OPEN


@pytest.mark.parametrize("url", [uphold_url, dismiss_url])
def test_decisions_refuse_get(client, moderator, flag, url):
    client.force_login(moderator)

    response = client.get(url(flag))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert fresh(flag).status == Status.OPEN


def test_an_unknown_flag_is_404(client, moderator):
    client.force_login(moderator)

    assert client.post(reverse("listing_flag_uphold", args=[999999]), {}).status_code == 404


# --- The menu link -------------------------------------------------------------------------


def test_moderators_see_the_moderation_link_with_what_waits(
    client, moderator, flag, second_reporter, make_listing, owner, reporter, make_dispute
):
    # Two flags on one listing count once; another listing and a dispute make three.
    listing_flag(listing=flag.listing, member=second_reporter, reason="other", note="Also")
    listing_flag(
        listing=make_listing(owner, title="Second"), member=reporter, reason="other", note="?"
    )
    make_dispute()
    client.force_login(moderator)

    menu = nav(client.get(reverse("dashboard")))

    match = re.search(
        r'<a href="/moderation/"[^>]*>Moderation <span class="count">(\d+)</span>', menu
    )
    assert match, menu
    assert match.group(1) == "3"


def test_the_count_leaves_out_what_the_moderator_may_not_decide(
    client, moderator, make_moderator, own_flag, flag, make_listing, owner, make_member
):
    # Their own listing, a listing they reported, a dispute they are part of:
    # all wait for another moderator. The one listing left counts.
    reported = make_listing(owner, title="Reported by Mo")
    listing_flag(listing=reported, member=moderator, reason="other", note="Odd")
    listing_flag(listing=reported, member=make_member(), reason="other", note="Odd too")
    exchange_at(ExchangeStatus.DISPUTED, listing=make_listing(moderator), reason="Too long.")

    def count_for(member):
        client.force_login(member)
        menu = nav(client.get(reverse("dashboard")))
        match = re.search(r'Moderation <span class="count">(\d+)</span>', menu)
        return int(match.group(1)) if match else 0

    assert count_for(moderator) == 1
    assert count_for(make_moderator("Other Mo")) == 4


def test_the_link_shows_no_count_when_nothing_waits_and_marks_the_current_page(client, moderator):
    client.force_login(moderator)

    menu = nav(client.get(QUEUE_URL))

    assert '<a href="/moderation/" aria-current="page">Moderation</a>' in menu


def test_members_see_no_moderation_link(client, reporter, flag):
    client.force_login(reporter)

    assert "/moderation/" not in nav(client.get(reverse("dashboard")))


def test_the_count_in_the_menu_costs_one_query(client, moderator, flag):
    client.force_login(moderator)
    client.get(reverse("notification_list"))  # the session and permissions are warm

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("notification_list"))

    counting = [q["sql"] for q in captured if "community_listingflag" in q["sql"]]
    assert len(counting) == 1
    assert "exchanges_exchange" in counting[0]


# --- Query count -----------------------------------------------------------------------------


def test_the_queue_costs_the_same_queries_for_few_or_many_rows(
    client, moderator, make_member, make_listing, owner, make_dispute
):
    from equitime.moderation.services import member_suspend

    def add_rows(n):
        for i in range(n):
            listing = make_listing(owner, title=f"Listing {n}-{i}")
            for j in range(2):
                listing_flag(
                    listing=listing, member=make_member(), reason="other", note=f"Note {j}"
                )
            make_dispute(title=f"Dispute {n}-{i}")
            member_suspend(member=make_member(), by=moderator, reason="Spam.")

    client.force_login(moderator)
    add_rows(1)
    client.get(QUEUE_URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE_URL).status_code == 200
    add_rows(6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(QUEUE_URL)

    assert len(response.context["flagged"]) == 7
    assert len(response.context["disputed"]) == 7
    assert len(response.context["suspended"]) == 7
    assert len(many) == len(few), [q["sql"] for q in many]
