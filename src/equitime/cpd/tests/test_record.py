"""The record: what counts, from where, in which period, and who is named how."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from equitime.cpd.forms import Period, PeriodForm
from equitime.cpd.selectors import ATTENDED, GIVEN, RECEIVED, cpd_record
from equitime.cpd.tests.conftest import NOW
from equitime.exchanges.models import Exchange
from equitime.exchanges.tests.factories import exchange_at
from equitime.members import roles
from equitime.members.models import Member
from equitime.members.services import member_role_grant
from equitime.moderation.services import member_suspend
from equitime.privacy.services import member_erase

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def find(record, thing):
    kind = "exchange" if isinstance(thing, Exchange) else "group_session"
    return next(a for a in record.activities if a.kind == kind and a.object_id == thing.pk)


def whole(zone=LONDON) -> Period:
    return Period(start=date(2026, 1, 1), end=date(2026, 3, 31), zone=zone)


def test_the_record_holds_completed_exchanges_and_group_sessions_only(history):
    record = cpd_record(member=history.me, period=whole())

    seen = {(a.kind, a.object_id, a.role) for a in record.activities}
    assert seen == {
        ("exchange", history.given.pk, GIVEN),
        ("exchange", history.received.pk, RECEIVED),
        ("group_session", history.group_given.pk, GIVEN),
        ("group_session", history.group_attended.pk, ATTENDED),
    }
    # Reversed, cancelled, voided, and other members' exchanges never count.
    ids = {a.object_id for a in record.activities if a.kind == "exchange"}
    for left_out in (history.reversed, history.cancelled, history.voided, history.others):
        assert left_out.pk not in ids
    assert record.given_minutes == 90 + 60
    assert record.received_minutes == 60
    assert record.attended_minutes == 45
    assert (record.member_name, record.profession, record.organisation) == (
        "Siobhán Ní Bhriain",
        "Nurse",
        "St Elsewhere NHS Trust",
    )


def test_minutes_are_the_ledgers_posted_payment(history):
    # The payment is what the ledger moved, not the proposal.
    Exchange.objects.filter(pk=history.given.pk).update(proposed_minutes=15, logged_minutes=15)
    record = cpd_record(member=history.me, period=whole())

    given = find(record, history.given)
    assert given.minutes == history.given.payment.amount == 90


def test_each_exchange_says_who_what_and_the_thanks_received_and_own_reflection(history):
    record = cpd_record(member=history.me, period=whole())
    given = find(record, history.given)

    assert given.title == "Coaching new ward leads"
    assert given.skills == ("Leadership coaching", "Mentoring")
    assert given.area == "Patient safety"
    assert (given.colleague.name, given.colleague.profession, given.colleague.organisation) == (
        "Chloé Martin",
        "Social worker",
        "Brightwater Council",
    )
    # Only the thanks the member received, never the thanks they gave.
    assert [t.message for t in given.thanks] == ["Siobhán made handover make sense."]
    assert given.reflection.learned == "Ask what a handover is for before how to run it."
    assert given.reflection.standards == "NMC Code: Practise effectively"
    # The other party's reflection is theirs alone.
    received = find(record, history.received)
    assert received.reflection is None
    assert received.area == "Staff wellbeing"


def test_a_group_session_given_counts_what_the_ledger_paid_and_who_came(history):
    record = cpd_record(member=history.me, period=whole())
    group = find(record, history.group_given)

    assert group.minutes == history.group_given.pool_payment.amount == 60
    assert group.attendees == 1
    attended = find(record, history.group_attended)
    assert attended.colleague.name == "Chloé Martin"


def test_by_skill_and_by_area_add_up_by_role(history):
    record = cpd_record(member=history.me, period=whole())

    by_skill = {row.name: (row.given, row.received, row.attended) for row in record.by_skill}
    assert by_skill["Leadership coaching"] == (90, 0, 0)
    assert by_skill["Mentoring"] == (90, 0, 0)
    by_area = {row.name: (row.given, row.received, row.attended) for row in record.by_area}
    assert by_area["Patient safety"] == (90 + 60, 0, 45)
    assert by_area["Staff wellbeing"] == (0, 60, 0)


def test_a_suspended_colleague_is_a_name_alone_and_an_erased_one_a_former_member(history):
    moderator = member_role_grant(member=history.dev, role=roles.MODERATOR, by=None)
    member_suspend(
        member=history.chloe, by=Member.objects.get(pk=moderator.pk), reason="Asked for money."
    )
    record = cpd_record(member=history.me, period=whole())
    given = find(record, history.given)
    assert (given.colleague.name, given.colleague.profession, given.colleague.organisation) == (
        "Chloé Martin",
        "",
        "",
    )

    member_erase(member=history.chloe)
    record = cpd_record(member=history.me, period=whole())
    given = find(record, history.given)
    assert (given.colleague.name, given.colleague.profession) == ("Former member", "")
    # Their thanks were erased with them; the member's own reflection stays.
    assert all("handover make sense" not in t.message for t in given.thanks)
    assert given.reflection is not None


def test_the_period_is_whole_days_on_the_members_clock(history):
    completed = history.given.completed_at  # 10:00 UTC on 3 March
    day = completed.date()
    # In Kolkata (UTC+5:30) it is 15:30 on 3 March; in Honolulu (UTC-10) midnight on 3 March.
    kolkata = Period(day, day, ZoneInfo("Asia/Kolkata"))
    assert find(cpd_record(member=history.me, period=kolkata), history.given)
    before = Period(day - timedelta(days=1), day - timedelta(days=1), ZoneInfo("Pacific/Honolulu"))
    assert not [
        a for a in cpd_record(member=history.me, period=before).activities if a.kind == "exchange"
    ]
    later = Period(day + timedelta(days=1), day + timedelta(days=30), LONDON)
    assert cpd_record(member=history.me, period=later).activities == []


def test_the_record_takes_the_same_few_queries_however_long(history, make_listing):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            cpd_record(member=history.me, period=whole())
        return len(queries)

    count()  # the member's own profile, read once
    first = count()

    for _ in range(3):
        exchange_at("completed", listing=history.given.listing, receiver=history.dev, minutes=15)
    assert count() == first <= 12


# --- The period form -------------------------------------------------------------------


def form(data, zone=LONDON):
    bound = PeriodForm(data, zone=zone)
    bound.is_valid()
    return bound


def test_without_dates_the_period_is_the_last_twelve_months(clock):
    period = form({}).period()
    assert period.end == NOW.date()
    assert period.start == NOW.date() - timedelta(days=364)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start": "2026-03-02", "end": "2026-03-01"}, "start"),
        ({"start": "yesterday"}, "start"),
        ({"end": "2026-02-30"}, "end"),
        ({"start": "1999-12-31", "end": "2026-01-01"}, "start"),
        ({"end": "2026-03-04"}, "end"),
    ],
    ids=["reversed", "not-a-date", "no-such-day", "too-early", "future"],
)
def test_a_bad_or_reversed_period_is_a_form_error(clock, data, field):
    assert field in form(data).errors


def test_the_period_counts_to_the_end_of_its_last_day():
    period = Period(date(2026, 3, 1), date(2026, 3, 31), LONDON)
    assert period.since.isoformat() == "2026-03-01T00:00:00+00:00"
    # British summer time began on 29 March: midnight is 23:00 UTC.
    assert period.until.isoformat() == "2026-03-31T23:00:00+00:00"
