"""The demo's offers and requests."""

from equitime.demo.specs import DemoListing
from equitime.listings.models import Format, Listing

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
        ("falls-prevention", "physiotherapy", "frailty"),
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
