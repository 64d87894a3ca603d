"""The first taxonomy, loaded by a data migration. Staff extend it in admin.

Later additions live in their own migrations (0003: the allied health
professions, rehabilitation, falls prevention, patient and public involvement),
so that this first list stays what 0002 loaded."""

CATEGORIES: dict[str, list[str]] = {
    "Coaching and mentoring": [
        "Career coaching",
        "Mentoring",
        "Leadership coaching",
        "Action learning",
    ],
    "Data and statistics": [
        "Medical statistics",
        "Survival analysis",
        "Statistical process control",
        "Data visualisation",
        "Health economics",
        "Population health analytics",
    ],
    "Digital and coding": [
        "Python",
        "R programming",
        "SQL",
        "Spreadsheet automation",
        "Web development",
        "Clinical informatics",
    ],
    "Quality improvement": [
        "Run charts",
        "PDSA cycles",
        "Process mapping",
        "Lean",
        "Measurement for improvement",
        "Root cause analysis",
    ],
    "Leadership and management": [
        "Project management",
        "Change management",
        "Business cases",
        "Team development",
    ],
    "Research and evaluation": [
        "Evaluation design",
        "Literature reviews",
        "Qualitative research",
        "Grant writing",
        "Ethics applications",
    ],
    "Education and training": [
        "Teaching",
        "Simulation training",
        "E-learning design",
        "Assessment",
    ],
    "Communication and design": [
        "Writing for patients",
        "Graphic design",
        "Presentation skills",
        "Co-production",
        "Social media",
    ],
    "Wellbeing": ["Peer support", "Mindfulness", "Resilience", "Schwartz rounds facilitation"],
    "Clinical expertise": [
        "Frailty",
        "Diabetes care",
        "Mental health",
        "Infection prevention",
        "Palliative care",
        "Medicines optimisation",
    ],
    "Languages": ["Translation", "Interpreting", "British Sign Language", "Language practice"],
    "Other": ["Facilitation", "Volunteering coordination"],
}

IMPROVEMENT_AREAS: list[tuple[str, str]] = [
    ("Patient safety", "Preventing avoidable harm"),
    ("Patient experience", "Care that people value"),
    ("Clinical effectiveness", "Care that works, based on evidence"),
    ("Staff wellbeing", "People who can do their best work"),
    ("Education and training", "Growing skills and confidence"),
    ("Research", "New knowledge for better care"),
    ("Equity and inclusion", "Fair access and outcomes for everyone"),
    ("Sustainability", "Care that is greener and lasts"),
    ("Digital", "Better tools and data"),
    ("Leadership", "Teams and systems that work together"),
    ("Productivity", "More time for care"),
]
