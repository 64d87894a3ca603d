"""The exports page and the download: who may, what they see, what they get."""

import pytest
from django.urls import reverse

from equitime.audit.models import AuditEntry
from equitime.exports.models import Export
from equitime.exports.services import export_run_now
from equitime.exports.tests.conftest import read_csv
from equitime.exports.tests.factories import export_made
from equitime.members import roles
from equitime.members.models import Member
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

LIST = reverse("export_list")


def test_an_administrator_sees_the_form_and_the_exports(client, admin):
    export_made(admin, "journal")
    client.force_login(admin)

    page = client.get(LIST)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="kind"' in html and "Ledger journal (double entry)" in html
    assert "<progress" in html and "Download CSV" in html
    assert f'href="{LIST}"' in html  # the Refresh link
    assert "hx-trigger" not in html  # nothing to wait for: no polling


def test_the_list_polls_with_htmx_while_an_export_runs(client, admin):
    export_made(admin, "members", run=False)
    client.force_login(admin)

    page = client.get(LIST).content.decode()
    assert 'hx-trigger="every 3s"' in page and "Waiting to start" in page

    fragment = client.get(LIST, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.content.decode().startswith('<div id="export-rows"')
    assert "<html" not in fragment.content.decode()


def test_asking_for_an_export_queues_it_and_comes_back_to_the_list(client, admin):
    client.force_login(admin)

    response = client.post(LIST, {"kind": "trial_balance"})

    assert response.status_code == 302 and response["Location"] == LIST
    export = Export.objects.get()
    assert export.kind == "trial_balance" and export.requested_by == admin
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT_REQUESTED).count() == 1
    assert "on its way" in client.get(LIST).content.decode()


@pytest.mark.parametrize("kind", ["", "passwords"], ids=["none", "unknown"])
def test_a_bad_choice_is_a_form_error(client, admin, kind):
    client.force_login(admin)

    response = client.post(LIST, {"kind": kind})

    assert response.status_code == 422
    assert "Choose what to export" in response.content.decode()
    assert not Export.objects.exists()


def test_too_many_waiting_is_said_on_the_form(client, admin):
    client.force_login(admin)
    for _ in range(3):
        client.post(LIST, {"kind": "members"})

    response = client.post(LIST, {"kind": "members"})

    assert response.status_code == 422
    assert "Wait for one to finish" in response.content.decode()


def test_the_download_is_a_streamed_attachment(client, admin):
    export = export_made(admin, "organisations")
    client.force_login(admin)

    response = client.get(reverse("export_download", args=[export.pk]))

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "equitime-organisations-" in response["Content-Disposition"]
    rows = read_csv(b"".join(response.streaming_content))
    assert rows[0][0] == "organisation id"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT_DOWNLOADED).count() == 1


def test_a_download_not_ready_comes_back_to_the_list_saying_why(client, admin):
    export = export_made(admin, "members", run=False)
    client.force_login(admin)

    response = client.get(reverse("export_download", args=[export.pk]), follow=True)

    assert "not ready yet" in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT_DOWNLOADED).exists()


def test_a_failed_export_shows_its_message(client, admin, settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    settings.EQUITIME_EXPORTS_DIR = blocker / "exports"
    export_made(admin, "members")
    client.force_login(admin)

    html = client.get(LIST).content.decode()

    assert "Failed" in html and "disk has room" in html


def test_another_administrator_may_download_an_export(client, admin):
    """Exports are the operators' shared records; each download names who."""
    export = export_made(admin, "organisations")
    other = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)
    client.force_login(other)

    response = client.get(reverse("export_download", args=[export.pk]))

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT_DOWNLOADED)
    assert entry.actor == other


@pytest.mark.parametrize(
    "who", ["member", "moderator", "staff"], ids=["member", "moderator", "staff"]
)
def test_everyone_else_is_refused(client, admin, who):
    export = export_made(admin, "members")
    person = make_member()
    if who == "moderator":
        person = member_role_grant(member=person, role=roles.MODERATOR, by=None)
    if who == "staff":  # staff without the role or superuser status: the admin site, not this
        Member.objects.filter(pk=person.pk).update(is_staff=True)
    client.force_login(Member.objects.get(pk=person.pk))

    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"kind": "members"}).status_code == 403
    assert client.get(reverse("export_download", args=[export.pk])).status_code == 403
    assert Export.objects.count() == 1


def test_a_staff_superuser_may(client, db):
    boss = make_member()
    Member.objects.filter(pk=boss.pk).update(is_staff=True, is_superuser=True)
    client.force_login(Member.objects.get(pk=boss.pk))

    assert client.get(LIST).status_code == 200


def test_visitors_are_sent_to_sign_in(client, admin):
    export = export_made(admin, "members")
    for response in (
        client.get(LIST),
        client.post(LIST, {"kind": "members"}),
        client.get(reverse("export_download", args=[export.pk])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_menu_links_the_page_for_administrators_only(client, admin):
    client.force_login(admin)
    assert f'href="{LIST}"' in client.get(reverse("dashboard")).content.decode()
    client.force_login(make_member())
    assert f'href="{LIST}"' not in client.get(reverse("dashboard")).content.decode()


def test_the_list_page_reads_in_a_few_queries(client, admin, django_assert_max_num_queries):
    for kind in ("members", "organisations", "journal"):
        export_made(admin, kind)
    export_run_now(export_id=Export.objects.earliest("pk").pk)
    client.force_login(admin)
    client.get(LIST)  # fills the menu's and the time zone's caches

    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
