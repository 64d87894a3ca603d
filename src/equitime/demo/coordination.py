"""The demo's coordinator: a care-home manager who acts for a care assistant.

Denise Clarke manages a home care team. Joseph Adeyemi, one of her care
assistants, has no regular computer access at work; he agreed on a paper form
that Denise may act for him on Equitime. Joseph taught Michael Osei, a liaison
mental health nurse, an hour of mouth care for people living with dementia:
Denise proposed it for him and logged his hour; Michael accepted, confirmed
and thanked him as anyone would, so the credit moved by the ordinary services. Denise also posted an
offer for him.

Everything goes through the services a person's clicks would call. Running
the demo again finds each step done (the members by e-mail, the consent, the
exchange by its request key, the listing by its title) and leaves it as it is.
"""

from django.contrib.auth.hashers import make_password

from equitime.coordination import services as coordination
from equitime.coordination.models import Consent
from equitime.core.errors import DomainError
from equitime.demo.content import DEMO_PASSWORD
from equitime.demo.content.organisations import HEARTHSTONE
from equitime.demo.specs import DemoMember
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, Status
from equitime.listings.models import Format, Listing
from equitime.members import roles
from equitime.members.models import Member, Organisation, Profile
from equitime.members.services import member_join, member_role_grant
from equitime.skills.models import ImprovementArea, Skill

LONDON = "Europe/London"
COORDINATOR = DemoMember(
    "denise.clarke",
    "Denise Clarke",
    HEARTHSTONE,
    "Registered manager",
    "Home care, north locality",
    "GB",
    LONDON,
    ("English",),
    ("rota planning", "supervision of care staff", "CQC inspection readiness"),
    "Weekday mornings",
    Profile.Preference.EITHER,
    "I manage a home care team of thirty. Several of my carers have no computer at work, "
    "so I record their exchanges for them, with their consent.",
)
ACTED_FOR = DemoMember(
    "joseph.adeyemi",
    "Joseph Adeyemi",
    HEARTHSTONE,
    "Care assistant",
    "Home care, north locality",
    "GB",
    LONDON,
    ("English", "Yoruba"),
    ("mouth care", "dementia care", "moving and handling"),
    "Between visits, by arrangement with Denise",
    Profile.Preference.IN_PERSON,
    "Care assistant for twelve years. My coordinator Denise posts and records for me.",
)
MEMBERS = (COORDINATOR, ACTED_FOR)
# A demo member's handle: the liaison mental health nurse Joseph taught (not
# Amina, whose credits the README's curl walkthrough spends).
COLLEAGUE = "michael.osei"
EXCHANGE_KEY = "demo-coordination:mouth-care"
EXCHANGE_TITLE = "Mouth care for people living with dementia"
LISTING_TITLE = "Dementia-friendly mouth care: a practical hour for your team"
LISTING_SKILLS = ("teaching", "frailty")
THANKS = "Thank you, Joseph: I now teach your approach to the ward teams I visit."
IMPACT = "Two patients with dementia on the wards now accept mouth care every morning."
# What this module adds to the demo's counts (the demo tests add them in).
LISTINGS_MADE = 1
EXCHANGES_MADE = 1


def _member(spec: DemoMember) -> Member:
    member = Member.objects.filter(email__iexact=spec.email).first()
    if member is not None:
        return member
    member = member_join(
        email_verified=True,
        email=spec.email,
        display_name=spec.display_name,
        password=None,
        organisation=Organisation.objects.filter(name=spec.organisation).first(),
        profession=spec.profession,
        division=spec.division,
        country=spec.country,
        time_zone=spec.time_zone,
        languages=list(spec.languages),
        bio=spec.bio,
        skills_offered=list(spec.skills_offered),
        availability=spec.availability,
        preference=spec.preference,
    )
    member.password = make_password(DEMO_PASSWORD)
    member.save(update_fields=["password"])
    return member


def demo_coordination(people: dict[str, Member], skipped: list[str]) -> Exchange | None:
    """The coordinator, the consent, the offer and the exchange, made once."""
    coordinator = member_role_grant(member=_member(COORDINATOR), role=roles.COORDINATOR, by=None)
    coordinator = Member.objects.get(pk=coordinator.pk)  # permissions are cached
    joseph, michael = _member(ACTED_FOR), people[COLLEAGUE]
    area = ImprovementArea.objects.get(slug="patient-experience")
    try:
        if coordination.consent_standing(coordinator=coordinator, member=joseph) is None:
            coordination.consent_record(
                coordinator=coordinator,
                member=joseph,
                method=Consent.Method.PAPER,
                note="Signed form kept in Joseph's supervision file.",
            )
        if not Listing.objects.filter(owner=joseph, title=LISTING_TITLE).exists():
            coordination.coordinated_listing_create(
                coordinator=coordinator,
                member=joseph,
                kind=Listing.Kind.OFFER,
                title=LISTING_TITLE,
                description="I show how to give mouth care to someone with dementia who "
                "resists: approach, position, the right brush, and what to write down.",
                improvement_area=area,
                benefit="Fewer mouth infections and better eating for people with dementia.",
                estimated_minutes=60,
                format=Format.IN_PERSON,
                skills=list(Skill.objects.filter(slug__in=LISTING_SKILLS)),
                place="Your ward or care home",
            )
        exchange = Exchange.objects.filter(request_key=EXCHANGE_KEY).first()
        if exchange is None:
            exchange = coordination.coordinated_exchange_propose(
                coordinator=coordinator,
                member=joseph,
                other=michael,
                member_gives=True,
                title=EXCHANGE_TITLE,
                improvement_area=area,
                benefit="Ward staff give mouth care that patients with dementia accept.",
                minutes=60,
                request_key=EXCHANGE_KEY,
            )
        if exchange.status == Status.PROPOSED:
            exchange = exchanges.exchange_accept(exchange=exchange, member=michael)
        if exchange.status == Status.ACCEPTED:
            exchange = coordination.coordinated_exchange_act(
                coordinator=coordinator,
                member=joseph,
                exchange=exchange,
                action="deliver",
                minutes=60,
            )
        if exchange.status == Status.DELIVERED:
            exchange = exchanges.exchange_confirm(exchange=exchange, member=michael)
        if not exchange.thanks.exists():
            exchanges.thanks_give(exchange=exchange, member=michael, message=THANKS, impact=IMPACT)
    except DomainError as error:
        skipped.append(f"coordination: {error.message}")
        return None
    return exchange
