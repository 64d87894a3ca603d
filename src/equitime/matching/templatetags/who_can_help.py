"""``{% who_can_help listing %}``: the "Who could help" panel of a request's page.

The listing page belongs to the listings app, which sits below this one and
cannot import it; its template loads this tag. Only the poster and a
coordinator see the panel; for anyone else it draws nothing."""

from typing import Any

from django import template

from equitime.listings.models import Listing
from equitime.matching import selectors
from equitime.matching.models import MAX_OPEN_INVITATIONS, Status
from equitime.matching.services import may_see_helpers

register = template.Library()

SHOWN = 10


def panel_context(*, listing: Listing, reader: Any) -> dict[str, Any]:
    if not may_see_helpers(listing=listing, member=reader):
        return {"show": False}
    invitations = list(selectors.invitations_for_request(listing))
    asked = {invitation.helper_id for invitation in invitations}
    suggestions = [
        suggestion
        for suggestion in selectors.helpers_for_request(listing, limit=SHOWN + len(asked))
        if suggestion.member.pk not in asked
    ][:SHOWN]
    open_count = sum(1 for invitation in invitations if invitation.status == Status.ASKED)
    return {
        "show": True,
        "listing": listing,
        "suggestions": suggestions,
        "invitations": invitations,
        "may_ask": listing.is_open and open_count < MAX_OPEN_INVITATIONS,
        "max_open": MAX_OPEN_INVITATIONS,
        "offers": selectors.offers_for_request(listing),
    }


@register.inclusion_tag("matching/_who_can_help.html", takes_context=True)
def who_can_help(context: template.Context, listing: Listing) -> dict[str, Any]:
    request = context.get("request")
    panel = panel_context(listing=listing, reader=getattr(request, "user", None))
    panel["csrf_token"] = context.get("csrf_token")
    return panel
