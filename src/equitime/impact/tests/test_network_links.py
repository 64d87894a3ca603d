"""The links rebuild against the ledger: the minutes per month and pair of
organisations equal those computed independently from the posted transfers
(payments of holds, less any reversed), on SQLite and on PostgreSQL alike."""

from collections import Counter, defaultdict
from datetime import UTC, date

import pytest
from django.utils import timezone

from equitime.exchanges.models import Status
from equitime.impact.filters import Scope
from equitime.impact.links import links_rebuild
from equitime.impact.models import OrganisationLinkMonth
from equitime.impact.network import network_view
from equitime.impact.tests.network_factories import exchanged, month, organisation, staff
from equitime.ledger.models import Transfer
from equitime.members.models import Profile

pytestmark = pytest.mark.django_db


def rows() -> set[tuple]:
    return set(
        OrganisationLinkMonth.objects.values_list(
            "month", "organisation_a", "organisation_b", "minutes", "exchanges", "members"
        )
    )


def minutes_from_the_ledger() -> dict[tuple[date, int, int], int]:
    """Minutes per (month, lower organisation, higher organisation), read from
    the ledger alone: posted transfers that resolve a hold (an exchange's
    payment), not reversed, the receiver's account paying the provider's."""
    organisation_of = dict(
        Profile.objects.filter(organisation__isnull=False).values_list(
            "member_id", "organisation_id"
        )
    )
    reversed_ids = set(
        Transfer.objects.filter(reverses__isnull=False).values_list("reverses_id", flat=True)
    )
    found: dict[tuple[date, int, int], int] = defaultdict(int)
    payments = Transfer.objects.filter(
        state=Transfer.State.POSTED, pending__isnull=False, kind=Transfer.Kind.EXCHANGE
    ).values_list("id", "debit_account__member", "credit_account__member", "amount", "created_at")
    for pk, payer, earner, amount, created_at in payments:
        if pk in reversed_ids:
            continue
        a, b = organisation_of.get(payer), organisation_of.get(earner)
        if a is None or b is None:
            continue
        low, high = sorted((a, b))
        found[(created_at.astimezone(UTC).date().replace(day=1), low, high)] += amount
    return dict(found)


@pytest.fixture
def community():
    trust, council, charity = (
        organisation("Northshire Trust"),
        organisation("Calder Council"),
        organisation("Carers Together"),
    )
    return {
        "trust": trust,
        "council": council,
        "charity": charity,
        "nurses": staff(trust, 3, "Nurse"),
        "officers": staff(council, 3, "Officer"),
        "carers": staff(charity, 2, "Carer"),
        "nobody": staff(None, 1, "Unaffiliated"),
    }


def test_the_rebuild_equals_the_minutes_read_from_the_ledger(community):
    nurses, officers, carers = community["nurses"], community["officers"], community["carers"]
    exchanged(nurses[0], officers[0], 60, at=month(2026, 3))
    exchanged(officers[1], nurses[1], 90, at=month(2026, 3, 28))
    exchanged(nurses[2], officers[2], 45, at=month(2026, 4))
    exchanged(carers[0], nurses[0], 120, at=month(2026, 4))
    exchanged(nurses[0], nurses[1], 30, at=month(2026, 4))  # within the trust
    exchanged(nurses[1], community["nobody"][0], 60, at=month(2026, 4))  # no organisation
    # Never counted: reversed, voided, cancelled, still open.
    exchanged(nurses[0], officers[0], 75, at=month(2026, 5), status=Status.REVERSED)
    exchanged(nurses[0], officers[1], 60, at=month(2026, 5), status=Status.VOIDED)
    exchanged(nurses[0], carers[1], 60, at=month(2026, 5), status=Status.CANCELLED)
    exchanged(officers[0], carers[1], 60, at=month(2026, 5), status=Status.DELIVERED)

    result = links_rebuild(now=timezone.now())

    written = {(m, a, b): minutes for m, a, b, minutes, _exchanges, _members in rows()}
    assert written == minutes_from_the_ledger()
    trust, council, charity = community["trust"], community["council"], community["charity"]
    low, high = sorted((trust.pk, council.pk))
    march, april = date(2026, 3, 1), date(2026, 4, 1)
    assert written[(march, low, high)] == 150
    assert written[(april, low, high)] == 45
    assert written[(april, trust.pk, trust.pk)] == 30  # the trust's own hours
    assert (march, low, high, 150, 2, 4) in rows()  # 2 exchanges, 4 distinct members
    assert result.exchanges == 6  # the completed ones read (the unaffiliated one included)
    assert result.rows == len(written) == 4
    low, high = sorted((trust.pk, charity.pk))
    assert written[(april, low, high)] == 120


