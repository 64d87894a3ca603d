"""The front door: what Equitime is, its three rules, how to join, and the
community as it is now. Here rather than in core, which knows no app: the
figures come from members, exchanges and listings."""

from django.shortcuts import redirect, render
from django.utils.formats import number_format

from equitime.core.units import MINUTES_PER_CREDIT, format_credits
from equitime.dashboard.selectors import community_now

# Below this many hours a figure shows its quarter-hours ("2.5"); above, whole
# hours, never rounded up ("1,234").
EXACT_BELOW_HOURS = 10


def hours_figure(minutes: int) -> str:
    if minutes < EXACT_BELOW_HOURS * MINUTES_PER_CREDIT:
        return format_credits(minutes)
    return number_format(minutes // MINUTES_PER_CREDIT, force_grouping=True)


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    community = community_now()
    return render(
        request,
        "core/home.html",
        {
            "community": community,
            "hours_exchanged": hours_figure(community.minutes_exchanged),
            "hours_this_month": hours_figure(community.minutes_this_month),
        },
    )
