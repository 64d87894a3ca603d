"""The collaboration network's table, rebuilt from the ledger.

``links_rebuild(now=...)`` reads every completed exchange whose payment was
posted before ``now`` and writes ``OrganisationLinkMonth`` anew: per month
(UTC) and pair of organisations, the minutes paid, the exchanges and the
distinct members who took part. It replaces the whole table in one
transaction, so running it twice leaves the same rows, and a reader sees the
old table or the new one, never half of each. Then it measures the page's
default period into the cache (``network.network_warm``). The daily impact
job calls it.

What counts, and why:

- **completed exchanges only**, for the minutes of their posted payment (the
  hours the receiver confirmed, or a moderator settled). A reversed exchange
  no longer counts: the hours were taken back. Voided, cancelled and declined
  exchanges moved no credit.
- **each party's current organisation** (the profile's): the network shows
  how organisations work together as they stand today. An exchange where a
  party names no organisation joins no one and is left out.
- **an exchange within one organisation** is no link: its row has the same
  organisation on both sides and counts in that organisation's own total.

The reading happens before the transaction: on SQLite a write transaction
holds the database's one write lock from its first statement, and members'
exchanges should not wait the seconds a full read takes at scale.
"""

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import transaction

from equitime.exchanges.models import Exchange, Status
from equitime.impact.models import OrganisationLinkMonth
from equitime.impact.network import network_warm
from equitime.ledger.models import Transfer
from equitime.members.models import Profile

BATCH = 5000


@dataclass(frozen=True)
class LinksRebuilt:
    """What a rebuild did: the exchanges read, the rows written, the time the
    rebuild took and the time measuring the default period took after it."""

    exchanges: int
    rows: int
    seconds: float
    warm_seconds: float


@dataclass
class _Cell:
    minutes: int = 0
    exchanges: int = 0
    members: set[int] | None = None


def _month_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date().replace(day=1)


def links_rebuild(*, now: datetime) -> LinksRebuilt:
    """Rebuild ``OrganisationLinkMonth`` from the exchanges paid before ``now``."""
    began = time.perf_counter()
    organisation_of = dict(
        Profile.objects.filter(organisation__isnull=False).values_list(
            "member_id", "organisation_id"
        )
    )
    cells: dict[tuple[date, int, int], _Cell] = defaultdict(_Cell)
    read = 0
    paid = Exchange.objects.filter(
        status=Status.COMPLETED,
        payment__state=Transfer.State.POSTED,
        payment__created_at__lt=now,
    ).values_list("provider_id", "receiver_id", "payment__amount", "payment__created_at")
    for provider, receiver, minutes, paid_at in paid.iterator(chunk_size=BATCH):
        read += 1
        provider_org = organisation_of.get(provider)
        receiver_org = organisation_of.get(receiver)
        if provider_org is None or receiver_org is None:
            continue
        a, b = sorted((provider_org, receiver_org))
        cell = cells[(_month_of(paid_at), a, b)]
        cell.minutes += minutes
        cell.exchanges += 1
        if cell.members is None:
            cell.members = set()
        cell.members.update((provider, receiver))
    rows = [
        OrganisationLinkMonth(
            month=month,
            organisation_a_id=a,
            organisation_b_id=b,
            minutes=cell.minutes,
            exchanges=cell.exchanges,
            members=len(cell.members or ()),
        )
        for (month, a, b), cell in sorted(cells.items())
        if cell.minutes > 0
    ]
    with transaction.atomic():
        OrganisationLinkMonth.objects.all().delete()
        OrganisationLinkMonth.objects.bulk_create(rows, batch_size=BATCH)
    rebuilt = time.perf_counter()
    # New rows, new ids: every cached network is now stale, and the page's
    # default period is measured here rather than by its first reader.
    network_warm()
    return LinksRebuilt(
        exchanges=read,
        rows=len(rows),
        seconds=rebuilt - began,
        warm_seconds=time.perf_counter() - rebuilt,
    )
