"""The notifications API: the member's own notifications and marking them
read, as the member, as another member (404), anonymously and read-only."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from equitime.api.services import api_token_create
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications"


class Api:
    def __init__(self, member=None, *, read_only=False):
        self.client = Client()
        self.headers = {}
        if member is not None:
            _, secret = api_token_create(member=member, name="test", read_only=read_only)
            self.headers["Authorization"] = f"Bearer {secret}"

    def get(self, path="", **params):
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path):
        return self.client.post(BASE + path, content_type="application/json", headers=self.headers)


def note(member, message="Ben proposed an exchange: Run charts", url="/exchanges/1/", **fields):
    return Notification.objects.create(
        recipient=member,
        kind=fields.pop("kind", Notification.Kind.EXCHANGE_PROPOSED),
        variant="legacy",  # words as they were: what the page shows is the point here
        params={"text": message},
        url=url,
        **fields,
    )


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    return response.json()


def unread(member) -> int:
    return Notification.objects.filter(recipient=member, read_at__isnull=True).count()


def test_my_notifications_newest_first(member, other_member):
    older = note(member, "First")
    newer = note(member, "Second", kind=Notification.Kind.THANKS)
    note(other_member, "Not mine")

    response = Api(member).get()

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 2
    assert [item["id"] for item in page["items"]] == [newer.pk, older.pk]
    item = page["items"][0]
    assert item["kind"] == "thanks"
    assert item["kind_label"] == "Thanks received"
    assert item["message"] == "Second"
    assert item["url"] == "/exchanges/1/"
    assert item["read"] is False
    assert item["read_at"] is None


def test_filtering_unread_and_read(member):
    fresh = note(member, "New")
    seen = note(member, "Seen", read_at=timezone.now())
    api = Api(member)
    assert [i["id"] for i in api.get(unread="true").json()["items"]] == [fresh.pk]
    assert [i["id"] for i in api.get(unread="false").json()["items"]] == [seen.pk]
    assert api.get().json()["count"] == 2
    assert_problem(api.get(unread="perhaps"), 422, "invalid_fields")
    assert_problem(api.get(page="0"), 422, "invalid_fields")


def test_a_link_off_this_site_is_never_given(member):
    for url in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"):
        note(member, url=url)
    assert {item["url"] for item in Api(member).get().json()["items"]} == {""}


def test_list_pages_and_query_count_does_not_grow(member):
    api = Api(member)
    api.get()  # the token's first use is noted once; measure after it
    note(member)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get().status_code == 200
        return len(captured)

    few = queries()
    for n in range(30):
        note(member, f"Note {n}")
    assert queries() == few
    page = api.get(page=2).json()
    assert (page["count"], len(page["items"])) == (31, 11)


def test_the_unread_count(member, other_member):
    note(member)
    note(member, read_at=timezone.now())
    note(other_member)
    assert Api(member).get("/unread-count").json() == {"unread": 1}


def test_marking_one_read(member):
    notification = note(member)
    other = note(member)

    response = Api(member).post(f"/{notification.pk}/read")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == notification.pk
    assert body["read"] is True
    assert body["read_at"] is not None
    assert unread(member) == 1
    other.refresh_from_db()
    assert other.read_at is None
    # Again: still read, the time it was first read kept.
    again = Api(member).post(f"/{notification.pk}/read").json()
    assert again["read_at"] == body["read_at"]


def test_another_members_notification_is_404(member, other_member):
    theirs = note(other_member)
    assert_problem(Api(member).post(f"/{theirs.pk}/read"), 404, "not_found")
    assert_problem(Api(member).post(f"/{theirs.pk + 1000}/read"), 404, "not_found")
    assert_problem(Api(member).post("/99999999999999999999999/read"), 404, "not_found")
    assert unread(other_member) == 1


def test_marking_all_read_touches_only_mine(member, other_member):
    note(member)
    note(member)
    note(member, read_at=timezone.now())
    note(other_member)

    response = Api(member).post("/read-all")

    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert unread(member) == 0
    assert unread(other_member) == 1
    assert Api(member).post("/read-all").json() == {"marked": 0}


def test_anonymous_callers_are_asked_to_authenticate(member):
    notification = note(member)
    for response in (
        Api().get(),
        Api().get("/unread-count"),
        Api().post("/read-all"),
        Api().post(f"/{notification.pk}/read"),
    ):
        assert_problem(response, 401, "unauthenticated")
    assert unread(member) == 1


def test_a_read_only_token_reads_but_cannot_mark_read(member):
    notification = note(member)
    reader = Api(member, read_only=True)
    assert reader.get().status_code == 200
    assert reader.get("/unread-count").status_code == 200
    assert_problem(reader.post("/read-all"), 403, "read_only")
    assert_problem(reader.post(f"/{notification.pk}/read"), 403, "read_only")
    assert unread(member) == 1


def test_the_schema_names_every_operation(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = {
        op["operationId"]: op
        for path, item in paths.items()
        if path.startswith("/api/v1/notifications")
        for op in item.values()
    }
    assert set(operations) == {
        "notification_list",
        "notification_unread_count",
        "notifications_read_all",
        "notification_read",
        "notification_preferences_get",
        "notification_preferences_update",
    }
    assert all(op["tags"] == ["Notifications"] and op["summary"] for op in operations.values())


def test_notifications_can_be_read_oldest_first(member):
    older = note(member, "First")
    newer = note(member, "Second")

    items = Api(member).get(ordering="created_at").json()["items"]

    assert [item["id"] for item in items] == [older.pk, newer.pk]
    assert_problem(Api(member).get(ordering="kind"), 422, "invalid_fields")
