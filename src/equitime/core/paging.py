"""Pages of long lists: keyset cursors and capped counts.

A list of 80,000 listings is never counted or skipped through row by row:

* **Keyset pages.** A page is "the next 20 rows after this one" in the list's
  order, so page 4,000 costs what page 1 costs, given an index that serves the
  order. The position travels as an opaque ``cursor``: the sort values of the
  row at the page's edge, and whether to read on (``after``) or back
  (``before``) from it.
* **Page numbers** still work as far as counts reach (``last_page_number``: links
  people shared, the API's ``page``), read with OFFSET inside the capped window.
* **Capped counts.** Counting stops at ``COUNT_CAP``: "1,000+ found" is as
  useful to a person as "80,401 found", and costs a thousand index entries
  rather than all of them.

    order = (("created_at", True), ("id", True))      # newest first
    page = keyset_page(queryset, order=order, cursor=request.GET.get("cursor"))
    page.items, page.next_cursor, page.previous_cursor, page.count, page.count_is_capped

The last key of every order must be unique (the primary key), so that no two
rows share a position.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

PAGE_SIZE = 20
COUNT_CAP = 1000
COUNT_CACHE_SECONDS = 60

Order = Sequence[tuple[str, bool]]  # (field or annotation, descending?)


class InvalidCursor(ValueError):
    """A cursor that this code did not write, or wrote for another list."""


@dataclass
class KeysetPage:
    items: list
    has_next: bool = False
    has_previous: bool = False
    next_cursor: str | None = None
    previous_cursor: str | None = None
    count: int = 0  # exact when below COUNT_CAP, else COUNT_CAP
    count_is_capped: bool = False
    number: int | None = None  # the page number, when it was asked for by number
    size: int = PAGE_SIZE
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def links(self, query: str = "") -> dict[str, str | None]:
        """Hrefs ("?…") of the first, previous and next pages, keeping ``query``
        (a query string without ``page`` or ``cursor``); None where there is none.

        The first pages go by number, so their addresses read well; past them,
        and from a page reached by cursor, links carry a cursor.
        """
        prefix = f"?{query}&" if query else "?"

        def by_number(number: int) -> str:
            return f"?{query}" if number == 1 and query else f"{prefix}page={number}"

        links: dict[str, str | None] = {"first": None, "previous": None, "next": None}
        if self.has_previous:
            if self.number:
                links["previous"] = by_number(self.number - 1)
            else:
                links["previous"] = f"{prefix}cursor={self.previous_cursor}"
            if not self.number or self.number > 2:
                links["first"] = f"?{query}"
        if self.has_next:
            if self.number and self.number < last_page_number(self.size):
                links["next"] = by_number(self.number + 1)
            else:
                links["next"] = f"{prefix}cursor={self.next_cursor}"
        return links


# --- Cursors --------------------------------------------------------------------------


def page_summary(page: KeysetPage, *, none_found: str, more_than: str, found: str) -> str:
    """What a list page's live region announces after every change of filters.

    The caller words it for its own list, translated: ``none_found`` when
    nothing matches; ``more_than`` when the count stopped at the cap, or
    ``found`` (from ``ngettext`` on ``page.count``), each with ``%(count)s``.
    A numbered page of several adds which rows it shows."""
    if not page.count and not page.has_other_pages:
        return none_found
    summary = (more_than if page.count_is_capped else found) % {"count": intcomma(page.count)}
    if page.number and page.has_other_pages:
        start = (page.number - 1) * page.size + 1
        summary += " " + _("Showing %(start)s to %(end)s.") % {
            "start": intcomma(start),
            "end": intcomma(start + len(page.items) - 1),
        }
    return summary


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return {"t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"A cursor cannot hold {type(value).__name__}.")


def _unplain(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return datetime.fromisoformat(value["t"])
        if "d" in value:
            return Decimal(value["d"])
        raise InvalidCursor
    return value


def cursor_encode(values: Sequence[Any], *, before: bool = False) -> str:
    payload: dict[str, object] = {"v": [_plain(value) for value in values]}
    if before:
        payload["b"] = 1
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str, *, keys: int) -> tuple[list[Any], bool]:
    """(sort values, before?) of a cursor for an order of ``keys`` keys."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        values = [_unplain(value) for value in payload["v"]]
        before = bool(payload.get("b"))
    except (binascii.Error, ValueError, TypeError, KeyError, AttributeError) as error:
        raise InvalidCursor from error
    if not isinstance(values, list) or len(values) != keys:
        raise InvalidCursor
    return values, before


# --- Reading a page ---------------------------------------------------------------------


def _beyond(order: Order, values: list[Any], *, forwards: bool) -> Q:
    """Rows strictly past ``values`` in ``order`` (or strictly before them).

    (a, b, c) after (1, 2, 3) is a>1 or a=1 and b>2 or a=1 and b=2 and c>3,
    with "<" for descending keys; the first key's bound alone (a>=1) is added so
    that a planner can start from it in an index.
    """
    condition = Q()
    equal_so_far = Q()
    for (name, descending), value in zip(order, values, strict=True):
        op = "lt" if descending == forwards else "gt"
        condition |= equal_so_far & Q(**{f"{name}__{op}": value})
        equal_so_far &= Q(**{name: value})
    first_name, first_descending = order[0]
    first_op = "lte" if first_descending == forwards else "gte"
    return Q(**{f"{first_name}__{first_op}": values[0]}) & condition


