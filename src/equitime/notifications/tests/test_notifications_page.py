"""The notifications page, marking read, and the header count: as the member,
as another member, and as an anonymous visitor."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db

LIST_URL = reverse("notification_list")
READ_URL = reverse("notifications_read")


def note(member, message="Ben proposed an exchange: Run charts", url="/exchanges/1/", **fields):
    return Notification.objects.create(
        recipient=member,
        kind=fields.pop("kind", Notification.Kind.EXCHANGE_PROPOSED),
        variant="legacy",  # words as they were: what the page shows is the point here
        params={"text": message},
        url=url,
        **fields,
    )


def header_count(response) -> str | None:
    """The unread count in the header, or None when no count is shown."""
    match = re.search(
        r'<span id="unread-count"[^>]*>(.*?)</span>\s*</a>', response.content.decode(), re.S
    )
    assert match, "no unread-count slot in the header"
    count = re.search(r'<span class="count">(\d+)</span>', match.group(1))
    return count.group(1) if count else None


def item(body: str, notification) -> tuple[str, str]:
    """The CSS classes and the inner HTML of one notification's list item."""
    match = re.search(
        rf'<li class="([^"]*)" data-testid="notification-{notification.pk}">(.*?)</li>', body, re.S
    )
    assert match, f"notification {notification.pk} is not listed"
    return match.group(1), match.group(2)


def unread(member) -> int:
    return Notification.objects.filter(recipient=member, read_at__isnull=True).count()


# --- Who may see what -----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", LIST_URL), ("post", READ_URL), ("post", reverse("notification_open", args=[1]))],
)
def test_anonymous_visitor_is_sent_to_sign_in(client, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_member_sees_only_their_own_notifications_newest_first(client, member, other_member):
    now = timezone.now()
    older = note(member, "Older: Ben accepted the exchange", created_at=now - timedelta(hours=2))
    newer = note(member, "Newer: Ben logged 1 hours", created_at=now - timedelta(minutes=5))
    note(other_member, "Secret for Ben only: Amina proposed an exchange")
    client.force_login(member)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert list(response.context["page"]) == [newer, older]
    assert body.index("Newer: Ben logged") < body.index("Older: Ben accepted")
    assert "Secret for Ben only" not in body
    stamp = dateformat.format(timezone.localtime(newer.created_at), "c")
    assert f'<time datetime="{stamp}">' in body


def test_unread_are_marked_with_a_badge_not_colour_alone(client, member):
    fresh = note(member, "Fresh news")
    seen = note(member, "Old news", read_at=timezone.now())
    client.force_login(member)

    body = client.get(LIST_URL).content.decode()

    fresh_classes, fresh_item = item(body, fresh)
    seen_classes, seen_item = item(body, seen)
    assert "notification--unread" in fresh_classes
    assert "notification--unread" not in seen_classes
    assert ">New</span>" in fresh_item
    assert ">New</span>" not in seen_item
    # An unread one opens through a POST that marks it read; a read one is a plain link.
    assert reverse("notification_open", args=[fresh.pk]) in fresh_item
    assert 'href="/exchanges/1/"' in seen_item
    assert "<time datetime=" in fresh_item


def test_header_shows_the_unread_count(client, member, other_member):
    note(member)
    note(member)
    note(member, read_at=timezone.now())
    note(other_member)
    client.force_login(member)

    response = client.get(reverse("dashboard"))

    assert header_count(response) == "2"
    assert '<span class="visually-hidden"> unread</span>' in response.content.decode()
    assert f'href="{LIST_URL}"' in response.content.decode()


def test_header_shows_no_count_when_all_are_read(client, member):
    note(member, read_at=timezone.now())
    client.force_login(member)

    assert header_count(client.get(LIST_URL)) is None


def test_list_is_paginated_by_twenty(client, member):
    start = timezone.now() - timedelta(days=1)
    for n in range(25):
        note(member, f"Notice {n:02d}", created_at=start + timedelta(minutes=n))
    client.force_login(member)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert [n.message for n in first.context["page"]][:2] == ["Notice 24", "Notice 23"]
    assert len(first.context["page"]) == 20
    assert [n.message for n in second.context["page"]] == [
        f"Notice {n:02d}" for n in range(4, -1, -1)
    ]
    assert 'rel="next"' in first.content.decode()


def test_list_costs_the_same_queries_for_one_or_many(client, member):
    client.force_login(member)
    note(member)
    client.get(LIST_URL)  # the cached menu is read once, then kept
    with CaptureQueriesContext(connection) as one:
        client.get(LIST_URL)
    for _ in range(15):
        note(member)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST_URL)

    assert len(many) == len(one)


