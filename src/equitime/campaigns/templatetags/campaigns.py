"""``{% load campaigns %}``: the campaigns a listing or group session is in,
and for its owner the control to add it to a running campaign. Loaded by the
listing and group session pages, so the apps below know nothing of campaigns."""

from django import template
from django.utils import timezone

from equitime.campaigns import images, selectors

register = template.Library()


@register.simple_tag
def campaign_image_url(campaign) -> str | None:
    """``{% campaign_image_url campaign as src %}``: its image's address, or None."""
    return images.image_url(campaign)


@register.inclusion_tag("campaigns/_joined.html", takes_context=True)
def listing_campaigns(context, listing) -> dict:
    user = context["request"].user
    links = selectors.listing_campaign_links(listing)
    is_owner = user.is_authenticated and listing.owner_id == user.pk
    return _joined(context, links, "listing", listing.pk, is_owner and listing.is_open)


@register.inclusion_tag("campaigns/_joined.html", takes_context=True)
def session_campaigns(context, session) -> dict:
    user = context["request"].user
    links = selectors.session_campaign_links(session)
    is_organiser = user.is_authenticated and session.organiser_id == user.pk
    may_join = is_organiser and session.status != session.Status.CANCELLED
    return _joined(context, links, "session", session.pk, may_join)


def _joined(context, links, field: str, pk: int, may_join: bool) -> dict:
    joined = {link.campaign_id for link in links}
    running = []
    if may_join:
        running = [c for c in selectors.campaigns_active(now=timezone.now()) if c.pk not in joined]
    return {
        "links": links,
        "field": field,
        "pk": pk,
        "may_leave": may_join,
        "running": running,
        "csrf_token": context.get("csrf_token"),
    }
