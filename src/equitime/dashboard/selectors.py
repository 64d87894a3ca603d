"""The community as it is now, for the front door: how many colleagues, from
how many organisations, how much time they have given each other, and a few
of the offers open today.

Visitors arrive on the home page all day, so its figures are read from the
cache. They are kept under the page cache's data generation
(``core.pagecache``), which moves on at every write, so they are recomputed
after a change; under a steady stream of writes, at most once every
``EQUITIME_PAGE_CACHE_SECONDS`` (the staleness a cached page may have
anyway), and in a background task (``tasks.community_refresh``) while the
page shows the figures it has. Computing them costs two aggregate queries
and one indexed read, and one more per campaign running (a handful at most).

Countries are those of the members' profiles (where they work: every
profile has one, while a member may name no organisation). Hours *across
organisations* are those of completed exchanges whose provider and receiver
name different organisations; an exchange where either names none does not
count as crossing. The page is public, so a figure about fewer than
``impact.suppression.MIN_MEMBERS`` members is withheld. For all time, one
indexed read looks for five distinct providers and stops when it finds them
(a distinct count over every completed exchange would cost as much as the
sums); fewer, and a second read looks for receivers. This month's members are
counted (providers and receivers, distinct) in the hours' aggregate, over the
month's rows only, and only when those counts cannot settle it (fewer than
five on each side, five or more together) do two small reads count them
exactly. The members, organisations and countries are withheld together when
fewer than five members are listed. So the figures cost one query more than
before (two in a community of a handful), and a cached visit none.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from equitime.campaigns.selectors import campaigns_active
from equitime.core import pagecache
from equitime.exchanges.models import Exchange, Status
from equitime.impact.suppression import MIN_MEMBERS, is_suppressed
from equitime.listings.models import Listing
from equitime.members.selectors import members_listed

# How many open offers the home page shows.
HOME_OFFERS = 6
CACHE_KEY = "equitime:home:community:3"
# Set while a refresh is queued or running; it lapses if the worker never runs it.
REFRESHING_KEY = "equitime:home:community:refreshing"
REFRESHING_SECONDS = 300


@dataclass(frozen=True)
class OfferTitle:
    """An open offer as a visitor may see it: its title, nothing of its owner."""

    pk: int
    title: str


@dataclass(frozen=True)
class Community:
    members: int
    organisations: int
    minutes_exchanged: int  # completed exchanges: the credits that moved
    minutes_this_month: int
    countries: int = 0  # of the members' profiles
    minutes_across: int = 0  # completed, provider and receiver at different organisations
    # The hours (and so the share across) are about fewer than five members:
    # the small-number rule withholds them; likewise this month's.
    hours_withheld: bool = False
    month_withheld: bool = False
    offers: list[OfferTitle] = field(default_factory=list)
    campaigns: list["CampaignFigure"] = field(default_factory=list)


@dataclass(frozen=True)
class CampaignFigure:
    """A running campaign as the front door shows it: its title and progress."""

    title: str
    progress_minutes: int
    target_minutes: int


def _month_start() -> datetime:
    now = timezone.localtime()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


# An exchange that crossed organisations: both parties name one, and not the same.
CROSSING = Q(
    provider__profile__organisation__isnull=False,
    receiver__profile__organisation__isnull=False,
) & ~Q(provider__profile__organisation=F("receiver__profile__organisation"))


def _withheld(completed: QuerySet[Exchange], *, providers: int, receivers: int) -> bool:
    """Whether figures about ``completed`` exchanges must be withheld: they are
    about 1 to 4 distinct members. ``providers`` and ``receivers`` (distinct
    counts) decide it but for one case, which a small query settles."""
    if max(providers, receivers) >= MIN_MEMBERS:
        return False
    if providers + receivers < MIN_MEMBERS:
        return is_suppressed(providers + receivers)  # at most that many, at least one
    # Fewer than five on each side but five or more together: at most eight ids to read.
    people = {
        *completed.order_by().values_list("provider_id", flat=True).distinct(),
        *completed.order_by().values_list("receiver_id", flat=True).distinct(),
    }
    return is_suppressed(len(people))


def _first_ids(completed: QuerySet[Exchange], party: str) -> set[int]:
    """Up to ``MIN_MEMBERS`` distinct providers or receivers: an indexed read
    that stops as soon as it has found them."""
    ids = completed.order_by().values_list(f"{party}_id", flat=True).distinct()
    return set(ids[:MIN_MEMBERS])


def _few_members(completed: QuerySet[Exchange]) -> bool:
    """``_withheld`` for all time, where distinct counts over every completed
    exchange would cost more than the sums: five providers (or receivers) found
    settle it; fewer on both sides are all of them."""
    providers = _first_ids(completed, "provider")
    if len(providers) >= MIN_MEMBERS:
        return False
    receivers = _first_ids(completed, "receiver")
    if len(receivers) >= MIN_MEMBERS:
        return False
    return is_suppressed(len(providers | receivers))


def community_compute() -> Community:
    """The figures, from the database: two aggregates and two indexed reads."""
    # The members the directory lists: the accounts that run the service are not members.
    people = members_listed().aggregate(
        members=Count("pk"),
        organisations=Count("profile__organisation", distinct=True),
        countries=Count("profile__country", distinct=True),
    )
    month = Q(completed_at__gte=_month_start())
    completed = Exchange.objects.filter(status=Status.COMPLETED)
    minutes = completed.aggregate(
        total=Sum("payment__amount", default=0),
        month=Sum("payment__amount", filter=month, default=0),
        across=Sum("payment__amount", filter=CROSSING, default=0),
        month_providers=Count("provider", distinct=True, filter=month),
        month_receivers=Count("receiver", distinct=True, filter=month),
    )
    offers = (
        Listing.objects.filter(
            status=Listing.Status.OPEN, kind=Listing.Kind.OFFER, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .values_list("pk", "title")[:HOME_OFFERS]
    )
    return Community(
        members=people["members"],
        organisations=people["organisations"],
        minutes_exchanged=minutes["total"],
        minutes_this_month=minutes["month"],
        countries=people["countries"],
        minutes_across=minutes["across"],
        hours_withheld=_few_members(completed),
        month_withheld=_withheld(
            completed.filter(month),
            providers=minutes["month_providers"],
            receivers=minutes["month_receivers"],
        ),
        offers=[OfferTitle(pk=pk, title=title) for pk, title in offers],
        campaigns=[
            CampaignFigure(
                title=c.title, progress_minutes=c.progress_minutes, target_minutes=c.target_minutes
            )
            for c in campaigns_active()
        ],
    )


def community_store() -> Community:
    """Compute the figures and keep them under the generation read first, so a
    write committed meanwhile makes them stale at once."""
    generation = pagecache.generation()
    community = community_compute()
    cache.set(CACHE_KEY, (generation, time.time(), community), None)
    return community


def community_now() -> Community:
    """The figures from the cache. Fresh when nothing has changed since they
    were computed, or when they are younger than a cached page may be. Stale,
    they are served all the same while a background task computes them again
    (one at a time): at scale the sum over every completed exchange takes a
    few hundred milliseconds, which no visitor should wait for. Only a cache
    without them computes them in the request. One cache round trip when
    they are fresh."""
    found = cache.get_many([pagecache.GENERATION_KEY, CACHE_KEY])
    stored = found.get(CACHE_KEY)
    if stored is None:
        return community_store()
    generation = found.get(pagecache.GENERATION_KEY)
    if generation is None:
        generation = pagecache.generation()
    stored_generation, stored_at, community = stored
    # Wall-clock time: the cache may be shared by several machines.
    age = time.time() - stored_at
    if stored_generation == generation or 0 <= age < settings.EQUITIME_PAGE_CACHE_SECONDS:
        return community
    if cache.add(REFRESHING_KEY, True, REFRESHING_SECONDS):
        from equitime.dashboard.tasks import community_refresh  # it calls back here

        community_refresh.enqueue()
    return community
