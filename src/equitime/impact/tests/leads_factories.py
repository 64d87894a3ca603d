"""Test data for organisation leads: an organisation with members, an
administrator, a lead, and completed exchanges between them, all made through
the services as people's clicks would."""

from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.impact.leads import lead_appoint
from equitime.impact.models import OrganisationLead
from equitime.ledger.tests.factories import earn
from equitime.listings.tests.factories import listing
from equitime.members import roles
from equitime.members.models import Member, Organisation, Profile
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import OrganisationFactory, make_member


def organisation(name: str = "") -> Organisation:
    made: Organisation = OrganisationFactory.create(**({"name": name} if name else {}))
    return made


def admin() -> Member:
    made = member_role_grant(
        member=make_member(display_name="Ada Administrator"), role=roles.COMMUNITY_ADMIN, by=None
    )
    return Member.objects.get(pk=made.pk)  # permissions are cached on the object


def member_at(org: Organisation | None, name: str = "", *, named: bool = False) -> Member:
    fields = {"display_name": name} if name else {}
    made = make_member(organisation=org, **fields)
    if named:
        Profile.objects.filter(member=made).update(named_to_organisation_leads=True)
    return Member.objects.select_related("profile__organisation").get(pk=made.pk)


def lead_of(org: Organisation, *, by: Member | None = None, name: str = "Lena Lead") -> Member:
    lead = member_at(org, name)
    lead_appoint(member=lead, by=by or admin())
    return lead


def lead_row(member: Member) -> OrganisationLead:
    return OrganisationLead.objects.get(member=member)


def given(
    provider: Member, receiver: Member, minutes: int = 60, status=Status.COMPLETED
) -> Exchange:
    """``provider`` gives ``minutes`` to ``receiver`` (who is credited enough first)."""
    earn(receiver, minutes)
    return exchange_at(status, listing=listing(provider), receiver=receiver, minutes=minutes)
