"""Operators' exports in the browser: a community administrator asks for the
ledger journal, the task runs (in-process here, by the worker in life), the
list shows it ready after "Refresh", and the CSV downloads; at 1280 and 390 px,
scanned by axe at each step."""

import pytest
from playwright.sync_api import expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.exports.models import Export
from equitime.exports.services import export_run_now
from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORTS = [({"width": 1280, "height": 800}, "1280"), ({"width": 390, "height": 844}, "390")]


@pytest.mark.parametrize(("viewport", "width"), VIEWPORTS, ids=["1280", "390"])
def test_an_administrator_exports_the_journal_and_downloads_it(new_page, settings, viewport, width):
    # The queue as in life: the task waits for a worker (here, the test itself).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin = member_role_grant(
        member=make_member(display_name="Ada Admin"), role=roles.COMMUNITY_ADMIN, by=None
    )
    make_member(display_name="Priya Provider")
    page = new_page(as_member=admin, viewport=viewport)

    page.goto("/operations/exports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Exports")
    assert_no_axe_violations(page, f"exports page, empty, at {width}")
    page.get_by_role("button", name="Export").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose what to export")
    assert_no_axe_violations(page, f"exports form with an error at {width}")

    page.get_by_role("radio", name="Ledger journal (double entry)").check()
    page.get_by_role("button", name="Export").click()
    expect(page.get_by_role("status")).to_contain_text("on its way")
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    page.screenshot(path=artefact("exports", width, "queued.png"), full_page=True)
    assert_no_axe_violations(page, f"exports list with one waiting at {width}")

    export = Export.objects.get()
    export_run_now(export_id=export.pk)  # the worker's part
    page.get_by_role("link", name="Refresh").click()
    download_link = page.get_by_role("link", name="Download CSV")
    expect(download_link).to_be_visible()
    expect(page.get_by_text("Ready: 2 rows")).to_be_visible()  # two welcome gifts
    page.screenshot(path=artefact("exports", width, "ready.png"), full_page=True)
    assert_no_axe_violations(page, f"exports list with one ready at {width}")

    with page.expect_download() as waiting:
        download_link.click()
    download = waiting.value
    assert download.suggested_filename.startswith("equitime-journal-")
    text = download.path().read_text(encoding="utf-8-sig")
    assert text.startswith("date,entry,reference,description,account,")
    assert "Welcome gift" in text and "Total" in text
