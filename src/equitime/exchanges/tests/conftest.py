import pytest

from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.skills.models import ImprovementArea, Skill


@pytest.fixture
def area(db):
    return ImprovementArea.objects.get(slug="patient-safety")


@pytest.fixture
def make_listing(area):
    def make(owner, kind=Listing.Kind.OFFER, minutes=60, **fields):
        fields.setdefault("title", "Survival analysis in R")
        fields.setdefault("description", "I can walk you through Kaplan-Meier curves.")
        fields.setdefault("benefit", "Better evidence on readmissions for the frailty team.")
        return listing_create(
            owner=owner,
            kind=kind,
            improvement_area=area,
            estimated_minutes=minutes,
            format=Format.REMOTE,
            skills=[Skill.objects.get(slug="survival-analysis")],
            **fields,
        )

    return make


@pytest.fixture
def provider(make_member):
    return make_member(display_name="Priya Provider")


@pytest.fixture
def receiver(make_member):
    return make_member(display_name="Rob Receiver")


@pytest.fixture
def stranger(make_member):
    return make_member(display_name="Sam Stranger")


@pytest.fixture
def moderator(make_member):
    from django.contrib.auth.models import Permission

    member = make_member(display_name="Mo Moderator")
    member.user_permissions.add(Permission.objects.get(codename="resolve_dispute"))
    return type(member).objects.get(pk=member.pk)


@pytest.fixture
def offer(make_listing, provider):
    return make_listing(provider)