def test_running_it_twice_leaves_the_same_rows(community):
    exchanged(community["nurses"][0], community["officers"][0], 60, at=month(2026, 6))
    links_rebuild(now=timezone.now())
    first = rows()
    links_rebuild(now=timezone.now())
    assert rows() == first
    assert len(first) == 1


def test_an_exchange_paid_after_now_waits_for_the_next_rebuild(community):
    exchanged(community["nurses"][0], community["officers"][0], 60, at=month(2026, 6))
    links_rebuild(now=month(2026, 6, 1))
    assert rows() == set()


def test_a_link_counts_in_its_members_current_organisations(community):
    nurse, officer = community["nurses"][0], community["officers"][0]
    exchanged(nurse, officer, 60, at=month(2026, 7))
    # The officer moves to the charity: the link is the trust's with the charity now.
    Profile.objects.filter(member=officer).update(organisation=community["charity"])
    links_rebuild(now=timezone.now())
    (row,) = rows()
    assert set(row[1:3]) == {community["trust"].pk, community["charity"].pk}


def test_four_members_withhold_a_links_hours_and_five_show_them(community):
    nurses, officers = community["nurses"], community["officers"]
    # March: 2 nurses and 2 officers (4 members). April: the same 4 again.
    exchanged(nurses[0], officers[0], 60, at=month(2026, 3))
    exchanged(nurses[1], officers[1], 60, at=month(2026, 3))
    exchanged(officers[0], nurses[1], 60, at=month(2026, 4))
    exchanged(officers[1], nurses[0], 60, at=month(2026, 4))
    links_rebuild(now=timezone.now())

    spring = network_view(Scope(date(2026, 3, 1), date(2026, 4, 1)))
    (row,) = spring.links
    assert row.link.members == 4
    assert row.link.withheld and row.link.shown_minutes is None
    assert row.hours_text == "withheld (fewer than 5 members)"
    assert spring.network.nodes[community["trust"].pk].minutes_across == 0
    assert spring.network.nodes[community["trust"].pk].withheld_links == 1

    # A fifth member in May: a period that takes May in shows the hours of all three months.
    exchanged(nurses[2], officers[2], 60, at=month(2026, 5))
    exchanged(nurses[2], officers[0], 60, at=month(2026, 5))
    exchanged(nurses[0], officers[1], 60, at=month(2026, 5))
    links_rebuild(now=timezone.now())
    assert Counter(r[5] for r in rows()) == Counter({4: 2, 5: 1})
    (row,) = network_view(Scope(date(2026, 3, 1), date(2026, 5, 1))).links
    assert not row.link.withheld
    assert row.link.shown_minutes == 7 * 60
    assert row.hours_text == "7 hours"
    # Spring alone is still about 4 members a month: still withheld.
    (row,) = network_view(Scope(date(2026, 3, 1), date(2026, 4, 1))).links
    assert row.link.withheld


def test_the_network_reads_the_new_rows_after_a_rebuild(community):
    """The cached network is keyed by the table's last id: a rebuild's new rows
    are read at once."""
    scope = Scope(date(2026, 1, 1), date(2026, 12, 1))
    links_rebuild(now=timezone.now())
    assert network_view(scope).links == []
    exchanged(community["nurses"][0], community["officers"][0], 60, at=month(2026, 8))
    assert network_view(scope).links == []  # not rebuilt yet
    links_rebuild(now=timezone.now())
    assert len(network_view(scope).links) == 1
