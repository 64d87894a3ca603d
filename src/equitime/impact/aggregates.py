"""The monthly figures behind the impact pages, rebuilt from the ledger.

Which hours count: the posted payment (``Exchange.payment``, a ledger
transfer) of every COMPLETED exchange, in the month it was completed (UTC).
Reversed, voided, cancelled and declined exchanges never count; neither do
welcome gifts, donations or group sessions (they are not one colleague's
time given to another).

Who a cell is about (its ``members``, the figure suppression reads):

- cells that describe the exchange (all hours, improvement area, skill
  category, across organisations, across professions): both parties;
- cells that describe one party: that party only. Hours by *profession* and
  by *organisation kind* are counted twice over, once by the giver's
  (``*_given``: the provider, who earned the credit) and once by the
  receiver's (``*_received``: who spent it); each breakdown adds up to all
  hours;
- a row per *organisation*: the exchanges it took part in (either party; an
  exchange within one organisation counts once), about the members of that
  organisation among their parties.

A member's organisation and profession are read from their profile as it is
when the figures are built, not as it was at the exchange.

An exchange counts under every skill category its listing's skills belong
to (and under none, key "", when it had no listing or no skills), so that
breakdown can add up to more than all hours.
"""

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import cast

from django.db import transaction

from equitime.exchanges.models import Exchange, Status, Thanks
from equitime.impact.models import Dimension, FiguresRun, HoursMonth, NoteMonth
from equitime.ledger.models import Transfer
from equitime.listings.models import Listing
from equitime.members.models import Profile

# The keys of the two "across" breakdowns.
CROSSED = "crossed"
WITHIN = "within"
UNKNOWN = "unknown"  # one party did not say (no organisation, no profession)

BATCH = 2000
# Impact notes kept per month and scope, for the dashboard to choose from.
NOTES_KEPT = 5
LABEL_LENGTH = 100


@dataclass(frozen=True)
class RebuildResult:
    exchanges: int
    rows: int
    seconds: float

    def line(self) -> str:
        return (
            f"rebuilt {self.rows} monthly figure(s) from {self.exchanges} exchange(s) "
            f"in {self.seconds:.1f} s"
        )


@dataclass
class _Cell:
    minutes: int = 0
    exchanges: int = 0
    label: str = ""

    def __post_init__(self) -> None:
        self.members: set[int] = set()


def profession_key(profession: str) -> str:
    """Professions are typed by members: "Nurse", "nurse " and "NURSE" are one."""
    return " ".join(profession.split()).casefold()[:LABEL_LENGTH]


def _crossed(a, b) -> str:
    if not a or not b:
        return UNKNOWN
    return WITHIN if a == b else CROSSED


def _month(moment: datetime) -> date:
    return moment.astimezone(UTC).date().replace(day=1)


