"""The exchanges' part of ``verify_ledger``: each exchange's status agrees
with its transfers.

    proposed, declined                 no hold (also a CHECK)
    accepted, delivered, disputed      a hold, not yet resolved
    cancelled                          no hold, or a voided one
    voided (dispute, no credits)       a voided hold
    completed                          exactly one posted transfer, the hold's
                                       resolution, not reversed, of the minutes
                                       logged (confirmed by the receiver), at
                                       most the hold (automatic) or decided
                                       (a moderator settled a dispute)
    reversed                           that payment, and its reversal
"""

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Least

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
    unpaid = Exchange.objects.exclude(status__in=[Status.COMPLETED, Status.REVERSED]).filter(
        payment__isnull=False
    )
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


def check_status_agrees_with_transfers() -> CheckResult:
    """What each exchange's status says about credits, the transfers say too."""
    result = CheckResult("Every exchange's status agrees with its transfers")

    def report(queryset: QuerySet[Exchange], problem: str) -> None:
        for pk, status in queryset.order_by("pk").values_list("pk", "status"):
            result.problems.append(f"exchange {pk} is {status} but {problem}")

    completed = Exchange.objects.filter(status=Status.COMPLETED)
    by_receiver = completed.filter(completed_by=F("receiver"))
    report(
        by_receiver.exclude(payment__amount=F("logged_minutes")),
        "the receiver confirmed a different amount from the one posted",
    )
    automatic = completed.filter(completed_by__isnull=True, resolved_by__isnull=True)
    report(
        automatic.exclude(payment__amount=Least("logged_minutes", "hold__amount")),
        "its automatic confirmation posted other than the time logged, up to the hold",
    )
    report(
        completed.exclude(completed_by=F("receiver"))
        .filter(completed_by__isnull=False)
        .exclude(resolved_by=F("completed_by")),
        "it was completed by someone who neither received the time nor settled a dispute",
    )

    reversed_ = Exchange.objects.filter(status=Status.REVERSED)
    report(
        reversed_.filter(
            Q(payment__isnull=True)
            | Q(payment__reversal__isnull=True)
            | ~Q(payment__pending=F("hold"))
        ),
        "no reversal of its payment exists",
    )
    report(
        Exchange.objects.filter(
            status__in=[Status.CANCELLED, Status.VOIDED], hold__isnull=False
        ).exclude(hold__resolution__state=Transfer.State.VOIDED),
        "its hold was not voided",
    )
    report(
        Exchange.objects.filter(status=Status.VOIDED, hold__isnull=True),
        "it has no voided hold",
    )
    report(
        Exchange.objects.filter(
            status__in=[Status.ACCEPTED, Status.DELIVERED, Status.DISPUTED], hold__isnull=True
        ),
        "it has no hold",
    )
    report(
        Exchange.objects.exclude(status=Status.REVERSED).filter(payment__reversal__isnull=False),
        "its payment was reversed outside the exchange",
    )
    return result
