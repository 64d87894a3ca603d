"""Scale data: a community the size of a real health system, built in minutes.

``generate(members=10_000, listings=100_000, exchanges=200_000)`` invents
organisations in several countries, members with profiles, offers and
requests with varied text (and their search rows), exchanges in every state
of their lifecycle over about eleven months, with their timeline, messages,
thanks, notifications, donations and the ledger rows that go with them.
``demo`` shows the product to a person; this builds the data that the
benchmark and the performance work measure.

The services write one exchange at a time (a few hundred ledger movements a
second), so a run through them would take hours. Instead the whole community
is first *simulated* in Python, in time order, and then written in batches of
a few thousand rows, one transaction per batch, with ids chosen here so that
rows can point at each other before they are written: ``bulk_create`` for
the small tables, and for the big ones the same INSERT sent with
``executemany`` (SQLite) or ``COPY`` (PostgreSQL), because building a model
instance per row cost more than the database's work. The services are not
called per row, so the simulation itself keeps the rules they keep:

* Ledger: every member's account opens with the welcome gift from the pool
  (key ``welcome-gift:<member>``, as ``welcome_gift_give``). Accepting places
  a hold of the proposed minutes on the receiver (``exchange:<id>:hold``);
  confirming, an automatic confirmation or a dispute settled with credits
  posts the logged (or decided) minutes as the hold's resolution
  (``exchange:<id>:payment``, never more than was held); cancelling after
  acceptance or a dispute closed without credits voids it
  (``exchange:<id>:void``). Donations move whole quarter-hours to the pool or
  to another member. Balances are tracked as the simulation replays time, and
  a hold or donation that the member's *available* credits (posted credits -
  posted debits - pending debits, against the floor and any ceiling) would not
  cover at that moment is never made: the exchange asks for fewer hours, or is
  withdrawn (receivers are drawn among members who have credits, so that is
  rare). Each account's posted and pending totals are written as the sum of
  its transfers, and the pool's totals are moved by the same amounts.
* Exchanges follow ``TRANSITIONS`` step by step, each step stamped
  (``<verb>_at``/``<verb>_by``) by the member ``MAY`` allows (the other party
  accepts or declines, the provider logs hours, the receiver confirms or
  disputes, a moderator outside the exchange resolves), with one
  ``ExchangeEvent`` per step and the audit entry a resolution writes. Hours
  are quarter-hours up to 40 hours; hold and payment exist exactly when the
  status says so. Open exchanges are recent enough to still be open
  (hours logged less than ``EQUITIME_AUTO_CONFIRM_DAYS`` ago). A request is
  answered mostly by a member whose profile lists one of its skills, a share
  ``ANSWERED_BY_ANYONE`` by anyone (so that who really helped is something
  the matching benchmark can look for, not pure chance).
* Listings: open and paused ones expire in the future, expired ones in the
  past, closed ones say when, and the owners of those about to expire have
  had their warning; each was open when its exchanges began. Their text is
  built from word lists free of money talk and patient data, and their search
  rows come from ``listings.search`` itself (``_document`` and ``_write``).
* Members: a profile (organisation, profession, team, country, time zone,
  languages, skills), a confirmed e-mail address (allauth, as ``member_join``
  with ``email_verified``), an account; a few are moderators, made so by
  ``member_role_grant``. Notifications say what the services would have said,
  to the party who did not act: every one for the benchmark member, and for
  the others the latest step of each exchange, half the proposals, thanks
  and expiry warnings (about two per exchange).

``equitime verify_ledger`` (run at the end) proves the ledger part: sum zero,
totals equal to the replay, no account below its floor, unique keys,
resolutions that match their holds, one posted transfer per completed
exchange; ``test_generate`` checks the rest (every exchange's events replay
``TRANSITIONS``, the scheduled jobs find nothing left to do). The database's
CHECK, foreign key and unique constraints refuse any row that breaks them.
``ANALYZE`` runs at the end, as a real database has statistics.

Run it on a freshly migrated database that nobody else writes to while it
runs (it chooses ids itself). A run that fails half-way leaves what it wrote:
start again from an empty database.

Every scale member signs in with one published password (their hash is
computed once and shared), so like the demo it never runs in production.
``bench.member@scale.equitime.org`` is the member the benchmark signs in as:
about forty exchanges in every state, ten open listings, unread notifications.
A ``seed`` gives the same community each time, dated relative to the moment
it runs. The run refuses if scale members already exist.
"""

from __future__ import annotations

import bisect
import heapq
import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from types import SimpleNamespace
from typing import Any, TypedDict

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F, Max
from django.urls import reverse

from equitime.audit.models import AuditEntry
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.names import name_search_key, name_sort_key
from equitime.core.units import STEP_MINUTES
from equitime.exchanges.models import (
    TRANSITIONS,
    Exchange,
    ExchangeEvent,
    ExchangeMessage,
    Status,
    Thanks,
)
from equitime.ledger.models import Account, Transfer
from equitime.ledger.services import pool_account
from equitime.ledger.verify import LedgerReport, verify_ledger
from equitime.listings.models import Format, Listing
from equitime.listings.search import _document, _write, listing_search
from equitime.members import roles
from equitime.members.models import Member, Organisation, Profile
from equitime.members.services import member_role_grant
from equitime.notifications.models import Notification
from equitime.skills.models import ImprovementArea, Skill

SCALE_DOMAIN = "scale.equitime.org"
BENCH_EMAIL = f"bench.member@{SCALE_DOMAIN}"
BENCH_PASSWORD = "scale-time-2026"  # noqa: S105 - published on purpose: generated accounts only
DEFAULT_SEED = 2026
BATCH = 5000
DAY = 86400.0
HOUR = 3600.0
# The community began this long before the run; exchanges begin after START.
HISTORY_DAYS = 400
EXCHANGE_DAYS = 330

Verb = ExchangeEvent.Verb
Kind = Organisation.Kind


# --- Word lists -------------------------------------------------------------------


def _split(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


# Invented names; any likeness to a real place, organisation or person is an accident.

_PLACE_HEADS = _split(
    "Ash Bram Cal Dun Elm Fern Glen Hal Ivy Kes Lang Mar Nor Oak Pen Quar Ros Sel Thorn "
    "Ul Wen Yar Bel Cor Dray Ever Fal Gran Holt Kirk Lyn Mill Ned Orm Pel Red Sand Tarn "
    "Vale Wold"
)
_PLACE_TAILS = _split(
    "bridge ford bury wick ton field moor dale mouth hurst stead combe ley worth gate haven"
)

COUNTRIES: dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]] = {
    # code: (weight, time zones, languages besides English)
    "GB": (70, ("Europe/London",), ("Welsh", "Urdu", "Polish", "Punjabi", "Bengali", "Gujarati")),
    "IE": (5, ("Europe/Dublin",), ("Irish", "Polish")),
    "NL": (3, ("Europe/Amsterdam",), ("Dutch",)),
    "KE": (3, ("Africa/Nairobi",), ("Swahili",)),
    "IN": (4, ("Asia/Kolkata",), ("Hindi", "Tamil", "Malayalam", "Bengali")),
    "AU": (4, ("Australia/Sydney", "Australia/Melbourne", "Australia/Perth"), ("Vietnamese",)),
    "CA": (3, ("America/Toronto", "America/Vancouver", "America/Halifax"), ("French",)),
    "NZ": (2, ("Pacific/Auckland",), ("Māori",)),
    "ZA": (2, ("Africa/Johannesburg",), ("Afrikaans", "Zulu", "Xhosa")),
    "NG": (2, ("Africa/Lagos",), ("Yoruba", "Igbo", "Hausa")),
    "SE": (1, ("Europe/Stockholm",), ("Swedish",)),
    "SG": (1, ("Asia/Singapore",), ("Mandarin", "Malay")),
}

ORGANISATION_NAMES: dict[str, tuple[tuple[str, ...], float]] = {
    # kind: (name templates, weight among UK organisations)
    Kind.NHS_TRUST: (
        (
            "{p} Teaching Hospitals NHS Foundation Trust",
            "{p} and {q} Hospitals NHS Trust",
            "{p} Community Health NHS Trust",
            "{p} Mental Health NHS Foundation Trust",
        ),
        30,
    ),
    Kind.INTEGRATED_CARE_BOARD: (("{p} and {q} Integrated Care Board",), 6),
    Kind.PRIMARY_CARE: (
        ("{p} Primary Care Network", "{p} Medical Practice", "{p} Health Centre"),
        18,
    ),
    Kind.SOCIAL_CARE_PROVIDER: (("{p} Home Care", "{p} Care Homes", "{p} Supported Living"), 12),
    Kind.LOCAL_AUTHORITY: (("{p} City Council", "{p} County Council", "{p} Borough Council"), 8),
    Kind.CHARITY: (("{p} Hospice", "{p} Carers Network", "Friends of {p} Hospital"), 10),
    Kind.UNIVERSITY: (("University of {p}", "{p} Institute of Health Research"), 7),
    Kind.INDUSTRY: (("{p} Health Analytics", "{p} Digital Health"), 4),
    Kind.OTHER: (("{p} Ambulance Service", "{p} Health Innovation Network"), 5),
}
INTERNATIONAL_NAMES = (
    "{p} Regional Hospital",
    "{p} Community Health Alliance",
    "{p} University Medical Centre",
    "{p} Primary Health Network",
    "{p} District Health Board",
)

