"""A member's notification preferences and weekly digests, in their data
download and at their erasure.

``preferences_export`` adds ``notification-preferences.json`` (every kind with
whether it is e-mailed, the digest, what they follow) and ``digests.json``
(the weeks a digest was sent or found empty; a digest's content is never
stored). ``preferences_erase`` deletes both, inside ``member_erase``.
"""

from __future__ import annotations

from typing import Any

from equitime.digest.models import DigestSend
from equitime.members.models import Member
from equitime.notifications.models import NotificationPreferences
from equitime.notifications.preferences import email_choices_all, preferences_of


def preferences_export(member: Member) -> dict[str, Any]:
    preferences = preferences_of(member)
    saved = NotificationPreferences.objects.filter(member=member).exists()
    return {
        "notification-preferences.json": {
            "emails": email_choices_all(preferences),
            "digest": preferences.digest,
            "followed_skills": (
                sorted(preferences.followed_skills.values_list("name", flat=True)) if saved else []
            ),
            "followed_improvement_areas": (
                sorted(preferences.followed_areas.values_list("name", flat=True)) if saved else []
            ),
            "updated_at": preferences.updated_at if saved else None,
        },
        "digests.json": list(
            DigestSend.objects.filter(member=member)
            .order_by("week_start")
            .values("week_start", "status", "sections", "decided_at")
        ),
    }


def preferences_erase(member: Member) -> None:
    NotificationPreferences.objects.filter(member=member).delete()
    DigestSend.objects.filter(member=member).delete()
