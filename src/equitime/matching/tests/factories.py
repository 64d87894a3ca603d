"""Matching test data: a request and colleagues whose profiles match it."""

from equitime.listings.models import Format, Listing
from equitime.listings.tests.factories import listing
from equitime.members.models import Profile
from equitime.members.tests.factories import OrganisationFactory, make_member
from equitime.skills.models import Skill


def colleague(
    name: str,
    *,
    skills=(),
    offered=(),
    organisation=None,
    profession: str = "",
    preference: str = Profile.Preference.EITHER,
    **member_fields,
):
    """A member whose profile lists ``skills`` (slugs) and ``offered`` (own words)."""
    member = make_member(display_name=name, **member_fields)
    profile = member.profile
    profile.organisation = organisation or OrganisationFactory()
    profile.profession = profession
    profile.preference = preference
    profile.skills_offered = list(offered)
    profile.save()
    profile.skills.set(Skill.objects.filter(slug__in=skills))
    return type(member).objects.get(pk=member.pk)


def a_request(owner=None, *, skills=("medical-statistics",), **fields) -> Listing:
    fields.setdefault("title", "Help with a sample size calculation")
    fields.setdefault("description", "We are planning an audit of falls and need statistics.")
    fields.setdefault("format", Format.REMOTE)
    return listing(owner, Listing.Kind.REQUEST, skills=skills, **fields)