FIRST_NAMES = _split(
    "Amina Rajesh Siobhan Tom Fatima Grace Liam Aoife Chen Priya Oluwaseun Sophie James "
    "Mohammed Zainab Daniel Ewa Kwame Hannah Ravi Mei Niamh Samuel Chloe Arjun Ngozi "
    "Oliver Isla Yusuf Ana Lucas Freya Tariq Emma Kofi Aisha Jack Laura Wei Sipho Ingrid "
    "Sean Ayesha Mateo Ruth Dev Tamsin Abdul Charlotte Femi Jan Lena Marcus Noor Patrick "
    "Rosa Sunil Thandi Victor Wanjiru Zoe Ben Caoimhe Deepa Eilidh Farah Gareth Hiroshi "
    "Imogen Joseph Kiri Leila Moses Nadia Owen Paula Rhys Sara Tobias Uma Vikram Amara "
    "Bethan Ciaran Divya Erik Fiona"
)
SURNAMES = _split(
    "Okafor|Iyer|Murphy|Whitfield|Hussain|Mensah|Byrne|Chen|Patel|Adeyemi|Taylor|Evans|"
    "Khan|Kowalski|Boateng|Walsh|Sharma|Wong|Kelly|Obi|Smith|Jones|Williams|Brown|Davies|"
    "Wilson|Ali|Ahmed|Singh|Nair|Mwangi|Otieno|Kariuki|Nguyen|Tran|Wilde|Fraser|Campbell|"
    "Stewart|Reid|Dlamini|Nkosi|Van Dijk|De Vries|Bakker|Andersson|Lindqvist|Tan|Lim|Ong|"
    "Roberts|Thomas|Hughes|Lewis|Morgan|Price|Ward|Cooper|Green|Hall|Wood|Clarke|Jackson|"
    "Mitchell|Bell|Murray|Doyle|Gallagher|Adebayo|Eze|Chukwu|Osei|Asante|Gupta|Reddy|"
    "Menon|Pillai|Fernandes|Costa|Silva|Rossi|Novak|Horvath|Ibrahim|Said|Haddad|Farouk|"
    "Ngata|Parata|Tamihana|O'Brien|MacLeod|Brennan|Quinn",
    "|",
)

PROFESSIONS = _split(
    "Staff nurse,Senior staff nurse,Ward manager,Advanced nurse practitioner,"
    "District nurse,Health visitor,Midwife,Consultant physician,Consultant surgeon,GP,"
    "GP partner,Registrar,Foundation doctor,Physiotherapist,Occupational therapist,"
    "Dietitian,Speech and language therapist,Pharmacist,Pharmacy technician,Paramedic,"
    "Radiographer,Clinical psychologist,Healthcare assistant,Care worker,"
    "Registered manager,Social worker,Data analyst,Information analyst,"
    "Software developer,Clinical informatician,Quality improvement lead,"
    "Patient safety specialist,Service manager,Operations manager,Project manager,"
    "Researcher,Lecturer,Practice manager,Receptionist,Chaplain,Medical statistician,"
    "Health economist,Communications officer,Learning and development lead,"
    "Volunteer coordinator,Public health consultant,Commissioning manager,Estates manager",
    ",",
)
DIVISIONS = _split(
    "Acute medicine,Emergency department,Cardiology,Respiratory,Renal,Oncology,"
    "Haematology,Paediatrics,Maternity,Neonatal unit,Critical care,Theatres,Orthopaedics,"
    "Stroke unit,Elderly care,Community nursing,Community rehabilitation,"
    "Mental health inpatients,Perinatal mental health,Learning disabilities,"
    "Palliative care team,Pharmacy,Radiology,Pathology,Outpatients,Discharge team,"
    "Population health intelligence,Business intelligence,Digital services,"
    "Quality improvement team,Patient experience team,Workforce and education,"
    "Research and development,Infection prevention,Safeguarding,Estates and facilities,"
    "Finance and contracting,Communications,Home care services,Reablement,Day services,"
    "Public health,Medicines management,Primary care team,Care home support team",
    ",",
)
AVAILABILITY = (
    "Tuesday afternoons",
    "Friday mornings after the ward round",
    "Wednesday lunchtimes",
    "Most afternoons, short calls",
    "Thursday evenings, remote only",
    "Monday mornings before clinic",
    "One hour a week, flexible",
    "Between shifts, by arrangement",
    "Fortnightly on Thursdays",
    "Early mornings, before handover",
)
FREE_SKILLS = _split(
    "safety huddles,run charts,teaching consultation skills,falls prevention,"
    "strength and balance programmes,Power BI dashboards,Excel formulas,survey design,"
    "writing patient leaflets,facilitating workshops,handover tools,sepsis screening,"
    "pressure ulcer prevention,deprescribing,care planning,end of life conversations,"
    "recruitment interviews,rota design,waiting list validation,Python for data cleaning,"
    "REDCap databases,NVivo coding,systematic reviews,journal clubs,simulation scenarios,"
    "mentoring new starters,preceptorship,reflective practice,team coaching,"
    "carbon footprint of inhalers,green theatres,digital inclusion,accessible documents,"
    "Welsh language services,BSL interpreting,easy read writing,podcast production,"
    "video editing,storytelling with data,clinical audit,incident investigation",
    ",",
)

AUDIENCES = _split(
    "new ward managers,junior doctors,student nurses,care home staff,GP practice teams,"
    "allied health professionals,community teams,analysts,volunteers,patient partners,"
    "healthcare assistants,research nurses,pharmacy teams,practice managers,"
    "carers' groups,social workers,paramedics,clinical leads,board members,"
    "trainee psychologists",
    ",",
)
PROJECTS = _split(
    "falls project,discharge pathway,frailty clinic,audit,service evaluation,grant bid,"
    "staff survey,patient leaflet,dashboard,business case,research protocol,"
    "teaching session,QI project,wellbeing programme,induction pack,ethics application,"
    "poster,conference talk,waiting list review,carbon reduction plan,digital rollout,"
    "recruitment campaign",
    ",",
)
ARTEFACTS = _split(
    "run chart,driver diagram,survey questions,abstract,protocol,dashboard,slides,"
    "business case,patient information leaflet,SQL query,R script,interview guide,"
    "process map,teaching plan,job description",
    ",",
)
TOOLS = _split("Excel,R,Python,SQL,Power BI,Tableau,REDCap,NVivo,Stata,SPSS,Teams,Canva,Miro", ",")
OUTCOMES = _split(
    "fewer missed observations,safer discharges,shorter waits,fewer falls,"
    "better handovers,less time on paperwork,fairer access to clinics,"
    "fewer medication errors,happier and better supported staff,"
    "clearer information for patients,faster reporting,fewer cancelled operations,"
    "greener prescribing,earlier recognition of deterioration,better end of life care,"
    "more confident new starters",
    ",",
)
GROUPS = _split(
    "patients on our ward,older people at home,families in our community,"
    "people with diabetes,carers,children and young people,people waiting for surgery,"
    "care home residents,our whole team,people with learning disabilities,"
    "people who do not speak English at home,mental health service users,"
    "students on placement",
    ",",
)
# Uncommon words: each lands in a few dozen listings, for searches with few hits.
RARE_WORDS = _split(
    "sarcoidosis bronchiectasis thalassaemia phenylketonuria hidradenitis achalasia "
    "syringomyelia porphyria myasthenia amyloidosis acromegaly gastroparesis lymphoedema "
    "craniosynostosis hypophosphatasia scleroderma vasculitis narcolepsy hyperhidrosis "
    "endometriosis fibromyalgia hypermobility cholangitis pancreatitis osteomyelitis "
    "keratoconus uveitis blepharitis tinnitus vestibular dysphagia aphasia apraxia "
    "dyspraxia dyscalculia tourette huntington wilson fabry gaucher pompe batten rett "
    "angelman williams prader klinefelter turner marfan ehlers stickler noonan kawasaki "
    "behcet takayasu sjogren raynaud addison cushing conn graves hashimoto paget perthes "
    "scheuermann osgood sever kohler freiberg legg calve caplan felty still reiter "
    "whipple zollinger budd chiari dandy walker arnold moyamoya guillain barre lambert "
    "eaton charcot"
)
RARE_PHRASE_RATE = 0.05

TITLE_OFFERS = (
    "{Skill} for {audience}",
    "I can teach {skill} ({mode})",
    "Coaching on {skill} for {audience}",
    "Help with {skill} for your {project}",
    "{Skill}: a short session for {audience}",
    "Mentoring in {skill}",
    "Review of your {artefact} by a {profession_l}",
    "{Skill} with {tool} for {audience}",
)
TITLE_REQUESTS = (
    "Looking for help with {skill}",
    "Need a hand with {skill} for our {project}",
    "{Skill} support for {division}",
    "Seeking a mentor in {skill}",
    "Can someone review our {artefact}?",
    "Help wanted: {tool} for our {project}",
    "Advice on {area_l} data for our {project}",
)
DESCRIPTION_PARTS = (
    "I work as a {profession_l} in {division} at {organisation}.",
    "Our team in {division} is starting a {project} and wants to get the basics right.",
    "We have data from the last six months and would like to turn it into something useful.",
    "I have run sessions on {skill} for {audience} and am happy to share what worked.",
    "It could be a single call or two shorter ones, {mode}.",
    "The focus is {area_l}: we want {outcome} for {group}.",
    "Bring your {artefact}; we will go through it together and agree next steps.",
    "We use {tool} but are open to other approaches.",
    "Ideally someone who has done {skill} in a busy service before.",
    "Happy to share our coaching notes and templates afterwards.",
    "This links to work on {rare} in {place}.",
    "Colleagues from {place} are welcome to join.",
)
BENEFITS = (
    "Helps us deliver {outcome} for {group}.",
    "Means {outcome} for {group}.",
    "Supports {area_l} work that leads to {outcome}.",
    "Gives {audience} the confidence to improve care for {group}.",
)
DIRECT_TITLES = (
    "Talking through {skill} with a colleague",
    "Informal coaching on {skill}",
    "Quick review of a {artefact}",
    "Covering a {skill} teaching slot",
    "Shadowing session on {skill}",
)
MESSAGES = (
    "Thanks for picking this up. Would next Tuesday afternoon work for a call?",
    "Great, I have sent a calendar invitation. Let me know if the time is awkward.",
    "Could you share the draft beforehand so I can read it first?",
    "Running ten minutes late from clinic, sorry.",
    "That was really helpful, thank you. I will log the time shortly.",
    "Is a Teams call fine, or would you rather meet in person?",
    "I have attached the anonymised summary we talked about.",
    "Happy to do a second shorter session if that helps.",
)
THANKS = (
    "Thank you, that was exactly what we needed.",
    "Really generous with your time and knowledge. Thank you!",
    "Clear, practical and kind. Thank you so much.",
    "Thanks for the patience with all my questions.",
    "Brilliant session, the whole team learnt a lot.",
)
IMPACTS = (
    "We used the run chart at our safety huddle the next week.",
    "Our discharge checklist is now live on two wards.",
    "The grant application went in on time.",
    "Three new starters said they felt more confident after the session.",
    "We spotted a pattern in our falls data we had missed for months.",
    "Patients now get the leaflet in plain English.",
    "",
)
DECLINE_REASONS = (
    "Sorry, I am on leave for the next three weeks.",
    "I do not think I am the right person for this one.",
    "My rota changed and I cannot fit it in this month.",
    "This has been covered by someone in our own team, thank you.",
)
DISPUTE_REASONS = (
    "We agreed one hour but the call lasted thirty minutes.",
    "The session did not happen: I waited but nobody joined.",
    "Some of the logged time was for a different piece of work.",
)
CANCEL_REASONS = ("", "", "Plans changed on our side.", "We found the answer elsewhere.")
RESOLUTION_NOTES = (
    "Both members agreed the shorter time after we spoke.",
    "The session did not take place; no credits move.",
    "Logged time reduced to what both members described.",
)
MINUTES = (30, 45, 60, 60, 60, 60, 90, 90, 120, 120, 180, 240)

