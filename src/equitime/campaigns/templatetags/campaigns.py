"""``{% load campaigns %}``: the campaigns a listing or group session is in,
and for its owner the control to add it to a running campaign. Loaded by the
listing and group session pages, so the apps below know nothing of campaigns."""

from django import template
from django.utils import timezone

from equitime.campaigns import images, selectors, services

register = template.Library()


@register.simple_tag
def campaign_image_url(campaign) -> str | None:
    """``{% campaign_image_url campaign as src %}``: its image's address, or None."""
    return images.image_url(campaign)


@register.inclusion_tag("campaigns/_joined.html", takes_context=True)
def listing_campaigns(context, listing) -> dict:
    moves = services.campaign_listing_moves_for(listing=listing, member=context["request"].user)
    links = selectors.listing_campaign_links(listing)
    return _joined(context, links, "listing", listing.pk, moves)


@register.inclusion_tag("campaigns/_joined.html", takes_context=True)
def session_campaigns(context, session) -> dict:
    moves = services.campaign_session_moves_for(session=session, member=context["request"].user)
    links = selectors.session_campaign_links(session)
    return _joined(context, links, "session", session.pk, moves)


def _joined(context, links, field: str, pk: int, moves: set[str]) -> dict:
    joined = {link.campaign_id for link in links}
    running = []
    if "join" in moves:
        running = [c for c in selectors.campaigns_active(now=timezone.now()) if c.pk not in joined]
    return {
        "links": links,
        "field": field,
        "pk": pk,
        "may_leave": "leave" in moves,
        "running": running,
        "csrf_token": context.get("csrf_token"),
    }
