"""The demo's notification preferences: members who chose differently from
the defaults, so the preferences page, the e-mails and the digest have
something to show (some with the digest off, some with e-mails off, some
following improvement areas and skills).

Set through the service a person's clicks call. A member who already has
preferences (the demo ran before, or they changed them since) is left as
they are.
"""

from dataclasses import dataclass

from equitime.members.models import Member
from equitime.notifications.models import Notification, NotificationPreferences
from equitime.notifications.services import notification_preferences_set
from equitime.skills.models import ImprovementArea, Skill

Kind = Notification.Kind


@dataclass(frozen=True)
class DemoPreferences:
    member: str  # a demo member's handle
    emails: dict[str, bool]
    digest: bool = True
    areas: tuple[str, ...] = ()  # improvement area slugs followed
    skills: tuple[str, ...] = ()  # skill slugs followed besides the profile's


PREFERENCES = (
    # A ward sister who reads e-mail once a shift: only what needs her, and the digest.
    DemoPreferences(
        member="grace.mensah",
        emails={
            Kind.EXCHANGE_MESSAGE: False,
            Kind.SESSION_SCHEDULED: False,
            Kind.SESSION_MOVED: False,
            Kind.DONATION_RECEIVED: False,
        },
        areas=("patient-safety", "staff-wellbeing"),
    ),
    # Likes to hear thanks and confirmations at once; follows digital work.
    DemoPreferences(
        member="wei.zhang",
        emails={Kind.THANKS: True, Kind.EXCHANGE_COMPLETED: True},
        areas=("digital",),
        skills=("python", "sql"),
    ),
    # Reads the site every day: no digest.
    DemoPreferences(member="tom.whitfield", emails={}, digest=False),
    # Every optional e-mail off and no digest: in-app notifications only.
    DemoPreferences(
        member="hannah.goldberg",
        emails=dict.fromkeys(Kind.values, False),
        digest=False,
    ),
    # Follows research offers beyond her profile's skills.
    DemoPreferences(
        member="priya.nair",
        emails={Kind.GROUP_SIGNED_UP: True},
        areas=("research",),
        skills=("survival-analysis", "health-economics"),
    ),
)


def demo_preferences(people: dict[str, Member]) -> int:
    """Set each demo member's preferences unless they have some; how many were set."""
    areas = {area.slug: area for area in ImprovementArea.objects.all()}
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    made = 0
    for spec in PREFERENCES:
        member = people.get(spec.member)
        if member is None or NotificationPreferences.objects.filter(member=member).exists():
            continue
        notification_preferences_set(
            member=member,
            emails=spec.emails,
            digest=spec.digest,
            followed_areas=[areas[slug] for slug in spec.areas if slug in areas],
            followed_skills=[skills[slug] for slug in spec.skills if slug in skills],
        )
        made += 1
    return made
