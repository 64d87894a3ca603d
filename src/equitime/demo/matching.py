"""The demo's invitations to help: Amina (the demo sign-in) has asked two
colleagues about her SPC chart, one of whom said no, and has herself been
asked by Isla about a run chart, an invitation waiting for her answer; one
member has turned suggestions off.

Each goes through the services a person's clicks would call. Running the demo
again finds each invitation by request and helper and leaves it as it is.
"""

from dataclasses import dataclass

from equitime.core.errors import DomainError
from equitime.listings.models import Listing
from equitime.matching import services
from equitime.matching.models import HelpInvitation
from equitime.members.models import Member


@dataclass(frozen=True)
class DemoInvitation:
    poster: str  # a demo member's handle
    request: str  # the start of the request's title
    helper: str
    outcome: str = HelpInvitation.Status.ASKED
    note: str = ""
    reason: str = ""


INVITATIONS = (
    DemoInvitation(
        "amina.okafor",
        "SPC chart for missed observations",
        "tom.whitfield",
        note="Your SPC work on the renal unit is exactly what we need.",
    ),
    DemoInvitation(
        "amina.okafor",
        "SPC chart for missed observations",
        "joseph.kamau",
        outcome=HelpInvitation.Status.DECLINED,
        reason="Teaching every evening this month; ask me again in January.",
    ),
    DemoInvitation(
        "isla.mackenzie",
        "Help designing a run chart for falls",
        "amina.okafor",
        note="You ran the falls QI project at St Aidan's: could you spare an hour?",
    ),
)
# Members who turned "suggest me" off on their own page.
NOT_SUGGESTED = ("rajesh.iyer",)


def demo_matching(people: dict[str, Member], skipped: list[str]) -> list[HelpInvitation]:
    made = []
    for spec in INVITATIONS:
        poster, helper = people.get(spec.poster), people.get(spec.helper)
        request = Listing.objects.filter(
            owner=poster, kind=Listing.Kind.REQUEST, title__startswith=spec.request
        ).first()
        if poster is None or helper is None or request is None:
            skipped.append(f"invitation to help: {spec.request} ({spec.helper}) not found")
            continue
        invitation = HelpInvitation.objects.filter(listing=request, helper=helper).first()
        if invitation is not None:
            made.append(invitation)
            continue
        try:
            invitation = services.help_invitation_ask(
                listing=request, helper=helper, member=poster, note=spec.note
            )
            if spec.outcome == HelpInvitation.Status.DECLINED:
                invitation = services.help_invitation_decline(
                    invitation=invitation, member=helper, reason=spec.reason
                )
        except DomainError as error:
            skipped.append(f"invitation to help: {spec.request} ({spec.helper}): {error.message}")
            continue
        made.append(invitation)
    for handle in NOT_SUGGESTED:
        if handle in people:
            services.suggestion_settings_update(member=people[handle], suggestable=False)
    return made
