"""Pages of API lists: a page number for the first results, a cursor for all of them.

Every list answers ``{"items", "count", "count_is_capped", "next", "previous"}``:

* ``page`` (1, 2, …) reaches as far as counts do (the first
  ``core.paging.COUNT_CAP`` results); a page past that is a 422 that says to
  follow ``next``.
* ``next`` and ``previous`` are cursors: pass one back as ``cursor`` to read on
  or back. A cursor page costs the same however deep it is, and a list that
  changes between requests neither repeats nor skips a result.
* ``count`` stops at ``COUNT_CAP`` and ``count_is_capped`` says so.

The page is read by ``core.paging.keyset_page`` in the queryset's own order
(its ``order_by``, ending with the primary key). An endpoint whose order
cannot be read back from its rows (a search ranked by relevance) returns a
``Pager`` instead of a queryset: anything with ``page(cursor=, number=, size=)``.
A list, or a queryset already cut to a limit, is paged in memory.

Use it in place of ninja's:

    from equitime.api.pagination import PageNumberPagination
"""

from collections.abc import Iterable
from typing import Any, Protocol

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from equitime.api.problems import ApiProblem
from equitime.core.paging import (
    COUNT_CAP,
    InvalidCursor,
    KeysetPage,
    Order,
    keyset_page,
    last_page_number,
    list_page,
)

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class Pager(Protocol):
    """Reads one page itself; a page number past the results gives no items."""

    def page(self, *, cursor: str | None, number: int | None, size: int) -> KeysetPage: ...


def queryset_order(queryset: QuerySet[Any]) -> Order:
    """The queryset's order as (field, descending?) pairs, ending with the key."""
    names = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    order: list[tuple[str, bool]] = []
    for name in names:
        if not isinstance(name, str) or "__" in name or name == "?":
            raise TypeError(f"A keyset page cannot follow the order {name!r}.")
        field = name.lstrip("-")
        order.append(("id" if field == "pk" else field, name.startswith("-")))
    if not order or order[-1][0] != "id":
        order.append(("id", order[-1][1] if order else True))
    return order


class PageNumberPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(
            1,
            ge=1,
            le=COUNT_CAP,
            description=f"Page numbers reach the first {COUNT_CAP:,} results; "
            "beyond them follow `next`.",
        )
        page_size: int | None = Field(
            None, ge=1, description=f"At most {MAX_PAGE_SIZE}; more gives {MAX_PAGE_SIZE}."
        )
        cursor: str | None = Field(
            None,
            max_length=1000,
            description="The `next` or `previous` of an earlier page: read on or back from "
            "there. Takes the place of `page`.",
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description=f"How many results, counted up to {COUNT_CAP:,}.")
        count_is_capped: bool = Field(description=f"There are more than {COUNT_CAP:,} results.")
        next: str | None = Field(description="Pass as `cursor` for the next page.")
        previous: str | None = Field(description="Pass as `cursor` for the page before.")

    def __init__(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_page_size: int = MAX_PAGE_SIZE,
        **kwargs: Any,
    ) -> None:
        self.page_size = page_size
        self.max_page_size = max_page_size
        super().__init__(**kwargs)

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Pager | Iterable[Any],
        pagination: Input,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        size = min(pagination.page_size or self.page_size, self.max_page_size)
        cursor = pagination.cursor or None
        number = None if cursor else pagination.page
        if number is not None and number > last_page_number(size):
            raise ApiProblem(
                422,
                _(
                    "Page numbers reach the first %(count)s results. To read further, "
                    "follow the cursor in `next` (pass it as `cursor`)."
                )
                % {"count": number_format(COUNT_CAP, force_grouping=True)},
                code="page_out_of_range",
            )
        try:
            if isinstance(queryset, QuerySet) and not queryset.query.is_sliced:
                page = keyset_page(
                    queryset,
                    order=queryset_order(queryset),
                    cursor=cursor,
                    number=number,
                    size=size,
                    clamp=False,
                )
            elif hasattr(queryset, "page"):
                page = queryset.page(cursor=cursor, number=number, size=size)
            else:  # a short list read whole (a queue with its own limit)
                page = list_page(
                    list(queryset), cursor=cursor, number=number, size=size, clamp=False
                )
        except InvalidCursor:
            raise ApiProblem(
                422,
                _("The cursor is not one this list gave out. Start again without it."),
                code="invalid_cursor",
            ) from None
        return {
            "items": page.items,
            "count": page.count,
            "count_is_capped": page.count_is_capped,
            "next": page.next_cursor,
            "previous": page.previous_cursor,
        }
