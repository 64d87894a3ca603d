"""The browse and search page: open listings only, filters, sorting, pages, htmx."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_close, listing_pause
from equitime.listings.tests.test_search import HOSTILE
from equitime.members.models import Organisation
from equitime.members.tests.factories import OrganisationFactory
from equitime.skills.models import Skill

pytestmark = pytest.mark.django_db

URL = reverse("listing_browse")


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def shown(response) -> list[str]:
    """Titles of the listing cards on the page, in order."""
    html = response.content.decode()
    return re.findall(r'class="listing-card__title"><a href="[^"]+">([^<]+)</a>', html)


def browse(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


# --- Permissions --------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={URL}"


# --- What is shown ----------------------------------------------------------------------


def test_only_open_listings_are_shown(signed_in, make_listing, member, other_member):
    make_listing(other_member, title="Open offer")
    make_listing(other_member, title="Open request", kind=Listing.Kind.REQUEST)
    listing_pause(listing=make_listing(other_member, title="Paused one"), member=other_member)
    listing_close(listing=make_listing(other_member, title="Closed one"), member=other_member)
    expired_by_status = make_listing(other_member, title="Expired one")
    Listing.objects.filter(pk=expired_by_status.pk).update(status=Listing.Status.EXPIRED)
    past_date = make_listing(other_member, title="Past its date")
    Listing.objects.filter(pk=past_date.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    for response in (browse(signed_in), browse(signed_in, q="one"), browse(signed_in, q="past")):
        titles = shown(response)
        assert not {"Paused one", "Closed one", "Expired one", "Past its date"} & set(titles)
    assert sorted(shown(browse(signed_in))) == ["Open offer", "Open request"]


def test_a_card_shows_what_a_colleague_needs(signed_in, make_listing, make_member):
    trust = OrganisationFactory(name="Leeds Teaching Hospitals")
    owner = make_member(display_name="Grace Hopper", organisation=trust, profession="Statistician")
    listing = make_listing(
        owner,
        title="Survival analysis in R",
        benefit="Better evidence on readmissions for the frailty team.",
        estimated_minutes=90,
        format=Format.IN_PERSON,
        place="Leeds General Infirmary",
        area="clinical-effectiveness",
        skills=["survival-analysis", "r-programming"],
        languages=["English", "Welsh"],
    )

    html = browse(signed_in).content.decode()

    assert 'class="badge badge--offer">Offer<' in html
    assert f'href="{reverse("listing_detail", args=[listing.pk])}"' in html
    assert f'href="{reverse("profile_detail", args=[owner.pk])}">Grace Hopper</a>' in html
    assert "Statistician" in html
    assert "Leeds Teaching Hospitals" in html
    assert "Clinical effectiveness" in html
    assert "<li>Survival analysis</li>" in html
    assert "<li>R programming</li>" in html
    assert "1.5 hours (1.5 credits)" in html
    assert "In person · Leeds General Infirmary" in html
    assert "Better evidence on readmissions for the frailty team." in html
    assert "English, Welsh" in html


def test_a_request_is_labelled_as_one(signed_in, make_listing, other_member):
    make_listing(other_member, title="Help me", kind=Listing.Kind.REQUEST)

    html = browse(signed_in).content.decode()

    assert 'class="badge badge--request">Request<' in html
    assert "Requested by" in html


def test_the_page_links_to_posting_and_loads_htmx_from_static(signed_in):
    html = browse(signed_in).content.decode()

    assert f'href="{reverse("listing_create", args=["offer"])}"' in html
    assert f'href="{reverse("listing_create", args=["request"])}"' in html
    assert re.search(r'<script src="[^"]*django_htmx/htmx-2\.min\.js" defer></script>', html)
    assert 'role="search"' in html
    assert 'aria-live="polite"' in html
    for name in ("q", "kind", "category", "skill", "area", "organisation_kind", "format"):
        assert f'<label for="id_{name}">' in html, name


# --- Search --------------------------------------------------------------------------


def test_an_empty_query_lists_everything_open(signed_in, make_listing, other_member):
    for n in range(3):
        make_listing(other_member, title=f"Listing {n}")

    assert len(shown(browse(signed_in, q=""))) == 3
    assert len(shown(browse(signed_in, q="   "))) == 3


def test_search_finds_prefixes_of_every_word_best_first(signed_in, make_listing, other_member):
    weaker = make_listing(
        other_member,
        title="Help with a poster",
        description="We could add a funnel plot.",
        skills=["teaching"],
    )
    make_listing(
        other_member,
        title="Funnel plots explained",
        description="Why a funnel plot beats a league table.",
        skills=["teaching"],
    )
    make_listing(other_member, title="Something else", skills=["teaching"])
    Listing.objects.filter(pk=weaker.pk).update(created_at=timezone.now() + timedelta(hours=1))

    response = browse(signed_in, q="funn pl")

    assert shown(response) == ["Funnel plots explained", "Help with a poster"]
    assert "2 open listings found." in response.content.decode()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_search_text_is_harmless(signed_in, make_listing, other_member, text):
    make_listing(other_member)

    response = browse(signed_in, q=text)

    assert "<html" in response.content.decode()


def test_no_match_says_so(signed_in, make_listing, other_member):
    make_listing(other_member)

    html = browse(signed_in, q="zebra").content.decode()

    assert shown(browse(signed_in, q="zebra")) == []
    assert "No open listings match." in html


# --- Filters -------------------------------------------------------------------------------


@pytest.fixture
def variety(make_listing, make_member):
    """Five open listings that differ in every filtered way."""
    charity = OrganisationFactory(name="Carers Together", kind=Organisation.Kind.CHARITY)
    council = OrganisationFactory(name="Kirklees Council", kind=Organisation.Kind.LOCAL_AUTHORITY)
    at_charity = make_member(display_name="Chidi Charity", organisation=charity)
    at_council = make_member(display_name="Cara Council", organisation=council)
    make_listing(
        at_charity,
        title="Survival analysis",
        skills=["survival-analysis"],
        area="research",
        format=Format.REMOTE,
        languages=["English", "Français"],
    )
    make_listing(
        at_charity,
        title="Run charts",
        kind=Listing.Kind.REQUEST,
        skills=["run-charts"],
        area="patient-safety",
        format=Format.IN_PERSON,
        languages=["welsh"],
    )
    make_listing(
        at_council,
        title="Mentoring",
        skills=["mentoring"],
        area="staff-wellbeing",
        format=Format.EITHER,
        languages=["English"],
    )
    make_listing(
        at_council,
        title="Medical statistics",
        kind=Listing.Kind.REQUEST,
        skills=["medical-statistics", "mentoring"],
        area="research",
        format=Format.REMOTE,
    )
    make_listing(at_council, title="Nothing much", skills=[], area="digital", format=Format.REMOTE)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "offer"}, {"Survival analysis", "Mentoring", "Nothing much"}),
        ({"kind": "request"}, {"Run charts", "Medical statistics"}),
        ({"category": "data-and-statistics"}, {"Survival analysis", "Medical statistics"}),
        ({"category": "coaching-and-mentoring"}, {"Mentoring", "Medical statistics"}),
        ({"skill": "mentoring"}, {"Mentoring", "Medical statistics"}),
        ({"skill": "run-charts"}, {"Run charts"}),
        ({"area": "research"}, {"Survival analysis", "Medical statistics"}),
        ({"organisation_kind": "charity"}, {"Survival analysis", "Run charts"}),
        (
            {"organisation_kind": "local_authority"},
            {"Mentoring", "Medical statistics", "Nothing much"},
        ),
        ({"organisation_kind": "university"}, set()),
        (
            {"format": "remote"},
            {"Survival analysis", "Mentoring", "Medical statistics", "Nothing much"},
        ),
        ({"format": "in_person"}, {"Run charts", "Mentoring"}),
        ({"language": "english"}, {"Survival analysis", "Mentoring"}),
        ({"language": "WELSH"}, {"Run charts"}),
        ({"language": "français"}, {"Survival analysis"}),
        ({"language": "FRANÇAIS"}, {"Survival analysis"}),
        ({"language": "Engl"}, set()),  # a whole language, not part of one
        ({"kind": "request", "area": "research", "format": "remote"}, {"Medical statistics"}),
        ({"q": "statistics", "organisation_kind": "local_authority"}, {"Medical statistics"}),
    ],
)
def test_each_filter_narrows_the_list(signed_in, variety, params, expected):
    assert set(shown(browse(signed_in, **params))) == expected


def test_a_bad_filter_value_is_ignored_and_explained(signed_in, variety):
    response = browse(signed_in, skill="no-such-skill", kind="request")

    assert set(shown(response)) == {"Run charts", "Medical statistics"}
    assert "Select a valid choice" in response.content.decode()


def test_the_skill_list_is_grouped_by_category(signed_in):
    html = browse(signed_in).content.decode()

    assert '<optgroup label="Data and statistics">' in html
    assert '<option value="survival-analysis">Survival analysis</option>' in html


# --- Sorting ---------------------------------------------------------------------------------


@pytest.fixture
def three_ages(make_listing, other_member):
    now = timezone.now()
    for title, minutes, age in [("Old", 30, 3), ("Middle", 120, 2), ("New", 60, 1)]:
        listing = make_listing(other_member, title=f"{title} survival", estimated_minutes=minutes)
        Listing.objects.filter(pk=listing.pk).update(created_at=now - timedelta(days=age))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["New survival", "Middle survival", "Old survival"]),
        ({"sort": "newest"}, ["New survival", "Middle survival", "Old survival"]),
        ({"sort": "oldest"}, ["Old survival", "Middle survival", "New survival"]),
        ({"sort": "shortest"}, ["Old survival", "New survival", "Middle survival"]),
        ({"sort": "relevance"}, ["New survival", "Middle survival", "Old survival"]),
        ({"q": "survival", "sort": "oldest"}, ["Old survival", "Middle survival", "New survival"]),
        (
            {"q": "survival", "sort": "shortest"},
            ["Old survival", "New survival", "Middle survival"],
        ),
        ({"q": "surv"}, ["New survival", "Middle survival", "Old survival"]),
    ],
)
def test_sort_orders(signed_in, three_ages, params, expected):
    assert shown(browse(signed_in, **params)) == expected


def test_relevance_is_the_default_when_searching(signed_in, make_listing, other_member):
    best = make_listing(other_member, title="Mentoring", description="Mentoring for mentors.")
    newest = make_listing(other_member, title="Coaching", description="Some mentoring too.")
    Listing.objects.filter(pk=best.pk).update(created_at=newest.created_at - timedelta(days=9))

    assert shown(browse(signed_in, q="mentoring")) == ["Mentoring", "Coaching"]
    assert shown(browse(signed_in, q="mentoring", sort="newest")) == ["Coaching", "Mentoring"]


# --- Pages ---------------------------------------------------------------------------------


def test_twenty_a_page_keeping_the_filters(signed_in, make_listing, other_member):
    for n in range(25):
        make_listing(other_member, title=f"Survival {n:02}")
    make_listing(other_member, title="Unrelated", skills=[])

    first = browse(signed_in, q="survival", sort="oldest")
    second = browse(signed_in, q="survival", sort="oldest", page=2)

    assert shown(first) == [f"Survival {n:02}" for n in range(20)]
    assert shown(second) == [f"Survival {n:02}" for n in range(20, 25)]
    html = first.content.decode()
    assert 'href="?q=survival&amp;sort=oldest&amp;page=2" rel="next"' in html
    assert "25 open listings found. Showing 1 to 20." in html
    assert 'rel="prev"' in second.content.decode()


def test_a_page_past_the_end_shows_the_last(signed_in, make_listing, other_member):
    make_listing(other_member)

    assert len(shown(browse(signed_in, page=99))) == 1
    assert len(shown(browse(signed_in, page="nonsense"))) == 1


def _next_link(response) -> str:
    found = re.search(r'<a href="\?([^"]*)" rel="next"', response.content.decode())
    assert found, "no next link"
    return found.group(1).replace("&amp;", "&")


def test_past_the_numbered_pages_links_carry_a_cursor(
    signed_in, make_listing, other_member, monkeypatch
):
    monkeypatch.setattr("equitime.core.paging.COUNT_CAP", 40)  # numbers reach two pages of 20
    for n in range(65):
        make_listing(other_member, title=f"Survival {n:02}")

    pages = [browse(signed_in, sort="oldest")]
    while 'rel="next"' in pages[-1].content.decode():
        pages.append(signed_in.get(f"{URL}?{_next_link(pages[-1])}"))

    assert [title for page in pages for title in shown(page)] == [
        f"Survival {n:02}" for n in range(65)
    ]
    assert "page=2" in _next_link(pages[0]) and "cursor=" in _next_link(pages[1])
    deep = pages[2].content.decode()
    assert "More than 40 open listings found." in deep
    assert "First page" in deep and 'rel="prev"' in deep


def test_a_mangled_cursor_shows_the_first_page(signed_in, make_listing, other_member):
    make_listing(other_member, title="Survival analysis")

    response = browse(signed_in, cursor="not-a-cursor")

    assert response.status_code == 200
    assert shown(response) == ["Survival analysis"]


# --- htmx ---------------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_results(signed_in, make_listing, other_member):
    make_listing(other_member)

    response = signed_in.get(URL, {"q": "survival"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Survival analysis in R" in html
    assert '<p id="result-count" hx-swap-oob="innerHTML">1 open listing found.</p>' in html
    assert "HX-Request" in response["Vary"]


def test_a_normal_request_gets_the_whole_page(signed_in, make_listing, other_member):
    make_listing(other_member)

    html = browse(signed_in).content.decode()

    assert "<html" in html
    assert 'hx-get="/listings/"' in html
    assert 'hx-target="#results"' in html
    assert 'hx-push-url="true"' in html
    assert "hx-swap-oob" not in html


def test_htmx_history_restore_gets_the_whole_page(signed_in):
    response = signed_in.get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


# --- Queries ------------------------------------------------------------------------------


def count_queries(client, params):
    client.get(URL, params)  # the cached taxonomy and menu are read once, then kept
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize(
    "params",
    [{}, {"q": "survival analysis"}, {"category": "data-and-statistics", "language": "english"}],
)
def test_queries_do_not_grow_with_listings(signed_in, make_listing, make_member, params):
    def add(n):
        for i in range(n):
            owner = make_member(organisation=OrganisationFactory(), profession=f"Job {i}")
            make_listing(
                owner,
                title=f"Survival analysis {i}",
                skills=["survival-analysis", "medical-statistics", "r-programming"],
                languages=["English"],
                place="Leeds",
            )

    add(3)
    few = count_queries(signed_in, params)
    add(27)
    many = count_queries(signed_in, params)

    assert few == many


def test_cards_are_drawn_afresh_when_anything_on_them_changes(
    signed_in, make_listing, other_member
):
    """Cards are cached, keyed by everything they show."""
    from equitime.listings.services import listing_update
    from equitime.members.services import profile_update

    listing = make_listing(other_member, title="Run charts for ward teams")
    assert "Run charts for ward teams" in browse(signed_in).content.decode()

    profile_update(member=other_member, display_name="Dr Ben Carter-Jones")
    assert "Dr Ben Carter-Jones" in browse(signed_in).content.decode()  # the listing is unchanged

    listing_update(
        listing=Listing.objects.get(pk=listing.pk),
        member=other_member,
        **{**_service_fields(listing), "title": "Run charts for every ward"},
    )
    html = browse(signed_in).content.decode()

    assert "Dr Ben Carter-Jones" in html
    assert "Run charts for every ward" in html
    assert "Run charts for ward teams" not in html


def _service_fields(listing) -> dict:
    from equitime.listings.forms import ListingForm

    form = ListingForm(ListingForm.initial_from(listing))
    assert form.is_valid(), form.errors
    return form.service_fields()


def test_the_cached_filters_show_a_renamed_skill_at_once(signed_in):
    assert "Survival analysis" in browse(signed_in).content.decode()

    Skill.objects.filter(slug="survival-analysis").update(name="Time-to-event analysis")
    Skill.objects.get(slug="survival-analysis").save()  # as admin saves it: the taxonomy is new

    html = browse(signed_in).content.decode()
    assert "Time-to-event analysis" in html
    assert ">Survival analysis<" not in html


def test_counts_follow_every_change_of_status(signed_in, make_listing, other_member):
    """Browse counts are cached under the listings' generation, which every service moves on."""
    from equitime.listings.services import listing_resume

    listing = make_listing(other_member, title="Run charts")
    make_listing(other_member, title="Audit")
    assert "2 open listings found." in browse(signed_in).content.decode()

    listing_pause(listing=listing, member=other_member)
    assert "1 open listing found." in browse(signed_in).content.decode()

    listing_resume(listing=Listing.objects.get(pk=listing.pk), member=other_member)
    assert "2 open listings found." in browse(signed_in).content.decode()
