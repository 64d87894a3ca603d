"""Page-number pagination with a bounded page number.

ninja's own ``PageNumberPagination`` takes any page number, so
``?page=99999999999999999999`` asks the database for an offset beyond a
64-bit integer and ends in a 500. This one refuses a page past ``MAX_PAGE``
with a 422 like any other bad parameter; use it in place of ninja's:

    from equitime.api.pagination import PageNumberPagination
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

MAX_PAGE = 1_000_000


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, description="At most 100; more gives 100.")
