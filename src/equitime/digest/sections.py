"""The digest's sections: a small registry of functions, each
``section(member, week) -> DigestSection | None``.

A section returns ``None`` when it has nothing for the member this week; a
digest with no *personal* section (only the community's news) is not sent.
Each is called inside the member's time zone (``selectors.digest_build``), so
times it formats are on their clock; links are paths on the site.

To add a section, write the function and put it in ``SECTIONS`` where it
should appear. The campaigns' and matching's sections come from those apps'
selectors.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equitime.campaigns.digest import campaigns_section as campaign_rows
from equitime.core.units import credits_figure, hours_text
from equitime.exchanges.models import Exchange
from equitime.exchanges.selectors import exchanges_open_for_member
from equitime.listings.models import Listing
from equitime.matching.selectors import requests_for_helper
from equitime.members.models import Member
from equitime.notifications.models import Notification
from equitime.notifications.preferences import email_wanted, preferences_of
from equitime.scheduling.ical import session_page_path
from equitime.scheduling.selectors import (
    sessions_awaiting_time_for_member,
    sessions_upcoming_for_member,
)

# Each section lists at most this many things, and says how many more there are.
ITEMS_PER_SECTION = 5


@dataclass(frozen=True)
class Week:
    """The week a digest is about: ``since`` to ``until`` (UTC instants), and
    the Monday (UTC) that names it (``DigestSend.week_start``)."""

    start: date
    since: datetime
    until: datetime


@dataclass(frozen=True)
class DigestItem:
    text: str
    link: str = ""  # a path on this site
    detail: str = ""


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: str
    items: list[DigestItem] = field(default_factory=list)
    intro: str = ""
    more: int = 0  # how many more than the items shown
    more_link: str = ""
    # False for news about everyone: a digest of only those is not sent.
    personal: bool = True


Section = Callable[[Member, Week], DigestSection | None]


def _next_step(exchange: Exchange, member: Member) -> str:
    """What the member is to do next, in a few words."""
    Status = Exchange.Status
    if exchange.status == Status.PROPOSED:
        return _("accept or decline it")
    if exchange.status == Status.ACCEPTED:
        return _("log the hours once you have met")
    if exchange.status == Status.DELIVERED:
        return _("confirm or dispute the hours")
    return _("see what it needs")


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "l j F, H:i")


def waiting_section(member: Member, week: Week) -> DigestSection | None:
    """Exchanges whose next step is the member's; times to choose; sessions this week."""
    items: list[DigestItem] = []
    for row in exchanges_open_for_member(member=member):
        if row.waiting:
            exchange = row.exchange
            items.append(
                DigestItem(
                    text=_("“%(title)s” with %(name)s: %(step)s")
                    % {
                        "title": exchange.title,
                        "name": exchange.other_party(member).display_name,
                        "step": _next_step(exchange, member),
                    },
                    link=reverse("exchange_detail", kwargs={"pk": exchange.pk}),
                )
            )
    for session in sessions_awaiting_time_for_member(member=member):
        if any(time.proposed_by_id != member.pk for time in session.open_times):  # type: ignore[attr-defined]  # prefetched
            items.append(
                DigestItem(
                    text=_("Choose a time for “%(title)s”") % {"title": session.title},
                    link=session_page_path(session),
                )
            )
    upcoming = sessions_upcoming_for_member(member=member, now=week.until).filter(
        starts_at__gte=week.until, starts_at__lt=week.until + timedelta(days=7)
    )
    for session in upcoming:
        assert session.starts_at is not None
        items.append(
            DigestItem(
                text=_("“%(title)s” is on %(when)s")
                % {"title": session.title, "when": _when(session.starts_at)},
                link=session_page_path(session),
            )
        )
    if not items:
        return None
    shown = items[:ITEMS_PER_SECTION]
    return DigestSection(
        key="waiting",
        title=_("What waits for you"),
        items=shown,
        more=len(items) - len(shown),
        more_link=reverse("dashboard"),
    )


def offers_section(member: Member, week: Week) -> DigestSection | None:
    """Offers opened this week in the skills or improvement areas the member follows."""
    preferences = preferences_of(member)
    skills = set(member.profile.skills.values_list("pk", flat=True))
    areas: set[int] = set()
    if preferences.pk:
        skills |= set(preferences.followed_skills.values_list("pk", flat=True))
        areas = set(preferences.followed_areas.values_list("pk", flat=True))
    if not skills and not areas:
        return None
    offers = (
        Listing.objects.filter(
            Q(skills__in=skills) | Q(improvement_area__in=areas),
            kind=Listing.Kind.OFFER,
            status=Listing.Status.OPEN,
            created_at__gte=week.since,
            created_at__lt=week.until,
            owner__is_active=True,
        )
        .exclude(owner=member)
        .select_related("owner", "improvement_area")
        .distinct()
        .order_by("-created_at", "-id")
    )
    found = list(offers[: ITEMS_PER_SECTION + 1])
    if not found:
        return None
    total = offers.count() if len(found) > ITEMS_PER_SECTION else len(found)
    shown = found[:ITEMS_PER_SECTION]
    return DigestSection(
        key="offers",
        title=_("New offers in what you follow"),
        items=[
            DigestItem(
                text=listing.title,
                link=reverse("listing_detail", kwargs={"pk": listing.pk}),
                detail=_("%(name)s · %(area)s")
                % {"name": listing.owner.display_name, "area": listing.improvement_area.label},
            )
            for listing in shown
        ],
        more=total - len(shown),
        more_link=reverse("listing_browse") + "?kind=offer",
    )


