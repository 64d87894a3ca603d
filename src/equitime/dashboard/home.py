"""The front door: what Equitime is, its three rules, how to join, and the
community as it is now. Here rather than in core, which knows no app: the
figures come from members, exchanges and listings."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from equitime.core.units import MINUTES_PER_CREDIT, credits_figure
from equitime.dashboard.selectors import Community, community_now
from equitime.impact.suppression import MIN_MEMBERS, is_suppressed

# Below this many hours a figure shows its quarter-hours ("2.5"); above, whole
# hours, never rounded up ("1,234").
EXACT_BELOW_HOURS = 10


def hours_figure(minutes: int) -> str:
    if minutes < EXACT_BELOW_HOURS * MINUTES_PER_CREDIT:
        return credits_figure(minutes)
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


def share_figure(part: int, whole: int) -> str:
    """A share of the hours as a whole percentage, rounded down ("87%"):
    never 100% while some hours did not cross."""
    percent = part * 100 // whole if whole else 0
    return _("%(percent)s%%") % {"percent": number_format(percent)}


@dataclass(frozen=True)
class Stat:
    """One card of the band: its name, its figure (or None: withheld), and
    what it means in words."""

    key: str  # the figure's test id
    name: str
    figure: str | None
    words: str


def stats(community: Community) -> list[Stat]:
    """The band of figures on the front door, each withheld (None) when it is
    about fewer than ``MIN_MEMBERS`` members: the page is public."""
    few_members = is_suppressed(community.members)
    hours, month = community.hours_withheld, community.month_withheld
    return [
        Stat(
            "members",
            _("Members"),
            None if few_members else number_format(community.members, force_grouping=True),
            _("colleagues in health and care who have joined"),
        ),
        Stat(
            "organisations",
            _("Organisations"),
            None if few_members else number_format(community.organisations, force_grouping=True),
            _("trusts, councils, practices, charities and universities"),
        ),
        Stat(
            "countries",
            _("Countries"),
            None if few_members else number_format(community.countries, force_grouping=True),
            _("where our members work"),
        ),
        Stat(
            "hours",
            _("Hours exchanged"),
            None if hours else hours_figure(community.minutes_exchanged),
            _("given and received in completed exchanges"),
        ),
        Stat(
            "hours-month",
            _("Hours this month"),
            None if month else hours_figure(community.minutes_this_month),
            _("exchanged since the first of the month"),
        ),
        Stat(
            "across",
            _("Across organisations"),
            None if hours else share_figure(community.minutes_across, community.minutes_exchanged),
            _("of all hours went from one organisation to another"),
        ),
    ]


def _draw(request, community: Community) -> str:
    band = stats(community)
    return render_to_string(
        "core/home.html",
        {
            "community": community,
            "stats": band,
            "withheld": any(stat.figure is None for stat in band),
            "min_members": MIN_MEMBERS,
            # The running campaigns are among the figures (and so in the page's key).
            "campaigns": [
                {
                    "title": c.title,
                    "done": credits_figure(c.progress_minutes),
                    "target": credits_figure(c.target_minutes),
                    "done_minutes": c.progress_minutes,
                    "target_minutes": c.target_minutes,
                }
                for c in community.campaigns
            ],
        },
        request,
    )
