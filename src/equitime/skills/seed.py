"""The first taxonomy, loaded by a data migration. Staff extend it in admin.

Later additions live in their own migrations (0003: the allied health
professions, rehabilitation, falls prevention, patient and public involvement),
so that this first list stays what 0002 loaded.

Every name is marked for translation here (``gettext_noop``: the list keeps
the English, the stored name; ``skills.taxonomy.label`` translates it when
shown), those of later migrations in ``LATER``. "Lean" and "Other" are marked
with a context in ``skills.taxonomy`` instead.
"""

from django.utils.translation import gettext_noop as N

CATEGORIES: dict[str, list[str]] = {
    N("Coaching and mentoring"): [
        N("Career coaching"),
        N("Mentoring"),
        N("Leadership coaching"),
        N("Action learning"),
    ],
    N("Data and statistics"): [
        N("Medical statistics"),
        N("Survival analysis"),
        N("Statistical process control"),
        N("Data visualisation"),
        N("Health economics"),
        N("Population health analytics"),
    ],
    N("Digital and coding"): [
        N("Python"),
        N("R programming"),
        N("SQL"),
        N("Spreadsheet automation"),
        N("Web development"),
        N("Clinical informatics"),
    ],
    N("Quality improvement"): [
        N("Run charts"),
        N("PDSA cycles"),
        N("Process mapping"),
        "Lean",
        N("Measurement for improvement"),
        N("Root cause analysis"),
    ],
    N("Leadership and management"): [
        N("Project management"),
        N("Change management"),
        N("Business cases"),
        N("Team development"),
    ],
    N("Research and evaluation"): [
        N("Evaluation design"),
        N("Literature reviews"),
        N("Qualitative research"),
        N("Grant writing"),
        N("Ethics applications"),
    ],
    N("Education and training"): [
        N("Teaching"),
        N("Simulation training"),
        N("E-learning design"),
        N("Assessment"),
    ],
    N("Communication and design"): [
        N("Writing for patients"),
        N("Graphic design"),
        N("Presentation skills"),
        N("Co-production"),
        N("Social media"),
    ],
    N("Wellbeing"): [
        N("Peer support"),
        N("Mindfulness"),
        N("Resilience"),
        N("Schwartz rounds facilitation"),
    ],
    N("Clinical expertise"): [
        N("Frailty"),
        N("Diabetes care"),
        N("Mental health"),
        N("Infection prevention"),
        N("Palliative care"),
        N("Medicines optimisation"),
    ],
    N("Languages"): [
        N("Translation"),
        N("Interpreting"),
        N("British Sign Language"),
        N("Language practice"),
    ],
    "Other": [N("Facilitation"), N("Volunteering coordination")],
}

IMPROVEMENT_AREAS: list[tuple[str, str]] = [
    (N("Patient safety"), N("Preventing avoidable harm")),
    (N("Patient experience"), N("Care that people value")),
    (N("Clinical effectiveness"), N("Care that works, based on evidence")),
    (N("Staff wellbeing"), N("People who can do their best work")),
    (N("Education and training"), N("Growing skills and confidence")),
    (N("Research"), N("New knowledge for better care")),
    (N("Equity and inclusion"), N("Fair access and outcomes for everyone")),
    (N("Sustainability"), N("Care that is greener and lasts")),
    (N("Digital"), N("Better tools and data")),
    (N("Leadership"), N("Teams and systems that work together")),
    (N("Productivity"), N("More time for care")),
]

# Names added by later migrations (skills 0003), marked here for translation.
LATER: list[str] = [
    N("Allied health professions"),
    N("Art therapy"),
    N("Diagnostic radiography"),
    N("Dietetics"),
    N("Drama therapy"),
    N("Music therapy"),
    N("Occupational therapy"),
    N("Operating department practice"),
    N("Orthoptics"),
    N("Osteopathy"),
    N("Paramedic practice"),
    N("Physiotherapy"),
    N("Podiatry"),
    N("Prosthetics and orthotics"),
    N("Speech and language therapy"),
    N("Therapeutic radiography"),
    N("Rehabilitation"),
    N("Falls prevention"),
    N("Patient and public involvement"),
]