# Exchange paths: the steps each final state is reached by, and how often.
PATHS: dict[str, tuple[str, ...]] = {
    "completed": (Verb.ACCEPT, Verb.DELIVER, Verb.CONFIRM),
    "completed_auto": (Verb.ACCEPT, Verb.DELIVER, Verb.AUTO_CONFIRM),
    "completed_resolved": (Verb.ACCEPT, Verb.DELIVER, Verb.DISPUTE, Verb.RESOLVE_POST),
    "proposed": (),
    "accepted": (Verb.ACCEPT,),
    "delivered": (Verb.ACCEPT, Verb.DELIVER),
    "disputed": (Verb.ACCEPT, Verb.DELIVER, Verb.DISPUTE),
    "declined": (Verb.DECLINE,),
    "cancelled_early": (Verb.CANCEL,),
    "cancelled_held": (Verb.ACCEPT, Verb.CANCEL),
    "voided": (Verb.ACCEPT, Verb.DELIVER, Verb.DISPUTE, Verb.RESOLVE_VOID),
}
PATH_WEIGHTS = {
    "completed": 0.715,
    "completed_auto": 0.12,
    "completed_resolved": 0.01,
    "proposed": 0.025,
    "accepted": 0.03,
    "delivered": 0.015,
    "disputed": 0.005,
    "declined": 0.03,
    "cancelled_early": 0.025,
    "cancelled_held": 0.02,
    "voided": 0.005,
}
# Paths still open today end within this many days of now.
OPEN_WINDOW_DAYS = {"proposed": 14, "accepted": 30, "delivered": 13, "disputed": 40}
# Requests answered by anyone rather than by someone with one of their skills.
ANSWERED_BY_ANYONE = 0.2

# The benchmark member's exchanges: (the member's role, path).
BENCH_EXCHANGES: tuple[tuple[str, str], ...] = (
    # Every final state first, so a small run still has each of them.
    *(("provider", p) for p in ("completed", "proposed", "accepted", "delivered", "declined")),
    *(("receiver", p) for p in ("completed", "delivered", "disputed", "cancelled_held")),
    *(("receiver", p) for p in ("voided", "completed_resolved", "cancelled_early", "proposed")),
    *(("provider", p) for p in ("completed_auto", "cancelled_early", "disputed", "accepted")),
    *(("provider", "completed") for _ in range(12)),
    *(("receiver", "completed") for _ in range(5)),
    ("provider", "completed_auto"),
    ("provider", "delivered"),
    ("receiver", "delivered"),
    ("receiver", "proposed"),
    ("receiver", "accepted"),
    ("receiver", "declined"),
)
LISTING_STATUSES = {
    Listing.Status.OPEN: 0.80,
    Listing.Status.PAUSED: 0.06,
    Listing.Status.CLOSED: 0.09,
    Listing.Status.EXPIRED: 0.05,
}
COMMON_WORD = "data"


# --- The plan, in memory ----------------------------------------------------------


@dataclass
class GenerateResult:
    seconds: float
    counts: dict[str, int]
    exchange_statuses: dict[str, int]
    ledger: LedgerReport
    donations: int
    common_word: str
    common_hits: int
    rare_word: str
    rare_hits: int
    # Exchanges that took another course for want of credits, by what happened.
    adjusted: dict[str, int]


class _Member:
    __slots__ = (
        "account_id",
        "division",
        "email",
        "id",
        "joined",
        "name",
        "org",
        "profession",
        "skills",
    )

    def __init__(self, id, account_id, joined, name, email, org, profession, division):
        self.id, self.account_id, self.joined = id, account_id, joined
        self.name, self.email, self.org = name, email, org
        self.profession, self.division = profession, division
        self.skills: tuple[int, ...] = ()  # their profile's taxonomy skills


class _Listing:
    __slots__ = (
        "area",
        "benefit",
        "created",
        "end",
        "fields",
        "format",
        "id",
        "kind",
        "minutes",
        "owner",
        "skills",
        "status",
        "title",
    )
    id: int
    owner: _Member
    kind: str
    title: str
    area: int
    benefit: str
    minutes: int
    format: str
    created: float
    end: float
    status: str
    skills: tuple[int, ...]
    fields: tuple[Any, ...]  # written out, then let go

    def __init__(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self, name, value)


class _Stamps(TypedDict, total=False):
    """When (in seconds) and by whom an exchange moved, and what was said."""

    accepted_at: float
    declined_at: float
    decline_reason: str
    delivered_at: float
    completed_at: float
    completed_by: _Member | None
    disputed_at: float
    dispute_reason: str
    cancelled_at: float
    cancelled_by: _Member
    resolved_at: float
    resolved_by: _Member
    resolution_note: str


class _Exchange:
    __slots__ = (
        "area",
        "bench",
        "benefit",
        "created",
        "format",
        "held",
        "hold",
        "id",
        "listing",
        "logged",
        "path",
        "payment",
        "proposed",
        "proposed_by",
        "provider",
        "receiver",
        "stamps",
        "status",
        "steps",
        "title",
    )
    area: int
    benefit: str
    created: float
    format: str
    proposed: int
    proposed_by: _Member
    provider: _Member
    receiver: _Member
    title: str

    def __init__(self, id: int, path: str, bench: str | None) -> None:
        self.id, self.path, self.bench = id, path, bench
        self.listing: _Listing | None = None
        self.hold: int | None = None
        self.payment: int | None = None
        self.logged: int | None = None
        self.held = 0
        self.status: str = Status.PROPOSED
        self.stamps: _Stamps = {}
        self.steps: list[tuple] = []  # (verb, actor, from, to, minutes, note, t)


@dataclass
class _Ledger:
    """Running totals per account id, and the transfers in the order they happened."""

    pool: int
    floor: int | None
    ceiling: int | None
    posted_debits: Counter = field(default_factory=Counter)
    posted_credits: Counter = field(default_factory=Counter)
    pending_debits: Counter = field(default_factory=Counter)
    pending_credits: Counter = field(default_factory=Counter)
    rows: list[tuple] = field(default_factory=list)
    next_id: int = 1

    def available(self, account: int) -> int:
        return (
            self.posted_credits[account]
            - self.posted_debits[account]
            - self.pending_debits[account]
        )

    def can_spend(self, debit: int, credit: int, amount: int) -> bool:
        """The checks of ``ledger.services._check_limits``; the pool has no limits."""
        if (
            debit != self.pool
            and self.floor is not None
            and self.available(debit) - amount < self.floor
        ):
            return False
        if credit == self.pool:
            return True
        incoming = (
            self.posted_credits[credit] - self.posted_debits[credit] + self.pending_credits[credit]
        )
        return self.ceiling is None or incoming + amount <= self.ceiling

    def _row(self, key, kind, state, debit, credit, amount, pending, by, memo, t) -> int:
        tid = self.next_id
        self.next_id += 1
        self.rows.append((tid, key, kind, state, debit, credit, amount, pending, by, memo, t))
        return tid

    def post(self, *, key, kind, debit, credit, amount, by, memo, t) -> int:
        self.posted_debits[debit] += amount
        self.posted_credits[credit] += amount
        return self._row(key, kind, Transfer.State.POSTED, debit, credit, amount, None, by, memo, t)

    def hold(self, *, key, debit, credit, amount, by, memo, t) -> int:
        self.pending_debits[debit] += amount
        self.pending_credits[credit] += amount
        kind, state = Transfer.Kind.EXCHANGE, Transfer.State.PENDING
        return self._row(key, kind, state, debit, credit, amount, None, by, memo, t)

    def resolve(self, *, key, hold, debit, credit, held, amount, by, memo, t) -> int:
        """Post ``amount`` (at most what was held) or, with None, void the hold."""
        self.pending_debits[debit] -= held
        self.pending_credits[credit] -= held
        if amount is None:
            state, amount = Transfer.State.VOIDED, held
        else:
            state = Transfer.State.POSTED
            self.posted_debits[debit] += amount
            self.posted_credits[credit] += amount
        return self._row(
            key, Transfer.Kind.EXCHANGE, state, debit, credit, amount, hold, by, memo, t
        )


