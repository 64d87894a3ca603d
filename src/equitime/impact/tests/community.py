"""A small community for the impact figures' tests, made through the services.

Three organisations: a trust (6 members: nurses and doctors), a council
(6 social workers) and a charity of 4 pharmacists, the organisation too small
to be named. Exchanges over two months (last month's moved back by hand,
the only way to date a completion), within and across organisations, plus a
reversed and a cancelled exchange that must never count.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone

from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.services import thanks_give
from equitime.exchanges.tests.factories import exchange_at
from equitime.impact.filters import month_add
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.models import Member, Organisation
from equitime.members.tests.factories import make_member


@dataclass
class Community:
    trust: Organisation
    council: Organisation
    charity: Organisation
    people: dict[str, Member] = field(default_factory=dict)
    this_month: datetime | None = None
    last_month: datetime | None = None


def _people(prefix: str, organisation: Organisation, professions: list[str]) -> dict:
    return {
        f"{prefix}{i}": make_member(
            display_name=f"{prefix.upper()}{i} {organisation.name}",
            organisation=organisation,
            profession=profession,
        )
        for i, profession in enumerate(professions, start=1)
    }


def build() -> Community:
    trust = Organisation.objects.create(name="Northside Trust", kind=Organisation.Kind.NHS_TRUST)
    council = Organisation.objects.create(
        name="Southside Council", kind=Organisation.Kind.LOCAL_AUTHORITY
    )
    charity = Organisation.objects.create(name="Tiny Charity", kind=Organisation.Kind.CHARITY)
    community = Community(trust=trust, council=council, charity=charity)
    p = community.people
    p.update(_people("a", trust, ["Nurse", "nurse ", "Nurse", "Doctor", "Doctor", "Doctor"]))
    p.update(_people("b", council, ["Social worker"] * 6))
    p.update(_people("c", charity, ["Pharmacist"] * 4))

    now = timezone.now()
    this_month = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    first = this_month.date()
    last_month = datetime.combine(month_add(first, -1), this_month.timetz()).replace(day=10)
    community.this_month, community.last_month = this_month, last_month

    def give(provider: str, receiver: str, minutes: int, *, area: str, skills, when=None):
        offer = make_listing(p[provider], minutes=minutes, area=area, skills=skills)
        exchange = exchange_at(
            Status.COMPLETED, listing=offer, receiver=p[receiver], minutes=minutes
        )
        if when is not None:
            Exchange.objects.filter(pk=exchange.pk).update(completed_at=when)
        return exchange

    safety, wellbeing = "patient-safety", "staff-wellbeing"
    stats, coaching = ("survival-analysis",), ("action-learning",)
    # Last month: five exchanges from the trust to the council and back.
    for provider, receiver in (
        ("a1", "b1"),
        ("a2", "b2"),
        ("a3", "b3"),
        ("b4", "a4"),
        ("b5", "a5"),
    ):
        give(provider, receiver, 60, area=safety, skills=stats, when=last_month)
    # This month: within and across organisations, the charity among them.
    give("a1", "a2", 45, area=wellbeing, skills=coaching)
    give("a4", "a6", 90, area=wellbeing, skills=coaching + stats)
    give("b1", "b6", 60, area=safety, skills=stats)
    give("c1", "c2", 30, area=safety, skills=stats)
    give("c3", "a5", 60, area=wellbeing, skills=coaching)
    give("a5", "c4", 15, area=safety, skills=stats)
    thanked = give("b2", "a3", 120, area=wellbeing, skills=coaching)
    thanks_give(
        exchange=thanked,
        member=p["a3"],
        message="Thank you.",
        impact="Our discharge letters now reach the council the same day.",
    )
    private = give("a4", "b3", 30, area=safety, skills=stats)
    thanks_give(
        exchange=private,
        member=p["b3"],
        message="Thanks.",
        impact="A note its author keeps off their profile.",
        show_on_profile=False,
    )
    # Never counted: reversed by a moderator, and cancelled.
    reversed_ = give("a6", "b6", 60, area=safety, skills=stats)
    exchange_at(Status.REVERSED, exchange=reversed_)
    offer = make_listing(p["b3"], minutes=60)
    exchange_at(Status.CANCELLED, listing=offer, receiver=p["a1"], minutes=60)
    return community
