"""Eight months of the demo community's past (issue 15): exchanges completed
across organisations, professions, improvement areas and skills, with thanks,
impact notes and Amina's private reflections, so the impact dashboard, the
network and the CPD record have something to show.

Everything goes through the services a person's clicks would call, told when
each step happened (``now``), as ``group_sessions`` does: an exchange's
``completed_at``, its events and the ledger's transfers carry the same past
moments, and the ledger checks every hold and payment as it always does.

The past is told in *rings*: every fortnight five colleagues each give the
next one the same time, the last giving to the first. Everyone in a ring
receives as much as they give, so the history leaves every balance as it
found it and the demo's stories, built after it, meet the credits they always
did. A ring's givers who have an offer open that season give on it (the
receiver takes the offer up); the others record time given without a listing.

Offers are found again by owner and title, exchanges by a fixed request key
(``demo-history:<ring>:<place>``): a second run finds them and moves nothing.
Notifications of the past are marked read and dealt with as of their day: no
e-mail goes out, today, about an exchange that ended in spring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from equitime.core.errors import DomainError
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create, listings_expire
from equitime.members.models import Member
from equitime.notifications.models import Notification
from equitime.skills.models import ImprovementArea, Skill

# How far back the history starts, how often a ring meets, and how long a
# season of offers lasts (each offer is posted just before its season and
# lives the listings' 90 days, so it is open for all of it).
HISTORY_DAYS = 245
RING_EVERY_DAYS = 14
SEASON_DAYS = 80
SEASONS = 3
# The last ring meets this many days ago, so this month has hours too.
LAST_RING_DAYS_AGO = 8
RINGS = (HISTORY_DAYS - LAST_RING_DAYS_AGO) // RING_EVERY_DAYS + 2
RING_SIZE = 5
# What a first run makes (the demo's tests count them).
EXCHANGES_MADE = RINGS * RING_SIZE
# Minutes each ring gives; never more than a welcome gift, which everyone has.
RING_MINUTES = (60, 90, 45, 120, 75, 60)
AMINA = "amina.okafor"


@dataclass(frozen=True)
class HistoryOffer:
    season: int
    owner: str  # a demo member's handle
    title: str
    description: str
    area: str  # improvement area slug
    benefit: str
    skills: tuple[str, ...]  # taxonomy skill slugs


@dataclass(frozen=True)
class DirectWork:
    """What a member gives when they have no offer open: recorded directly."""

    title: str
    area: str
    benefit: str


OFFERS: tuple[HistoryOffer, ...] = (
    HistoryOffer(
        0,
        AMINA,
        "Run charts for your ward's own data",
        "Bring a few months of a measure you care about; we draw the run chart together.",
        "patient-safety",
        "Teams can tell a real improvement from a good week.",
        ("run-charts", "statistical-process-control"),
    ),
    HistoryOffer(
        0,
        "wei.zhang",
        "Sample size and power, explained over coffee",
        "An hour on how many patients your audit or study really needs, and why.",
        "research",
        "Studies that can answer the question they ask.",
        ("medical-statistics",),
    ),
    HistoryOffer(
        0,
        "joost.smit",
        "Map your clinic's flow in one session",
        "A value stream map of one clinic, from referral to follow-up, with your team.",
        "productivity",
        "Less waiting for patients and fewer wasted steps for staff.",
        ("lean", "process-mapping"),
    ),
    HistoryOffer(
        0,
        "niamh.kelly",
        "Make your information leaflet easy to read",
        "I read your leaflet with you and we rewrite it in plain words.",
        "patient-experience",
        "People understand their care and can take part in decisions.",
        ("writing-for-patients",),
    ),
    HistoryOffer(
        0,
        "hamid.karimi",
        "Frailty scores at the front door",
        "How to use a frailty score at admission, and what to do with the answer.",
        "clinical-effectiveness",
        "Older people get the right assessment on the first day.",
        ("frailty",),
    ),
    HistoryOffer(
        1,
        "tom.whitfield",
        "SQL for your first dashboard",
        "We write the queries behind one chart your team needs every month.",
        "digital",
        "Teams see their own data without waiting for a report.",
        ("sql", "data-visualisation"),
    ),
    HistoryOffer(
        1,
        "siobhan.murphy",
        "Setting up a strength and balance class",
        "What a community falls class needs: space, referrals, exercises, measures.",
        "patient-safety",
        "Fewer falls among older people living at home.",
        ("falls-prevention", "physiotherapy"),
    ),
    HistoryOffer(
        1,
        "michael.osei",
        "Peer support after a difficult shift",
        "A confidential hour to talk through a hard shift and plan what helps.",
        "staff-wellbeing",
        "Staff recover from hard days and stay in work they love.",
        ("peer-support", "resilience"),
    ),
    HistoryOffer(
        1,
        "femke.visser",
        "From clinical question to study design",
        "We turn your question into a design, outcomes and an analysis plan.",
        "research",
        "Clinicians start research that can change practice.",
        ("evaluation-design", "medical-statistics"),
    ),
    HistoryOffer(
        1,
        "bethan.price",
        "Plan a winter change across organisations",
        "A planning session for a change that needs hospital, community and council.",
        "leadership",
        "Changes that cross organisations are planned together, not passed on.",
        ("project-management", "change-management"),
    ),
    HistoryOffer(
        2,
        "eleanor.hughes",
        "Your first PDSA cycle, planned together",
        "We plan one small test of change: prediction, measure and who does what.",
        "clinical-effectiveness",
        "More teams test changes on a small scale before rolling them out.",
        ("pdsa-cycles",),
    ),
    HistoryOffer(
        2,
        "eva.mulder",
        "Bring patients' voices into your project",
        "How to recruit a patient panel and co-design with them from the start.",
        "patient-experience",
        "Improvements that patients asked for and recognise.",
        ("patient-and-public-involvement", "co-production"),
    ),
    HistoryOffer(
        2,
        "pieter.jansen",
        "Teaching plan: spotting the deteriorating patient",
        "A short simulation-based teaching plan for your ward, ready to run.",
        "education-and-training",
        "Deterioration is recognised and escalated sooner.",
        ("simulation-training", "teaching"),
    ),
    HistoryOffer(
        2,
        "aisha.bello",
        "Equality impact assessment, step by step",
        "We work through an equality impact assessment of your change together.",
        "equity-and-inclusion",
        "Changes that do not leave any group of patients or staff behind.",
        ("co-production", "facilitation"),
    ),
    HistoryOffer(
        2,
        "daniel.ashby",
        "Automate the monthly care report",
        "We turn a monthly copy-and-paste report into a spreadsheet that updates itself.",
        "productivity",
        "Hours of reporting each month given back to care.",
        ("spreadsheet-automation", "data-visualisation"),
    ),
)

LISTINGS_MADE = len(OFFERS)

# The colleagues who give without an offer, in the order rings take them.
DIRECT: dict[str, DirectWork] = {
    AMINA: DirectWork(
        "Coaching a new charge nurse through their first month",
        "leadership",
        "New charge nurses lead safer shifts sooner.",
    ),
    "grace.mensah": DirectWork(
        "Team development session for a home care team",
        "staff-wellbeing",
        "Care workers feel supported and stay.",
    ),
    "joseph.kamau": DirectWork(
        "Evaluation plan for a community health programme",
        "research",
        "Programmes know whether they work and for whom.",
    ),
    "david.llewellyn": DirectWork(
        "Process mapping a hospital discharge",
        "productivity",
        "People go home sooner with the support they need.",
    ),
    "chloe.tremblay": DirectWork(
        "Facilitating a learning review after an incident",
        "patient-safety",
        "Teams learn from incidents without blame.",
    ),
    "priya.nair": DirectWork(
        "Medicines review checklist for care homes",
        "patient-safety",
        "Fewer medicine problems for people in care homes.",
    ),
    "rosa.fernandes": DirectWork(
        "Home safety assessment training",
        "patient-safety",
        "People stay safe at home after a hospital stay.",
    ),
    "sean.obrien": DirectWork(
        "Diabetes education session for carers",
        "education-and-training",
        "Carers feel confident supporting someone with diabetes.",
    ),
    "ciaran.doyle": DirectWork(
        "Audit of diabetes reviews in general practice",
        "clinical-effectiveness",
        "More people get their yearly diabetes checks.",
    ),
    "rebecca.achieng": DirectWork(
        "Mentoring a newly qualified midwife",
        "education-and-training",
        "New midwives grow in confidence and stay in the profession.",
    ),
    "aoife.byrne": DirectWork(
        "Health promotion materials for young parents",
        "equity-and-inclusion",
        "Families who are seldom heard get advice they can use.",
    ),
    "lucy.chen": DirectWork(
        "Writing the case for a digital tool",
        "digital",
        "Digital tools that staff need are chosen for good reasons.",
    ),
    "fiona.nolan": DirectWork(
        "Rostering ideas for an older persons service",
        "productivity",
        "Fairer rotas and steadier care for older people.",
    ),
    "sanne.bakker": DirectWork(
        "Measurement plan for a quality project",
        "clinical-effectiveness",
        "Projects measure what matters to patients.",
    ),
    "callum.reid": DirectWork(
        "Health economics review of an improvement project",
        "sustainability",
        "Improvements that last because their value is understood.",
    ),
    "ellen.fraser": DirectWork(
        "A carer's view on a planned service change",
        "patient-experience",
        "Services shaped by the people who use them.",
    ),
}

THANKS = (
    "Thank you: clear, patient and practical. We used it the next week.",
    "Really helpful hour, thank you for making it so easy to follow.",
    "Thanks for sharing what worked for your team; it saved us months.",
    "Grateful for your time and your honesty about what did not work.",
    "Thank you, the team is already using what you showed us.",
)
IMPACT = (
    "Our ward now reviews its own chart every Monday huddle.",
    "We changed the discharge checklist and shared it with two other teams.",
    "Three colleagues have started their own small tests of change.",
    "The new leaflet went to our patient panel and they approved it.",
    "",
)
# Amina's reflective accounts: what happened, what she learned, how it changed
# her practice, which standards it relates to (``Reflection``'s four parts).
REFLECTIONS = (
    (
        "A colleague from another organisation and I worked through their data.",
        "Explaining run chart rules made me check my own understanding.",
        "I now show the team the rules, not only the chart.",
        "NMC Code: Practise effectively (share skills and knowledge)",
    ),
    (
        "An hour of coaching and questions.",
        "People from social care see discharge delays very differently from the ward.",
        "I invite a social worker to our discharge huddle.",
        "NMC Code: Practise effectively (work cooperatively)",
    ),
    (
        "I received help planning a measure.",
        "A balancing measure shows what a change might break.",
        "Every test of change on our unit now has one.",
        "NMC Code: Preserve safety",
    ),
)


def _ring_members(ring: int) -> list[str]:
    """Five colleagues: three with offers open this season, two who give directly
    (Amina every other ring, so her CPD record has months of history)."""
    season = min(ring * RING_EVERY_DAYS // SEASON_DAYS, SEASONS - 1)
    owners = [offer.owner for offer in OFFERS if offer.season == season]
    givers = [owners[(ring + step) % len(owners)] for step in (0, 2, 4)]
    direct = [handle for handle in DIRECT if handle not in givers]
    first = AMINA if ring % 2 == 0 and AMINA in direct else direct[(2 * ring) % len(direct)]
    second = next(
        handle
        for n in range(len(direct))
        if (handle := direct[(2 * ring + 1 + n) % len(direct)]) not in (first, AMINA)
    )
    return [givers[0], first, givers[1], second, givers[2]]


def _season_start(season: int, start: datetime) -> datetime:
    return start + timedelta(days=season * SEASON_DAYS - 1)


def demo_history(people: dict[str, Member], skipped: list[str]) -> list[Exchange]:
    """The history's exchanges, made on the first run and found on the next."""
    now = timezone.now()
    start = (now - timedelta(days=HISTORY_DAYS)).replace(hour=9, minute=0, second=0, microsecond=0)
    areas = {area.slug: area for area in ImprovementArea.objects.all()}
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    offers = _offers(people, areas, skills, start, skipped)
    found = {
        exchange.request_key: exchange
        for exchange in Exchange.objects.filter(request_key__startswith="demo-history:")
    }
    made: list[Exchange] = []
    for ring in range(RINGS):
        members = _ring_members(ring)
        minutes = RING_MINUTES[ring % len(RING_MINUTES)]
        day = start + timedelta(days=min(ring * RING_EVERY_DAYS, HISTORY_DAYS - LAST_RING_DAYS_AGO))
        for place, giver in enumerate(members):
            key = f"demo-history:{ring}:{place}"
            if key in found:
                made.append(found[key])
                continue
            receiver = members[(place + 1) % len(members)]
            try:
                exchange = _exchange_give(
                    key=key,
                    provider=people[giver],
                    receiver=people[receiver],
                    offer=offers.get(giver),
                    minutes=minutes,
                    at=day + timedelta(hours=3 * place),
                    areas=areas,
                    turn=ring + place,
                )
            except DomainError as error:
                skipped.append(f"{key}: {error.message}")
                continue
            made.append(exchange)
    # The offers of past seasons have lived their 90 days: the expiry job's
    # own service marks them so, as the worker would on its next run.
    listings_expire(now=now)
    return made


