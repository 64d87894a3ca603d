"""The monthly figures equal what the ledger says, counted here independently
from the posted payment transfers; and suppression over a period hides
every figure about fewer than 5 members, with a second cell where one alone
would be worked out."""

from collections import Counter, defaultdict
from datetime import UTC
from typing import Any

import pytest
from django.utils import timezone

from equitime.impact.aggregates import CROSSED, UNKNOWN, WITHIN, aggregates_rebuild
from equitime.impact.filters import Scope, month_add
from equitime.impact.models import Dimension, FiguresRun, HoursMonth
from equitime.impact.selectors import Cell, impact_figures, secondary_suppression
from equitime.impact.tasks import impact_figures as job
from equitime.impact.tests.community import build
from equitime.jobs.schedule import SCHEDULE
from equitime.ledger.models import Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    c = build()
    aggregates_rebuild(now=timezone.now())
    return c


def ledger_payments() -> list[Any]:
    """Every posted exchange payment whose exchange stands completed, straight
    from the ledger: (month, minutes, area, provider, receiver, provider's
    organisation, receiver's organisation)."""
    rows = Transfer.objects.filter(
        state=Transfer.State.POSTED,
        kind=Transfer.Kind.EXCHANGE,
        exchange_paid__status="completed",
    ).values_list(
        "exchange_paid__completed_at",
        "amount",
        "exchange_paid__improvement_area_id",
        "exchange_paid__provider_id",
        "exchange_paid__receiver_id",
        "exchange_paid__provider__profile__organisation_id",
        "exchange_paid__receiver__profile__organisation_id",
    )
    return [(when.astimezone(UTC).date().replace(day=1), *rest) for when, *rest in rows if when]


def stored(organisation_id=None, dimension=Dimension.TOTAL):
    rows = HoursMonth.objects.filter(organisation_id=organisation_id, dimension=dimension)
    return {(r.month, r.key): (r.minutes, r.exchanges, r.members) for r in rows}


def test_totals_by_month_equal_the_ledger(community):
    payments = ledger_payments()
    assert len(payments) == 13  # the reversed and the cancelled exchange are not there
    minutes_by: Counter = Counter()
    count_by: Counter = Counter()
    members_by: dict = defaultdict(set)
    for month, minutes, _area, provider, receiver, *_orgs in payments:
        minutes_by[(month, "")] += minutes
        count_by[(month, "")] += 1
        members_by[(month, "")].update((provider, receiver))
    assert stored() == {k: (minutes_by[k], count_by[k], len(members_by[k])) for k in minutes_by}
    assert sum(m for m, _n, _s in stored().values()) == sum(p[1] for p in payments) == 750


def test_areas_and_organisations_equal_the_ledger(community):
    payments = ledger_payments()
    by_area: Counter = Counter()
    for month, minutes, area, *_rest in payments:
        by_area[(month, str(area))] += minutes
    assert {k: v[0] for k, v in stored(dimension=Dimension.AREA).items()} == dict(by_area)

    for organisation in (community.trust, community.council, community.charity):
        mine = [p for p in payments if organisation.pk in (p[5], p[6])]
        by_month: Counter = Counter()
        pairs: Counter = Counter()
        for month, minutes, _area, _pv, _rc, giver, taker in mine:
            by_month[month] += minutes
            pairs[(month, CROSSED if giver != taker else WITHIN)] += minutes
        assert {m: v[0] for (m, _k), v in stored(organisation.pk).items()} == dict(by_month)
        assert {
            k: v[0] for k, v in stored(organisation.pk, Dimension.CROSSED_ORGANISATION).items()
        } == dict(pairs)