def test_list_refuses_post(client, member):
    client.force_login(member)

    assert client.post(LIST_URL).status_code == 405


# --- Marking read ------------------------------------------------------------------


def test_mark_all_read_marks_only_the_members_own(client, member, other_member):
    note(member)
    note(member)
    theirs = note(other_member)
    client.force_login(member)

    response = client.post(READ_URL, follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert unread(member) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "2 notifications marked as read." in response.content.decode()
    assert header_count(response) is None


def test_read_url_refuses_get(client, member):
    note(member)
    client.force_login(member)

    response = client.get(READ_URL)

    assert response.status_code == 405
    assert unread(member) == 1


def test_marking_posted_ids_marks_only_those(client, member):
    first, second = note(member), note(member)
    client.force_login(member)

    response = client.post(READ_URL, {"id": [first.pk], "page": "2"})

    assert response.status_code == 302
    assert response.url == f"{LIST_URL}?page=2"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_marking_someone_elses_id_does_nothing_to_it(client, member, other_member):
    mine = note(member)
    theirs = note(other_member)
    client.force_login(member)

    client.post(READ_URL, {"id": [theirs.pk]})

    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.read_at is None
    assert mine.read_at is None  # naming ids never falls back to "all"


@pytest.mark.parametrize("bad", ["abc", "", "²", "9" * 40, "-3"])
def test_malformed_ids_mark_nothing_and_do_not_fail(client, member, bad):
    note(member)
    client.force_login(member)

    response = client.post(READ_URL, {"id": [bad]})

    assert response.status_code == 302
    assert unread(member) == 1


def test_htmx_mark_read_returns_the_list_fragment(client, member, other_member):
    mine = note(member, "Mine to read")
    note(other_member, "Not for Amina")
    client.force_login(member)

    response = client.post(READ_URL, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="notifications"')
    assert "Mine to read" in body
    assert "Not for Amina" not in body
    assert "1 notification marked as read." in body
    # The header count is swapped out of band, now empty.
    assert '<span id="unread-count" hx-swap-oob="true"></span>' in body
    mine.refresh_from_db()
    assert mine.read_at is not None


# --- Opening one --------------------------------------------------------------------


def test_opening_marks_read_and_goes_to_its_page(client, member):
    target = note(member, url="/exchanges/7/")
    other = note(member)
    client.force_login(member)

    response = client.post(reverse("notification_open", args=[target.pk]))

    assert response.status_code == 302
    assert response.url == "/exchanges/7/"
    target.refresh_from_db()
    other.refresh_from_db()
    assert target.read_at is not None
    assert other.read_at is None


def test_opening_refuses_get(client, member):
    target = note(member)
    client.force_login(member)

    assert client.get(reverse("notification_open", args=[target.pk])).status_code == 405
    target.refresh_from_db()
    assert target.read_at is None


def test_opening_someone_elses_is_not_found(client, member, other_member):
    theirs = note(other_member)
    client.force_login(member)

    response = client.post(reverse("notification_open", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", ""],
)
def test_opening_never_redirects_off_site(client, member, url):
    target = note(member, url=url)
    client.force_login(member)

    response = client.post(reverse("notification_open", args=[target.pk]))

    assert response.status_code == 302
    assert response.url == LIST_URL
    page = client.get(LIST_URL).content.decode()
    if url:
        assert f'href="{url}"' not in page
