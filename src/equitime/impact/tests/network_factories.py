"""Test data for the collaboration network: organisations with members, and
exchanges completed through the services in a chosen month."""

from datetime import UTC, datetime
from typing import cast

import time_machine

from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.impact.models import OrganisationLead
from equitime.ledger.tests.factories import earn
from equitime.listings.tests.factories import listing
from equitime.members import roles
from equitime.members.models import Member, Organisation
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import OrganisationFactory, make_member


def organisation(name: str, kind: str = Organisation.Kind.NHS_TRUST) -> Organisation:
    return cast(Organisation, OrganisationFactory(name=name, kind=kind))


def staff(organisation: Organisation | None, count: int, prefix: str) -> list[Member]:
    """``count`` members of ``organisation``, with credits enough to receive."""
    people = []
    for n in range(count):
        member = make_member(display_name=f"{prefix} {n + 1}", organisation=organisation)
        earn(member, 1200)
        people.append(member)
    return people


def exchanged(
    provider: Member,
    receiver: Member,
    minutes: int = 60,
    *,
    at: datetime,
    status: str = Status.COMPLETED,
) -> Exchange:
    """An exchange from ``provider``'s offer to ``receiver``, moved to
    ``status`` by the services with the clock at ``at``."""
    with time_machine.travel(at, tick=False):
        offer = listing(provider, minutes=minutes, title=f"Help {provider.pk}-{receiver.pk}")
        return exchange_at(status, listing=offer, receiver=receiver, minutes=minutes)


def month(year: int, number: int, day: int = 10) -> datetime:
    return datetime(year, number, day, 12, 0, tzinfo=UTC)


def administrator() -> Member:
    member = make_member(display_name="Ada Administrator")
    member_role_grant(member=member, role=roles.COMMUNITY_ADMIN, by=None)
    return Member.objects.get(pk=member.pk)


def lead_of(organisation: Organisation, by: Member) -> Member:
    member = make_member(display_name=f"Lee Lead of {organisation.name}", organisation=organisation)
    OrganisationLead.objects.create(member=member, organisation=organisation, appointed_by=by)
    return member
