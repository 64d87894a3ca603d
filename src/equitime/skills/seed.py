"""The first taxonomy, loaded by a data migration. Staff extend it in admin.

Later additions live in their own migrations (0003: the allied health
professions, rehabilitation, falls prevention, patient and public involvement),
so that this first list stays what 0002 loaded.

Every name is marked for translation here (``gettext_noop``: the list keeps
the English, the stored name; ``skills.taxonomy.label`` translates it when
shown), those of later migrations in ``LATER``. "Lean" and "Other" are marked
with a context in ``skills.taxonomy`` instead.
"""

from django.utils.translation import gettext_noop

CATEGORIES: dict[str, list[str]] = {
    gettext_noop("Coaching and mentoring"): [
        gettext_noop("Career coaching"),
        gettext_noop("Mentoring"),
        gettext_noop("Leadership coaching"),
        gettext_noop("Action learning"),
    ],
    gettext_noop("Data and statistics"): [
        gettext_noop("Medical statistics"),
        gettext_noop("Survival analysis"),
        gettext_noop("Statistical process control"),
        gettext_noop("Data visualisation"),
        gettext_noop("Health economics"),
        gettext_noop("Population health analytics"),
    ],
    gettext_noop("Digital and coding"): [
        gettext_noop("Python"),
        gettext_noop("R programming"),
        gettext_noop("SQL"),
        gettext_noop("Spreadsheet automation"),
        gettext_noop("Web development"),
        gettext_noop("Clinical informatics"),
    ],
    gettext_noop("Quality improvement"): [
        gettext_noop("Run charts"),
        gettext_noop("PDSA cycles"),
        gettext_noop("Process mapping"),
        "Lean",
        gettext_noop("Measurement for improvement"),
        gettext_noop("Root cause analysis"),
    ],
    gettext_noop("Leadership and management"): [
        gettext_noop("Project management"),
        gettext_noop("Change management"),
        gettext_noop("Business cases"),
        gettext_noop("Team development"),
    ],
    gettext_noop("Research and evaluation"): [
        gettext_noop("Evaluation design"),
        gettext_noop("Literature reviews"),
        gettext_noop("Qualitative research"),
        gettext_noop("Grant writing"),
        gettext_noop("Ethics applications"),
    ],
    gettext_noop("Education and training"): [
        gettext_noop("Teaching"),
        gettext_noop("Simulation training"),
        gettext_noop("E-learning design"),
        gettext_noop("Assessment"),
    ],
    gettext_noop("Communication and design"): [
        gettext_noop("Writing for patients"),
        gettext_noop("Graphic design"),
        gettext_noop("Presentation skills"),
        gettext_noop("Co-production"),
        gettext_noop("Social media"),
    ],
    gettext_noop("Wellbeing"): [
        gettext_noop("Peer support"),
        gettext_noop("Mindfulness"),
        gettext_noop("Resilience"),
        gettext_noop("Schwartz rounds facilitation"),
    ],
    gettext_noop("Clinical expertise"): [
        gettext_noop("Frailty"),
        gettext_noop("Diabetes care"),
        gettext_noop("Mental health"),
        gettext_noop("Infection prevention"),
        gettext_noop("Palliative care"),
        gettext_noop("Medicines optimisation"),
    ],
    gettext_noop("Languages"): [
        gettext_noop("Translation"),
        gettext_noop("Interpreting"),
        gettext_noop("British Sign Language"),
        gettext_noop("Language practice"),
    ],
    "Other": [gettext_noop("Facilitation"), gettext_noop("Volunteering coordination")],
}

IMPROVEMENT_AREAS: list[tuple[str, str]] = [
    (gettext_noop("Patient safety"), gettext_noop("Preventing avoidable harm")),
    (gettext_noop("Patient experience"), gettext_noop("Care that people value")),
    (gettext_noop("Clinical effectiveness"), gettext_noop("Care that works, based on evidence")),
    (gettext_noop("Staff wellbeing"), gettext_noop("People who can do their best work")),
    (gettext_noop("Education and training"), gettext_noop("Growing skills and confidence")),
    (gettext_noop("Research"), gettext_noop("New knowledge for better care")),
    (gettext_noop("Equity and inclusion"), gettext_noop("Fair access and outcomes for everyone")),
    (gettext_noop("Sustainability"), gettext_noop("Care that is greener and lasts")),
    (gettext_noop("Digital"), gettext_noop("Better tools and data")),
    (gettext_noop("Leadership"), gettext_noop("Teams and systems that work together")),
    (gettext_noop("Productivity"), gettext_noop("More time for care")),
]

# Names added by later migrations (skills 0003), marked here for translation.
LATER: list[str] = [
    gettext_noop("Allied health professions"),
    gettext_noop("Art therapy"),
    gettext_noop("Diagnostic radiography"),
    gettext_noop("Dietetics"),
    gettext_noop("Drama therapy"),
    gettext_noop("Music therapy"),
    gettext_noop("Occupational therapy"),
    gettext_noop("Operating department practice"),
    gettext_noop("Orthoptics"),
    gettext_noop("Osteopathy"),
    gettext_noop("Paramedic practice"),
    gettext_noop("Physiotherapy"),
    gettext_noop("Podiatry"),
    gettext_noop("Prosthetics and orthotics"),
    gettext_noop("Speech and language therapy"),
    gettext_noop("Therapeutic radiography"),
    gettext_noop("Rehabilitation"),
    gettext_noop("Falls prevention"),
    gettext_noop("Patient and public involvement"),
]
