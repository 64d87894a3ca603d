"""A member's consents to coordinators in their data download, and at their erasure.

``coordination_export`` gives the file the download adds: the consents the
member gave (to which coordinator, how, when, withdrawn when) and, for a
coordinator, the consents they hold (for whom). What a coordinator recorded
for the member is in the listings and exchanges files (``recorded_by``).

``coordination_end`` runs inside ``member_erase``: every standing consent the
member gave or holds is withdrawn (nobody acts for, or as, a closed account),
and the notes on the consents they gave, which are about them, are removed.
The rows stay, without the note, as the record that acting was consented to.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from equitime.coordination.models import Consent
from equitime.members.models import Member

REMOVED = "[removed]"


def _consent(consent: Consent, *, who: str, other: Member) -> dict[str, Any]:
    return {
        who: other.display_name,
        "method": consent.method,
        "note": consent.note,
        "recorded_at": consent.recorded_at,
        "withdrawn_at": consent.withdrawn_at,
    }


def coordination_export(member: Member) -> dict[str, Any]:
    given = Consent.objects.filter(member=member).select_related("coordinator")
    held = Consent.objects.filter(coordinator=member).select_related("member")
    return {
        "coordinators.json": {
            "consents_given": [_consent(c, who="coordinator", other=c.coordinator) for c in given],
            "consents_held": [_consent(c, who="member", other=c.member) for c in held],
        }
    }


def coordination_end(member: Member) -> None:
    Consent.objects.filter(
        Q(member=member) | Q(coordinator=member), withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now(), withdrawn_by=member)
    Consent.objects.filter(member=member).exclude(note="").update(note=REMOVED)