def aggregates_compute() -> tuple[list[HoursMonth], int, list[NoteMonth]]:
    """Every monthly figure, from the database as it is now (read-only):
    three reads (profiles, listings' skill categories, completed exchanges
    with their payments), the rest in memory."""
    profiles: dict[int, tuple[int | None, str, str, str]] = {}
    for member_id, organisation_id, kind, profession in Profile.objects.values_list(
        "member_id", "organisation_id", "organisation__kind", "profession"
    ).iterator(chunk_size=BATCH):
        text = " ".join((profession or "").split())[:LABEL_LENGTH]
        profiles[member_id] = (organisation_id, kind or "", profession_key(text), text)
    nobody = (None, "", "", "")

    categories: dict[int, set[int]] = defaultdict(set)
    for listing_id, category_id in Listing.skills.through.objects.values_list(
        "listing_id", "skill__category_id"
    ).iterator(chunk_size=BATCH):
        categories[listing_id].add(category_id)

    cells: dict[tuple[date, int | None, str, str], _Cell] = {}

    def add(key, minutes: int, members, label: str = "") -> None:
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = _Cell(label=label)
        cell.minutes += minutes
        cell.exchanges += 1
        cell.members.update(members)

    counted = 0
    placed: dict[int, tuple[date, list[int]]] = {}  # exchange -> its month and organisations
    exchanges = (
        Exchange.objects.filter(status=Status.COMPLETED, payment__state=Transfer.State.POSTED)
        .values_list(
            "pk",
            "completed_at",
            "payment__amount",
            "provider_id",
            "receiver_id",
            "improvement_area_id",
            "listing_id",
        )
        .iterator(chunk_size=BATCH)
    )
    for pk, completed_at, minutes, provider, receiver, area, listing in exchanges:
        counted += 1
        month = _month(cast(datetime, completed_at))  # completed: always stamped
        giver = profiles.get(provider, nobody)
        taker = profiles.get(receiver, nobody)
        both = (provider, receiver)
        own: list[tuple[str, str, tuple[int, ...], str]] = [
            (Dimension.TOTAL, "", both, ""),
            (Dimension.AREA, str(area), both, ""),
            (Dimension.PROFESSION_GIVEN, giver[2], (provider,), giver[3]),
            (Dimension.PROFESSION_RECEIVED, taker[2], (receiver,), taker[3]),
            (Dimension.KIND_GIVEN, giver[1], (provider,), ""),
            (Dimension.KIND_RECEIVED, taker[1], (receiver,), ""),
            (Dimension.CROSSED_ORGANISATION, _crossed(giver[0], taker[0]), both, ""),
            (Dimension.CROSSED_PROFESSION, _crossed(giver[2], taker[2]), both, ""),
        ]
        for category in sorted(str(c) for c in categories.get(listing or 0, ())) or [""]:
            own.append((Dimension.CATEGORY, category, both, ""))
        if giver[0] == taker[0]:
            own.append((Dimension.ORGANISATION, str(giver[0] or ""), both, ""))
        else:
            own.append((Dimension.ORGANISATION, str(giver[0] or ""), (provider,), ""))
            own.append((Dimension.ORGANISATION, str(taker[0] or ""), (receiver,), ""))
        for dimension, key, members, label in own:
            add((month, None, dimension, key), minutes, members, label)
        # An organisation's own figures: its exchanges, without the table of
        # organisations (the community's figures have it).
        scopes = sorted({o for o in (giver[0], taker[0]) if o is not None})
        for scope in scopes:
            for dimension, key, members, label in own:
                if dimension != Dimension.ORGANISATION:
                    add((month, scope, dimension, key), minutes, members, label)
        placed[pk] = (month, scopes)

    rows = [
        HoursMonth(
            month=month,
            organisation_id=scope,
            dimension=dimension,
            key=key,
            label=cell.label,
            minutes=cell.minutes,
            exchanges=cell.exchanges,
            members=len(cell.members),
        )
        # Stored scope by scope, month by month: a page's rows lie together.
        for (month, scope, dimension, key), cell in sorted(
            cells.items(), key=lambda item: (item[0][1] or 0, item[0][0], item[0][2], item[0][3])
        )
    ]
    return rows, counted, _notes(placed)


def _notes(placed: dict[int, tuple[date, list[int]]]) -> list[NoteMonth]:
    """The latest ``NOTES_KEPT`` thanks with an impact note shown by consent,
    per month and scope, of the exchanges counted."""
    kept: dict[tuple[date, int | None], list[int]] = defaultdict(list)
    thanks = (
        Thanks.objects.filter(show_on_profile=True)
        .exclude(impact="")
        .order_by("-pk")
        .values_list("pk", "exchange_id")
        .iterator(chunk_size=BATCH)
    )
    for pk, exchange_id in thanks:
        found = placed.get(exchange_id)
        if found is None:
            continue
        month, scopes = found
        for scope in (None, *scopes):
            ids = kept[(month, scope)]
            if len(ids) < NOTES_KEPT:
                ids.append(pk)
    return [
        NoteMonth(month=month, organisation_id=scope, thanks_id=pk)
        for (month, scope), ids in sorted(kept.items(), key=lambda i: (i[0][1] or 0, i[0][0]))
        for pk in ids
    ]


def aggregates_rebuild(*, now: datetime) -> RebuildResult:
    """Rebuild every monthly figure from scratch, in one transaction: a reader
    sees the old figures or the new, never half. Safe to run twice (the second
    run writes the same figures again); two at once take turns on the run's row."""
    began = time.monotonic()
    rows, counted, notes = aggregates_compute()
    with transaction.atomic():
        run, _ = FiguresRun.objects.select_for_update().get_or_create(
            pk=1, defaults={"built_at": now, "exchanges": 0, "rows": 0, "seconds": 0}
        )
        HoursMonth.objects.all().delete()
        HoursMonth.objects.bulk_create(rows, batch_size=BATCH)
        NoteMonth.objects.all().delete()
        NoteMonth.objects.bulk_create(notes, batch_size=BATCH)
        run.built_at = now
        run.exchanges = counted
        run.rows = len(rows)
        run.seconds = time.monotonic() - began
        run.save(update_fields=["built_at", "exchanges", "rows", "seconds"])
    return RebuildResult(exchanges=counted, rows=len(rows), seconds=run.seconds)
