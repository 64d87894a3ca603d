"""Demo data: a small community to click around in.

``demo_build()`` creates invented organisations across health and care in
several countries, about forty members who join the way real ones do
(``member_join``: profile, ledger account and welcome gift), a staff
administrator, and a few donations between members and to the community pool.

Running it again creates nothing new: organisations are found by name and
country, members by e-mail, and each donation carries a fixed idempotency key,
so the ledger answers a repeat with the original transfer. Everything is
written out below rather than drawn at random, so every run builds the same
community.

Every demo account shares one published password. That is the point of a demo
and the reason the command refuses to run in production.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from equitime.ledger.errors import LedgerError
from equitime.ledger.models import Transfer
from equitime.ledger.services import donation_make
from equitime.members.models import Member, Organisation, Profile
from equitime.members.services import member_join

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
class StepCount:
    total: int
    new: int


@dataclass(frozen=True)
class DemoResult:
    organisations: StepCount
    members: StepCount
    donations: StepCount
    skipped_donations: tuple[str, ...] = ()


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

# Thanks between colleagues, and a couple of gifts back to the pool. Each
# donor gives at most 60 minutes, well inside their welcome gift.
DONATIONS: tuple[DemoDonation, ...] = (
    DemoDonation(1, "tom.whitfield", "amina.okafor", 30, "Thanks for the run chart walkthrough"),
    DemoDonation(2, "amina.okafor", "wei.zhang", 15, "For the extra help with the power sums"),
    DemoDonation(3, "rajesh.iyer", None, 60, "For colleagues joining from primary care"),
    DemoDonation(4, "priya.nair", "fatima.hussain", 45, "Thank you for the deprescribing cases"),
    DemoDonation(5, "joseph.kamau", "rebecca.achieng", 60, "For mentoring our new midwives"),
    DemoDonation(6, "eleanor.hughes", None, 30, "Pass it on"),
    DemoDonation(7, "james.thornton", "tunde.bakare", 60, "For organising the Schwartz Rounds"),
    DemoDonation(8, "hannah.goldberg", "ellen.fraser", 30, "Thank you for speaking to our group"),
)


def demo_build() -> DemoResult:
    """Create the demo community, or find it already there. All or nothing."""
    with transaction.atomic():
        organisations, new_organisations = _organisations()
        # One hash for every demo account, made only if someone new needs it:
        # hashing the same published password forty times would cost half a
        # minute of `make run` for nothing.
        password_hash = functools.cache(lambda: make_password(DEMO_PASSWORD))
        members, new_members = _members(organisations, password_hash)
        new_members += _admin(password_hash)
        new_donations, skipped = _donations(members)
    return DemoResult(
        organisations=StepCount(len(ORGANISATIONS), new_organisations),
        members=StepCount(len(MEMBERS) + 1, new_members),
        donations=StepCount(len(DONATIONS) - len(skipped), new_donations),
        skipped_donations=tuple(skipped),
    )


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


def _admin(password_hash: Callable[[], str]) -> int:
    if Member.objects.filter(email__iexact=ADMIN_EMAIL).exists():
        return 0
    admin = member_join(
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
    return 1


def _donations(members: dict[str, Member]) -> tuple[int, list[str]]:
    new = 0
    skipped: list[str] = []
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
            # Someone may have spent a demo member's credits in between runs;
            # the rest of the demo is still worth having.
            skipped.append(f"{spec.key}: {exc.message}")
            continue
        if not already_made:
            new += 1
    return new, skipped