def _offers(
    people: dict[str, Member],
    areas: dict[str, ImprovementArea],
    skills: dict[str, Skill],
    start: datetime,
    skipped: list[str],
) -> dict[str, Listing]:
    """Each history offer by its owner's handle, posted before its season."""
    found: dict[str, Listing] = {}
    for spec in OFFERS:
        owner = people[spec.owner]
        listing = Listing.objects.filter(owner=owner, title=spec.title).first()
        if listing is None:
            try:
                listing = listing_create(
                    owner=owner,
                    kind=Listing.Kind.OFFER,
                    title=spec.title,
                    description=spec.description,
                    improvement_area=areas[spec.area],
                    benefit=spec.benefit,
                    estimated_minutes=60,
                    format=Format.REMOTE,
                    skills=[skills[slug] for slug in spec.skills if slug in skills],
                    languages=["English"],
                    now=_season_start(spec.season, start),
                )
            except DomainError as error:
                skipped.append(f"history offer {spec.title!r}: {error.message}")
                continue
        found[spec.owner] = listing
    return found


def _exchange_give(
    *,
    key: str,
    provider: Member,
    receiver: Member,
    offer: Listing | None,
    minutes: int,
    at: datetime,
    areas: dict[str, ImprovementArea],
    turn: int,
) -> Exchange:
    """One colleague gives another ``minutes``: proposed at ``at``, accepted the
    next day, the hours logged three days later and confirmed the day after."""
    if offer is not None and offer.expires_at > at:
        exchange = exchanges.exchange_propose_from_listing(
            listing=offer, member=receiver, minutes=minutes, request_key=key, now=at
        )
        answerer = provider
    else:
        work = DIRECT[provider.email.split("@")[0]]
        exchange = exchanges.exchange_propose_direct(
            member=provider,
            other=receiver,
            member_gives=True,
            title=work.title,
            improvement_area=areas[work.area],
            benefit=work.benefit,
            minutes=minutes,
            request_key=key,
            now=at,
        )
        answerer = receiver
    accepted, delivered, confirmed = (at + timedelta(days=n) for n in (1, 4, 5))
    exchange = exchanges.exchange_accept(exchange=exchange, member=answerer, now=accepted)
    exchange = exchanges.exchange_deliver(
        exchange=exchange, member=provider, minutes=minutes, now=delivered
    )
    exchange = exchanges.exchange_confirm(exchange=exchange, member=receiver, now=confirmed)
    thanked = confirmed + timedelta(hours=2)
    if turn % 3 != 0:
        exchanges.thanks_give(
            exchange=exchange,
            member=receiver,
            message=THANKS[turn % len(THANKS)],
            impact=IMPACT[turn % len(IMPACT)],
            # Most leave their thanks public on the profile; some keep it between the two.
            show_on_profile=turn % 4 != 1,
            now=thanked,
        )
    if AMINA in (provider.email.split("@")[0], receiver.email.split("@")[0]):
        amina = provider if provider.email.startswith(AMINA) else receiver
        happened, learned, practice_change, standards = REFLECTIONS[turn % len(REFLECTIONS)]
        exchanges.reflection_save(
            exchange=exchange,
            member=amina,
            text=happened,
            learned=learned,
            practice_change=practice_change,
            standards=standards,
            now=thanked + timedelta(days=1),
        )
    # Told at the time, read at the time: nothing of it waits today, and the
    # e-mail task finds it dealt with (``emailed_at``) and sends nothing.
    Notification.objects.filter(exchange=exchange).update(
        created_at=confirmed, read_at=thanked, emailed_at=confirmed
    )
    return exchange
