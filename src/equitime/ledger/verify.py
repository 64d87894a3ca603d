"""Ledger invariants, checked against the database as it is.

``verify_ledger()`` runs every check and returns a report; the
``equitime verify_ledger`` command prints it, and the tests assert on it.
Each check reads with aggregate queries, so it costs the same few queries
whatever the number of transfers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum

from equitime.ledger.models import Account, Transfer


@dataclass
class CheckResult:
    name: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class LedgerReport:
    checks: list[CheckResult]
    accounts: int
    transfers: int

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def problems(self) -> list[str]:
        return [f"{c.name}: {p}" for c in self.checks for p in c.problems]


def check_balances_sum_to_zero() -> CheckResult:
    result = CheckResult("All balances sum to zero")
    totals = Account.objects.aggregate(
        posted_debits=Sum("posted_debits", default=0),
        posted_credits=Sum("posted_credits", default=0),
        pending_debits=Sum("pending_debits", default=0),
        pending_credits=Sum("pending_credits", default=0),
    )
    if totals["posted_credits"] != totals["posted_debits"]:
        result.problems.append(
            f"posted credits {totals['posted_credits']} min != "
            f"posted debits {totals['posted_debits']} min"
        )
    if totals["pending_credits"] != totals["pending_debits"]:
        result.problems.append(
            f"pending credits {totals['pending_credits']} min != "
            f"pending debits {totals['pending_debits']} min"
        )
    return result


def _sums(queryset: QuerySet[Transfer], column: str) -> dict[int, int]:
    rows = queryset.values(column).annotate(total=Sum("amount")).values_list(column, "total")
    return dict(rows)


def check_totals_match_replay() -> CheckResult:
    """Each account's stored totals equal a replay of its transfers."""
    result = CheckResult("Stored totals equal a replay of the transfers")
    posted = Transfer.objects.filter(state=Transfer.State.POSTED)
    open_holds = Transfer.objects.filter(state=Transfer.State.PENDING, resolution__isnull=True)
    replay = {
        "posted_debits": _sums(posted, "debit_account_id"),
        "posted_credits": _sums(posted, "credit_account_id"),
        "pending_debits": _sums(open_holds, "debit_account_id"),
        "pending_credits": _sums(open_holds, "credit_account_id"),
    }
    for account in Account.objects.order_by("pk"):
        for column, sums in replay.items():
            stored = getattr(account, column)
            expected = sums.get(account.pk, 0)
            if stored != expected:
                result.problems.append(
                    f"account {account.pk} ({account.name}): {column} stored {stored} min, "
                    f"replay gives {expected} min"
                )
    return result


def check_limits() -> CheckResult:
    result = CheckResult("No account is below its floor or above its ceiling")
    available = F("posted_credits") - F("posted_debits") - F("pending_debits")
    incoming = F("posted_credits") - F("posted_debits") + F("pending_credits")
    below = Account.objects.filter(floor__isnull=False).alias(a=available).filter(a__lt=F("floor"))
    above = (
        Account.objects.filter(ceiling__isnull=False).alias(i=incoming).filter(i__gt=F("ceiling"))
    )
    for account in below:
        result.problems.append(
            f"account {account.pk} ({account.name}) has {account.available} min available, "
            f"below its floor of {account.floor} min"
        )
    for over in above:
        result.problems.append(
            f"account {over.pk} ({over.name}) is above its ceiling of {over.ceiling} min"
        )
    return result


def check_keys_unique() -> CheckResult:
    result = CheckResult("Idempotency keys are unique")
    duplicates = (
        Transfer.objects.values("key").annotate(n=Count("id")).filter(n__gt=1).order_by("key")
    )
    for row in duplicates:
        result.problems.append(f"key {row['key']!r} is used by {row['n']} transfers")
    return result


def check_links() -> CheckResult:
    """Resolutions match their holds and reversals mirror what they reverse."""
    result = CheckResult("Holds and reversals match what they refer to")
    bad_resolutions = Transfer.objects.filter(pending__isnull=False).filter(
        ~Q(pending__state=Transfer.State.PENDING)
        | ~Q(debit_account=F("pending__debit_account"))
        | ~Q(credit_account=F("pending__credit_account"))
        | Q(state=Transfer.State.VOIDED) & ~Q(amount=F("pending__amount"))
    )
    for transfer in bad_resolutions:
        result.problems.append(f"transfer {transfer.pk} does not match hold {transfer.pending_id}")
    bad_reversals = Transfer.objects.filter(reverses__isnull=False).filter(
        ~Q(reverses__state=Transfer.State.POSTED)
        | ~Q(debit_account=F("reverses__credit_account"))
        | ~Q(credit_account=F("reverses__debit_account"))
        | ~Q(amount=F("reverses__amount"))
    )
    for transfer in bad_reversals:
        result.problems.append(
            f"reversal {transfer.pk} does not mirror transfer {transfer.reverses_id}"
        )
    return result


# Later apps add their own invariants here (e.g. exchanges: one posted
# transfer per completed exchange) by appending to this list in ready().
CHECKS: list[Callable[[], CheckResult]] = [
    check_balances_sum_to_zero,
    check_totals_match_replay,
    check_limits,
    check_keys_unique,
    check_links,
]


def verify_ledger() -> LedgerReport:
    return LedgerReport(
        checks=[check() for check in CHECKS],
        accounts=Account.objects.count(),
        transfers=Transfer.objects.count(),
    )
