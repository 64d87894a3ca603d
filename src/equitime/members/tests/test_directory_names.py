"""The directory by family name, titles aside; staff not listed as members;
initials without titles; free-text skills written like taxonomy ones."""

import re

import pytest
from django.urls import reverse

from equitime.members.models import Member
from equitime.members.services import profile_update

pytestmark = pytest.mark.django_db

URL = reverse("member_directory")


def names(client) -> list[str]:
    response = client.get(URL)
    assert response.status_code == 200
    return re.findall(
        r'class="member-card__name"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def test_members_sort_by_family_name_whatever_their_title(signed_in, make_member):
    for name in ("Dr Wei Zhang", "Prof Dana Adams", "Mrs Beth Young", "Carl Dawson"):
        make_member(display_name=name)

    assert names(signed_in) == [
        "Prof Dana Adams",
        "Carl Dawson",
        "Amina Okafor",
        "Mrs Beth Young",
        "Dr Wei Zhang",  # under Z, not D
    ]


def test_a_changed_name_sorts_by_its_new_family_name(signed_in, member, make_member):
    make_member(display_name="Carl Dawson")
    profile_update(member=member, display_name="Dr Amina Adeyemi")

    assert names(signed_in) == ["Dr Amina Adeyemi", "Carl Dawson"]
    member.refresh_from_db()
    assert (member.sort_name, member.search_name) == ("adeyemi amina", "amina adeyemi")


def test_staff_and_superusers_are_not_listed_as_members(signed_in, make_member):
    admin = make_member(display_name="Demo Administrator", email="admin@demo.equitime.org")
    Member.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    operator = make_member(display_name="Service Operator")
    Member.objects.filter(pk=operator.pk).update(is_staff=True)

    assert names(signed_in) == ["Amina Okafor"]


def test_a_superuser_made_by_createsuperuser_is_not_listed(signed_in):
    Member.objects.create_superuser(email="root@example.org", password="x", display_name="Root")

    assert names(signed_in) == ["Amina Okafor"]


def test_avatars_show_two_initials_without_titles(signed_in, make_member):
    make_member(display_name="Dr Wei Zhang")
    make_member(display_name="Madonna")

    html = signed_in.get(URL).content.decode()

    avatars = re.findall(
        r'<div class="avatar avatar--small" aria-hidden="true">([^<]*)</div>', html
    )
    assert sorted(avatars) == ["AO", "M", "WZ"]


def test_free_text_skills_look_like_taxonomy_skills(signed_in, make_member):
    make_member(display_name="Zed Skills", skills_offered=["survival analysis in R"])

    html = signed_in.get(URL).content.decode()

    card = html[html.index("Zed Skills") :]
    assert '<ul class="tags" aria-label="Skills">' in card
    assert "<li>Survival analysis in R</li>" in card


def test_the_migration_backfills_the_keys(make_member):
    import importlib

    from django.apps import apps

    wei = make_member(display_name="Dr Wei Zhang")
    Member.objects.filter(pk=wei.pk).update(sort_name="", search_name="")
    migration = importlib.import_module("equitime.members.migrations.0007_member_name_keys")

    migration.backfill(apps, None)

    wei.refresh_from_db()
    assert (wei.sort_name, wei.search_name) == ("zhang wei", "wei zhang")
