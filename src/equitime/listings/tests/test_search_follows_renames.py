"""A listing's search row holds names it does not own: its skills, their
category, its improvement area, its owner's name, profile and organisation.
Renaming any of them (in admin or anywhere else) re-indexes the listings that
name it (issue 10 §11); ``equitime rebuild_search_index`` rebuilds a damaged
index. Run on SQLite and PostgreSQL alike."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equitime.listings.freshness import listings_generation
from equitime.listings.models import Format, Listing
from equitime.listings.search import TABLE, listing_search, listing_search_index_count
from equitime.listings.services import listing_create
from equitime.members.services import profile_update
from equitime.members.tests.factories import OrganisationFactory
from equitime.skills.models import ImprovementArea, Skill, SkillCategory
from equitime.skills.selectors import taxonomy

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(member):
    return listing_create(
        owner=member,
        kind=Listing.Kind.OFFER,
        title="Help with a project",
        description="An hour or two, remote.",
        benefit="Better evidence on readmissions for the frailty team.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        estimated_minutes=60,
        format=Format.REMOTE,
        skills=[Skill.objects.get(slug="survival-analysis")],
    )


def found(text) -> list[Listing]:
    return list(listing_search(Listing.objects.all(), text))


def test_renaming_a_skill_reindexes_its_listings(listing):
    skill = Skill.objects.get(slug="survival-analysis")
    assert found("Kaplan") == []
    generation = listings_generation()
    version = taxonomy().version

    skill.name = "Kaplan-Meier estimation"
    skill.save()

    assert found("Kaplan Meier") == [listing]
    assert found("Survival") == []
    assert listings_generation() != generation
    assert taxonomy().version != version


def test_renaming_a_skill_category_and_an_improvement_area_reindexes(listing):
    category = Skill.objects.get(slug="survival-analysis").category
    category.name = "Biostatistique"
    category.save()
    area = ImprovementArea.objects.get(slug="patient-safety")
    area.name = "Harm reduction"
    area.save()

    assert found("Biostatistique") == [listing]
    assert found("harm reduction") == [listing]
    assert found("patient safety") == []


def test_renaming_an_organisation_reindexes_its_members_listings(member, listing):
    organisation = OrganisationFactory.create(name="Northbridge Hospitals Trust")
    profile_update(member=member, display_name=member.display_name, organisation=organisation)
    assert found("Northbridge") == [listing]

    organisation.name = "Southvale Health Partnership"
    organisation.save()

    assert found("Southvale") == [listing]
    assert found("Northbridge") == []


def test_an_owner_renamed_anywhere_is_found_by_the_new_name(member, listing):
    member.display_name = "Adaeze Nwosu"
    member.save()  # as admin or a shell would
    member.profile.profession = "Orthoptist"
    member.profile.save(update_fields=["profession"])

    assert found("Adaeze orthoptist") == [listing]
    assert found("Amina") == []


def test_a_sign_in_leaves_the_search_index_alone(member, listing):
    member.last_login = member.date_joined
    with CaptureQueriesContext(connection) as queries:
        member.save(update_fields=["last_login"])
    assert len(queries) == 1  # the UPDATE alone: nothing read to compare, nothing rebuilt


def test_moving_or_deleting_a_skill_reindexes(listing):
    skill = Skill.objects.get(slug="survival-analysis")
    other = SkillCategory.objects.create(name="Zymurgy", slug="zymurgy", position=99)

    skill.category = other
    skill.save()
    assert found("Zymurgy") == [listing]

    skill.delete()
    assert found("Survival") == []
    assert found("Zymurgy") == []


def test_saving_without_a_rename_rebuilds_nothing(listing):
    area = ImprovementArea.objects.get(slug="patient-safety")
    area.position += 1

    with CaptureQueriesContext(connection) as captured:
        area.save()

    assert not any(TABLE in query["sql"] for query in captured.captured_queries)


def test_a_rename_in_admin_is_found_at_once(client, make_member, listing):
    staff = make_member()
    staff.is_staff = staff.is_superuser = True
    staff.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(staff)
    skill = Skill.objects.get(slug="survival-analysis")

    response = client.post(
        reverse("admin:skills_skill_change", args=[skill.pk]),
        {"name": "Time-to-event modelling", "slug": skill.slug, "category": skill.category_id},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert found("time to event") == [listing]
    assert found("survival") == []


def test_rebuild_command_mends_a_damaged_index(listing, make_member):
    second = listing_create(
        owner=make_member(),
        kind=Listing.Kind.REQUEST,
        title="Run chart coaching",
        description="Need help with a run chart.",
        benefit="Fewer falls on the elderly care wards.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        estimated_minutes=60,
        format=Format.REMOTE,
    )
    key = "rowid" if connection.vendor == "sqlite" else "listing_id"
    with connection.cursor() as cursor:  # damage it behind the services' back
        cursor.execute(f"DELETE FROM {TABLE} WHERE {key} = %s", [listing.pk])
    Listing.objects.filter(pk=second.pk).update(title="Statistical process control")
    assert found("project") == []
    assert listing_search_index_count() == 1

    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert "2 listings indexed (1 rows before, 2 now)" in out.getvalue()
    assert found("project") == [listing]
    assert found("statistical process") == [Listing.objects.get(pk=second.pk)]
    assert found("coaching") == []
