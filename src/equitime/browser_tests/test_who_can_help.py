"""Who can help, done when: a request is posted, its poster sees suggested
helpers and asks one, the helper opens the link in the e-mail (signing in on
the way), accepts, and the poster accepts the exchange that proposes."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.exchanges.models import Exchange, Status
from equitime.matching.models import HelpInvitation
from equitime.matching.tests.factories import a_request, colleague
from equitime.members.models import Organisation
from equitime.members.tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def invitation_link(email: str) -> str:
    letters = [m for m in mail.outbox if email in m.to]
    assert letters, f"no e-mail to {email}"
    link = re.search(r"https?://[^/\s]+(/matching/invitations/\d+/)", str(letters[-1].body))
    assert link, letters[-1].body
    return link.group(1)  # the site's address in e-mails is not the test server's


def look(page: Page, name: str) -> None:
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=artefact("who-can-help", str(width), name), full_page=True)


def test_the_poster_asks_a_suggested_helper_who_accepts_from_the_e_mail(new_page):
    trust = Organisation.objects.create(name="Northshire Hospitals", kind="nhs_trust")
    university = Organisation.objects.create(name="Northshire University", kind="university")
    poster = colleague("Priya Shah", organisation=trust, profession="Ward sister")
    helper = colleague(
        "Sam Okoye",
        email="sam@example.ac.uk",
        organisation=university,
        profession="Medical statistician",
        skills=["medical-statistics"],
    )
    colleague("Una Related", skills=["mentoring"])
    request = a_request(poster, title="Sample size for a falls audit")

    # The poster sees who could help, and why, and asks.
    priya = new_page(as_member=poster)
    priya.goto(f"/listings/{request.pk}/")
    panel = priya.get_by_test_id("who-can-help")
    expect(panel).to_contain_text("Sam Okoye")
    expect(panel).to_contain_text("Offers Medical statistics")
    expect(panel).to_contain_text("Different organisation")
    expect(panel).not_to_contain_text("Una Related")
    assert_no_axe_violations(priya, "a request's page with who could help")
    look(priya, "01-who-could-help.png")
    priya.set_viewport_size({"width": 1280, "height": 900})
    panel.get_by_role("button", name="Ask Sam Okoye to help").click()
    expect(priya.get_by_text("Sam Okoye is asked")).to_be_visible()
    expect(priya.get_by_test_id("who-can-help")).to_contain_text("Asked")

    # The helper follows the e-mail's link: signs in first, then answers.
    sam = new_page()
    sam.goto(invitation_link(helper.email))
    expect(sam).to_have_url(re.compile(r"/accounts/login/"))
    sam.get_by_label(re.compile("e-mail", re.I)).first.fill(helper.email)
    sam.get_by_label("Password").fill(PASSWORD)
    sam.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(sam).to_have_url(re.compile(r"/matching/invitations/\d+/$"))
    expect(sam.get_by_role("heading", level=1)).to_contain_text("Priya Shah asks")
    assert_no_axe_violations(sam, "an invitation to help")
    look(sam, "02-invitation.png")
    sam.set_viewport_size({"width": 1280, "height": 900})
    sam.get_by_label("A message for them").fill("Happy to, Tuesday works.")
    sam.get_by_role("button", name="Yes, I can help").click()
    expect(sam).to_have_url(re.compile(r"/exchanges/\d+/$"))

    # The exchange proceeds: the poster accepts the proposal.
    exchange = Exchange.objects.get(listing=request)
    assert (exchange.provider_id, exchange.receiver_id) == (helper.pk, poster.pk)
    assert HelpInvitation.objects.get().status == "accepted"
    priya.goto(f"/exchanges/{exchange.pk}/")
    priya.get_by_role("button", name="Accept").click()
    expect(priya.get_by_test_id("status")).to_have_text("Accepted")
    exchange.refresh_from_db()
    assert exchange.status == Status.ACCEPTED