def _ordering(order: Order, *, reverse: bool = False) -> list[str]:
    return [("-" if descending != reverse else "") + name for name, descending in order]


def _position(item: Any, order: Order) -> list[Any]:
    return [getattr(item, name) for name, _descending in order]


def last_page_number(size: int = PAGE_SIZE) -> int:
    """How far page numbers reach: as far as counts do."""
    return max(COUNT_CAP // size, 1)


def capped_count(queryset: QuerySet, *, cap: int | None = None) -> tuple[int, bool]:
    """(how many rows, up to ``cap`` or ``COUNT_CAP``; whether there are more)."""
    cap = COUNT_CAP if cap is None else cap
    counted = queryset.order_by()[: cap + 1].count()
    return min(counted, cap), counted > cap


def page_number(value: Any) -> int | None:
    """A page number from a query string, or None for none or nonsense."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def keyset_page(
    queryset: QuerySet,
    *,
    order: Order,
    cursor: str | None = None,
    number: int | None = None,
    size: int = PAGE_SIZE,
    count: bool = True,
    count_key: str | None = None,
    clamp: bool = True,
) -> KeysetPage:
    """One page of ``queryset`` in ``order``: after or before ``cursor``, or
    page ``number``, or the first page. With ``clamp``, a number past
    ``last_page_number`` or past the rows shows the last page there is; without
    it such a page is empty. With ``count_key`` the count is kept in the cache
    under that key for ``COUNT_CACHE_SECONDS`` (make the key change whenever
    the rows may have).

    Raises ``InvalidCursor`` for a cursor that cannot be read.
    """
    if not count:
        counted, capped = 0, False
    elif count_key:
        cached: tuple[int, bool] | None = cache.get_or_set(
            f"page-count:{count_key}", lambda: capped_count(queryset), COUNT_CACHE_SECONDS
        )
        counted, capped = cached if cached is not None else capped_count(queryset)
    else:
        counted, capped = capped_count(queryset)
    ordered = queryset.order_by(*_ordering(order))
    if cursor:
        values, before = cursor_decode(cursor, keys=len(order))
        if before:
            rows = list(
                queryset.filter(_beyond(order, values, forwards=False)).order_by(
                    *_ordering(order, reverse=True)
                )[: size + 1]
            )
            has_previous = len(rows) > size
            items = list(reversed(rows[:size]))
            has_next = True
        else:
            rows = list(ordered.filter(_beyond(order, values, forwards=True))[: size + 1])
            has_next = len(rows) > size
            items = rows[:size]
            has_previous = True
        page = KeysetPage(items=items, has_next=has_next, has_previous=has_previous)
    else:
        number = number or 1
        if clamp:
            number = min(number, last_page_number(size))
        if clamp and count and counted:
            number = min(number, (counted - 1) // size + 1)
        start = (number - 1) * size
        rows = list(ordered[start : start + size + 1])
        page = KeysetPage(
            items=rows[:size],
            has_next=len(rows) > size,
            has_previous=number > 1,
            number=number,
        )
    if page.items:
        if page.has_next:
            page.next_cursor = cursor_encode(_position(page.items[-1], order))
        if page.has_previous:
            page.previous_cursor = cursor_encode(_position(page.items[0], order), before=True)
    elif cursor:
        # Read past an end (the rows moved on since the link was made): offer the way back.
        page.has_previous = False
    page.size = size
    page.count, page.count_is_capped = counted, capped
    return page


def list_page(
    ids: list,
    *,
    cursor: str | None = None,
    number: int | None = None,
    more: bool = False,
    size: int = PAGE_SIZE,
    clamp: bool = True,
) -> KeysetPage:
    """A page of a list already in order (ids ranked by a search, say), whose
    cursors hold a position in it. ``more`` says the list was cut short, so its
    length is a lower bound of the count."""
    if cursor:
        (start,), before = cursor_decode(cursor, keys=1)
        if not isinstance(start, int) or start < 0:
            raise InvalidCursor
        if before:
            start = max(start - size, 0)
    else:
        number = number or 1
        if clamp:
            number = min(number, last_page_number(size), max((len(ids) - 1) // size + 1, 1))
        start = (number - 1) * size
    items = ids[start : start + size]
    page = KeysetPage(
        items=items,
        has_next=start + size < len(ids),
        has_previous=start > 0,
        number=None if cursor else number,
        size=size,
        count=min(len(ids), COUNT_CAP),
        count_is_capped=more or len(ids) > COUNT_CAP,
    )
    if page.has_next:
        page.next_cursor = cursor_encode([start + size])
    if page.has_previous:
        page.previous_cursor = cursor_encode([start], before=True)
    return page
