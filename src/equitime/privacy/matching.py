"""The matching app's part of a member's data: their invitations to help
(asked of them and by them) and their choice about being suggested, in the
export; and on erasure, what waits withdrawn and their words removed."""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from equitime.matching.models import HelpInvitation, SuggestionSettings
from equitime.members.models import Member

REMOVED = "[removed]"


def matching_export(member: Member) -> dict[str, Any]:
    settings = SuggestionSettings.objects.filter(member=member).first()
    fields = ("listing_id", "status", "created_at", "decided_at", "exchange_id")
    return {
        "help-invitations.json": {
            "asked_of_you": list(
                HelpInvitation.objects.filter(helper=member).values(
                    *fields, "note", "decline_reason"
                )
            ),
            "asked_by_you": list(
                HelpInvitation.objects.filter(asked_by=member).values(*fields, "helper_id", "note")
            ),
            "suggest_me_as_a_helper": settings.suggestable if settings else True,
        }
    }


def matching_end(member: Member) -> None:
    """Withdraw what waits for or on the member; remove their words and their choice."""
    mine = Q(helper=member) | Q(asked_by=member) | Q(listing__owner=member)
    HelpInvitation.objects.filter(mine, status=HelpInvitation.Status.ASKED).update(
        status=HelpInvitation.Status.WITHDRAWN, decided_at=timezone.now()
    )
    HelpInvitation.objects.filter(asked_by=member).exclude(note="").update(note=REMOVED)
    HelpInvitation.objects.filter(helper=member).exclude(decline_reason="").update(
        decline_reason=REMOVED
    )
    SuggestionSettings.objects.filter(member=member).delete()
