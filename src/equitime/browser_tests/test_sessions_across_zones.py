"""Two colleagues, two countries, one session: each reads it on their own clock.

Priya (London) gives an hour to Rob (Toronto). Priya proposes a time in her
browser, typed on her clock; Rob, in his own browser, reads it on his and
chooses it; both see their own time and the other's; then Rob moves it once,
saying why, and both see the new time. The exchange page is checked by axe
and photographed at desktop and phone widths. Each of them received a
calendar invitation when the time was chosen and another when it moved: the
same UID, a higher SEQUENCE, the new start.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import formats, timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from equitime.browser_tests.support import artefact, assert_no_axe_violations
from equitime.core.zones import zone_label
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.tests.factories import listing
from equitime.scheduling.models import Session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONDON, TORONTO = ZoneInfo("Europe/London"), ZoneInfo("America/Toronto")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def shot(page: Page, name: str, width: int) -> None:
    page.screenshot(path=artefact("sessions-across-zones", str(width), name), full_page=True)


def in_zone(member, zone: ZoneInfo):
    member.profile.time_zone = zone.key
    member.profile.save(update_fields=["time_zone"])
    return member


def day(moment: datetime) -> str:
    return formats.date_format(moment, "l j F Y")


def short(moment: datetime) -> str:
    return formats.date_format(moment, "D j M, H:i")


def invitations_to(member) -> list[tuple[str, str, int, datetime]]:
    """(METHOD, UID, SEQUENCE, DTSTART) of every calendar e-mailed to ``member``,
    in the order sent, read from the text/calendar part as a mail client does."""
    found = []
    for message in mail.outbox:
        if message.to != [member.email]:
            continue
        for part in message.message().walk():
            if part.get_content_type() != "text/calendar":
                continue
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            calendar = Calendar.from_ical(payload)
            [event] = calendar.walk("VEVENT")
            found.append(
                (
                    str(calendar["METHOD"]),
                    str(event["UID"]),
                    int(event.decoded("SEQUENCE")),
                    event.decoded("DTSTART"),
                )
            )
    return found


def test_a_session_across_two_zones(make_member, new_context):
    mail.outbox.clear()
    priya = in_zone(make_member(display_name="Priya Shah"), LONDON)
    rob = in_zone(make_member(display_name="Rob Chen"), TORONTO)
    exchange = exchange_at(
        Status.ACCEPTED, listing=listing(priya, title="Survival analysis in R"), receiver=rob
    )
    address = f"/exchanges/{exchange.pk}/"

    # Ten days ahead, 14:00 on Priya's clock: Rob reads it five (or four) hours earlier.
    date = timezone.localdate() + timedelta(days=10)
    start = datetime.combine(date, time(14, 0), tzinfo=LONDON)
    on_robs = start.astimezone(TORONTO)

    priya_page = new_context(as_member=priya, viewport=DESKTOP).new_page()
    priya_page.goto(address)
    panel = priya_page.get_by_test_id("session-panel")
    expect(panel).to_contain_text("No time is set yet")
    panel.get_by_text("Propose times").click()
    priya_page.locator("#id_propose-date1").fill(date.isoformat())
    priya_page.locator("#id_propose-time1").fill("14:00")
    priya_page.locator("#id_propose-place1").fill("Seminar room 2, Education Centre")
    shot(priya_page, "01-priya-proposes.png", 1280)
    priya_page.get_by_role("button", name="Send these times").click()
    expect(priya_page.locator(".messages")).to_contain_text("Your times are sent")
    expect(priya_page.get_by_test_id("open-time")).to_contain_text("waiting for Rob Chen")
    expect(priya_page.get_by_test_id("open-time")).to_contain_text(f"{day(start)}, 14:00")

    rob_page = new_context(as_member=rob, viewport=PHONE).new_page()
    rob_page.goto(address)
    offered = rob_page.get_by_test_id("open-time")
    expect(offered).to_contain_text(f"{day(on_robs)}, {on_robs:%H:%M}")
    expect(offered).to_contain_text(f"Your time, {zone_label(TORONTO, start)}")
    expect(offered).to_contain_text(
        f"{short(start)} in {zone_label(LONDON, start)}, Priya Shah's time"
    )
    assert_no_axe_violations(rob_page, "the exchange page with a time to choose")
    shot(rob_page, "02-rob-sees-his-time.png", 390)
    offered.get_by_role("button", name="Choose this time").click()
    expect(rob_page.locator(".messages")).to_contain_text("The session is set for")

    mine = rob_page.get_by_test_id("session-my-time")
    expect(mine).to_have_text(
        f"{day(on_robs)}, {on_robs:%H:%M}\u2013{on_robs + timedelta(hours=1):%H:%M}"
    )
    expect(rob_page.get_by_test_id("session-other-time")).to_contain_text(
        f"{short(start)} in {zone_label(LONDON, start)}, Priya Shah's time"
    )
    shot(rob_page, "03-rob-chose.png", 390)

    priya_page.reload()
    expect(priya_page.get_by_test_id("session-my-time")).to_have_text(
        f"{day(start)}, 14:00\u201315:00"
    )
    expect(priya_page.get_by_test_id("session-other-time")).to_contain_text(
        f"{short(on_robs)} in {zone_label(TORONTO, start)}, Rob Chen's time"
    )
    assert_no_axe_violations(priya_page, "the exchange page with a session scheduled")
    shot(priya_page, "04-priya-sees-hers.png", 1280)

    # Rob moves it to 10:30 on his clock the next day, saying why.
    moved_date = date + timedelta(days=1)
    moved = datetime.combine(moved_date, time(10, 30), tzinfo=TORONTO)
    rob_page.get_by_test_id("move-session").get_by_text("Move the session").first.click()
    rob_page.locator("#id_move-date").fill(moved_date.isoformat())
    rob_page.locator("#id_move-time").fill("10:30")
    rob_page.locator("#id_move-place").fill("")
    rob_page.locator("#id_move-video_url").fill("https://meet.example/priya-rob")
    rob_page.locator("#id_move-reason").fill("My night shift moved")
    shot(rob_page, "05-rob-moves.png", 390)
    rob_page.get_by_test_id("move-session").locator("button[type=submit]").click()
    expect(rob_page.locator(".messages")).to_contain_text("The session is moved")
    expect(rob_page.get_by_test_id("session-my-time")).to_contain_text(f"{day(moved)}, 10:30")
    expect(rob_page.get_by_test_id("session-video")).to_have_text("https://meet.example/priya-rob")
    expect(rob_page.get_by_test_id("session-timeline")).to_contain_text("My night shift moved")
    shot(rob_page, "06-rob-moved.png", 390)

    on_priyas = moved.astimezone(LONDON)
    priya_page.reload()
    expect(priya_page.get_by_test_id("session-my-time")).to_contain_text(
        f"{day(on_priyas)}, {on_priyas:%H:%M}"
    )
    expect(priya_page.get_by_test_id("session-other-time")).to_contain_text(
        f"{short(moved)} in {zone_label(TORONTO, moved)}, Rob Chen's time"
    )
    expect(priya_page.get_by_test_id("session-timeline")).to_contain_text("“My night shift moved”")
    assert_no_axe_violations(priya_page, "the exchange page after a move")
    shot(priya_page, "07-priya-sees-the-move.png", 1280)
    priya_page.set_viewport_size(PHONE)
    shot(priya_page, "08-priya-on-her-phone.png", 390)
    rob_page.set_viewport_size(DESKTOP)
    shot(rob_page, "09-rob-on-his-desktop.png", 1280)

    session = Session.objects.get(exchange=exchange)
    assert (session.status, session.sequence) == (Session.Status.SCHEDULED, 1)
    assert session.starts_at == moved

    # Both calendars were told twice: scheduled, then moved. One event throughout.
    uids = set()
    for member in (priya, rob):
        sent = invitations_to(member)
        assert [(method, sequence, begins) for method, _uid, sequence, begins in sent] == [
            ("REQUEST", 0, start),
            ("REQUEST", 1, moved),
        ], member.display_name
        uids |= {uid for _method, uid, _sequence, _begins in sent}
    [uid] = uids
    assert uid.startswith(f"{session.uid}@")