def test_across_organisations_and_professions(community):
    payments = ledger_payments()
    crossed = sum(p[1] for p in payments if p[5] != p[6])
    rows = stored(dimension=Dimension.CROSSED_ORGANISATION)
    assert sum(v[0] for (m, k), v in rows.items() if k == CROSSED) == crossed
    assert not any(k == UNKNOWN for _m, k in rows)
    # "Nurse" and "nurse " are one profession; a nurse to a nurse is within one.
    professions = stored(dimension=Dimension.PROFESSION_GIVEN)
    assert {k for _m, k in professions} == {"nurse", "doctor", "social worker", "pharmacist"}
    within = stored(dimension=Dimension.CROSSED_PROFESSION)
    this_month = community.this_month.date()
    # a1->a2 (nurse, nurse), a4->a6 (doctors), b1->b6 and c1->c2: within one profession.
    assert within[(this_month, WITHIN)][0] == 45 + 90 + 60 + 30


def test_the_figures_say_when_they_were_made(community):
    run = FiguresRun.objects.get()
    assert run.exchanges == 13
    assert run.rows == HoursMonth.objects.count()


def table(figures, name: str) -> list[Cell]:
    found = figures.table(name)
    assert found is not None
    return found.cells


def period(community) -> Scope:
    last = community.this_month.date()
    return Scope(first=month_add(last, -1), last=last)


def test_an_organisation_of_four_is_withheld_never_zero(community):
    figures = impact_figures(period(community))
    organisations = {c.label: c for c in table(figures, "organisation")}
    charity = organisations["Tiny Charity"]
    assert charity.withheld and charity.minutes is None and charity.members is None
    # The charity alone withheld would be worked out from the others: a second goes too.
    assert sum(c.withheld for c in organisations.values()) >= 2
    kinds = {c.key: c for c in table(figures, "kind_given")}
    assert kinds["charity"].withheld
    assert sum(c.withheld for c in kinds.values()) >= 2
    pharmacists = {c.key: c for c in table(figures, "profession_given")}["pharmacist"]
    assert pharmacists.withheld


def test_the_small_organisations_own_figures_are_about_its_exchanges(community):
    scope = Scope(
        first=period(community).first,
        last=period(community).last,
        organisation_id=community.charity.pk,
    )
    figures = impact_figures(scope)
    # c1->c2, c3->a5, a5->c4: five distinct members among the parties, this month only.
    assert figures.total.minutes == 30 + 60 + 15
    assert figures.total.members == 5
    months = figures.months.cells
    assert months[0].withheld is False and months[0].minutes == 0  # no exchange last month
    assert months[1].minutes == 105


def test_a_period_shows_a_cell_seen_by_five_in_one_month(community):
    figures = impact_figures(period(community))
    # Last month ten members, this month more: the period's bound is the larger.
    assert figures.total.members == max(c.members or 0 for c in figures.months.cells)
    assert figures.total.minutes == 750
    share = figures.across_organisations
    assert share.percent == round((share.crossed.minutes or 0) * 100 / 750)


def test_secondary_suppression():
    def cell(key, minutes, members):
        return Cell(key=key, label=key, minutes=minutes, exchanges=1, members=members)

    small = cell("small", 60, 5).withhold()
    cells = secondary_suppression([cell("a", 600, 9), cell("b", 120, 6), small])
    assert [c.withheld for c in cells] == [False, True, True]
    assert cells[1].secondary
    two = [small, cell("x", 30, 3).withhold(), cell("a", 600, 9)]
    assert secondary_suppression(two) == two
    # A month with no hours is no cover: the smallest month *with* hours goes.
    months = secondary_suppression([cell("empty", 0, 0), small, cell("b", 90, 7)])
    assert [c.withheld for c in months] == [False, True, True]


def test_the_job_is_safe_to_run_twice(community):
    before = Counter(HoursMonth.objects.values_list("month", "organisation_id", "dimension", "key"))
    figures = stored()
    assert any(j.name == "impact_figures" and j.run is job for j in SCHEDULE)
    assert "from 13 exchange(s)" in job(timezone.now())
    assert "from 13 exchange(s)" in job(timezone.now())
    after = Counter(HoursMonth.objects.values_list("month", "organisation_id", "dimension", "key"))
    assert before == after and stored() == figures
    assert FiguresRun.objects.count() == 1
