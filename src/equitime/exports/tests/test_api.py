"""API: /api/v1/exports."""

import json

import pytest
from django.utils import timezone

from equitime.api.services import api_token_create
from equitime.audit.models import AuditEntry
from equitime.exports.models import Export
from equitime.exports.services import export_run_now
from equitime.exports.tests.conftest import read_csv
from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

URL = "/api/v1/exports"


def bearer(member, *, read_only: bool = False) -> dict[str, str]:
    _token, secret = api_token_create(member=member, name="exports", read_only=read_only)
    return {"Authorization": f"Bearer {secret}"}


def post(client, headers, body, key=None):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(
        URL, json.dumps(body), content_type="application/json", headers=headers | extra
    )


def test_asking_answers_202_with_the_export_and_where_to_follow_it(client, admin):
    response = post(client, bearer(admin), {"kind": "journal"})

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["kind"] == "journal" and body["status"] == "queued"
    assert body["rows_done"] == 0 and body["rows_total"] is None and body["percent"] == 0
    assert body["download_url"] is None and body["withdrawn"] is False
    assert response["Location"] == f"{URL}/{body['id']}"


def test_a_retry_with_the_same_key_queues_nothing_twice(client, admin):
    headers = bearer(admin)
    first = post(client, headers, {"kind": "members"}, key="export-1")
    again = post(client, headers, {"kind": "members"}, key="export-1")

    assert first.status_code == again.status_code == 202
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Export.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT_REQUESTED).count() == 1


def test_an_unknown_kind_is_422(client, admin):
    response = post(client, bearer(admin), {"kind": "passwords"})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "kind"


def test_progress_then_the_download(client, admin):
    headers = bearer(admin)
    export_id = post(client, headers, {"kind": "organisations"}).json()["id"]

    not_yet = client.get(f"{URL}/{export_id}/download", headers=headers)
    assert not_yet.status_code == 409 and not_yet.json()["code"] == "export_not_ready"

    export_run_now(export_id=export_id)
    progress = client.get(f"{URL}/{export_id}", headers=headers).json()
    assert progress["status"] == "done" and progress["percent"] == 100
    assert progress["rows_done"] == progress["rows_total"]
    assert progress["download_url"] == f"{URL}/{export_id}/download"

    download = client.get(progress["download_url"], headers=headers)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert read_csv(b"".join(download.streaming_content))[0][0] == "organisation id"

    listed = client.get(URL, headers=headers).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == export_id


def test_an_expired_export_is_gone(client, admin):
    headers = bearer(admin)
    export_id = post(client, headers, {"kind": "organisations"}).json()["id"]
    export_run_now(export_id=export_id)
    Export.objects.filter(pk=export_id).update(expires_at=timezone.now())

    response = client.get(f"{URL}/{export_id}/download", headers=headers)

    assert response.status_code == 410
    assert response.json()["code"] == "export_expired"


def test_members_and_moderators_are_refused(client, db):
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    for member in (make_member(), moderator):
        headers = bearer(member)
        assert post(client, headers, {"kind": "members"}).status_code == 403
        assert client.get(URL, headers=headers).status_code == 403
    assert not Export.objects.exists()


def test_no_token_is_401(client, admin):
    assert post(client, {}, {"kind": "members"}).status_code == 401
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/1/download").status_code == 401


def test_a_read_only_token_cannot_ask(client, admin):
    response = post(client, bearer(admin, read_only=True), {"kind": "members"})
    assert response.status_code == 403 and response.json()["code"] == "read_only"


def test_an_unknown_export_is_404(client, admin):
    assert client.get(f"{URL}/999999", headers=bearer(admin)).status_code == 404
