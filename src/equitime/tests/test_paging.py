"""Keyset pages: every row once, in order, forwards and back, whatever ties the order has."""

import pytest

from equitime.core.paging import (
    COUNT_CAP,
    InvalidCursor,
    KeysetPage,
    cursor_decode,
    cursor_encode,
    keyset_page,
    list_page,
    page_summary,
)
from equitime.members.models import Member

BY_NAME = (("display_name", False), ("id", False))
BY_NAME_DESC = (("display_name", True), ("id", True))


@pytest.fixture
def members(make_member):
    # Many ties on the first key: only the key at the end tells them apart.
    return [make_member(display_name=f"Member {n % 4}") for n in range(23)]


def walk(queryset, order, size):
    """Every page from the first by `next` cursors; then back by `previous` ones."""
    pages = [keyset_page(queryset, order=order, size=size)]
    while pages[-1].has_next:
        pages.append(keyset_page(queryset, order=order, size=size, cursor=pages[-1].next_cursor))
    back = [pages[-1]]
    while back[-1].has_previous:
        back.append(keyset_page(queryset, order=order, size=size, cursor=back[-1].previous_cursor))
    return pages, back


@pytest.mark.parametrize("order", [BY_NAME, BY_NAME_DESC])
@pytest.mark.parametrize("size", [1, 5, 23, 50])
def test_forwards_and_back_every_row_once_in_order(members, order, size):
    queryset = Member.objects.filter(pk__in=[member.pk for member in members])
    expected = list(queryset.order_by(*[("-" if desc else "") + name for name, desc in order]))

    pages, back = walk(queryset, order, size)

    assert [row for page in pages for row in page.items] == expected
    assert [row for page in reversed(back) for row in page.items] == expected
    assert not pages[0].has_previous and not pages[-1].has_next
    assert all(page.count == 23 and not page.count_is_capped for page in pages)


def test_page_numbers_read_the_same_rows_as_cursors(members):
    queryset = Member.objects.filter(pk__in=[member.pk for member in members])
    pages, _back = walk(queryset, BY_NAME, 5)

    for number, page in enumerate(pages, start=1):
        assert keyset_page(queryset, order=BY_NAME, size=5, number=number).items == page.items
    # Past the end: the last page, unless the caller wants it empty (the API).
    assert keyset_page(queryset, order=BY_NAME, size=5, number=99).items == pages[-1].items
    assert keyset_page(queryset, order=BY_NAME, size=5, number=9, clamp=False).items == []


def test_rows_added_while_reading_neither_repeat_nor_shift_the_pages(members, make_member):
    queryset = Member.objects.filter(display_name__startswith="Member")
    first = keyset_page(queryset, order=BY_NAME, size=10)
    make_member(display_name="Member 0")  # sorts before every row already read
    second = keyset_page(queryset, order=BY_NAME, size=10, cursor=first.next_cursor)

    assert not set(first.items) & set(second.items)
    assert [m.display_name for m in first.items + second.items] == sorted(
        m.display_name for m in first.items + second.items
    )


def test_counts_stop_at_the_cap(make_member, monkeypatch):
    monkeypatch.setattr("equitime.core.paging.COUNT_CAP", 5)
    for n in range(7):
        make_member(display_name=f"Member {n}")
    queryset = Member.objects.filter(display_name__startswith="Member")

    page = keyset_page(queryset, order=BY_NAME, size=2)

    assert (page.count, page.count_is_capped) == (5, True)


def test_cursors_round_trip_dates_and_refuse_what_they_did_not_write(members):
    member = members[0]
    values = [member.date_joined, member.display_name, member.pk, 1.5, None]

    assert cursor_decode(cursor_encode(values), keys=5) == (values, False)
    assert cursor_decode(cursor_encode(values, before=True), keys=5) == (values, True)
    for bad in ["", "nonsense", "e30", "eyJ2IjpbMV19", "%%%", cursor_encode(values)[:-3]]:
        with pytest.raises(InvalidCursor):
            keyset_page(Member.objects.all(), order=BY_NAME, cursor=bad or "x")
    with pytest.raises(InvalidCursor):
        cursor_decode(cursor_encode([1]), keys=2)  # written for another order


def test_links_go_by_number_first_then_by_cursor(members):
    queryset = Member.objects.filter(pk__in=[member.pk for member in members])

    first = keyset_page(queryset, order=BY_NAME, size=5)
    second = keyset_page(queryset, order=BY_NAME, size=5, number=2)
    by_cursor = keyset_page(queryset, order=BY_NAME, size=5, cursor=second.next_cursor)

    assert first.links("q=x") == {"first": None, "previous": None, "next": "?q=x&page=2"}
    assert second.links("q=x") == {"first": None, "previous": "?q=x", "next": "?q=x&page=3"}
    assert by_cursor.links("") == {
        "first": "?",
        "previous": f"?cursor={by_cursor.previous_cursor}",
        "next": f"?cursor={by_cursor.next_cursor}",
    }


def test_a_ranked_list_pages_by_position():
    ids = list(range(100, 145))

    first = list_page(ids, size=20)
    second = list_page(ids, size=20, cursor=first.next_cursor)
    third = list_page(ids, size=20, cursor=second.next_cursor)
    back = list_page(ids, size=20, cursor=third.previous_cursor)

    assert first.items + second.items + third.items == ids
    assert back.items == second.items
    assert (first.count, first.count_is_capped) == (45, False)
    assert list_page(ids, size=20, more=True).count_is_capped
    assert list_page(list(range(COUNT_CAP + 5))).count == COUNT_CAP
    with pytest.raises(InvalidCursor):
        list_page(ids, cursor=cursor_encode(["not a position"]))


def summary(page):
    return page_summary(
        page,
        none_found="Nothing.",
        more_than="More than %(count)s.",
        found=f"{page.count} found." if page.count != 1 else "One found.",
    )


@pytest.mark.parametrize(
    ("page", "said"),
    [
        (KeysetPage(items=[]), "Nothing."),
        (KeysetPage(items=[1], count=1, number=1), "One found."),
        (KeysetPage(items=[1, 2], count=2, number=1, size=24), "2 found."),
        (
            KeysetPage(items=list(range(24)), count=30, number=1, size=24, has_next=True),
            "30 found. Showing 1 to 24.",
        ),
        (
            KeysetPage(items=list(range(6)), count=30, number=2, size=24, has_previous=True),
            "30 found. Showing 25 to 30.",
        ),
        (  # thousands grouped; by cursor, no page number: no rows to name
            KeysetPage(items=[1] * 20, count=COUNT_CAP, count_is_capped=True, has_next=True),
            "More than 1,000.",
        ),
        (  # past the last row of a list that has rows: not "nothing"
            KeysetPage(items=[], count=0, has_previous=True),
            "0 found.",
        ),
    ],
)
def test_page_summary_is_one_wording_for_every_list_page(page, said):
    assert summary(page) == said
