"""The ranking: who is left out (each rule), what orders the rest, and its reasons."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from equitime.exchanges.services import exchange_propose_from_listing
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.models import Listing
from equitime.listings.tests.factories import listing
from equitime.matching import ranking
from equitime.matching.services import suggestion_settings_update
from equitime.matching.tests.factories import a_request, colleague
from equitime.members import roles
from equitime.members.models import Member, Profile
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import OrganisationFactory
from equitime.moderation.services import member_suspend

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(name="Northshire Trust")


@pytest.fixture
def poster(org):
    return colleague(
        "Pat Poster", organisation=org, profession="Nurse", skills=["medical-statistics"]
    )


@pytest.fixture
def request_(poster):
    return a_request(poster)


def ranked(request_) -> list[Member]:
    return [s.member for s in ranking.rank_helpers(request_, limit=50)]


def test_a_member_with_the_skill_is_suggested_with_the_reason(request_):
    helper = colleague("Sam Stats", skills=["medical-statistics"], profession="Statistician")
    [suggestion] = ranking.rank_helpers(request_)
    assert suggestion.member == helper
    assert "Offers Medical statistics" in suggestion.reasons
    assert "Different organisation" in suggestion.reasons
    assert "Different profession" in suggestion.reasons


def test_own_words_count_too(request_):
    helper = colleague("Wendy Words", offered=["sample size and power calculations"])
    [suggestion] = ranking.rank_helpers(request_)
    assert suggestion.member == helper
    assert any("sample" in reason or "calculation" in reason for reason in suggestion.reasons)


def test_nobody_relevant_is_suggested_for_bonuses_alone(request_):
    colleague("Una Unrelated", skills=["mentoring"], profession="Porter")
    assert ranked(request_) == []


def test_the_poster_is_never_suggested(request_, poster):
    assert poster not in ranked(request_)


def test_a_suspended_member_is_not_suggested(request_):
    helper = colleague("Sue Spended", skills=["medical-statistics"])
    moderator = member_role_grant(member=colleague("Mo"), role=roles.MODERATOR, by=None)
    member_suspend(member=helper, by=moderator, reason="Money talk.")
    assert helper not in ranked(request_)


def test_an_inactive_member_is_not_suggested(request_):
    helper = colleague("Ina Active", skills=["medical-statistics"])
    Member.objects.filter(pk=helper.pk).update(is_active=False)
    assert helper not in ranked(request_)


def test_staff_are_not_suggested(request_):
    helper = colleague("Stef Staff", skills=["medical-statistics"])
    Member.objects.filter(pk=helper.pk).update(is_staff=True)
    assert helper not in ranked(request_)


def test_a_member_not_seen_for_long_is_not_suggested(request_):
    helper = colleague("Long Gone", skills=["medical-statistics"])
    long_ago = timezone.now() - ranking.INACTIVE_AFTER - timedelta(days=1)
    Member.objects.filter(pk=helper.pk).update(date_joined=long_ago, last_login=long_ago)
    assert helper not in ranked(request_)
    Member.objects.filter(pk=helper.pk).update(last_login=timezone.now())
    assert helper in ranked(request_)


def test_a_member_seen_only_through_an_exchange_is_suggested(request_):
    helper = colleague("Ex Change", skills=["medical-statistics"])
    long_ago = timezone.now() - ranking.INACTIVE_AFTER - timedelta(days=1)
    Member.objects.filter(pk=helper.pk).update(date_joined=long_ago, last_login=long_ago)
    assert helper not in ranked(request_)
    earlier = a_request(colleague("Earl Ier"), title="An earlier request")
    exchange_propose_from_listing(listing=earlier, member=helper, minutes=60)
    [suggestion] = ranking.rank_helpers(request_)
    assert suggestion.member == helper
    assert "Active recently" in suggestion.reasons


def test_places_left_by_the_excluded_go_to_the_next_most_relevant(request_, monkeypatch):
    monkeypatch.setattr(ranking, "MAX_CANDIDATES", 2)  # a first slice of two
    first, second, third, fourth = (
        colleague(f"Cand {n}", skills=["medical-statistics"]) for n in range(4)
    )
    suggestion_settings_update(member=first, suggestable=False)
    Member.objects.filter(pk=second.pk).update(is_active=False)
    assert ranked(request_) == [third, fourth]


def test_a_member_who_opted_out_is_not_suggested(request_):
    helper = colleague("Opal Out", skills=["medical-statistics"])
    suggestion_settings_update(member=helper, suggestable=False)
    assert helper not in ranked(request_)
    suggestion_settings_update(member=helper, suggestable=True)
    assert helper in ranked(request_)


def test_ordering_skill_beats_words_and_crossing_organisations_wins_a_tie(request_, org):
    same_org = colleague("Sally Same", skills=["medical-statistics"], organisation=org)
    other_org = colleague("Otto Other", skills=["medical-statistics"])
    words = colleague("Wes Words", offered=["statistics"])
    assert ranked(request_) == [other_org, same_org, words]


def test_past_help_in_the_skills_raises_a_member(request_):
    plain = colleague("Paula Plain", skills=["medical-statistics"])
    helped = colleague("Harry Helped", skills=["medical-statistics"])
    for n in range(2):
        earlier = a_request(colleague(f"Earlier {n}"), title=f"Earlier request {n}")
        exchange_at(
            "completed",
            exchange=exchange_propose_from_listing(listing=earlier, member=helped, minutes=60),
        )
    suggestions = ranking.rank_helpers(request_)
    assert [s.member for s in suggestions] == [helped, plain]
    assert "Helped 2 colleagues with these skills" in suggestions[0].reasons


def test_help_on_this_very_request_is_not_counted(request_):
    helper = colleague("Ada Answer", skills=["medical-statistics"])
    exchange_at(
        "completed",
        exchange=exchange_propose_from_listing(listing=request_, member=helper, minutes=60),
    )
    [suggestion] = ranking.rank_helpers(request_)
    assert not any(reason.startswith("Helped") for reason in suggestion.reasons)


def test_a_clashing_format_is_said_and_ranks_lower(request_):
    in_person = colleague(
        "Ida Person", skills=["medical-statistics"], preference=Profile.Preference.IN_PERSON
    )
    remote = colleague("Rémy Remote", skills=["medical-statistics"])
    suggestions = ranking.rank_helpers(request_)
    assert [s.member for s in suggestions] == [remote, in_person]
    assert "Prefers another format" in suggestions[1].reasons


def test_queries_do_not_grow_with_the_candidates(request_):
    for n in range(3):
        colleague(f"Few {n}", skills=["medical-statistics"])
    with CaptureQueriesContext(connection) as few:
        ranking.rank_helpers(request_)
    for n in range(12):
        colleague(f"Many {n}", skills=["medical-statistics"], offered=["statistics"])
    with CaptureQueriesContext(connection) as many:
        assert len(ranking.rank_helpers(request_, limit=20)) == 15
    assert len(many) == len(few) <= 12


def test_score_is_pure_and_says_why():
    value, reasons = ranking.score(
        ranking.Evidence(
            skills=["Run charts"],
            helped_in_area=3,
            area_name="Patient safety",
            other_organisation=True,
        )
    )
    assert value > 0
    assert reasons == [
        "Offers Run charts",
        "Helped 3 colleagues with Patient safety",
        "Different organisation",
    ]
    assert ranking.score(ranking.Evidence(other_organisation=True, thanks=5)) == (0.0, [])


def test_offers_are_not_ranked_as_requests(poster):
    offer = listing(poster, Listing.Kind.OFFER, skills=["medical-statistics"])
    colleague("Sam Stats", skills=["medical-statistics"])
    # The ranking answers for any listing; the page shows it on requests only.
    assert offer.kind == Listing.Kind.OFFER
