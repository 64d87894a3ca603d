"""The search behind the colleague picker: members only, by the start of a
name or family name, never staff, suspended members or the asker."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equitime.members import roles
from equitime.members.models import Member
from equitime.members.selectors import _prefix, colleagues_named, members_listed
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import OrganisationFactory
from equitime.moderation.services import member_suspend

pytestmark = pytest.mark.django_db

URL = reverse("colleague_search")


def search(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def names(body) -> list[str]:
    return [item["name"] for item in body["results"]]


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def test_url_is_wired():
    assert URL == "/members/search/"


def test_a_visitor_who_is_not_signed_in_gets_401_and_no_names(client, make_member):
    make_member(display_name="Wei Zhang")

    response = client.get(URL, {"q": "wei"})

    assert response.status_code == 401
    assert "Wei" not in response.content.decode()


def test_finds_by_the_start_of_a_name_or_family_name(signed_in, make_member):
    org = OrganisationFactory(name="Ashworth University")
    wei = make_member(display_name="Dr Wei Zhang", profession="Statistician", organisation=org)
    make_member(display_name="Weronika Nowak")
    make_member(display_name="Zhu Lin")

    assert names(search(signed_in, "wei")) == ["Dr Wei Zhang"]
    assert names(search(signed_in, "ZHA")) == ["Dr Wei Zhang"]
    assert names(search(signed_in, "we")) == ["Weronika Nowak", "Dr Wei Zhang"]
    assert names(search(signed_in, "dr wei z")) == ["Dr Wei Zhang"]
    assert names(search(signed_in, "ei")) == []  # the start of a word, not the middle
    body = search(signed_in, "wei")
    assert body["results"] == [
        {"id": wei.pk, "name": "Dr Wei Zhang", "detail": "Statistician · Ashworth University"}
    ]
    assert body["summary"] == "1 colleague found. Use the down arrow to choose."


def test_accents_do_not_matter(signed_in, make_member):
    make_member(display_name="Siobhán Ní Bhriain")

    assert names(search(signed_in, "siobhan")) == ["Siobhán Ní Bhriain"]
    assert names(search(signed_in, "SIOBHÁN")) == ["Siobhán Ní Bhriain"]


def test_never_staff_suspended_inactive_or_yourself(signed_in, member, make_member):
    make_member(display_name="Amina Staff")
    Member.objects.filter(display_name="Amina Staff").update(is_staff=True)
    make_member(display_name="Amina Root")
    Member.objects.filter(display_name="Amina Root").update(is_superuser=True)
    suspended = make_member(display_name="Amina Suspended")
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    member_suspend(member=suspended, by=moderator, reason="Spam.")
    make_member(display_name="Amina Closed")
    Member.objects.filter(display_name="Amina Closed").update(is_active=False)
    make_member(display_name="Amina Bello")

    assert member.display_name == "Amina Okafor"
    assert names(search(signed_in, "amina")) == ["Amina Bello"]


def test_at_most_ten_by_family_name(signed_in, make_member):
    for letter in "lkjihgfedcba":
        make_member(display_name=f"Kim {letter.upper()}oe")

    body = search(signed_in, "kim")

    assert names(body) == [f"Kim {letter.upper()}oe" for letter in "abcdefghij"]
    assert body["summary"] == "10 colleagues found. Use the down arrow to choose."


@pytest.mark.parametrize("q", ["", "   ", "%", "_", "'", "\\"])
def test_nothing_to_search_for_finds_nobody(signed_in, make_member, q):
    make_member(display_name="Wei Zhang")

    body = search(signed_in, q)

    assert body["results"] == []
    assert body["summary"] == "No colleague has a name that starts like this."


def test_one_query_answers_a_search(signed_in, make_member):
    for n in range(5):
        make_member(display_name=f"Pat Member{n}", organisation=OrganisationFactory())
    signed_in.get(URL, {"q": "warm"})  # the session and the user, once

    with CaptureQueriesContext(connection) as queries:
        body = search(signed_in, "pat")

    assert len(body["results"]) == 5
    reads = [q["sql"] for q in queries.captured_queries if "members_member" in q["sql"]]
    # The session's user, then one search that brings profiles and organisations along.
    assert len(reads) <= 2, reads


def test_the_search_uses_an_index_not_a_scan(member):
    query = members_listed().filter(_prefix("search_name", "wei") | _prefix("sort_name", "wei"))
    if connection.vendor == "postgresql":
        # A test's table is tiny, and read whole; forbid that to see the index is usable.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = query.order_by("sort_name", "id")[:10].explain()

    assert "member_name_prefix" in plan, plan
    assert "member_sort_prefix" in plan, plan
    assert "SCAN members_member" not in plan, plan  # SQLite's word for reading it all
    assert "Seq Scan on members_member" not in plan, plan


def test_too_many_searches_are_refused_for_a_while(signed_in, settings, monkeypatch):
    from equitime.members import picker

    monkeypatch.setattr(picker, "SEARCHES_PER_WINDOW", 3)
    for _ in range(3):
        assert signed_in.get(URL, {"q": "a"}).status_code == 200

    response = signed_in.get(URL, {"q": "a"})

    assert response.status_code == 429
    assert "Too many searches" in response.json()["detail"]


def test_the_search_is_not_cached_and_only_reads(signed_in):
    response = signed_in.get(URL, {"q": "a"})

    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert signed_in.post(URL, {"q": "a"}).status_code == 405


def test_colleagues_named_excludes_the_viewer(member, make_member):
    make_member(display_name="Amina Bello")

    assert [m.display_name for m in colleagues_named(text="amina", viewer=member)] == [
        "Amina Bello"
    ]
    assert len(colleagues_named(text="amina")) == 2
