"""No page logs an error to the console: the browser tests fail on any
(``browser_console_errors`` in conftest.py). Here, the search boxes of the list pages,
where typing and pressing Enter once started two requests and aborted one."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    ("path", "query", "found"),
    [
        ("/listings/", "survival", "Survival analysis in R"),
        ("/members/", "Amina", "Amina Okafor"),
    ],
)
def test_typing_a_search_and_pressing_enter_logs_no_error(
    path, query, found, scenario, new_page, browser_console_errors
):
    page = new_page(as_member=scenario.other)
    page.goto(path)
    requests = []
    page.on("request", lambda r: requests.append(r) if r.headers.get("hx-request") else None)
    search = page.get_by_role("searchbox", name="Search")

    # As a person types: quicker than the search waits, then Enter at once.
    search.press_sequentially(query, delay=50)
    search.press("Enter")

    expect(page).to_have_url(re.compile(rf"\?q={query}&"))
    expect(page.locator("#results").get_by_role("link", name=found)).to_be_visible()
    # Long enough for the search box's own delayed request, had it been left waiting.
    page.wait_for_timeout(800)
    assert browser_console_errors.seen == []
    # Typed slowly, a search may go before the last letter; the same search never twice.
    sent = [r.url for r in requests]
    assert len(sent) == len(set(sent)), sent
    assert f"q={query}&" in sent[-1]


def test_a_console_error_fails_the_test(page, browser_console_errors):
    page.goto("/")
    page.evaluate("() => console.error('something broke')")
    page.evaluate("() => setTimeout(() => { throw new Error('uncaught') }, 0)")
    page.evaluate(
        "() => document.body.insertAdjacentHTML('beforeend', '<img src=/nowhere.png alt=x>')"
    )
    page.wait_for_timeout(300)

    seen = "\n".join(browser_console_errors.seen)
    assert "something broke" in seen
    assert "uncaught" in seen
    assert "404" in seen  # The missing image.
    browser_console_errors.seen.clear()  # Seen and checked: this test passes.


def test_a_page_that_answers_with_an_error_status_is_not_a_console_error(
    page, browser_console_errors
):
    # The server's answer, which the test that asks checks; nothing broke in the page.
    response = page.goto("/no-such-page/")

    assert response.status == 404
    page.wait_for_timeout(100)
    assert browser_console_errors.seen == []
