"""The members directory: who is here, searchable and filterable."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equitime.members.models import Member, Organisation
from equitime.members.tests.factories import OrganisationFactory
from equitime.skills.models import Skill

pytestmark = pytest.mark.django_db

URL = reverse("member_directory")


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def names(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="member-card__name"><a href="[^"]+">([^<]+)</a>', html)


def directory(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def with_skills(member, *slugs):
    member.profile.skills.set(Skill.objects.filter(slug__in=slugs))
    return member


@pytest.fixture
def people(make_member):
    """Three colleagues who differ in every searchable way."""
    charity = OrganisationFactory(name="Carers Together", kind=Organisation.Kind.CHARITY)
    trust = OrganisationFactory(name="Leeds Teaching Hospitals", kind=Organisation.Kind.NHS_TRUST)
    with_skills(
        make_member(
            display_name="Grace Hopper",
            organisation=trust,
            profession="Statistician",
            division="Research office",
            skills_offered=["Kaplan-Meier curves", "Café chats"],
        ),
        "survival-analysis",
    )
    with_skills(
        make_member(
            display_name="Chidi Anagonye",
            organisation=charity,
            profession="Carer support lead",
            division="Wellbeing team",
            skills_offered=["peer listening"],
            country="NG",
        ),
        "mentoring",
        "peer-support",
    )
    make_member(display_name="Zoe Blank")


# --- Permissions ----------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={URL}"


# --- What is shown -----------------------------------------------------------------------


def test_lists_active_members_by_family_name(signed_in, people, make_member):
    gone = make_member(display_name="Aaron Away")
    Member.objects.filter(pk=gone.pk).update(is_active=False)

    assert names(directory(signed_in)) == [
        "Chidi Anagonye",
        "Zoe Blank",
        "Grace Hopper",
        "Amina Okafor",
    ]


def test_a_login_without_a_profile_is_not_listed(signed_in, people):
    Member.objects.create_user(email="root@example.org", display_name="Root", password="x")

    assert "Root" not in names(directory(signed_in))


def test_a_card_shows_who_they_are_and_what_they_offer(signed_in, people):
    grace = Member.objects.get(display_name="Grace Hopper")

    html = directory(signed_in).content.decode()

    assert f'href="{reverse("profile_detail", args=[grace.pk])}">Grace Hopper</a>' in html
    assert "Statistician · Research office" in html
    assert "Leeds Teaching Hospitals (NHS trust)" in html
    assert "Carers Together (Charity or voluntary organisation)" in html
    assert "Nigeria" in html
    assert "<li>Survival analysis</li>" in html
    assert "<li>Kaplan-Meier curves</li>" in html
    assert "<li>Peer support</li>" in html


def test_the_page_has_a_labelled_search_form_and_htmx(signed_in):
    html = directory(signed_in).content.decode()

    assert 'role="search"' in html
    assert 'aria-live="polite"' in html
    for name in ("q", "organisation_kind", "category"):
        assert f'<label for="id_{name}">' in html, name
    assert re.search(r'<script src="[^"]*django_htmx/htmx-2\.min\.js" defer></script>', html)


# --- Search and filters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("grace", ["Grace Hopper"]),  # name
        ("HOPPER", ["Grace Hopper"]),
        ("statistic", ["Grace Hopper"]),  # profession
        ("wellbeing", ["Chidi Anagonye"]),  # division
        ("carers", ["Chidi Anagonye"]),  # organisation
        ("survival", ["Grace Hopper"]),  # taxonomy skill
        ("peer", ["Chidi Anagonye"]),  # both kinds of skill
        ("kaplan", ["Grace Hopper"]),  # free-text skill
        ("café", ["Grace Hopper"]),  # free-text skill, not ASCII
        ("leeds survival", ["Grace Hopper"]),  # words may match different fields
        ("leeds mentoring", []),  # but every word must match
        ("", ["Chidi Anagonye", "Zoe Blank", "Grace Hopper", "Amina Okafor"]),
        ("zzz", []),
    ],
)
def test_search(signed_in, people, q, expected):
    assert names(directory(signed_in, q=q)) == expected


@pytest.mark.parametrize(
    "text", ["'\"; DROP TABLE members_member; --", "%", "_", "*", "\\", "x" * 10_000]
)
def test_hostile_search_text_is_harmless(signed_in, people, text):
    response = directory(signed_in, q=text)

    assert "<html" in response.content.decode()
    assert Member.objects.count() == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"organisation_kind": "charity"}, ["Chidi Anagonye"]),
        ({"organisation_kind": "nhs_trust"}, ["Grace Hopper"]),
        ({"organisation_kind": "university"}, []),
        ({"category": "data-and-statistics"}, ["Grace Hopper"]),
        ({"category": "wellbeing"}, ["Chidi Anagonye"]),
        ({"category": "wellbeing", "organisation_kind": "nhs_trust"}, []),
        ({"category": "wellbeing", "q": "chidi"}, ["Chidi Anagonye"]),
    ],
)
def test_filters_narrow_the_list(signed_in, people, params, expected):
    assert names(directory(signed_in, **params)) == expected


def test_a_member_with_many_skills_in_a_category_is_listed_once(signed_in, make_member):
    with_skills(make_member(display_name="Multi Skilled"), "python", "sql", "r-programming")

    assert names(directory(signed_in, category="digital-and-coding")) == ["Multi Skilled"]
    assert names(directory(signed_in, q="python sql")) == ["Multi Skilled"]


def test_a_free_text_skill_that_repeats_a_taxonomy_one_is_shown_once(signed_in, make_member):
    with_skills(make_member(skills_offered=["run CHARTS", "huddles", "Huddles"]), "run-charts")

    html = directory(signed_in).content.decode()

    assert html.count("<li>Run charts</li>") == 1
    assert "<li>run CHARTS</li>" not in html
    # Written as the taxonomy writes its names: a capital first letter.
    assert html.count("<li>Huddles</li>") == 1
    assert "<li>huddles</li>" not in html


def test_a_bad_filter_value_is_ignored_and_explained(signed_in, people):
    response = directory(signed_in, category="nope", organisation_kind="charity")

    assert names(response) == ["Chidi Anagonye"]
    assert "Select a valid choice" in response.content.decode()


# --- Pages and htmx ------------------------------------------------------------------------------


def test_twenty_four_a_page_keeping_the_search(signed_in, make_member):
    for n in range(30):
        make_member(display_name=f"Nurse {n:02}", profession="Nurse")

    first = directory(signed_in, q="nurse")
    second = directory(signed_in, q="nurse", page=2)

    assert names(first) == [f"Nurse {n:02}" for n in range(24)]
    assert names(second) == [f"Nurse {n:02}" for n in range(24, 30)]
    assert 'href="?q=nurse&amp;page=2" rel="next"' in first.content.decode()
    assert "30 members found. Showing 1 to 24." in first.content.decode()


def test_an_htmx_request_gets_only_the_results(signed_in, people):
    response = signed_in.get(URL, {"q": "grace"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html
    assert names(response) == ["Grace Hopper"]
    assert '<p id="result-count" hx-swap-oob="innerHTML">1 member found.</p>' in html
    assert "HX-Request" in response["Vary"]


def test_a_normal_request_gets_the_whole_page(signed_in, people):
    html = directory(signed_in, q="grace").content.decode()

    assert "<html" in html
    assert 'hx-target="#results"' in html
    assert "hx-swap-oob" not in html


# --- Queries ---------------------------------------------------------------------------------


def count_queries(client, params):
    client.get(URL, params)  # the cached taxonomy and menu are read once, then kept
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("params", [{}, {"q": "nurse leeds"}, {"category": "data-and-statistics"}])
def test_queries_do_not_grow_with_members(signed_in, make_member, params):
    def add(n):
        for i in range(n):
            member = make_member(
                display_name=f"Nurse {i}",
                profession="Nurse",
                division="Leeds",
                organisation=OrganisationFactory(),
                skills_offered=["phlebotomy"],
            )
            with_skills(member, "survival-analysis", "medical-statistics")

    add(3)
    few = count_queries(signed_in, params)
    add(27)
    many = count_queries(signed_in, params)

    assert few == many


def test_cached_cards_show_a_changed_profile_at_once(signed_in, make_member):
    from equitime.members.services import profile_update

    colleague = make_member(display_name="Chidi Obi", profession="Pharmacist")
    assert "Pharmacist" in directory(signed_in).content.decode()

    profile_update(
        member=colleague, display_name="Dr Chidi Obi", profession="Consultant pharmacist"
    )
    html = directory(signed_in).content.decode()

    assert "Dr Chidi Obi" in html and "Consultant pharmacist" in html