class _Progress:
    def __init__(self, write: Callable[[str], None]):
        self.write = write
        self.started = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def note(self, text: str) -> None:
        self.write(f"[{self.elapsed():6.1f}s] {text}")

    def counted(self, label: str, items: Iterable, total: int) -> Iterator:
        """Yield ``items``, saying how far along they are every tenth or so."""
        # Small steps finish at once: say so only when they are done.
        step = max(1, total // 10) if total >= 20_000 else total + 1
        done = 0
        for item in items:
            yield item
            done += 1
            if done % step == 0 and done < total:
                self.note(f"{label:<22} {done:>9,}/{total:,} {'#' * (10 * done // total):<10}")
        self.note(f"{label:<22} {done:>9,} done")


# Naive on purpose: moment() writes times as SQLite's adapter stores them,
# naive UTC text, without the adapter's time-zone look-ups.
_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001


def _ts(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


class _Builder:
    def __init__(self, *, members, listings, exchanges, seed, progress: _Progress):
        self.n_members, self.n_listings, self.n_exchanges = members, listings, exchanges
        self.random = random.Random(seed)
        self.progress = progress
        self.now = time.time()
        self.start = self.now - EXCHANGE_DAYS * DAY
        self.skills = list(Skill.objects.select_related("category").order_by("pk"))
        self.areas = list(ImprovementArea.objects.order_by("pk"))
        if not self.skills or not self.areas:
            raise DomainError(
                "The skills taxonomy is missing: run `equitime migrate` first.",
                kind=ErrorKind.CONFLICT,
            )
        self.places = [h + t for h in _PLACE_HEADS for t in _PLACE_TAILS]
        self.pool = pool_account()
        self.ledger = _Ledger(
            pool=self.pool.pk,
            floor=settings.EQUITIME_BALANCE_FLOOR_MINUTES,
            ceiling=settings.EQUITIME_BALANCE_CEILING_MINUTES,
        )
        self.naive_utc = (
            connection.vendor == "sqlite"
            and settings.USE_TZ
            and str(connection.timezone) in ("UTC", "Etc/UTC")
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                # A bigger page cache for this connection: the indexes outgrow the default.
                cursor.execute("PRAGMA cache_size = -262144")
        self.adjusted: Counter = Counter()
        self.donations = 0
        self.rare_words: Counter = Counter()
        self.expiry_warnings: list[tuple] = []

    # -- helpers --

    def pick(self, seq):
        return seq[int(self.random.random() * len(seq))]

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.random.random()

    @staticmethod
    def next_id(model) -> int:
        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def write(self, model, label: str, objects: Iterable, total: int) -> None:
        """bulk_create in batches, one transaction per batch."""
        it = iter(self.progress.counted(label, objects, total))
        while batch := list(islice(it, BATCH)):
            with transaction.atomic():
                model.objects.bulk_create(batch, batch_size=1000)

    def insert(self, model, label: str, columns: tuple[str, ...], rows: Iterable, total: int):
        """The INSERT that ``bulk_create`` sends, for the big tables: rows are
        tuples of the ``columns`` (attribute names), datetimes already adapted
        with ``self.moment``. Building a model instance per row costs ten
        times the database's work; the constraints check every row the same."""
        q = connection.ops.quote_name
        fields = [model._meta.get_field(column) for column in columns]
        # Columns the generator does not fill take their defaults, as bulk_create would.
        defaults = [f for f in model._meta.concrete_fields if f not in fields and not f.primary_key]
        extra = tuple(f.get_db_prep_save(f.get_default(), connection) for f in defaults)
        names = [q(f.column) for f in [*fields, *defaults]]
        marks = ", ".join(["%s"] * (len(fields) + len(defaults)))
        table = q(model._meta.db_table)
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
        # PostgreSQL takes rows fastest through COPY (ten times executemany),
        # which checks every constraint as INSERT does; SQLite through one
        # prepared statement.
        copy = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        it = iter(self.progress.counted(label, rows, total))
        while batch := list(islice(it, BATCH)):
            if extra:
                batch = [row + extra for row in batch]
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.connection.cursor() as cursor, cursor.copy(copy) as rows_in:
                        for row in batch:
                            rows_in.write_row(row)
                else:
                    with connection.cursor() as cursor:
                        cursor.executemany(sql, batch)

    def moment(self, t: float | None):
        """A simulated time as the database driver takes it."""
        if t is None:
            return None
        if self.naive_utc:
            # What adapt_datetimefield_value makes of an aware time on SQLite,
            # without its time-zone look-ups: a third of the run otherwise.
            return str(_EPOCH + timedelta(seconds=t))
        return connection.ops.adapt_datetimefield_value(_ts(t))

    # -- organisations and members --

    def organisations(self) -> list[Organisation]:
        count = max(5, min(300, self.n_members // 40))
        taken = {
            (name.lower(), country)
            for name, country in Organisation.objects.values_list("name", "country")
        }
        countries = list(COUNTRIES)
        weights = [COUNTRIES[c][0] for c in countries]
        uk_kinds = list(ORGANISATION_NAMES)
        uk_weights = [ORGANISATION_NAMES[k][1] for k in uk_kinds]
        found: list[Organisation] = []
        while len(found) < count:
            country = self.random.choices(countries, weights)[0]
            p, q = self.pick(self.places), self.pick(self.places)
            if country == "GB":
                kind = self.random.choices(uk_kinds, uk_weights)[0]
                name = self.pick(ORGANISATION_NAMES[kind][0]).format(p=p, q=q)
            else:
                kind = self.pick(
                    (Kind.INTERNATIONAL_PARTNER,) * 3
                    + (Kind.UNIVERSITY, Kind.CHARITY, Kind.INDUSTRY)
                )
                template = (
                    INTERNATIONAL_NAMES
                    if kind == Kind.INTERNATIONAL_PARTNER
                    else ORGANISATION_NAMES[kind][0]
                )
                name = self.pick(template).format(p=p, q=q)
            if (name.lower(), country) in taken or p == q:
                continue
            taken.add((name.lower(), country))
            found.append(Organisation(name=name, kind=kind, country=country))
        with transaction.atomic():
            Organisation.objects.bulk_create(found)
        if found[0].pk is None:  # a database that does not return ids
            names = {o.name for o in found}
            found = list(Organisation.objects.filter(name__in=names).order_by("pk"))
        return found

    def members(self, organisations: list[Organisation]) -> list[_Member]:
        random_ = self.random
        password = make_password(BENCH_PASSWORD)
        member_id, account_id = self.next_id(Member), self.next_id(Account)
        # A few big trusts and many small organisations.
        org_weights = [1.0 / (rank + 3) for rank in range(len(organisations))]
        people: list[_Member] = []
        for n in range(self.n_members):
            if n == 0:
                first, last, email = "Bench", "Member", BENCH_EMAIL
                joined = self.now - 390 * DAY
            else:
                first, last = self.pick(FIRST_NAMES), self.pick(SURNAMES)
                handle = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
                email = f"{handle}.{n}@{SCALE_DOMAIN}"
                # A founding cohort, then steady growth.
                if random_.random() < 0.35:
                    joined = self.now - self.uniform(HISTORY_DAYS, EXCHANGE_DAYS + 5) * DAY
                else:
                    joined = self.now - self.uniform(EXCHANGE_DAYS, 7) * DAY
            org = random_.choices(organisations, org_weights)[0]
            people.append(
                _Member(
                    member_id + n,
                    account_id + n,
                    joined,
                    f"{first} {last}",
                    email,
                    org,
                    self.pick(PROFESSIONS),
                    self.pick(DIVISIONS),
                )
            )

        def member_rows():
            for person in people:
                yield Member(
                    id=person.id,
                    email=person.email,
                    display_name=person.name,
                    sort_name=name_sort_key(person.name),
                    search_name=name_search_key(person.name),
                    password=password,
                    date_joined=_ts(person.joined),
                )

        self.write(Member, "members", member_rows(), len(people))
        self.write(
            EmailAddress,
            "confirmed addresses",
            (
                EmailAddress(user_id=p.id, email=p.email, verified=True, primary=True)
                for p in people
            ),
            len(people),
        )
        profile_id = self.next_id(Profile)
        through = Profile.skills.through

        def profile_rows():
            for n, person in enumerate(people):
                org = person.org
                country = org.country if random_.random() < 0.9 else "GB"
                _weight, zones, languages = COUNTRIES.get(str(country), COUNTRIES["GB"])
                extra = min(len(languages), random_.choice((0, 0, 1, 1, 2)))
                spoken = ["English", *random_.sample(languages, k=extra)]
                profession = person.profession
                skills = random_.sample(FREE_SKILLS, k=random_.randint(1, 4))
                yield Profile(
                    id=profile_id + n,
                    member_id=person.id,
                    organisation_id=org.pk,
                    profession=profession,
                    division=person.division,
                    country=country,
                    time_zone=self.pick(zones),
                    languages=spoken,
                    bio=(
                        f"{profession} at {org.name}. I enjoy {skills[0]} and learning from "
                        f"colleagues in other organisations."
                    ),
                    skills_offered=skills,
                    availability=self.pick(AVAILABILITY),
                    preference=self.pick(Profile.Preference.values),
                )

        self.write(Profile, "profiles", profile_rows(), len(people))

        rows: list[tuple[int, int]] = []
        for n, person in enumerate(people):
            person.skills = tuple(
                skill.pk for skill in random_.sample(self.skills, k=random_.randint(1, 5))
            )
            rows.extend((profile_id + n, pk) for pk in person.skills)
        self.insert(through, "profile skills", ("profile_id", "skill_id"), rows, len(rows))
        return people

    # -- listings --

    def _text(self, template: str, values: dict[str, str]) -> str:
        return template.format(**values)

    def _values(self, owner: _Member, profession: str, division: str, skill: Skill, area) -> dict:
        values = {
            "skill": skill.name.lower() if skill.name[1:].islower() else skill.name,
            "Skill": skill.name,
            "audience": self.pick(AUDIENCES),
            "project": self.pick(PROJECTS),
            "artefact": self.pick(ARTEFACTS),
            "tool": self.pick(TOOLS),
            "mode": self.pick(("remote", "in person", "remote or in person")),
            "profession_l": profession.lower(),
            "division": division,
            "organisation": owner.org.name,
            "area_l": area.name.lower(),
            "outcome": self.pick(OUTCOMES),
            "group": self.pick(GROUPS),
            "place": self.pick(self.places),
            "rare": self.pick(RARE_WORDS),
        }
        values["Skill"] = values["Skill"][0].upper() + values["Skill"][1:]
        return values

    def listings(self, people: list[_Member]) -> list[_Listing]:
        random_ = self.random
        first_id = self.next_id(Listing)
        bench = people[0]
        statuses = list(LISTING_STATUSES)
        status_weights = list(LISTING_STATUSES.values())
        expiry = settings.EQUITIME_LISTING_EXPIRY_DAYS * DAY
        warning = settings.EQUITIME_LISTING_EXPIRY_WARNING_DAYS * DAY
        made: list[_Listing] = []
        bench_plan = []
        if self.n_listings >= 30:
            # Ten open listings (offers and requests) and four older ones.
            bench_plan = [
                (Listing.Status.OPEN, self.now - self.uniform(2, 60) * DAY) for _ in range(10)
            ]
            bench_plan += [(Listing.Status.EXPIRED, self.now - d * DAY) for d in (300, 210)]
            bench_plan += [(Listing.Status.CLOSED, self.now - d * DAY) for d in (250, 150)]
        for n in range(self.n_listings):
            if n < len(bench_plan):
                owner = bench
                status, created = bench_plan[n]
                kind = Listing.Kind.OFFER if n % 5 < 3 else Listing.Kind.REQUEST
            else:
                owner = (
                    people[1 + int(random_.random() * (len(people) - 1))]
                    if len(people) > 1
                    else bench
                )
                status = random_.choices(statuses, status_weights)[0]
                kind = Listing.Kind.OFFER if random_.random() < 0.6 else Listing.Kind.REQUEST
                begin = max(owner.joined, self.now - 365 * DAY)
                # Growing: more listings lately.
                created = begin + (self.now - HOUR - begin) * random_.random() ** 0.7
                if status == Listing.Status.EXPIRED and created > self.now - expiry - DAY:
                    status = Listing.Status.OPEN
            skills = random_.sample(self.skills, k=random_.choice((1, 1, 2, 2, 2, 3)))
            area = self.pick(self.areas)
            values = self._values(owner, owner.profession, owner.division, skills[0], area)
            title = self.pick(TITLE_OFFERS if kind == Listing.Kind.OFFER else TITLE_REQUESTS)
            title = self._text(title, values)[:120]
            parts = random_.sample(DESCRIPTION_PARTS[:10], k=random_.randint(2, 4))
            if random_.random() < RARE_PHRASE_RATE:
                parts.append(DESCRIPTION_PARTS[10])
                self.rare_words[values["rare"]] += 1
            if random_.random() < 0.1:
                parts.append(DESCRIPTION_PARTS[11])
            description = " ".join(self._text(p, values) for p in parts)
            benefit = self._text(self.pick(BENEFITS), values)[:250]
            end = self.now
            fields: dict[str, Any] = {
                "updated_at": created,
                "expires_at": created + expiry,
                "closed_at": None,
            }
            if (
                status in (Listing.Status.OPEN, Listing.Status.PAUSED)
                and created + expiry <= self.now + HOUR
            ):
                renewed = (
                    self.now - self.uniform(1, settings.EQUITIME_LISTING_EXPIRY_DAYS - 2) * DAY
                )
                fields["updated_at"] = renewed
                fields["expires_at"] = renewed + expiry
            if status == Listing.Status.PAUSED:
                fields["updated_at"] = self.uniform(fields["updated_at"], self.now)
            elif status == Listing.Status.CLOSED:
                end = self.uniform(created, min(created + expiry, self.now))
                fields["updated_at"] = fields["closed_at"] = end
            elif status == Listing.Status.EXPIRED:
                end = created + expiry
                fields["updated_at"] = min(end + self.uniform(0, DAY), self.now)
            fields["expiry_warned_at"] = None
            if status == Listing.Status.OPEN and fields["expires_at"] - warning <= self.now:
                # The scheduled warning already went out for listings about to expire.
                warned = max(fields["updated_at"], fields["expires_at"] - warning)
                warned = min(warned + self.uniform(0, 0.1) * DAY, self.now - 60)
                fields["expiry_warned_at"] = warned
                self.expiry_warnings.append(
                    (owner, first_id + n, title, fields["expires_at"], warned)
                )
            made.append(
                _Listing(
                    id=first_id + n,
                    owner=owner,
                    kind=kind,
                    title=title,
                    area=area.pk,
                    benefit=benefit,
                    minutes=self.pick(MINUTES),
                    format=self.pick(Format.values),
                    created=created,
                    end=end,
                    status=status,
                    skills=tuple(skill.pk for skill in skills),
                    fields=(description, skills, values["place"], fields),
                )
            )

        moment = self.moment
        languages = json.dumps(["English"])

        def listing_rows():
            for item in made:
                description, _skills, place, times = item.fields
                yield (
                    item.id,
                    item.owner.id,
                    item.kind,
                    item.title,
                    description,
                    item.area,
                    item.benefit,
                    item.minutes,
                    item.format,
                    place if item.format != Format.REMOTE else "",
                    languages,
                    item.status,
                    moment(times["expires_at"]),
                    moment(item.created),
                    moment(times["updated_at"]),
                    moment(times["closed_at"]),
                    moment(times["expiry_warned_at"]),
                )

        columns = (
            "id",
            "owner_id",
            "kind",
            "title",
            "description",
            "improvement_area_id",
            "benefit",
            "estimated_minutes",
            "format",
            "place",
            "languages",
            "status",
            "expires_at",
            "created_at",
            "updated_at",
            "closed_at",
            "expiry_warned_at",
        )
        self.insert(Listing, "listings", columns, listing_rows(), len(made))
        rows = [(item.id, skill.pk) for item in made for skill in item.fields[1]]
        through = Listing.skills.through
        self.insert(through, "listing skills", ("listing_id", "skill_id"), rows, len(rows))
        self.search_rows(made)
        for item in made:
            item.fields = ()  # the text is written; keep memory for the exchanges
        return made

    def search_rows(self, made: list[_Listing]) -> None:
        """The listings' search rows, by ``listings.search`` itself: ``_document``
        reads a listing's attributes (here the values just written, so no
        listing is read back) and ``_write`` stores the row for either database."""
        areas = {area.pk: area for area in self.areas}
        organisations: dict[int, SimpleNamespace] = {}
        owners: dict[int, SimpleNamespace] = {}

        def owner(person: _Member) -> SimpleNamespace:
            if person.id not in owners:
                org = person.org
                if org.pk not in organisations:
                    organisations[org.pk] = SimpleNamespace(name=org.name)
                profile = SimpleNamespace(
                    profession=person.profession,
                    division=person.division,
                    organisation=organisations[org.pk],
                )
                owners[person.id] = SimpleNamespace(display_name=person.name, profile=profile)
            return owners[person.id]

        def documents():
            for item in made:
                description, skills, place, _times = item.fields
                listing = SimpleNamespace(
                    title=item.title,
                    benefit=item.benefit,
                    description=description,
                    place=place if item.format != Format.REMOTE else "",
                    languages=["English"],
                    improvement_area=areas[item.area],
                    owner=owner(item.owner),
                    skills=SimpleNamespace(all=lambda skills=skills: skills),
                )
                yield item.id, _document(listing)

        it = iter(self.progress.counted("search rows", documents(), len(made)))
        while batch := list(islice(it, BATCH)):
            with transaction.atomic():
                _write(connection, batch)

    # -- exchanges and the ledger, replayed in time order --

    def welcome_gifts(self, people: list[_Member]) -> None:
        gift = settings.EQUITIME_WELCOME_GIFT_MINUTES
        for person in people:
            self.ledger.post(
                key=f"welcome-gift:{person.id}",
                kind=Transfer.Kind.WELCOME_GIFT,
                debit=self.pool.pk,
                credit=person.account_id,
                amount=gift,
                by=person.id,
                memo="Welcome to Equitime",
                t=person.joined,
            )

    def _gaps(self, path: tuple[str, ...]) -> list[float]:
        u = self.uniform
        gap: dict[str, Callable[[], float]] = {
            Verb.ACCEPT: lambda: u(0.05, 3),
            Verb.DECLINE: lambda: u(0.05, 4),
            Verb.CANCEL: lambda: u(0.2, 8),
            Verb.DELIVER: lambda: u(0.5, 10),
            Verb.CONFIRM: lambda: u(0.02, 3),
            Verb.AUTO_CONFIRM: lambda: settings.EQUITIME_AUTO_CONFIRM_DAYS + u(0.01, 1),
            Verb.DISPUTE: lambda: u(0.05, 5),
            Verb.RESOLVE_POST: lambda: u(0.5, 10),
            Verb.RESOLVE_VOID: lambda: u(0.5, 10),
        }
        return [gap[verb]() * DAY for verb in path]

    def _timeline(self, path_name: str) -> tuple[float, list[float]]:
        """When the exchange was proposed, and when each later step happened."""
        path = PATHS[path_name]
        gaps = self._gaps(path)
        total = sum(gaps)
        window = OPEN_WINDOW_DAYS.get(path_name)
        if window is not None:
            last = self.now - self.uniform(HOUR, window * DAY)
            if path_name == "delivered":
                # Not yet due for automatic confirmation.
                last = self.now - self.uniform(
                    HOUR, (settings.EQUITIME_AUTO_CONFIRM_DAYS - 1) * DAY
                )
            t0 = max(self.start, last - total)
        else:
            span = self.now - HOUR - total - self.start
            t0 = self.start + span * self.random.random() ** 0.8
        times, t = [], t0
        for gap in gaps:
            t = min(t + gap, self.now - 60)
            times.append(t)
        return t0, times

    def exchanges(self, people, listings, moderators) -> list[_Exchange]:
        random_ = self.random
        first_id = self.next_id(Exchange)
        bench = people[0]
        members_by_join = sorted(people[1:], key=lambda p: p.joined)
        join_times = [p.joined for p in members_by_join]
        listings_sorted = sorted(
            (item for item in listings if item.owner is not bench), key=lambda x: x.created
        )
        listing_times = [item.created for item in listings_sorted]
        bench_listings = [item for item in listings if item.owner is bench]
        expiry = settings.EQUITIME_LISTING_EXPIRY_DAYS * DAY
        n_bench = min(len(BENCH_EXCHANGES), self.n_exchanges // 6) if len(people) > 2 else 0
        paths = list(PATH_WEIGHTS)
        path_weights = list(PATH_WEIGHTS.values())
        made: list[_Exchange] = []
        heap: list = []
        for n in range(self.n_exchanges):
            if n < n_bench:
                role, path_name = BENCH_EXCHANGES[n]
            else:
                role, path_name = None, random_.choices(paths, path_weights)[0]
            exchange = _Exchange(first_id + n, path_name, role)
            t0, times = self._timeline(path_name)
            if role == "receiver" and path_name != "proposed":
                # The benchmark member earns before spending.
                t0 = max(t0, self.now - 200 * DAY)
                times = [max(t, t0) for t in times]
            exchange.created = t0
            made.append(exchange)
            heapq.heappush(heap, (t0, exchange.id, 0, times))
        # Donations happen among the exchanges.
        n_donations = len(people) // 8 if len(people) > 2 else 0
        for k in range(n_donations):
            heapq.heappush(heap, (self.uniform(self.start, self.now - HOUR), -1 - k, -1, None))

        def member_joined_by(t: float, avoid=()) -> _Member | None:
            limit = bisect.bisect_right(join_times, t)
            if limit == 0:
                return None
            for _ in range(8):
                person = members_by_join[int(random_.random() * limit)]
                if person not in avoid:
                    return person
            return None

        available = self.ledger.available

        def richest(t: float, avoid=(), tries: int = 3) -> _Member | None:
            """The member with most credits of a few drawn at random: people who
            have earned credits spend them, so balances circulate instead of
            running dry (as in a real time bank, where members are nudged to)."""
            best = None
            for _ in range(tries):
                person = member_joined_by(t, avoid)
                if person is not None and (
                    best is None or available(person.account_id) > available(best.account_id)
                ):
                    best = person
            return best

        def poorest(t: float, avoid=()) -> _Member | None:
            first, second = member_joined_by(t, avoid), member_joined_by(t, avoid)
            if first is None or second is None:
                return first or second
            return min(first, second, key=lambda person: available(person.account_id))

        # Who answers a request: mostly someone with one of its skills (as on
        # a real time bank, where people answer what they know), sometimes
        # anyone. Members by skill, in joining order, for ``skilled``.
        by_skill: dict[int, list[_Member]] = defaultdict(list)
        for person in members_by_join:
            for pk in person.skills:
                by_skill[pk].append(person)
        skill_join_times = {pk: [p.joined for p in group] for pk, group in by_skill.items()}

        def skilled(t: float, listing: _Listing) -> _Member | None:
            """Of two members with one of the request's skills who had joined
            by ``t``, the one with fewer credits (as ``poorest``); ``poorest``
            for a share ``ANSWERED_BY_ANYONE`` of requests, or when nobody fits."""
            if random_.random() >= ANSWERED_BY_ANYONE and listing.skills:
                pk = self.pick(listing.skills)
                limit = bisect.bisect_right(skill_join_times.get(pk, []), t)
                drawn = (
                    by_skill[pk][int(random_.random() * limit)] for _ in range(2 if limit else 0)
                )
                found = [person for person in drawn if person is not listing.owner]
                if found:
                    return min(found, key=lambda person: available(person.account_id))
            return poorest(t, avoid=(listing.owner,))

        def propose(exchange: _Exchange, t: float) -> None:
            needs_credit = PATHS[exchange.path][:1] == (Verb.ACCEPT,)
            for attempt in range(30):
                listing = None
                minutes = self.pick(MINUTES)
                if exchange.bench:
                    mine = [x for x in bench_listings if x.created <= t <= x.end]
                    use_own = mine and random_.random() < 0.5
                    other = richest(t) if exchange.bench == "provider" else poorest(t)
                    if other is None:
                        continue
                    if use_own:
                        listing = self.pick(mine)
                        wanted = (
                            Listing.Kind.OFFER
                            if exchange.bench == "provider"
                            else Listing.Kind.REQUEST
                        )
                        if listing.kind != wanted:
                            listing = None
                    if exchange.bench == "provider":
                        provider, receiver = bench, other
                    else:
                        provider, receiver = other, bench
                        minutes = self.pick((30, 45, 60, 60))
                    proposer = other if listing is not None else self.pick((bench, other))
                    if exchange.path == "proposed":
                        proposer = other  # waiting for the benchmark member's answer
                else:
                    lo = bisect.bisect_left(listing_times, t - expiry)
                    hi = bisect.bisect_right(listing_times, t)
                    if hi > lo and random_.random() < 0.85:
                        # Of a few open listings, the one whose receiver can best pay.
                        for _ in range(3):
                            candidate = listings_sorted[lo + int(random_.random() * (hi - lo))]
                            if candidate.end < t:
                                continue
                            if candidate.kind == Listing.Kind.OFFER or listing is None:
                                listing = candidate
                                break
                            if available(candidate.owner.account_id) > available(
                                listing.owner.account_id
                            ):
                                listing = candidate
                    if listing is not None:
                        offer = listing.kind == Listing.Kind.OFFER
                        other = richest(t, avoid=(listing.owner,)) if offer else skilled(t, listing)
                        if other is None:
                            continue
                        provider, receiver = (
                            (listing.owner, other) if offer else (other, listing.owner)
                        )
                        proposer = other
                        if random_.random() < 0.7:
                            minutes = listing.minutes
                    else:
                        giver = poorest(t)
                        getter = richest(t, avoid=(giver,))
                        if giver is None or getter is None:
                            continue
                        provider, receiver = giver, getter
                        proposer = self.pick((provider, receiver))
                if provider is receiver:
                    continue
                if needs_credit and not self.ledger.can_spend(
                    receiver.account_id, provider.account_id, minutes
                ):
                    if attempt < 29:
                        continue
                    self.adjusted["declined: nobody could hold the credits"] += 1
                    exchange.path = "declined" if not exchange.bench else exchange.path
                break
            else:  # pragma: no cover - nobody had joined yet
                exchange.path = "skip"
                return
            exchange.listing = listing
            exchange.provider, exchange.receiver, exchange.proposed_by = (
                provider,
                receiver,
                proposer,
            )
            exchange.proposed = minutes
            if listing is not None:
                exchange.title, exchange.area, exchange.benefit = (
                    listing.title,
                    listing.area,
                    listing.benefit,
                )
                exchange.format = listing.format
            else:
                skill = self.pick(self.skills)
                area = self.pick(self.areas)
                values = self._values(provider, "colleague", "", skill, area)
                exchange.title = self._text(self.pick(DIRECT_TITLES), values)[:120]
                exchange.area, exchange.format = area.pk, Format.EITHER
                exchange.benefit = self._text(self.pick(BENEFITS), values)[:250]
            exchange.steps.append((Verb.PROPOSE, proposer, "", Status.PROPOSED, None, "", t))

        def step(exchange: _Exchange, verb: str, t: float) -> bool:
            """Apply one move; False ends the exchange where it is."""
            provider, receiver = exchange.provider, exchange.receiver
            other = receiver if exchange.proposed_by is provider else provider
            start_status = exchange.status
            minutes, note = None, ""
            actor: _Member | None
            stamps = exchange.stamps
            key = f"exchange:{exchange.id}"

            def void_hold(actor: _Member) -> None:
                """Release the receiver's hold (cancelled, or closed without credits)."""
                self.ledger.resolve(
                    key=f"{key}:void",
                    hold=exchange.hold,
                    debit=receiver.account_id,
                    credit=provider.account_id,
                    held=exchange.held,
                    amount=None,
                    by=actor.id,
                    memo="",
                    t=t,
                )

            if verb == Verb.ACCEPT:
                if not self.ledger.can_spend(
                    receiver.account_id, provider.account_id, exchange.proposed
                ):
                    # They agree fewer hours, or the receiver withdraws until they have earned some.
                    room = self.ledger.available(receiver.account_id) - (self.ledger.floor or 0)
                    fewer = min(
                        exchange.proposed - STEP_MINUTES, room // STEP_MINUTES * STEP_MINUTES
                    )
                    if fewer >= STEP_MINUTES and self.ledger.can_spend(
                        receiver.account_id, provider.account_id, fewer
                    ):
                        exchange.proposed = fewer
                        self.adjusted["fewer hours agreed at acceptance"] += 1
                    else:
                        self.adjusted["withdrawn until the receiver has credits"] += 1
                        exchange.status = Status.CANCELLED
                        stamps["cancelled_at"], stamps["cancelled_by"] = t, receiver
                        note = "Withdrawn until I have earned enough credits."
                        exchange.steps.append(
                            (Verb.CANCEL, receiver, start_status, Status.CANCELLED, None, note, t)
                        )
                        return False
                exchange.hold = self.ledger.hold(
                    key=f"{key}:hold",
                    debit=receiver.account_id,
                    credit=provider.account_id,
                    amount=exchange.proposed,
                    by=other.id,
                    memo=exchange.title[:200],
                    t=t,
                )
                exchange.held = exchange.proposed
                stamps["accepted_at"] = t
                actor, minutes = other, exchange.proposed
            elif verb == Verb.DECLINE:
                note = self.pick(DECLINE_REASONS)
                stamps["declined_at"], stamps["decline_reason"] = t, note
                actor = other
            elif verb == Verb.CANCEL:
                actor = self.pick((provider, receiver))
                note = self.pick(CANCEL_REASONS)
                if exchange.hold is not None:
                    void_hold(actor)
                stamps["cancelled_at"], stamps["cancelled_by"] = t, actor
            elif verb == Verb.DELIVER:
                r = random_.random()
                logged = exchange.proposed
                if r < 0.12 and logged > STEP_MINUTES:
                    logged -= STEP_MINUTES
                elif r < 0.18 and logged > 2 * STEP_MINUTES:
                    logged -= 2 * STEP_MINUTES
                exchange.logged = minutes = logged
                stamps["delivered_at"] = t
                actor = provider
            elif verb in (Verb.CONFIRM, Verb.AUTO_CONFIRM, Verb.RESOLVE_POST):
                actor = receiver if verb == Verb.CONFIRM else None
                amount = exchange.logged
                if verb == Verb.RESOLVE_POST:
                    actor = self._moderator(moderators, exchange)
                    delivered = exchange.logged or 0  # logged: delivered
                    amount = max(STEP_MINUTES, delivered // (2 * STEP_MINUTES) * STEP_MINUTES)
                    note = RESOLUTION_NOTES[0]
                    stamps["resolved_at"], stamps["resolved_by"], stamps["resolution_note"] = (
                        t,
                        actor,
                        note,
                    )
                exchange.payment = self.ledger.resolve(
                    key=f"{key}:payment",
                    hold=exchange.hold,
                    debit=receiver.account_id,
                    credit=provider.account_id,
                    held=exchange.held,
                    amount=amount,
                    by=actor.id if actor else None,
                    memo=exchange.title[:200],
                    t=t,
                )
                stamps["completed_at"], stamps["completed_by"] = t, actor
                minutes = amount
            elif verb == Verb.DISPUTE:
                note = self.pick(DISPUTE_REASONS)
                stamps["disputed_at"], stamps["dispute_reason"] = t, note
                actor = receiver
            elif verb == Verb.RESOLVE_VOID:
                actor = self._moderator(moderators, exchange)
                note = RESOLUTION_NOTES[1]
                void_hold(actor)
                stamps["resolved_at"], stamps["resolved_by"], stamps["resolution_note"] = (
                    t,
                    actor,
                    note,
                )
            else:  # pragma: no cover - PATHS only holds the verbs above
                raise ValueError(verb)
            exchange.status = _TO[verb]
            exchange.steps.append((verb, actor, start_status, exchange.status, minutes, note, t))
            return True

        donation_count = 0
        progress = self.progress.counted(
            "exchanges (simulated)", range(self.n_exchanges), self.n_exchanges
        )
        while heap:
            t, ident, index, times = heapq.heappop(heap)
            if index == -1:
                donor = member_joined_by(t)
                amount = self.pick((15, 30, 60, 60, 120))
                if donor is None or not self.ledger.can_spend(
                    donor.account_id, self.pool.pk, amount
                ):
                    continue
                recipient = member_joined_by(t, avoid=(donor,)) if random_.random() < 0.4 else None
                credit = recipient.account_id if recipient else self.pool.pk
                donation_count += 1
                self.ledger.post(
                    key=f"scale-donation:{-ident}",
                    kind=Transfer.Kind.DONATION,
                    debit=donor.account_id,
                    credit=credit,
                    amount=amount,
                    by=donor.id,
                    memo=self.pick(
                        ("Thank you for all your help", "For the community", "Pass it on", "")
                    ),
                    t=t,
                )
                continue
            exchange = made[ident - first_id]
            if index == 0:
                propose(exchange, t)
                next(progress, None)
                if exchange.path == "skip":
                    continue
            else:
                if not step(exchange, PATHS[exchange.path][index - 1], t):
                    continue
            path = PATHS[exchange.path]
            if index < len(path):
                heapq.heappush(heap, (times[index], ident, index + 1, times))
        for _rest in progress:
            pass
        self.donations = donation_count
        return [exchange for exchange in made if exchange.path != "skip"]

    def _moderator(self, moderators: list[_Member], exchange: _Exchange) -> _Member:
        """A moderator from outside the exchange (``MAY`` for resolving)."""
        start = int(self.random.random() * len(moderators))
        for moderator in moderators[start:] + moderators[:start]:
            if moderator is not exchange.provider and moderator is not exchange.receiver:
                return moderator
        raise DomainError(
            "Not enough moderators to resolve a dispute.", kind=ErrorKind.CONFLICT
        )  # pragma: no cover

    # -- writing the simulated history --

    def write_ledger(self, people: list[_Member]) -> None:
        ledger = self.ledger
        floor, ceiling = ledger.floor, ledger.ceiling

        def account_rows():
            for person in people:
                a = person.account_id
                yield Account(
                    id=a,
                    kind=Account.Kind.MEMBER,
                    member_id=person.id,
                    name=person.name,
                    floor=floor,
                    ceiling=ceiling,
                    posted_debits=ledger.posted_debits[a],
                    posted_credits=ledger.posted_credits[a],
                    pending_debits=ledger.pending_debits[a],
                    pending_credits=ledger.pending_credits[a],
                    opened_at=_ts(person.joined),
                )

        self.write(Account, "accounts", account_rows(), len(people))
        first = self.next_id(Transfer)

        offset = self.transfer_offset = first - 1
        moment = self.moment
        # In id order, so each hold is in the database before its resolution.
        rows = (
            (
                offset + tid,
                key,
                kind,
                state,
                debit,
                credit,
                amount,
                offset + pending if pending else None,
                None,
                by,
                memo,
                moment(t),
            )
            for tid, key, kind, state, debit, credit, amount, pending, by, memo, t in ledger.rows
        )
        columns: tuple[str, ...] = (
            "id",
            "key",
            "kind",
            "state",
            "debit_account_id",
            "credit_account_id",
        )
        columns += ("amount", "pending_id", "reverses_id", "initiated_by_id", "memo", "created_at")
        self.insert(Transfer, "transfers", columns, rows, len(ledger.rows))
        pool = self.pool.pk
        with transaction.atomic():
            # The pool's totals move by its transfers, under its row lock, as the services do.
            Account.objects.select_for_update().filter(pk=pool).update(
                posted_debits=F("posted_debits") + ledger.posted_debits[pool],
                posted_credits=F("posted_credits") + ledger.posted_credits[pool],
            )

    def write_exchanges(self, made: list[_Exchange]) -> None:
        offset = self.transfer_offset
        url = reverse("exchange_detail", args=[987654321]).replace("987654321", "{}")

        moment = self.moment

        def person(value):
            return value.id if value is not None else None

        def exchange_rows():
            for ex in made:
                stamps = ex.stamps
                yield (
                    ex.id,
                    ex.listing.id if ex.listing else None,
                    ex.provider.id,
                    ex.receiver.id,
                    ex.proposed_by.id,
                    None,
                    ex.title,
                    ex.area,
                    ex.benefit,
                    ex.format,
                    ex.proposed,
                    ex.logged,
                    ex.status,
                    offset + ex.hold if ex.hold else None,
                    offset + ex.payment if ex.payment else None,
                    moment(ex.created),
                    moment(ex.steps[-1][6]),
                    moment(stamps.get("accepted_at")),
                    moment(stamps.get("declined_at")),
                    stamps.get("decline_reason", ""),
                    moment(stamps.get("delivered_at")),
                    moment(stamps.get("completed_at")),
                    person(stamps.get("completed_by")),
                    moment(stamps.get("disputed_at")),
                    stamps.get("dispute_reason", ""),
                    moment(stamps.get("cancelled_at")),
                    person(stamps.get("cancelled_by")),
                    moment(stamps.get("resolved_at")),
                    person(stamps.get("resolved_by")),
                    stamps.get("resolution_note", ""),
                )

        columns = (
            "id",
            "listing_id",
            "provider_id",
            "receiver_id",
            "proposed_by_id",
            "request_key",
            "title",
            "improvement_area_id",
            "benefit",
            "format",
            "proposed_minutes",
            "logged_minutes",
            "status",
            "hold_id",
            "payment_id",
            "created_at",
            "updated_at",
            "accepted_at",
            "declined_at",
            "decline_reason",
            "delivered_at",
            "completed_at",
            "completed_by_id",
            "disputed_at",
            "dispute_reason",
            "cancelled_at",
            "cancelled_by_id",
            "resolved_at",
            "resolved_by_id",
            "resolution_note",
        )
        self.insert(Exchange, "exchanges", columns, exchange_rows(), len(made))
        for ex in made:  # the proposal's minutes are what was finally agreed
            verb, actor, frm, to, _m, note, t = ex.steps[0]
            ex.steps[0] = (verb, actor, frm, to, ex.proposed, note, t)
        self.insert(
            ExchangeEvent,
            "exchange events",
            (
                "exchange_id",
                "verb",
                "actor_id",
                "from_status",
                "to_status",
                "minutes",
                "note",
                "created_at",
            ),
            (
                (ex.id, verb, person(actor), frm, to, minutes, note, moment(t))
                for ex in made
                for verb, actor, frm, to, minutes, note, t in ex.steps
            ),
            sum(len(ex.steps) for ex in made),
        )
        self.write(
            AuditEntry,
            "audit entries",
            (
                AuditEntry(
                    created_at=_ts(t),
                    actor_id=actor.id,
                    action=AuditEntry.Action.DISPUTE_RESOLVED,
                    target=f"exchanges.exchange:{ex.id}",
                    summary=f"Dispute on exchange {ex.id} resolved: "
                    + (f"{minutes} min moved" if minutes is not None else "no credits moved"),
                    data={"minutes": minutes, "note": note},
                )
                for ex in made
                for verb, actor, _f, _t, minutes, note, t in ex.steps
                if verb in (Verb.RESOLVE_POST, Verb.RESOLVE_VOID)
            ),
            sum(
                1 for ex in made for s in ex.steps if s[0] in (Verb.RESOLVE_POST, Verb.RESOLVE_VOID)
            ),
        )
        self._conversations(made, url)

    def _conversations(self, made: list[_Exchange], url: str) -> None:
        """Messages, thanks and the notifications that told members about it all."""
        random_ = self.random
        messages, thanks = [], []
        # (recipient, kind, variant, params as JSON, link, exchange, listing, created, read):
        # what happened, as the services store it (``notifications.messages``),
        # put into words in each reader's language when read.
        notes: list[
            tuple[int, str, str, str, str, int | None, int | None, float, float | None]
        ] = []
        recent = self.now - 10 * DAY

        def notify(
            recipient: _Member,
            kind: str,
            variant: str,
            params: dict[str, Any],
            ex: _Exchange,
            t: float,
        ):
            if t < recent:
                read = t + self.uniform(0.01, 3) * DAY if random_.random() < 0.95 else None
            else:
                read = t + self.uniform(0.01, 1) * DAY if random_.random() < 0.4 else None
            read = read if read is None or read < self.now else None
            told = json.dumps(params)
            notes.append(
                (recipient.id, kind, variant, told, url.format(ex.id), ex.id, None, t, read)
            )

        for ex in made:
            bench = ex.bench is not None
            parties = (ex.provider, ex.receiver)
            last = len(ex.steps) - 1
            for index, (verb, actor, _f, _to, minutes, _note, t) in enumerate(ex.steps):
                keep = bench or index == last or (index == 0 and random_.random() < 0.5)
                if not keep:
                    continue
                kind, variant, names = _NOTICES[verb]
                values = {
                    "name": actor.name if actor else "",
                    "title": ex.title,
                    "minutes": minutes or 0,
                    "days": settings.EQUITIME_AUTO_CONFIRM_DAYS,
                }
                params = {name: values[name] for name in names}
                for recipient in parties:
                    if actor is None or recipient is not actor:
                        notify(recipient, kind, variant, params, ex, t)
            end = ex.steps[-1][6]
            if bench or random_.random() < 0.3:
                for _ in range(random_.randint(1, 3)):
                    author = self.pick(parties)
                    t = self.uniform(ex.created, max(end, ex.created + HOUR))
                    t = min(t, self.now - 60)
                    messages.append((ex.id, author.id, self.pick(MESSAGES), t))
                    if bench:
                        other = ex.receiver if author is ex.provider else ex.provider
                        notify(
                            other,
                            Notification.Kind.EXCHANGE_MESSAGE,
                            "",
                            {"name": author.name, "title": ex.title},
                            ex,
                            t,
                        )
            if ex.status == Status.COMPLETED:
                completed = ex.stamps["completed_at"]
                for author, recipient, rate in (
                    (ex.receiver, ex.provider, 0.45),
                    (ex.provider, ex.receiver, 0.15),
                ):
                    if random_.random() >= rate and not bench:
                        continue
                    t = min(completed + self.uniform(0.01, 5) * DAY, self.now - 60)
                    thanks.append(
                        (ex.id, author.id, recipient.id, self.pick(THANKS), self.pick(IMPACTS), t)
                    )
                    notify(
                        recipient,
                        Notification.Kind.THANKS,
                        "",
                        {"name": author.name, "title": ex.title},
                        ex,
                        t,
                    )

        moment = self.moment
        self.insert(
            ExchangeMessage,
            "exchange messages",
            ("exchange_id", "author_id", "body", "created_at"),
            ((e, a, b, moment(t)) for e, a, b, t in messages),
            len(messages),
        )
        self.insert(
            Thanks,
            "thanks",
            (
                "exchange_id",
                "author_id",
                "recipient_id",
                "message",
                "impact",
                "show_on_profile",
                "created_at",
            ),
            ((e, a, r, m, i, True, moment(t)) for e, a, r, m, i, t in thanks),
            len(thanks),
        )
        listing_url = reverse("listing_detail", args=[987654321]).replace("987654321", "{}")
        for owner, listing_id, title, expires, warned in self.expiry_warnings:
            told = json.dumps({"title": title, "expires_at": _ts(expires).isoformat()})
            read = warned + DAY if random_.random() < 0.5 and warned + DAY < self.now else None
            kind, link = Notification.Kind.LISTING_EXPIRING, listing_url.format(listing_id)
            notes.append((owner.id, kind, "", told, link, None, listing_id, warned, read))
        notes.sort(key=lambda row: row[7])
        self.insert(
            Notification,
            "notifications",
            (
                "recipient_id",
                "kind",
                "variant",
                "params",
                "url",
                "exchange_id",
                "listing_id",
                "created_at",
                "read_at",
            ),
            (
                (r, k, v, p, u, e, li, moment(t), moment(read))
                for r, k, v, p, u, e, li, t, read in notes
            ),
            len(notes),
        )


_TO = {verb: to for verb, (_starts, to) in TRANSITIONS.items()}

# What each step tells the other party, as the services store it: the kind,
# its sentence's variant, and which params fill it (``notifications.messages``).
_NAME_TITLE = ("name", "title")
_NOTICES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    Verb.PROPOSE: (Notification.Kind.EXCHANGE_PROPOSED, "", _NAME_TITLE),
    Verb.ACCEPT: (Notification.Kind.EXCHANGE_ACCEPTED, "", _NAME_TITLE),
    Verb.DECLINE: (Notification.Kind.EXCHANGE_DECLINED, "", _NAME_TITLE),
    Verb.DELIVER: (Notification.Kind.EXCHANGE_DELIVERED, "", ("name", "title", "minutes")),
    Verb.CONFIRM: (Notification.Kind.EXCHANGE_COMPLETED, "", _NAME_TITLE),
    Verb.AUTO_CONFIRM: (Notification.Kind.EXCHANGE_COMPLETED, "auto", ("title", "days")),
    Verb.DISPUTE: (Notification.Kind.EXCHANGE_DISPUTED, "", _NAME_TITLE),
    Verb.CANCEL: (Notification.Kind.EXCHANGE_CANCELLED, "", _NAME_TITLE),
    Verb.RESOLVE_POST: (Notification.Kind.EXCHANGE_RESOLVED, "", ("title",)),
    Verb.RESOLVE_VOID: (Notification.Kind.EXCHANGE_RESOLVED, "", ("title",)),
}


def scale_data_exists() -> bool:
    return Member.objects.filter(email__iendswith=f"@{SCALE_DOMAIN}").exists()


def generate(
    *,
    members: int,
    listings: int,
    exchanges: int,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] = lambda line: None,
) -> GenerateResult:
    """Build the community; see the module docstring. Refuses (DomainError) if
    scale members exist already."""
    if members < 2 or listings < 0 or exchanges < 0:
        raise DomainError("A community needs at least two members.", kind=ErrorKind.CONFLICT)
    if scale_data_exists():
        raise DomainError(
            f"This database already has generated members (@{SCALE_DOMAIN}). Generate into a "
            "fresh database: migrate an empty one and run the command there.",
            kind=ErrorKind.CONFLICT,
        )
    steps = _Progress(progress)
    builder = _Builder(
        members=members, listings=listings, exchanges=exchanges, seed=seed, progress=steps
    )
    organisations = builder.organisations()
    steps.note(f"organisations          {len(organisations):>9,} done")
    people = builder.members(organisations)
    moderators = people[1 : 1 + max(2, min(20, members // 500))]
    for moderator in moderators:
        member_role_grant(member=Member.objects.get(pk=moderator.id), role=roles.MODERATOR, by=None)
    made_listings = builder.listings(people)
    builder.welcome_gifts(people)
    made = builder.exchanges(people, made_listings, moderators)
    builder.write_ledger(people)
    builder.write_exchanges(made)
    _reset_sequences()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    steps.note("statistics (ANALYZE) done; verifying the ledger")
    report = verify_ledger()
    # A rare word with a typical number of uses, for a search with few hits.
    used = sorted(builder.rare_words.items(), key=lambda item: (item[1], item[0]))
    rare = used[len(used) // 2][0] if used else RARE_WORDS[0]
    rare_hits = listing_search(Listing.objects.all(), rare).count()
    common_hits = listing_search(Listing.objects.all(), COMMON_WORD).count()
    statuses = (
        Counter(Exchange.objects.filter(pk__gte=made[0].id).values_list("status", flat=True))
        if made
        else Counter()
    )
    counts = {
        model._meta.label: model.objects.count()
        for model in (
            Organisation,
            Member,
            Profile,
            Account,
            Transfer,
            Listing,
            Exchange,
            ExchangeEvent,
            ExchangeMessage,
            Thanks,
            Notification,
            AuditEntry,
        )
    }
    return GenerateResult(
        seconds=steps.elapsed(),
        counts=counts,
        exchange_statuses={status: statuses[status] for status in Status.values},
        ledger=report,
        donations=builder.donations,
        common_word=COMMON_WORD,
        common_hits=common_hits,
        rare_word=rare,
        rare_hits=rare_hits,
        adjusted=dict(builder.adjusted),
    )


def _reset_sequences() -> None:
    """Ids were chosen here; tell PostgreSQL's sequences where they now stand."""
    statements = connection.ops.sequence_reset_sql(
        no_style(),
        [Member, Profile, Account, Transfer, Listing, Exchange, Organisation],
    )
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
