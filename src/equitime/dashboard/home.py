"""The front door: what Equitime is, its three rules, how to join, and the
community as it is now. Here rather than in core, which knows no app: the
figures come from members, exchanges and listings."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import get_language

from equitime.core.units import MINUTES_PER_CREDIT, format_credits
from equitime.dashboard.selectors import Community, community_now

# Below this many hours a figure shows its quarter-hours ("2.5"); above, whole
# hours, never rounded up ("1,234").
EXACT_BELOW_HOURS = 10


def hours_figure(minutes: int) -> str:
    if minutes < EXACT_BELOW_HOURS * MINUTES_PER_CREDIT:
        return format_credits(minutes)
    return number_format(minutes // MINUTES_PER_CREDIT, force_grouping=True)


def home(request):
    """The same page for every visitor who reads the same figures in the same
    language (it has no form and nothing of the visitor's own), so it is drawn
    once per set of figures and kept: a visit costs two cache reads. A page
    with a message waiting for its visitor ("You have signed out") is drawn
    for them alone."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    community = community_now()
    if len(getattr(request, "_messages", ())):
        return HttpResponse(_draw(request, community))
    figures = f"{get_language()}:{community!r}".encode()
    key = f"equitime:home:page:{hashlib.sha256(figures).hexdigest()}"
    page = cache.get(key)
    if page is None:
        page = _draw(request, community)
        cache.set(key, page, settings.EQUITIME_PAGE_CACHE_SECONDS)
    return HttpResponse(page)


def _draw(request, community: Community) -> str:
    return render_to_string(
        "core/home.html",
        {
            "community": community,
            "hours_exchanged": hours_figure(community.minutes_exchanged),
            "hours_this_month": hours_figure(community.minutes_this_month),
            # The running campaigns are among the figures (and so in the page's key).
            "campaigns": [
                {
                    "title": c.title,
                    "done": format_credits(c.progress_minutes),
                    "target": format_credits(c.target_minutes),
                    "done_minutes": c.progress_minutes,
                    "target_minutes": c.target_minutes,
                }
                for c in community.campaigns
            ],
        },
        request,
    )