def missed_section(member: Member, week: Week) -> DigestSection | None:
    """Notifications of the week that were not e-mailed (the member chose the
    digest for their kind) and are still unread."""
    preferences = preferences_of(member)
    unread = Notification.objects.filter(
        recipient=member,
        read_at__isnull=True,
        created_at__gte=week.since,
        created_at__lt=week.until,
    ).order_by("-created_at", "-id")
    missed = [n for n in unread[:100] if not email_wanted(preferences, n.kind)]
    if not missed:
        return None
    shown = missed[:ITEMS_PER_SECTION]
    return DigestSection(
        key="missed",
        title=_("Since last week"),
        # Put into words now, in the language the digest is written in.
        items=[DigestItem(text=n.message, link=n.url) for n in shown],
        more=len(missed) - len(shown),
        more_link=reverse("notification_list"),
    )


def community_section(member: Member, week: Week) -> DigestSection | None:
    """Hours given in exchanges confirmed this week, and who joined."""
    minutes = (
        Exchange.objects.filter(
            status=Exchange.Status.COMPLETED,
            completed_at__gte=week.since,
            completed_at__lt=week.until,
        ).aggregate(total=Sum("logged_minutes"))["total"]
        or 0
    )
    joined = Member.objects.filter(
        is_active=True, date_joined__gte=week.since, date_joined__lt=week.until
    ).count()
    if not minutes and not joined:
        return None
    items = []
    if minutes:
        items.append(
            DigestItem(
                text=_("%(hours)s given to colleagues in exchanges this week")
                % {"hours": hours_text(minutes)}
            )
        )
    if joined:
        items.append(
            DigestItem(
                text=ngettext(
                    "%(count)d new colleague joined",
                    "%(count)d new colleagues joined",
                    joined,
                )
                % {"count": joined},
                link=reverse("member_directory"),
            )
        )
    return DigestSection(
        key="community", title=_("Your community this week"), items=items, personal=False
    )


def requests_section(member: Member, week: Week) -> DigestSection | None:
    """Open requests the member could help with, ranked as "who can help"
    ranks helpers (``matching``), each with why it was chosen."""
    matches = requests_for_helper(member=member, limit=ITEMS_PER_SECTION)
    if not matches:
        return None
    return DigestSection(
        key="requests",
        title=_("Requests you could help with"),
        items=[
            DigestItem(
                text=match.listing.title,
                link=reverse("listing_detail", args=[match.listing.pk]),
                detail=" · ".join(match.reasons),
            )
            for match in matches
        ],
        more_link=reverse("listing_browse") + "?kind=request",
    )


# The campaigns' figures are the same for every member: worked out once per
# week and batch run, not once per member.
CAMPAIGNS_KEPT_SECONDS = 600


def campaigns_digest_section(member: Member, week: Week) -> DigestSection | None:
    """The campaigns running this week: progress, and the hours gained this week."""
    key = f"equitime:digest:campaigns:{week.since.isoformat()}:{week.until.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        rows = campaign_rows(member, (week.since, week.until))
        cache.set(key, rows, CAMPAIGNS_KEPT_SECONDS)
    if not rows:
        return None
    items = [
        DigestItem(
            text=row.title,
            link=row.url,
            detail=_("%(done)s of %(target)s hours, %(week)s this week")
            % {
                # From the minutes: the rows are cached for every member, and
                # each reads the figures in their own language's format.
                "done": credits_figure(row.minutes_done),
                "target": credits_figure(row.target_minutes),
                "week": credits_figure(row.minutes_this_week),
            },
        )
        for row in rows[:ITEMS_PER_SECTION]
    ]
    return DigestSection(
        key="campaigns",
        title=_("Campaigns"),
        items=items,
        more=max(0, len(rows) - ITEMS_PER_SECTION),
        more_link=reverse("campaign_list"),
        personal=False,
    )


# The digest's sections, in the order they appear. Matching's "Requests you
# could help with" goes after waiting_section; campaigns' "Campaigns" just
# before community_section (see the module's docstring).
SECTIONS: list[Section] = [
    waiting_section,
    requests_section,
    offers_section,
    missed_section,
    campaigns_digest_section,
    community_section,
]
