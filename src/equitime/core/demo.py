"""Demo data: a small community to click around in.

``demo_build()`` creates invented organisations across health and care in
several countries, about forty members who join the way real ones do
(``member_join``: profile, ledger account and welcome gift), a staff
administrator, a moderator, and a few donations between members and to the
community pool. Then it shows the core loop: profiles pick skills from the
taxonomy, members post offers and requests, and exchanges between them stand
in every state of their lifecycle, from a fresh proposal to a dispute that a
moderator settled. The member the command prints for signing in finds a
proposal to accept and logged hours to confirm.

Everything goes through the services a person's clicks would call, so the
demo obeys every rule the product does. Running it again creates nothing new:
organisations are found by name and country, members by e-mail, listings by
owner and title, and each donation and exchange carries a fixed key; an
exchange is only moved through the steps it has not taken yet, and one that
someone has since moved elsewhere is left alone. Everything is written out
below rather than drawn at random, so every run builds the same community.

Every demo account shares one published password. That is the point of a demo
and the reason the command refuses to run in production.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings

from equitime.community.models import ListingFlag
from equitime.community.services import listing_flag
from equitime.core.errors import DomainError
from equitime.core.units import format_credits
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, Reflection, Status, Thanks
from equitime.ledger.errors import LedgerError
from equitime.ledger.models import Transfer
from equitime.ledger.selectors import account_for_member
from equitime.ledger.services import donation_make
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_close, listing_create, listing_pause
from equitime.members import roles
from equitime.members.models import Member, Organisation, Profile
from equitime.members.services import member_join, member_role_grant, profile_update
from equitime.skills.models import ImprovementArea, Skill

DEMO_DOMAIN = "demo.equitime.org"
DEMO_PASSWORD = "demo-time-2026"  # noqa: S105 - published on purpose: demo accounts only
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"

Kind = Organisation.Kind
Preference = Profile.Preference


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    country: str


@dataclass(frozen=True)
class DemoMember:
    handle: str  # the part of the e-mail address before the @
    display_name: str
    organisation: str
    profession: str
    division: str
    country: str
    time_zone: str
    languages: tuple[str, ...]
    skills_offered: tuple[str, ...]
    availability: str
    preference: str
    bio: str

    @property
    def email(self) -> str:
        return f"{self.handle}@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoDonation:
    number: int  # makes the idempotency key; never reuse or renumber
    donor: str  # handle
    recipient: str | None  # handle, or None for the community pool
    minutes: int
    memo: str

    @property
    def key(self) -> str:
        return f"demo-donation:{self.number}"


@dataclass(frozen=True)
class DemoListing:
    key: str  # how exchanges below name it; a listing is found by owner and title
    owner: str  # handle
    kind: str
    title: str
    description: str
    area: str  # improvement area slug
    benefit: str
    minutes: int
    format: str
    skills: tuple[str, ...]  # skill slugs from the taxonomy
    place: str = ""
    languages: tuple[str, ...] = ("English",)
    # Where the demo leaves a listing it has just posted, after its exchanges.
    status: str = Listing.Status.OPEN


@dataclass(frozen=True)
class DemoDirect:
    """An exchange recorded between two colleagues without a listing."""

    other: str  # handle
    member_gives: bool
    title: str
    area: str
    benefit: str


@dataclass(frozen=True)
class DemoResolution:
    moderator: str  # handle, or ADMIN
    minutes: int | None  # None closes the exchange without credits
    note: str


@dataclass(frozen=True)
class DemoThanks:
    author: str  # handle
    message: str
    impact: str = ""


@dataclass(frozen=True)
class DemoExchange:
    number: int  # makes the request key; never reuse or renumber
    proposer: str  # handle
    outcome: str  # the status the demo drives the exchange to
    minutes: int  # proposed, and held on acceptance
    listing: str | None = None  # DemoListing.key, or None with ``direct``
    direct: DemoDirect | None = None
    message: str = ""  # sent with the proposal
    replies: tuple[tuple[str, str], ...] = ()  # (author handle, text), while proposed
    logged: int | None = None  # minutes the provider logs; the proposal's if None
    reason: str = ""  # why it was declined, disputed or cancelled
    cancelled_by: str = ""  # handle
    cancel_after_accept: bool = False  # so the hold is placed, then voided
    resolution: DemoResolution | None = None
    thanks: tuple[DemoThanks, ...] = ()
    reflections: tuple[tuple[str, str], ...] = ()  # (author handle, private note)

    @property
    def key(self) -> str:
        return f"demo-exchange:{self.number}"


@dataclass(frozen=True)
class StepCount:
    total: int
    new: int


@dataclass(frozen=True)
class DemoResult:
    organisations: StepCount
    members: StepCount
    donations: StepCount
    listings: StepCount
    exchanges: StepCount
    exchange_statuses: dict[str, int]  # status value -> demo exchanges in it
    skipped: tuple[str, ...] = ()


# Invented names; any likeness to a real organisation is an accident.
NORTHBRIDGE = "Northbridge Teaching Hospitals NHS Foundation Trust"
SEVERN_VALE = "Severn Vale Integrated Care Board"
RIVERSIDE = "Riverside Primary Care Network"
HEARTHSTONE = "Hearthstone Home Care"
CALDERBROOK = "Calderbrook City Council"
CARERS_TOGETHER = "Carers Together"
ASHWORTH = "University of Ashworth"
LIFFEY = "Liffey Community Health Partnership"
DELTA = "Delta University Medical Centre"
RIFT_VALLEY = "Rift Valley Community Health Alliance"
KAVERI = "Kaveri Digital Health Labs"
SOUTHERN_CROSS = "Southern Cross Aged Care"
PRAIRIE = "Prairie Health Quality Institute"

ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(NORTHBRIDGE, Kind.NHS_TRUST, "GB"),
    DemoOrganisation(SEVERN_VALE, Kind.INTEGRATED_CARE_BOARD, "GB"),
    DemoOrganisation(RIVERSIDE, Kind.PRIMARY_CARE, "GB"),
    DemoOrganisation(HEARTHSTONE, Kind.SOCIAL_CARE_PROVIDER, "GB"),
    DemoOrganisation(CALDERBROOK, Kind.LOCAL_AUTHORITY, "GB"),
    DemoOrganisation(CARERS_TOGETHER, Kind.CHARITY, "GB"),
    DemoOrganisation(ASHWORTH, Kind.UNIVERSITY, "GB"),
    DemoOrganisation(LIFFEY, Kind.INTERNATIONAL_PARTNER, "IE"),
    DemoOrganisation(DELTA, Kind.INTERNATIONAL_PARTNER, "NL"),
    DemoOrganisation(RIFT_VALLEY, Kind.INTERNATIONAL_PARTNER, "KE"),
    DemoOrganisation(KAVERI, Kind.INDUSTRY, "IN"),
    DemoOrganisation(SOUTHERN_CROSS, Kind.SOCIAL_CARE_PROVIDER, "AU"),
    DemoOrganisation(PRAIRIE, Kind.CHARITY, "CA"),
)

LONDON = "Europe/London"
REMOTE, IN_PERSON, EITHER = Preference.REMOTE, Preference.IN_PERSON, Preference.EITHER

# The first member is the one the command prints for signing in.
MEMBERS: tuple[DemoMember, ...] = (
    DemoMember(
        "amina.okafor",
        "Amina Okafor",
        NORTHBRIDGE,
        "Senior staff nurse",
        "Acute Medical Unit",
        "GB",
        LONDON,
        ("English", "Igbo"),
        ("run charts", "PDSA cycles", "safety huddles", "coaching new charge nurses"),
        "Tuesday afternoons, one hour a week",
        EITHER,
        "Nurse on a busy acute medical unit. I led our huddle project that cut missed "
        "observations by a third, and I enjoy helping other teams start small tests of change.",
    ),
    DemoMember(
        "rajesh.iyer",
        "Dr Rajesh Iyer",
        NORTHBRIDGE,
        "Consultant cardiologist",
        "Cardiology",
        "GB",
        LONDON,
        ("English", "Tamil", "Hindi"),
        ("echocardiography teaching", "clinical audit design", "mentoring junior doctors"),
        "Friday mornings after the ward round",
        EITHER,
        "Cardiologist with an interest in heart failure pathways that follow patients home. "
        "Happy to mentor anyone starting their first audit.",
    ),
    DemoMember(
        "siobhan.murphy",
        "Siobhán Murphy",
        LIFFEY,
        "Physiotherapist",
        "Community rehabilitation",
        "IE",
        "Europe/Dublin",
        ("English", "Irish"),
        ("falls prevention", "strength and balance programmes", "group class facilitation"),
        "Wednesday lunchtimes",
        REMOTE,
        "Community physio running strength and balance classes in village halls. Keen to "
        "swap notes with teams in the UK on keeping older people active after discharge.",
    ),
    DemoMember(
        "tom.whitfield",
        "Tom Whitfield",
        SEVERN_VALE,
        "Data analyst",
        "Population health intelligence",
        "GB",
        LONDON,
        ("English",),
        ("SQL", "Power BI dashboards", "statistical process control", "Python for data cleaning"),
        "Most afternoons, short calls",
        REMOTE,
        "I turn messy extracts into charts people actually use. Ask me about SPC charts, "
        "or about why your waiting-list numbers do not add up.",
    ),
    DemoMember(
        "fatima.hussain",
        "Dr Fatima Hussain",
        RIVERSIDE,
        "GP partner",
        "Riverside Medical Practice",
        "GB",
        LONDON,
        ("English", "Urdu", "Punjabi"),
        ("long-term conditions reviews", "teaching consultation skills", "health inequalities"),
        "Thursday evenings, remote only",
        REMOTE,
        "GP partner in an inner-city practice. Working on fairer access to diabetes reviews "
        "for patients who do not speak English at home.",
    ),
    DemoMember(
        "grace.mensah",
        "Grace Mensah",
        HEARTHSTONE,
        "Registered manager",
        "Domiciliary care",
        "GB",
        LONDON,
        ("English", "Twi"),
        ("CQC inspection preparation", "rota planning", "supervision skills"),
        "Monday mornings",
        IN_PERSON,
        "I manage a home care service of sixty carers. I can help with inspection readiness "
        "and would love help making our rotas kinder to staff.",
    ),
    DemoMember(
        "david.llewellyn",
        "David Llewellyn",
        CALDERBROOK,
        "Social worker",
        "Hospital discharge team",
        "GB",
        LONDON,
        ("English", "Welsh"),
        ("Care Act assessments", "discharge planning", "strengths-based practice"),
        "Flexible, with a week's notice",
        EITHER,
        "Social worker based at the hospital front door. I want health and social care "
        "colleagues to understand each other's forms, and each other's pressures.",
    ),
    DemoMember(
        "priya.nair",
        "Priya Nair",
        NORTHBRIDGE,
        "Clinical pharmacist",
        "Medicines optimisation",
        "GB",
        LONDON,
        ("English", "Malayalam"),
        ("medicines reconciliation", "deprescribing reviews", "antimicrobial stewardship"),
        "Tuesday and Thursday, 4-5pm",
        EITHER,
        "Ward pharmacist and antimicrobial stewardship lead. I can teach a practical approach "
        "to deprescribing in frail older people.",
    ),
    DemoMember(
        "joseph.kamau",
        "Joseph Kamau",
        RIFT_VALLEY,
        "Community health programme lead",
        "Maternal and child health",
        "KE",
        "Africa/Nairobi",
        ("English", "Swahili", "Kikuyu"),
        ("community health worker training", "mobile data collection", "programme evaluation"),
        "Weekday mornings UK time",
        REMOTE,
        "I coordinate two hundred community health workers. Interested in simple dashboards "
        "that work on a phone with a weak signal.",
    ),
    DemoMember(
        "eleanor.hughes",
        "Eleanor Hughes",
        SEVERN_VALE,
        "Quality improvement lead",
        "Improvement and transformation",
        "GB",
        LONDON,
        ("English",),
        ("QI coaching", "driver diagrams", "workshop facilitation", "measurement for improvement"),
        "Two hours a fortnight",
        EITHER,
        "QI lead for the system. I coach project teams from idea to measurable change, and "
        "I am always looking for analysts who like a run chart.",
    ),
    DemoMember(
        "wei.zhang",
        "Dr Wei Zhang",
        ASHWORTH,
        "Medical statistician",
        "School of Public Health",
        "GB",
        LONDON,
        ("English", "Mandarin"),
        ("survival analysis in R", "sample size calculations", "mixed-effects models"),
        "Monday afternoons",
        REMOTE,
        "Statistician who enjoys working with clinicians on real questions. Bring your "
        "protocol and I will help you find out how many patients you need.",
    ),
    DemoMember(
        "marta.kowalska",
        "Marta Kowalska",
        HEARTHSTONE,
        "Senior care worker",
        "Reablement team",
        "GB",
        LONDON,
        ("English", "Polish"),
        ("moving and handling training", "dementia-friendly care", "end-of-life conversations"),
        "Weekends",
        IN_PERSON,
        "Carer for twelve years, now training new colleagues in reablement. I like "
        "practical teaching with real equipment.",
    ),
    DemoMember(
        "oluwaseun.adeyemi",
        "Dr Oluwaseun Adeyemi",
        NORTHBRIDGE,
        "Emergency medicine registrar",
        "Emergency department",
        "GB",
        LONDON,
        ("English", "Yoruba"),
        ("simulation teaching", "sepsis pathway", "human factors"),
        "Between night shifts, remote",
        REMOTE,
        "ED registrar and simulation faculty. Human factors enthusiast; ask me about "
        "checklists that people actually use.",
    ),
    DemoMember(
        "lars.devries",
        "Lars de Vries",
        DELTA,
        "Health informatician",
        "Digital health",
        "NL",
        "Europe/Amsterdam",
        ("Dutch", "English", "German"),
        ("FHIR interoperability", "clinical data models", "user research with clinicians"),
        "Wednesday afternoons CET",
        REMOTE,
        "I help hospital systems talk to each other. Happy to explain FHIR without jargon, "
        "and keen to learn how UK teams run clinical safety cases.",
    ),
    DemoMember(
        "ananya.reddy",
        "Ananya Reddy",
        KAVERI,
        "Product designer",
        "Design",
        "IN",
        "Asia/Kolkata",
        ("English", "Telugu", "Hindi"),
        ("service design", "accessible interface design", "usability testing"),
        "UK mornings",
        REMOTE,
        "Designer of digital tools for community nurses. I can run a usability test of your "
        "patient leaflet or app in an hour.",
    ),
    DemoMember(
        "hannah.goldberg",
        "Hannah Goldberg",
        CARERS_TOGETHER,
        "Carer coordinator",
        "Young carers service",
        "GB",
        LONDON,
        ("English", "Hebrew"),
        ("carer assessments", "peer support groups", "safeguarding awareness"),
        "School hours",
        EITHER,
        "I support young people caring for a parent or sibling. I would like clinicians to "
        "spot young carers sooner; I can run a short session for your team.",
    ),
    DemoMember(
        "kwame.boateng",
        "Dr Kwame Boateng",
        CALDERBROOK,
        "Public health registrar",
        "Public health",
        "GB",
        LONDON,
        ("English", "Twi"),
        ("health needs assessment", "epidemiology", "writing for lay audiences"),
        "Fridays",
        EITHER,
        "Public health registrar working on cold homes and respiratory admissions. Happy to "
        "help with a needs assessment or a plain-English summary.",
    ),
    DemoMember(
        "isla.mackenzie",
        "Isla MacKenzie",
        NORTHBRIDGE,
        "Occupational therapist",
        "Stroke unit",
        "GB",
        LONDON,
        ("English", "Scottish Gaelic"),
        ("cognitive assessment", "home adaptations", "goal setting with patients"),
        "Thursday mornings",
        IN_PERSON,
        "Stroke OT. I care about getting people home safely and about goals written in the "
        "patient's own words.",
    ),
    DemoMember(
        "mohammed.rahman",
        "Mohammed Rahman",
        RIVERSIDE,
        "Practice manager",
        "Operations",
        "GB",
        LONDON,
        ("English", "Bengali"),
        ("appointment system redesign", "Excel", "staff rota design"),
        "Late afternoons",
        EITHER,
        "Practice manager who redesigned our appointment system twice. I can share what "
        "worked and what our patients told us did not.",
    ),
    DemoMember(
        "chloe.tremblay",
        "Chloé Tremblay",
        PRAIRIE,
        "Patient safety specialist",
        "Patient safety",
        "CA",
        "America/Toronto",
        ("English", "French"),
        ("incident investigation", "root cause analysis", "just culture training"),
        "UK afternoons",
        REMOTE,
        "Patient safety specialist moving from root cause analysis towards learning from "
        "what goes well. Always keen to compare approaches across countries.",
    ),
    DemoMember(
        "sean.obrien",
        "Seán O'Brien",
        LIFFEY,
        "Diabetes nurse specialist",
        "Diabetes",
        "IE",
        "Europe/Dublin",
        ("English", "Irish"),
        ("insulin education", "structured patient education", "motivational interviewing"),
        "Monday evenings",
        REMOTE,
        "Diabetes nurse specialist. I teach motivational interviewing in small, practical "
        "steps that fit a ten-minute appointment.",
    ),
    DemoMember(
        "nadia.haddad",
        "Dr Nadia Haddad",
        ASHWORTH,
        "Health services researcher",
        "Centre for Applied Health Research",
        "GB",
        LONDON,
        ("English", "Arabic", "French"),
        ("qualitative interviewing", "thematic analysis", "grant writing"),
        "Tuesday mornings",
        EITHER,
        "Qualitative researcher studying how patients experience discharge. I can help you "
        "plan interviews or read a grant draft.",
    ),
    DemoMember(
        "james.thornton",
        "Dr James Thornton",
        NORTHBRIDGE,
        "Consultant anaesthetist",
        "Theatres and anaesthesia",
        "GB",
        LONDON,
        ("English",),
        ("difficult airway teaching", "theatre productivity", "leadership coaching"),
        "Non-clinical Wednesdays",
        EITHER,
        "Anaesthetist and clinical director for theatres. Qualified coach; I offer coaching "
        "to anyone stepping into their first leadership role.",
    ),
    DemoMember(
        "aisha.bello",
        "Aisha Bello",
        SEVERN_VALE,
        "Equality, diversity and inclusion lead",
        "People directorate",
        "GB",
        LONDON,
        ("English", "Hausa"),
        ("inclusive recruitment", "equality impact assessment", "facilitating listening events"),
        "Thursday afternoons",
        EITHER,
        "EDI lead for the system. I help teams run equality impact assessments that change "
        "decisions rather than sit in a folder.",
    ),
    DemoMember(
        "liam.walsh",
        "Liam Walsh",
        CALDERBROOK,
        "Housing and health officer",
        "Housing",
        "GB",
        LONDON,
        ("English",),
        ("housing adaptations", "cold homes and health", "partnership working"),
        "Mornings",
        IN_PERSON,
        "I link housing services with hospital and community teams, so nobody stays in a "
        "ward bed waiting for a stair lift.",
    ),
    DemoMember(
        "sophie.nguyen",
        "Sophie Nguyen",
        SOUTHERN_CROSS,
        "Nurse educator",
        "Education and training",
        "AU",
        "Australia/Sydney",
        ("English", "Vietnamese"),
        ("e-learning design", "clinical skills assessment", "delirium prevention"),
        "UK early mornings",
        REMOTE,
        "Nurse educator in aged care. I build short e-learning modules and would like to "
        "share our delirium prevention bundle.",
    ),
    DemoMember(
        "ravi.patel",
        "Ravi Patel",
        KAVERI,
        "Machine learning engineer",
        "AI research",
        "IN",
        "Asia/Kolkata",
        ("English", "Gujarati", "Hindi"),
        ("machine learning model evaluation", "Python", "bias audits"),
        "UK mornings, weekdays",
        REMOTE,
        "I evaluate prediction models for clinical use. I can help you ask the right "
        "questions of a vendor's algorithm before you buy it.",
    ),
    DemoMember(
        "rebecca.achieng",
        "Rebecca Achieng",
        RIFT_VALLEY,
        "Nurse midwife",
        "Maternity",
        "KE",
        "Africa/Nairobi",
        ("English", "Swahili", "Luo"),
        ("neonatal resuscitation training", "respectful maternity care", "mentoring midwives"),
        "Saturday mornings",
        REMOTE,
        "Midwife and trainer in neonatal resuscitation. Interested in peer mentoring across "
        "countries for newly qualified midwives.",
    ),
    DemoMember(
        "george.evans",
        "George Evans",
        CARERS_TOGETHER,
        "Volunteer coordinator",
        "Volunteering",
        "GB",
        LONDON,
        ("English",),
        ("volunteer recruitment", "community engagement", "event organising"),
        "Weekday afternoons",
        IN_PERSON,
        "I recruit and support volunteers who sit with carers at hospital appointments. I "
        "can help you plan a community event from scratch.",
    ),
    DemoMember(
        "zainab.ali",
        "Dr Zainab Ali",
        RIVERSIDE,
        "Salaried GP",
        "Riverside Medical Practice",
        "GB",
        LONDON,
        ("English", "Somali", "Arabic"),
        ("women's health", "working with interpreters", "teaching medical students"),
        "Wednesday evenings",
        EITHER,
        "GP with a special interest in women's health. I teach consultations through "
        "interpreters and would like help evaluating our menopause clinic.",
    ),
    DemoMember(
        "sanne.bakker",
        "Sanne Bakker",
        DELTA,
        "Improvement adviser",
        "Quality and safety",
        "NL",
        "Europe/Amsterdam",
        ("Dutch", "English"),
        ("lean process mapping", "value-based healthcare", "patient-reported outcome measures"),
        "Tuesday mornings CET",
        REMOTE,
        "Improvement adviser working on patient-reported outcomes in orthopaedics. Glad to "
        "walk anyone through a value-based healthcare pilot.",
    ),
    DemoMember(
        "michael.osei",
        "Michael Osei",
        NORTHBRIDGE,
        "Mental health nurse",
        "Liaison psychiatry",
        "GB",
        LONDON,
        ("English",),
        ("de-escalation training", "mental health first aid", "reflective practice groups"),
        "Alternate Mondays",
        IN_PERSON,
        "Liaison mental health nurse in the ED. I run reflective practice groups and short "
        "de-escalation sessions for ward teams.",
    ),
    DemoMember(
        "lucy.chen",
        "Lucy Chen",
        SEVERN_VALE,
        "Digital transformation manager",
        "Digital",
        "GB",
        LONDON,
        ("English", "Cantonese"),
        ("project management", "agile delivery", "writing business cases"),
        "Friday afternoons",
        REMOTE,
        "I deliver digital projects across the system. I can help you write a business case "
        "that a finance committee will read to the end.",
    ),
    DemoMember(
        "callum.reid",
        "Callum Reid",
        ASHWORTH,
        "Health economist",
        "Health economics",
        "GB",
        LONDON,
        ("English",),
        ("cost-effectiveness analysis", "economic evaluation", "Markov models"),
        "Thursday mornings",
        REMOTE,
        "Health economist. I can help you work out whether your improvement saves bed days, "
        "staff time or neither, and how to show it.",
    ),
    DemoMember(
        "noor.siddiqui",
        "Noor Siddiqui",
        CALDERBROOK,
        "Commissioning manager",
        "Adult social care commissioning",
        "GB",
        LONDON,
        ("English", "Urdu"),
        ("contract management", "market shaping", "co-production with people who use services"),
        "Monday afternoons",
        EITHER,
        "Commissioner for home care and day services. Keen to co-produce service "
        "specifications with people who use them.",
    ),
    DemoMember(
        "olivia.brennan",
        "Olivia Brennan",
        NORTHBRIDGE,
        "Clinical librarian",
        "Library and knowledge services",
        "GB",
        LONDON,
        ("English",),
        ("literature searching", "evidence summaries", "reference management"),
        "Any weekday, with two days' notice",
        REMOTE,
        "Clinical librarian. Send me a question and I will find what the evidence says, or "
        "teach you to search for it yourself.",
    ),
    DemoMember(
        "arjun.mehta",
        "Arjun Mehta",
        SOUTHERN_CROSS,
        "Clinical governance manager",
        "Quality",
        "AU",
        "Australia/Melbourne",
        ("English", "Hindi"),
        ("clinical governance frameworks", "audit programmes", "risk registers"),
        "UK evenings",
        REMOTE,
        "Clinical governance manager across eight care homes. Happy to share our audit "
        "programme and learn from UK social care colleagues.",
    ),
    DemoMember(
        "ellen.fraser",
        "Ellen Fraser",
        CARERS_TOGETHER,
        "Carer and lived-experience partner",
        "Carer voice",
        "GB",
        LONDON,
        ("English",),
        ("lived experience perspective", "co-design", "patient and public involvement"),
        "Flexible",
        EITHER,
        "I cared for my husband through ten years of dementia. I now sit on project groups "
        "so that services are designed with carers, not for them.",
    ),
    DemoMember(
        "tunde.bakare",
        "Tunde Bakare",
        NORTHBRIDGE,
        "Porter and staff wellbeing champion",
        "Facilities",
        "GB",
        LONDON,
        ("English", "Yoruba"),
        ("staff wellbeing conversations", "Schwartz Rounds facilitation", "wayfinding audits"),
        "Early shifts, before 7am",
        IN_PERSON,
        "Porter for fifteen years; I know every corridor. I help run Schwartz Rounds and can "
        "walk your patients' route with you to see where they get lost.",
    ),
    DemoMember(
        "marie-claire.gagnon",
        "Marie-Claire Gagnon",
        PRAIRIE,
        "Research coordinator",
        "Research",
        "CA",
        "America/Winnipeg",
        ("English", "French"),
        ("research ethics applications", "trial coordination", "REDCap"),
        "UK afternoons",
        REMOTE,
        "Research coordinator for pragmatic trials in primary care. I can help with ethics "
        "applications and setting up REDCap forms.",
    ),
)

SIGN_IN_EMAIL = MEMBERS[0].email

# Thanks between colleagues, and a few gifts back to the pool, made after the
# exchanges: only credits earned by giving time may be given on, so every donor
# here gave time in a completed exchange first. Numbers 5 to 8 were gifts from
# members who had only their welcome gift; they are retired, not reused.
DONATIONS: tuple[DemoDonation, ...] = (
    DemoDonation(1, "tom.whitfield", "amina.okafor", 30, "Thanks for the run chart walkthrough"),
    DemoDonation(2, "amina.okafor", "wei.zhang", 15, "For the extra help with the power sums"),
    DemoDonation(3, "rajesh.iyer", None, 60, "For colleagues joining from primary care"),
    DemoDonation(4, "priya.nair", "fatima.hussain", 45, "Thank you for the deprescribing cases"),
    DemoDonation(9, "ravi.patel", None, 60, "Pass it on"),
    DemoDonation(10, "wei.zhang", None, 30, "For new members' welcome gifts"),
    DemoDonation(11, "chloe.tremblay", "ellen.fraser", 30, "Thank you for speaking to our group"),
    DemoDonation(12, "ellen.fraser", "tunde.bakare", 45, "For organising the Schwartz Rounds"),
)


# Each member's skills from the taxonomy (slugs), beside the free-text ones
# they typed when joining. The directory and listing filters use these.
PROFILE_SKILLS: dict[str, tuple[str, ...]] = {
    "amina.okafor": ("run-charts", "pdsa-cycles", "leadership-coaching", "mentoring"),
    "rajesh.iyer": ("mentoring", "teaching", "measurement-for-improvement"),
    "siobhan.murphy": ("frailty", "teaching", "facilitation"),
    "tom.whitfield": ("sql", "data-visualisation", "statistical-process-control", "python"),
    "fatima.hussain": ("diabetes-care", "teaching", "population-health-analytics"),
    "grace.mensah": ("team-development", "change-management", "peer-support"),
    "david.llewellyn": ("co-production", "process-mapping", "facilitation"),
    "priya.nair": ("medicines-optimisation", "frailty", "infection-prevention", "teaching"),
    "joseph.kamau": ("teaching", "evaluation-design", "data-visualisation"),
    "eleanor.hughes": (
        "pdsa-cycles",
        "run-charts",
        "measurement-for-improvement",
        "action-learning",
        "facilitation",
    ),
    "wei.zhang": ("survival-analysis", "medical-statistics", "r-programming"),
    "marta.kowalska": ("teaching", "palliative-care", "frailty", "translation"),
    "oluwaseun.adeyemi": ("simulation-training", "teaching", "infection-prevention"),
    "lars.devries": ("clinical-informatics", "web-development", "sql"),
    "ananya.reddy": ("graphic-design", "co-production", "web-development"),
    "hannah.goldberg": ("peer-support", "co-production", "volunteering-coordination"),
    "kwame.boateng": ("population-health-analytics", "medical-statistics", "writing-for-patients"),
    "isla.mackenzie": ("frailty", "co-production", "teaching"),
    "mohammed.rahman": ("spreadsheet-automation", "process-mapping", "change-management"),
    "chloe.tremblay": ("root-cause-analysis", "facilitation", "teaching", "translation"),
    "sean.obrien": ("diabetes-care", "teaching", "writing-for-patients", "language-practice"),
    "nadia.haddad": ("qualitative-research", "evaluation-design", "grant-writing"),
    "james.thornton": ("leadership-coaching", "simulation-training", "team-development"),
    "aisha.bello": ("co-production", "facilitation", "team-development"),
    "liam.walsh": ("population-health-analytics", "co-production", "project-management"),
    "sophie.nguyen": ("e-learning-design", "assessment", "teaching"),
    "ravi.patel": ("python", "medical-statistics", "evaluation-design"),
    "rebecca.achieng": ("mentoring", "teaching", "simulation-training"),
    "george.evans": ("volunteering-coordination", "social-media", "facilitation"),
    "zainab.ali": ("teaching", "interpreting", "mentoring"),
    "sanne.bakker": ("lean", "process-mapping", "measurement-for-improvement"),
    "michael.osei": ("mental-health", "peer-support", "resilience"),
    "lucy.chen": ("project-management", "business-cases", "change-management"),
    "callum.reid": ("health-economics", "medical-statistics", "business-cases"),
    "noor.siddiqui": ("co-production", "project-management"),
    "olivia.brennan": ("literature-reviews", "teaching"),
    "arjun.mehta": ("root-cause-analysis", "measurement-for-improvement"),
    "ellen.fraser": ("co-production", "writing-for-patients", "presentation-skills"),
    "tunde.bakare": ("schwartz-rounds-facilitation", "peer-support", "process-mapping"),
    "marie-claire.gagnon": ("ethics-applications", "grant-writing", "translation"),
}

# The QI lead at the integrated care board settles disputes between members
# (the permission ``exchanges.resolve_dispute``); the administrator can too.
MODERATOR = "eleanor.hughes"
MODERATOR_EMAIL = f"{MODERATOR}@{DEMO_DOMAIN}"
ADMIN = "admin"  # how exchanges below name the administrator

OFFER, REQUEST = Listing.Kind.OFFER, Listing.Kind.REQUEST
PAUSED, CLOSED = Listing.Status.PAUSED, Listing.Status.CLOSED

# Offers and requests. Text stays within the rules: every listing says how it
# helps health and care, nothing mentions money, and no example carries a
# patient's details.
LISTINGS: tuple[DemoListing, ...] = (
    DemoListing(
        "survival",
        "wei.zhang",
        OFFER,
        "Survival analysis in R for readmission data",
        "Bring your question and a list of the variables you hold. We set up a time-to-event "
        "analysis in R together on invented data shaped like yours: Kaplan-Meier curves, a Cox "
        "model and how to check its assumptions. You leave with a script to rerun each quarter.",
        "research",
        "Shows which patients come back to hospital early, and when, so follow-up can be "
        "timed to match.",
        90,
        Format.REMOTE,
        ("survival-analysis", "r-programming", "medical-statistics"),
        languages=("English", "Mandarin"),
    ),
    DemoListing(
        "falls-run-chart",
        "isla.mackenzie",
        REQUEST,
        "Help designing a run chart for falls",
        "Our stroke unit is testing a bedside falls checklist. We count falls per thousand bed "
        "days each week but are not sure how to chart them or how to tell when a change is "
        "real. Looking for an hour with someone who knows the run chart rules.",
        "patient-safety",
        "Lets the ward see within weeks whether the checklist is preventing falls, instead of "
        "waiting for the annual audit.",
        60,
        Format.REMOTE,
        ("run-charts", "measurement-for-improvement"),
    ),
    DemoListing(
        "ward-managers",
        "amina.okafor",
        OFFER,
        "Coaching for new ward managers",
        "Not long ago I was a new charge nurse with no idea how to run a safety huddle or have "
        "a hard conversation about the rota. I offer an hour of coaching to anyone stepping "
        "into a ward leadership role: we take one real challenge and plan your next step.",
        "leadership",
        "Helps new nurse leaders settle into the role and build safer, calmer teams.",
        60,
        Format.EITHER,
        ("leadership-coaching", "mentoring", "team-development"),
        place="Northbridge main site, or a video call",
        languages=("English", "Igbo"),
    ),
    DemoListing(
        "first-pdsa",
        "amina.okafor",
        OFFER,
        "Your first PDSA cycle, planned in an hour",
        "Have an idea but not sure how to test it? We turn it into a small, quick test: a "
        "prediction, what to measure, and how to learn from it by next week. Works for any "
        "team, clinical or not.",
        "clinical-effectiveness",
        "Helps teams test changes on a small scale before rolling them out, so fewer good "
        "ideas fail.",
        60,
        Format.REMOTE,
        ("pdsa-cycles", "run-charts"),
    ),
    DemoListing(
        "observations-spc",
        "amina.okafor",
        REQUEST,
        "SPC chart for missed observations on our unit",
        "We record missed or late observations every shift. I would like help turning a year "
        "of counts into an SPC chart the team can read at the morning huddle, ideally one that "
        "updates itself from our spreadsheet.",
        "patient-safety",
        "Gives the huddle a clear signal when missed observations rise, so patients who are "
        "getting worse are spotted sooner.",
        60,
        Format.REMOTE,
        ("statistical-process-control", "data-visualisation", "spreadsheet-automation"),
    ),
    DemoListing(
        "leaflet-review",
        "ellen.fraser",
        OFFER,
        "Plain-English patient leaflet review",
        "Send me a draft leaflet or letter and I will read it the way a tired carer at the "
        "kitchen table would. I mark what is unclear, what is frightening and what is missing, "
        "then we talk it through.",
        "patient-experience",
        "Makes written information easier for patients and carers to understand and act on.",
        60,
        Format.REMOTE,
        ("writing-for-patients", "co-production"),
    ),
    DemoListing(
        "rota-python",
        "grace.mensah",
        REQUEST,
        "Python to automate a rota spreadsheet",
        "Our coordinators spend most of Friday copying shifts between spreadsheets. We would "
        "like a small script that checks for gaps, double bookings and travel time between "
        "visits. I can share a copy filled with invented names.",
        "staff-wellbeing",
        "Gives coordinators their Fridays back and makes rotas fairer and more predictable for "
        "care workers.",
        90,
        Format.REMOTE,
        ("python", "spreadsheet-automation"),
        status=CLOSED,
    ),
    DemoListing(
        "dashboard-surgery",
        "tom.whitfield",
        OFFER,
        "SQL and Power BI surgery for ward dashboards",
        "Stuck on a query, or on a dashboard that nobody opens? Bring it along. We fix the "
        "query together and cut the dashboard down to the three charts people actually use.",
        "digital",
        "Helps teams use their own data to spot problems early and see whether changes work.",
        60,
        Format.REMOTE,
        ("sql", "data-visualisation"),
    ),
    DemoListing(
        "deprescribing",
        "priya.nair",
        OFFER,
        "Deprescribing in frail older people: case-based teaching",
        "A practical session built around invented but realistic cases: which medicines to "
        "stop first, how to talk it through with patients and families, and what to watch "
        "for afterwards.",
        "clinical-effectiveness",
        "Reduces harm from medicines people no longer need, and the falls and admissions they "
        "cause.",
        60,
        Format.EITHER,
        ("medicines-optimisation", "frailty", "teaching"),
        place="Northbridge pharmacy seminar room",
        languages=("English", "Malayalam"),
    ),
    DemoListing(
        "polish-invitations",
        "fatima.hussain",
        REQUEST,
        "Translating diabetes review invitations into Polish",
        "Many people who miss their diabetes review speak Polish at home. We have a short "
        "plain-English invitation letter and text message, and need a fluent speaker to "
        "translate them and check they sound friendly rather than official.",
        "equity-and-inclusion",
        "Helps more people come to their diabetes review, narrowing a gap in care between "
        "communities.",
        60,
        Format.REMOTE,
        ("translation", "diabetes-care", "writing-for-patients"),
        languages=("English", "Polish"),
    ),
    DemoListing(
        "visits-dashboard",
        "joseph.kamau",
        REQUEST,
        "Phone-friendly dashboard for community health worker visits",
        "Our community health workers log home visits on basic phones. Supervisors need a "
        "simple weekly view of visits, referrals and follow-ups that loads on a weak "
        "connection. Looking for advice on the design and the tools.",
        "digital",
        "Helps supervisors see quickly where mothers and babies have missed a follow-up visit.",
        90,
        Format.REMOTE,
        ("data-visualisation", "web-development"),
        languages=("English", "Swahili"),
    ),
    DemoListing(
        "audit-mentoring",
        "rajesh.iyer",
        OFFER,
        "Mentoring for your first clinical audit",
        "From choosing a standard to closing the loop: I help you scope an audit small enough "
        "to finish and useful enough to change practice. Ideal for resident doctors, nurses "
        "and allied health professionals.",
        "clinical-effectiveness",
        "Helps more clinicians finish audits that actually change care.",
        60,
        Format.EITHER,
        ("mentoring", "measurement-for-improvement", "evaluation-design"),
        place="Northbridge cardiology offices, or a video call",
    ),
    DemoListing(
        "literature-search",
        "olivia.brennan",
        OFFER,
        "Literature search for your improvement question",
        "Tell me what you want to change and we search the evidence together; then I show you "
        "how to rerun the search yourself. You get a one-page summary of what has been tried "
        "elsewhere.",
        "research",
        "Saves teams from reinventing changes that others have already tested.",
        60,
        Format.REMOTE,
        ("literature-reviews", "teaching"),
    ),
    DemoListing(
        "ethics-walkthrough",
        "marie-claire.gagnon",
        OFFER,
        "Ethics application walkthrough for evaluations and small studies",
        "Not sure whether your project needs ethics review, or how to answer the questions on "
        "consent and data? We go through your form section by section.",
        "research",
        "Helps clinicians start well-governed research and evaluation sooner.",
        90,
        Format.REMOTE,
        ("ethics-applications", "grant-writing"),
        languages=("English", "French"),
    ),
    DemoListing(
        "wayfinding",
        "tunde.bakare",
        OFFER,
        "Walk the patient route with a porter: wayfinding audit",
        "I walk the route from the front entrance to your clinic with you, the way a "
        "first-time visitor would, and we note every sign, lift and door that confuses people. "
        "We finish with a short list of fixes.",
        "patient-experience",
        "Fewer patients arrive late, lost or stressed for their appointments.",
        60,
        Format.IN_PERSON,
        ("process-mapping", "co-production"),
        place="Northbridge Teaching Hospitals, main entrance",
    ),
    DemoListing(
        "reflective-practice",
        "michael.osei",
        OFFER,
        "Reflective practice group for ward teams after a hard week",
        "A facilitated, confidential hour for a team to talk through a difficult week. No "
        "agenda beyond what the team brings; we close with one thing each person will do to "
        "look after themselves.",
        "staff-wellbeing",
        "Helps staff make sense of distressing work together, which keeps people in post and "
        "care kind.",
        60,
        Format.IN_PERSON,
        ("peer-support", "resilience", "mental-health"),
        place="Northbridge, or your own ward",
    ),
    DemoListing(
        "sepsis-simulation",
        "oluwaseun.adeyemi",
        OFFER,
        "Sepsis simulation scenario for your ward",
        "An in-situ simulation on recognising and escalating sepsis, with a debrief on "
        "teamwork and human factors. I bring the scenario and the manikin; you bring the team.",
        "patient-safety",
        "Helps ward teams recognise sepsis and escalate it earlier.",
        90,
        Format.IN_PERSON,
        ("simulation-training", "teaching"),
        place="Your ward at Northbridge",
    ),
    DemoListing(
        "fhir-explained",
        "lars.devries",
        OFFER,
        "FHIR and clinical data standards, explained for clinicians",
        "What FHIR, SNOMED CT and openEHR are, what they are not, and the three questions to "
        "ask a supplier before you sign up to a new system.",
        "digital",
        "Helps clinical teams ask for systems that share information safely between organisations.",
        60,
        Format.REMOTE,
        ("clinical-informatics",),
        languages=("English", "Dutch"),
        status=PAUSED,
    ),
    DemoListing(
        "discharge-sheet",
        "ananya.reddy",
        OFFER,
        "Design a clearer discharge information sheet",
        "Send me your current discharge sheet and we redesign it together: order, headings, "
        "icons and white space, then test it with two or three people who have been through "
        "a discharge.",
        "patient-experience",
        "Patients and carers leave hospital knowing what happens next and whom to call.",
        90,
        Format.REMOTE,
        ("graphic-design", "writing-for-patients", "co-production"),
    ),
    DemoListing(
        "bed-days",
        "callum.reid",
        OFFER,
        "Does your improvement save bed days? A first economic look",
        "We sketch what your change takes in staff time and what it might give back in bed "
        "days or appointments, and which numbers you would need to make the case.",
        "productivity",
        "Helps teams show the value of improvement work in time and capacity, not guesswork.",
        60,
        Format.REMOTE,
        ("health-economics", "business-cases"),
        status=PAUSED,
    ),
    DemoListing(
        "equality-impact",
        "aisha.bello",
        OFFER,
        "Equality impact assessment for your project",
        "Done early, an equality impact assessment is a design tool, not a form. We look at who "
        "your change might leave out and what you can do about it before launch.",
        "equity-and-inclusion",
        "Makes sure service changes do not widen gaps for disabled people, minority groups or "
        "people on low incomes.",
        60,
        Format.REMOTE,
        ("co-production", "facilitation"),
    ),
    DemoListing(
        "business-case",
        "lucy.chen",
        OFFER,
        "Writing a business case for a digital pilot",
        "Options, benefits, risks and a one-page summary a busy committee will read to the "
        "end. Bring a draft or just the idea.",
        "leadership",
        "Helps good digital ideas get a fair hearing and a clear decision.",
        60,
        Format.REMOTE,
        ("business-cases", "project-management"),
        languages=("English", "Cantonese"),
    ),
    DemoListing(
        "discharge-map",
        "david.llewellyn",
        REQUEST,
        "Process map of our discharge-to-assess pathway",
        "Health and social care staff each know their half of the discharge-to-assess "
        "pathway. We want a facilitator to map the whole of it with us in one room, hand-offs "
        "and waits included.",
        "productivity",
        "Shows where people wait in hospital for care they could receive at home.",
        90,
        Format.IN_PERSON,
        ("process-mapping", "lean", "facilitation"),
        place="Calderbrook Civic Centre",
        languages=("English", "Welsh"),
    ),
    DemoListing(
        "delirium-elearning",
        "sophie.nguyen",
        REQUEST,
        "Usability test of a delirium prevention e-learning module",
        "I have built a twenty-minute module for care home staff. I need someone to watch two "
        "or three colleagues try it and tell me where they get stuck.",
        "education-and-training",
        "Makes delirium training easier to finish for busy care staff, so more residents are "
        "protected.",
        60,
        Format.REMOTE,
        ("e-learning-design", "assessment"),
    ),
    DemoListing(
        "theatre-carbon",
        "james.thornton",
        REQUEST,
        "Measuring the carbon from our anaesthetic gases",
        "We are switching away from desflurane and want to show the change month by month. "
        "Looking for help to build the measure from pharmacy issue data and a chart for the "
        "theatre newsletter.",
        "sustainability",
        "Shows the theatre team the climate effect of their choices and keeps the switch going.",
        60,
        Format.REMOTE,
        ("measurement-for-improvement", "data-visualisation", "run-charts"),
    ),
    DemoListing(
        "young-carers-posts",
        "hannah.goldberg",
        REQUEST,
        "Social media posts that reach young carers",
        "Young carers rarely see themselves as carers. We would like help writing a month of "
        "short posts that a fifteen-year-old would actually read and share.",
        "equity-and-inclusion",
        "Helps young carers find support earlier, before school and health suffer.",
        60,
        Format.REMOTE,
        ("social-media", "writing-for-patients"),
    ),
    DemoListing(
        "strength-balance",
        "siobhan.murphy",
        OFFER,
        "Strength and balance class plan for falls prevention",
        "I share the twelve-week class plan we run in village halls, how we adapt it for "
        "people living with dementia or sight loss, and help you fit it to your setting.",
        "patient-safety",
        "Helps older people stay steady on their feet and out of hospital.",
        60,
        Format.REMOTE,
        ("frailty", "teaching"),
        languages=("English", "Irish"),
    ),
    DemoListing(
        "interview-analysis",
        "nadia.haddad",
        OFFER,
        "Qualitative interview analysis for service evaluations",
        "Have a pile of interview notes from staff or patients? We build a coding frame and "
        "draft themes together, with enough rigour for a report or a conference poster.",
        "research",
        "Turns what patients and staff say into evidence that shapes services.",
        90,
        Format.REMOTE,
        ("qualitative-research", "evaluation-design"),
    ),
    DemoListing(
        "volunteer-rota",
        "george.evans",
        REQUEST,
        "A volunteer rota for home-from-hospital support",
        "Thirty volunteers help people settle in at home after a hospital stay, and our rota "
        "lives in e-mails. We need advice on a simple shared system volunteers can use from "
        "their phones.",
        "productivity",
        "More people get a friendly visit in their first days home from hospital.",
        60,
        Format.REMOTE,
        ("volunteering-coordination", "spreadsheet-automation"),
    ),
    DemoListing(
        "irish-practice",
        "sean.obrien",
        OFFER,
        "Irish conversation practice for clinic staff",
        "Informal practice for colleagues who would like to greet and reassure Irish-speaking "
        "patients in their own language. Beginners welcome.",
        "patient-experience",
        "Helps Irish-speaking patients feel at ease and understood in clinic.",
        30,
        Format.REMOTE,
        ("language-practice",),
        languages=("English", "Irish"),
        status=PAUSED,
    ),
    DemoListing(
        "huddle-board",
        "sanne.bakker",
        OFFER,
        "Setting up a lean huddle board",
        "How to run a ten-minute daily huddle around a board that tracks small problems until "
        "they are solved, with examples from our wards in Utrecht.",
        "productivity",
        "Helps teams fix small problems every day, before they grow into incidents.",
        60,
        Format.REMOTE,
        ("lean", "process-mapping", "facilitation"),
        languages=("English", "Dutch"),
    ),
    DemoListing(
        "code-review",
        "ravi.patel",
        OFFER,
        "Python code review for your clinical data pipeline",
        "Send me a repository or a notebook. I read it before we meet, then we go through "
        "tests, reproducibility and the places where silent errors like to hide.",
        "digital",
        "Catches errors in analysis code before they reach a report or a decision about care.",
        60,
        Format.REMOTE,
        ("python", "clinical-informatics"),
    ),
    DemoListing(
        "root-cause",
        "chloe.tremblay",
        OFFER,
        "Root cause analysis: learning from a patient safety incident",
        "A walk through a systems-based review of an invented incident: timeline, "
        "contributory factors and actions that change the system rather than blame a person.",
        "patient-safety",
        "Helps teams learn from incidents without blame, so the same harm is less likely to "
        "happen again.",
        60,
        Format.REMOTE,
        ("root-cause-analysis", "facilitation"),
        languages=("English", "French"),
    ),
    DemoListing(
        "reception-mindfulness",
        "mohammed.rahman",
        REQUEST,
        "Mindfulness session for our practice reception team",
        "Our reception team takes the brunt of frustration on busy Monday mornings. We would "
        "welcome a short, practical session they can use between calls.",
        "staff-wellbeing",
        "Supports the people who are the first voice patients hear.",
        60,
        Format.IN_PERSON,
        ("mindfulness", "resilience"),
        place="Riverside Medical Practice",
        languages=("English", "Bengali"),
    ),
    DemoListing(
        "cold-homes",
        "liam.walsh",
        REQUEST,
        "Mapping cold homes against winter admissions",
        "Using published, area-level data only, we want to map where cold homes and winter "
        "respiratory admissions overlap, to target insulation and heating support.",
        "equity-and-inclusion",
        "Points warm-home support to the neighbourhoods where winter illness is highest.",
        90,
        Format.REMOTE,
        ("population-health-analytics", "data-visualisation"),
    ),
    DemoListing(
        "driver-diagrams",
        "eleanor.hughes",
        OFFER,
        "Driver diagram clinic for improvement projects",
        "Bring the aim of your project; leave with a driver diagram, two or three change ideas "
        "and the measures that will tell you whether they work.",
        "clinical-effectiveness",
        "Helps project teams focus on the changes most likely to improve care.",
        60,
        Format.EITHER,
        ("measurement-for-improvement", "action-learning", "facilitation"),
        place="Severn Vale ICB offices, or a video call",
    ),
)

# Exchanges, one or more in every state of the lifecycle. Receivers hold at
# most an hour and a half each, well inside the welcome gift. The member the
# command prints for signing in has a proposal to accept (5), an exchange
# waiting for her to confirm the hours (6) and a proposal of her own (7).
EXCHANGES: tuple[DemoExchange, ...] = (
    DemoExchange(
        1,
        "kwame.boateng",
        Status.COMPLETED,
        90,
        listing="survival",
        message="I have three years of readmission data for heart failure and a question about "
        "time to readmission by discharge route. Could we look at it together?",
        replies=(
            (
                "wei.zhang",
                "Happy to. Please send only the list of variables, not the data: we will "
                "build the analysis on invented data first and you run it at your end.",
            ),
        ),
        thanks=(
            DemoThanks(
                "kwame.boateng",
                "Clear, patient and practical. I can now explain a hazard ratio to our board.",
                "We are moving follow-up calls into the first week after discharge, where "
                "the curves showed most readmissions happen.",
            ),
            DemoThanks("wei.zhang", "A great question and beautifully prepared. Thank you."),
        ),
        reflections=(
            (
                "kwame.boateng",
                "Learned to check the proportional hazards assumption before trusting a Cox "
                "model. Next: rerun every quarter and present at the directorate meeting.",
            ),
        ),
    ),
    DemoExchange(
        2,
        "tom.whitfield",
        Status.COMPLETED,
        60,
        listing="falls-run-chart",
        message="I build run charts for several wards and can help. Could you bring the weekly "
        "falls and bed days for the last year?",
        replies=(("isla.mackenzie", "Thank you! I will bring the weekly counts, nothing else."),),
        thanks=(
            DemoThanks(
                "isla.mackenzie",
                "Tom made the run chart rules make sense in ten minutes.",
                "The ward now looks at the falls chart at every Monday huddle.",
            ),
        ),
        reflections=(
            (
                "tom.whitfield",
                "Explaining shifts and trends to clinicians made me simplify how I present "
                "them. I will reuse the one-page guide we wrote together.",
            ),
        ),
    ),
    DemoExchange(
        3,
        "rebecca.achieng",
        Status.COMPLETED,
        60,
        listing="ward-managers",
        message="I have just become the midwife in charge of our labour ward and would love "
        "some coaching on leading handovers.",
        replies=(("amina.okafor", "Congratulations! Let us pick one handover to work on."),),
        thanks=(
            DemoThanks(
                "rebecca.achieng",
                "Amina listened more than she spoke and left me with a plan I used the next "
                "morning.",
                "Our handovers now end with a two-minute safety check.",
            ),
            DemoThanks(
                "amina.okafor",
                "It was a privilege to hear how your team works. I learned as much as I gave.",
            ),
        ),
        reflections=(
            (
                "amina.okafor",
                "Coaching someone in another country showed me how much our huddle depends "
                "on context. For my revalidation: coaching practice and cultural humility.",
            ),
        ),
    ),
    DemoExchange(
        4,
        "ravi.patel",
        Status.COMPLETED,
        90,
        listing="rota-python",
        message="I write Python every day and would enjoy this. Could you send the copy with "
        "invented names?",
        replies=(("grace.mensah", "Attached to my e-mail. The travel times are the hard part."),),
        thanks=(
            DemoThanks(
                "grace.mensah",
                "Ravi's script finds gaps and double bookings in seconds.",
                "Coordinators finish the rota by Thursday, and carers get it a day earlier.",
            ),
            DemoThanks(
                "ravi.patel", "Seeing the rota through a coordinator's eyes was eye-opening."
            ),
        ),
    ),
    DemoExchange(
        5,
        "mohammed.rahman",
        Status.PROPOSED,
        60,
        listing="first-pdsa",
        message="We want to test releasing ten on-the-day appointments at 8am instead of all "
        "at once. Could you help us plan the first cycle?",
    ),
    DemoExchange(
        6,
        "tom.whitfield",
        Status.DELIVERED,
        60,
        listing="observations-spc",
        message="I can build this in Excel so that it updates from your shift log.",
        replies=(("amina.okafor", "Perfect: the huddle already uses Excel."),),
    ),
    DemoExchange(
        7,
        "amina.okafor",
        Status.PROPOSED,
        60,
        listing="literature-search",
        message="I would like to know what has worked elsewhere to reduce missed observations "
        "at night.",
    ),
    DemoExchange(
        8,
        "zainab.ali",
        Status.COMPLETED,
        60,
        listing="deprescribing",
        logged=45,
        message="Our practice has many care home residents on ten or more medicines. Could I "
        "join a session?",
        thanks=(
            DemoThanks(
                "zainab.ali",
                "Practical and kind. The cases felt just like my Tuesday care home round.",
                "I now review one care home resident's medicines each week with the pharmacist.",
            ),
        ),
        reflections=(
            (
                "zainab.ali",
                "For appraisal: deprescribing framework, shared decisions with families, "
                "what to monitor after stopping a medicine.",
            ),
        ),
    ),
    DemoExchange(
        9,
        "tunde.bakare",
        Status.COMPLETED,
        60,
        direct=DemoDirect(
            other="hannah.goldberg",
            member_gives=True,
            title="Starting reflective sessions for a carers' group",
            area="staff-wellbeing",
            benefit="Helps a carers' group offer a safe space to talk about the emotional side "
            "of caring.",
        ),
        message="Logging the hour we spent on your reflective sessions, as promised.",
        thanks=(
            DemoThanks(
                "hannah.goldberg",
                "Tunde showed us how to hold a safe, gentle space. Our first session went well.",
                "Eight carers came to the first session and all want another.",
            ),
        ),
    ),
    DemoExchange(
        10,
        "marta.kowalska",
        Status.ACCEPTED,
        60,
        listing="polish-invitations",
        message="I speak Polish at home and translate for families at work. Happy to help.",
        replies=(("fatima.hussain", "Wonderful, thank you. I will send both texts today."),),
    ),
    DemoExchange(
        11,
        "david.llewellyn",
        Status.DELIVERED,
        90,
        listing="discharge-sheet",
        message="Our discharge letter for people going home with care is four pages long. "
        "Could we make it one?",
    ),
    DemoExchange(
        12,
        "sanne.bakker",
        Status.DECLINED,
        90,
        listing="discharge-map",
        message="I could facilitate this remotely from Utrecht with a shared whiteboard.",
        reason="Thank you, Sanne. We need someone in the room with the team for this one, but "
        "I would love your help with a huddle board afterwards.",
    ),
    DemoExchange(
        13,
        "noor.siddiqui",
        Status.DISPUTED,
        90,
        listing="interview-analysis",
        logged=120,
        message="We interviewed twelve people who use day services. Could you help us find the "
        "themes?",
        reason="We agreed an hour and a half for the coding session. Two hours were logged; "
        "the extra half hour was follow-up notes I thought were included.",
    ),
    DemoExchange(
        14,
        "lars.devries",
        Status.VOIDED,
        60,
        listing="delirium-elearning",
        message="I do usability testing with clinicians and can watch your colleagues try the "
        "module.",
        reason="The session did not take place: we could not find a time across our time zones.",
        resolution=DemoResolution(
            MODERATOR,
            None,
            "Both members confirmed the session did not happen, so no credits move and the "
            "hold is released.",
        ),
    ),
    DemoExchange(
        15,
        "aisha.bello",
        Status.COMPLETED,
        60,
        listing="audit-mentoring",
        logged=90,
        message="I would like to audit how we record ethnicity at outpatient booking.",
        reason="We agreed one hour. The extra half hour was an e-mail afterwards that I did "
        "not expect to count.",
        resolution=DemoResolution(
            ADMIN,
            60,
            "Both members agree the session itself was one hour, as first proposed, so one "
            "hour is recorded.",
        ),
        thanks=(
            DemoThanks(
                "aisha.bello",
                "Thank you for the mentoring, and for being gracious about the mix-up.",
                "Our audit of ethnicity recording starts next month.",
            ),
        ),
    ),
    DemoExchange(
        16,
        "joseph.kamau",
        Status.CANCELLED,
        60,
        listing="code-review",
        message="Our visit data goes through a Python script that nobody has checked since "
        "it was written.",
        reason="Our data project is postponed until after the rainy season. Thank you, Ravi.",
        cancelled_by="joseph.kamau",
    ),
    DemoExchange(
        17,
        "lars.devries",
        Status.CANCELLED,
        60,
        listing="visits-dashboard",
        message="We built something similar for district nurses. I can show you how it works "
        "offline.",
        reason="I have been asked to cover a system go-live next week. Can we try again next "
        "month?",
        cancelled_by="lars.devries",
        cancel_after_accept=True,
    ),
    DemoExchange(
        18,
        "chloe.tremblay",
        Status.PROPOSED,
        90,
        listing="ethics-walkthrough",
        message="We are planning a small evaluation of a new handover tool and I am not sure "
        "it needs ethics review. Could we go through it together, in French or English?",
    ),
    DemoExchange(
        19,
        "arjun.mehta",
        Status.ACCEPTED,
        60,
        listing="strength-balance",
        message="Our care homes in Melbourne would love to adapt your class plan for residents.",
        replies=(("siobhan.murphy", "Lovely. Early morning in Dublin is evening for you?"),),
    ),
    DemoExchange(
        20,
        "sean.obrien",
        Status.COMPLETED,
        60,
        listing="leaflet-review",
        message="Could you read our new leaflet on starting insulin?",
        thanks=(
            DemoThanks(
                "sean.obrien",
                "Ellen found every sentence that would have worried a family.",
                "The leaflet is now half the length and in every diabetes clinic.",
            ),
            DemoThanks("ellen.fraser", "Thank you for listening to a carer's view so openly."),
        ),
        reflections=(
            (
                "sean.obrien",
                "I write for clinicians without noticing. Ask a carer to read it first.",
            ),
        ),
    ),
    DemoExchange(
        21,
        "oluwaseun.adeyemi",
        Status.COMPLETED,
        60,
        listing="root-cause",
        message="We are preparing a review of a delayed sepsis escalation and want to do it "
        "without blame.",
        thanks=(
            DemoThanks(
                "oluwaseun.adeyemi",
                "Chloé turned a tense review into a learning conversation.",
                "Our actions now change the escalation process instead of naming a person.",
            ),
        ),
    ),
    DemoExchange(
        22,
        "james.thornton",
        Status.ACCEPTED,
        60,
        listing="reflective-practice",
        message="Our theatre team has had a hard month. Could you run a session for us?",
    ),
)


def demo_build() -> DemoResult:
    """Create the demo community, or find it already there, in one transaction.

    A step that a rule refuses (a member short of credits, a listing someone
    has since closed) is skipped with a note in ``skipped``; the rest of the
    demo is still worth having. Anything unexpected undoes the whole run."""
    skipped: list[str] = []
    # The people are invented: their notifications stay on the site and are
    # never e-mailed (the console back end would also print a hundred of them
    # over the command's own output). From the command this transaction is the
    # outermost, so the e-mails queued for after its commit leave inside the
    # override, and meet the dummy back end.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        organisations, new_organisations = _organisations()
        # One hash for every demo account, made only if someone new needs it:
        # hashing the same published password forty times would cost half a
        # minute of `make run` for nothing.
        password_hash = functools.cache(lambda: make_password(DEMO_PASSWORD))
        members, new_members = _members(organisations, password_hash)
        admin, new_admin = _admin(password_hash)
        _profile_skills(members)
        people = {**members, ADMIN: admin, MODERATOR: _moderator(members[MODERATOR])}
        listings, new_listings = _listings(people, skipped)
        demo_exchanges, new_exchanges = _exchanges(people, listings, skipped)
        # After the exchanges: only credits earned by giving time are given on.
        donations, new_donations = _donations(members, skipped)
        # Pausing and closing come after the exchanges, which start from open
        # listings, and only on the run that posts the listing: one a person
        # has reopened since stays open.
        for spec in LISTINGS:
            if spec.key in new_listings and spec.status != Listing.Status.OPEN:
                _listing_leave(listings[spec.key], spec, people, skipped)
        _reports(people, listings, skipped)
    statuses = Counter(exchange.status for exchange in demo_exchanges)
    return DemoResult(
        organisations=StepCount(len(ORGANISATIONS), new_organisations),
        members=StepCount(len(MEMBERS) + 1, new_members + new_admin),
        donations=StepCount(donations, new_donations),
        listings=StepCount(len(listings), len(new_listings)),
        exchanges=StepCount(len(demo_exchanges), new_exchanges),
        exchange_statuses={status: statuses[status] for status in Status.values},
        skipped=tuple(skipped),
    )


# A member's report waiting in the moderation queue: a mistaken one, as many
# are, so that the moderator can read the listing and dismiss it.
DEMO_REPORT = (
    "tom.whitfield",
    "first-pdsa",
    ListingFlag.Reason.ASKS_FOR_MONEY,
    "Is this a paid workshop? It does not say it is free. Please check.",
)


def _reports(people: dict[str, Member], listings: dict[str, Listing], skipped: list[str]) -> None:
    handle, listing_key, reason, note = DEMO_REPORT
    listing, reporter = listings.get(listing_key), people[handle]
    if listing is None or ListingFlag.objects.filter(listing=listing, flagged_by=reporter).exists():
        return
    try:
        listing_flag(listing=listing, member=reporter, reason=reason, note=note)
    except DomainError as error:
        skipped.append(f"report on {listing_key}: {error.message}")


def _organisations() -> tuple[dict[str, Organisation], int]:
    # There is no organisation service yet: creating a row has no rule to
    # enforce beyond the unique name per country, which the lookup respects.
    found: dict[str, Organisation] = {}
    new = 0
    for spec in ORGANISATIONS:
        organisation = Organisation.objects.filter(
            name__iexact=spec.name, country=spec.country
        ).first()
        if organisation is None:
            organisation = Organisation.objects.create(
                name=spec.name, kind=spec.kind, country=spec.country
            )
            new += 1
        found[spec.name] = organisation
    return found, new


def _members(
    organisations: dict[str, Organisation], password_hash: Callable[[], str]
) -> tuple[dict[str, Member], int]:
    found: dict[str, Member] = {}
    new = 0
    for spec in MEMBERS:
        member = Member.objects.filter(email__iexact=spec.email).first()
        if member is None:
            member = member_join(
                email_verified=True,
                email=spec.email,
                display_name=spec.display_name,
                password=None,
                organisation=organisations[spec.organisation],
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
            member.password = password_hash()
            member.save(update_fields=["password"])
            new += 1
        found[spec.handle] = member
    return found, new


def _admin(password_hash: Callable[[], str]) -> tuple[Member, int]:
    admin = Member.objects.filter(email__iexact=ADMIN_EMAIL).first()
    if admin is not None:
        return admin, 0
    admin = member_join(
        email_verified=True,
        email=ADMIN_EMAIL,
        display_name="Demo Administrator",
        password=None,
        profession="Community administrator",
        bio="Looks after the demo community: moderation, flags and the Django admin.",
    )
    admin.password = password_hash()
    admin.is_staff = True
    admin.is_superuser = True
    admin.save(update_fields=["password", "is_staff", "is_superuser"])
    admin = member_role_grant(member=admin, role=roles.COMMUNITY_ADMIN, by=None)
    return admin, 1


def _donations(members: dict[str, Member], skipped: list[str]) -> tuple[int, int]:
    """Returns how many demo donations exist, and how many of them are new."""
    made = new = 0
    for spec in DONATIONS:
        already_made = Transfer.objects.filter(key=spec.key).exists()
        try:
            donation_make(
                key=spec.key,
                donor=members[spec.donor],
                recipient=members[spec.recipient] if spec.recipient else None,
                amount=spec.minutes,
                memo=spec.memo,
            )
        except LedgerError as exc:
            # Someone may have spent a demo member's credits in between runs.
            skipped.append(f"{spec.key}: {exc.message}")
            continue
        made += 1
        if not already_made:
            new += 1
    return made, new


def _profile_skills(members: dict[str, Member]) -> None:
    """Give each demo member their taxonomy skills, unless they have some:
    a member who changed them since keeps their own choice."""
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    with_skills = set(
        Profile.skills.through.objects.filter(profile__member__in=members.values()).values_list(
            "profile__member_id", flat=True
        )
    )
    for handle, member in members.items():
        if member.pk in with_skills or not Profile.objects.filter(member=member).exists():
            continue
        chosen = [skills[slug] for slug in PROFILE_SKILLS.get(handle, ()) if slug in skills]
        if chosen:
            # Their own display name: a member found at a demo address keeps theirs.
            profile_update(member=member, display_name=member.display_name, skills=chosen)


def _moderator(member: Member) -> Member:
    return member_role_grant(member=member, role=roles.MODERATOR, by=None)  # twice changes nothing


def _listings(people: dict[str, Member], skipped: list[str]) -> tuple[dict[str, Listing], set[str]]:
    """The demo listings by key (new or found by owner and title), and the
    keys of those posted on this run."""
    areas = {area.slug: area for area in ImprovementArea.objects.all()}
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    found: dict[str, Listing] = {}
    new: set[str] = set()
    for spec in LISTINGS:
        owner = people[spec.owner]
        listing = Listing.objects.filter(owner=owner, title=spec.title).first()
        if listing is None:
            if spec.area not in areas:
                skipped.append(f"listing {spec.title!r}: no improvement area {spec.area!r}")
                continue
            try:
                listing = listing_create(
                    owner=owner,
                    kind=spec.kind,
                    title=spec.title,
                    description=spec.description,
                    improvement_area=areas[spec.area],
                    benefit=spec.benefit,
                    estimated_minutes=spec.minutes,
                    format=spec.format,
                    skills=[skills[slug] for slug in spec.skills if slug in skills],
                    place=spec.place,
                    languages=list(spec.languages),
                )
            except DomainError as error:
                skipped.append(f"listing {spec.title!r}: {error.message}")
                continue
            new.add(spec.key)
        found[spec.key] = listing
    return found, new


def _listing_leave(
    listing: Listing, spec: DemoListing, people: dict[str, Member], skipped: list[str]
) -> None:
    change = listing_close if spec.status == Listing.Status.CLOSED else listing_pause
    try:
        change(listing=listing, member=people[spec.owner])
    except DomainError as error:
        skipped.append(f"listing {spec.title!r}: {error.message}")


def _exchanges(
    people: dict[str, Member], listings: dict[str, Listing], skipped: list[str]
) -> tuple[list[Exchange], int]:
    """The demo exchanges, each driven towards its outcome, and how many
    were proposed on this run."""
    areas = {area.slug: area for area in ImprovementArea.objects.all()}
    by_pk = {member.pk: member for member in people.values()}
    new = 0
    for spec in EXCHANGES:
        exchange = Exchange.objects.filter(request_key=spec.key).first()
        try:
            if exchange is None:
                exchange = _exchange_propose(spec, people, listings, areas)
                new += 1
                for author, text in spec.replies:
                    exchanges.exchange_message_post(
                        exchange=exchange, member=people[author], body=text
                    )
            exchange = _exchange_drive(exchange, spec, people, by_pk)
            if exchange.status == Status.COMPLETED:
                _exchange_thank(exchange, spec, people)
        except DomainError as error:
            skipped.append(f"{spec.key}: {error.message}")
    found = Exchange.objects.filter(request_key__in=[spec.key for spec in EXCHANGES])
    return list(found), new


def _exchange_propose(
    spec: DemoExchange,
    people: dict[str, Member],
    listings: dict[str, Listing],
    areas: dict[str, ImprovementArea],
) -> Exchange:
    proposer = people[spec.proposer]
    if spec.direct is not None:
        return exchanges.exchange_propose_direct(
            member=proposer,
            other=people[spec.direct.other],
            member_gives=spec.direct.member_gives,
            title=spec.direct.title,
            improvement_area=areas[spec.direct.area],
            benefit=spec.direct.benefit,
            minutes=spec.minutes,
            message=spec.message,
            request_key=spec.key,
        )
    listing = listings.get(spec.listing or "")
    if listing is None:
        raise DomainError(f"its listing {spec.listing!r} is not there")
    return exchanges.exchange_propose_from_listing(
        listing=listing,
        member=proposer,
        minutes=spec.minutes,
        message=spec.message,
        request_key=spec.key,
    )


# One step of an exchange's path: (status it leads to, the move).
Step = tuple[str, Callable[[Exchange], Exchange]]


def _exchange_path(
    spec: DemoExchange, people: dict[str, Member], by_pk: dict[int, Member]
) -> list[Step]:
    """The moves from ``proposed`` to the spec's outcome, each made by the
    member who would make it on the site."""

    def provider(ex: Exchange) -> Member:
        return by_pk.get(ex.provider_id) or ex.provider

    def receiver(ex: Exchange) -> Member:
        return by_pk.get(ex.receiver_id) or ex.receiver

    def answerer(ex: Exchange) -> Member:
        return receiver(ex) if ex.proposed_by_id == ex.provider_id else provider(ex)

    def accept(ex: Exchange) -> Exchange:
        account = account_for_member(member=receiver(ex))
        available = account.available if account else 0
        if available < ex.proposed_minutes:
            raise DomainError(
                f"not accepted: {receiver(ex).display_name} has {format_credits(available)} "
                f"credits available, {format_credits(ex.proposed_minutes)} needed"
            )
        return exchanges.exchange_accept(exchange=ex, member=answerer(ex))

    def deliver(ex: Exchange) -> Exchange:
        minutes = spec.logged or spec.minutes
        return exchanges.exchange_deliver(exchange=ex, member=provider(ex), minutes=minutes)

    def confirm(ex: Exchange) -> Exchange:
        return exchanges.exchange_confirm(exchange=ex, member=receiver(ex))

    def dispute(ex: Exchange) -> Exchange:
        return exchanges.exchange_dispute(exchange=ex, member=receiver(ex), reason=spec.reason)

    def decline(ex: Exchange) -> Exchange:
        return exchanges.exchange_decline(exchange=ex, member=answerer(ex), reason=spec.reason)

    def cancel(ex: Exchange) -> Exchange:
        member = people[spec.cancelled_by]
        return exchanges.exchange_cancel(exchange=ex, member=member, reason=spec.reason)

    def resolve(ex: Exchange) -> Exchange:
        resolution = spec.resolution
        assert resolution is not None  # only on the path of a spec that has one
        return exchanges.exchange_resolve(
            exchange=ex,
            moderator=people[resolution.moderator],
            minutes=resolution.minutes,
            note=resolution.note,
        )

    accepted: list[Step] = [(Status.ACCEPTED, accept)]
    delivered: list[Step] = [*accepted, (Status.DELIVERED, deliver)]
    outcome = spec.outcome
    if outcome == Status.PROPOSED:
        return []
    if outcome == Status.DECLINED:
        return [(Status.DECLINED, decline)]
    if outcome == Status.CANCELLED:
        return [*(accepted if spec.cancel_after_accept else []), (Status.CANCELLED, cancel)]
    if outcome == Status.ACCEPTED:
        return accepted
    if outcome == Status.DELIVERED:
        return delivered
    if outcome == Status.DISPUTED:
        return [*delivered, (Status.DISPUTED, dispute)]
    if spec.resolution is not None:  # completed or voided by a moderator
        return [*delivered, (Status.DISPUTED, dispute), (outcome, resolve)]
    return [*delivered, (Status.COMPLETED, confirm)]


def _exchange_drive(
    exchange: Exchange, spec: DemoExchange, people: dict[str, Member], by_pk: dict[int, Member]
) -> Exchange:
    """Make only the moves the exchange has not made yet. One that someone
    has taken elsewhere on the site (declined what the demo would accept,
    say) is left as it is."""
    path = _exchange_path(spec, people, by_pk)
    reached = [Status.PROPOSED, *(status for status, _move in path)]
    if exchange.status not in reached:
        return exchange
    for _status, move in path[reached.index(exchange.status) :]:
        exchange = move(exchange)
    return exchange


def _exchange_thank(exchange: Exchange, spec: DemoExchange, people: dict[str, Member]) -> None:
    """Thanks and reflections the exchange does not have yet."""
    thanked = set(Thanks.objects.filter(exchange=exchange).values_list("author_id", flat=True))
    for thanks in spec.thanks:
        author = people[thanks.author]
        if author.pk not in thanked:
            exchanges.thanks_give(
                exchange=exchange, member=author, message=thanks.message, impact=thanks.impact
            )
    reflected = set(
        Reflection.objects.filter(exchange=exchange).values_list("author_id", flat=True)
    )
    for handle, text in spec.reflections:
        author = people[handle]
        if author.pk not in reflected:
            exchanges.reflection_save(exchange=exchange, member=author, text=text)
