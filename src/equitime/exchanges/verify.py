"""The exchanges' part of ``verify_ledger``."""

from django.db.models import F, Q

from equitime.exchanges.models import Exchange, Status
from equitime.ledger.models import Transfer
from equitime.ledger.verify import CheckResult


def check_completed_exchanges_paid_once() -> CheckResult:
    """Every completed exchange has exactly one posted transfer: the resolution
    of its own hold, for the minutes logged or decided; no other has one."""
    result = CheckResult("Every completed exchange has exactly one posted transfer")
    completed = Exchange.objects.filter(status=Status.COMPLETED)
    bad = completed.filter(
        Q(payment__isnull=True)
        | Q(hold__isnull=True)
        | ~Q(payment__state=Transfer.State.POSTED)
        | ~Q(payment__pending=F("hold"))
    )
    for exchange in bad:
        result.problems.append(f"completed exchange {exchange.pk} has no matching posted transfer")
    unpaid = Exchange.objects.exclude(status=Status.COMPLETED).filter(payment__isnull=False)
    for exchange in unpaid:
        result.problems.append(f"exchange {exchange.pk} is {exchange.status} but has a payment")
    open_holds = Exchange.objects.filter(
        status__in=[Status.ACCEPTED, Status.DELIVERED, Status.DISPUTED],
        hold__resolution__isnull=False,
    )
    for exchange in open_holds:
        result.problems.append(
            f"exchange {exchange.pk} is {exchange.status} but its hold is resolved"
        )
    return result
