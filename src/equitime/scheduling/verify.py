"""The group sessions' part of ``verify_ledger``: each session's transfers are
what its credit policy says, to the minute.

    scheduled, shared  every booked seat holds exactly its share, unresolved;
                       waiting seats hold nothing
    scheduled, free    no seat holds anything
    held, free         one pool payment of the session's minutes if anyone
                       attended, else none; no seat pays
    held, shared       attended seats' posted shares + the pool's payment
                       == the session's minutes if anyone attended, else
                       nothing posted at all
    always             a seat's payment is the posted resolution of its own
                       hold; the hold of a seat that left, of a no-show and
                       of every seat of a cancelled session is voided; only
                       a held session has a pool payment

Each check is a fixed number of queries, whatever the number of sessions.
"""

from django.db.models import Count, F, Q, Sum

from equitime.ledger.models import POOL_CODE, Transfer
from equitime.ledger.verify import CheckResult
from equitime.scheduling.models import CreditPolicy, Seat, Session

GROUP = Session.Kind.GROUP


def check_group_sessions_paid_as_their_policy_says() -> CheckResult:
    """A held group session paid its organiser its minutes once, as its policy says."""
    result = CheckResult("Every held group session paid its organiser as its policy says")
    held = (
        Session.objects.filter(kind=GROUP, status=Session.Status.HELD)
        .annotate(
            attended=Count("seats", filter=Q(seats__status=Seat.Status.ATTENDED)),
            shares=Sum("seats__payment__amount", default=0),
        )
        .values_list(
            "pk",
            "credit_policy",
            "minutes",
            "attended",
            "shares",
            "pool_payment__amount",
            "pool_payment__kind",
            "pool_payment__state",
            "pool_payment__debit_account__code",
            "pool_payment__credit_account__member_id",
            "organiser_id",
        )
        .order_by("pk")
    )
    for pk, policy, minutes, attended, shares, pool, kind, state, payer, payee, organiser in held:
        name = f"group session {pk} ({policy})"
        if pool is not None and (
            kind != Transfer.Kind.GROUP_SESSION
            or state != Transfer.State.POSTED
            or payer != POOL_CODE
            or payee != organiser
        ):
            result.problems.append(f"{name}: its pool payment is not pool -> organiser, posted")
        if not attended:
            if pool is not None or shares:
                result.problems.append(f"{name}: nobody attended but someone was paid")
            continue
        if policy == CreditPolicy.FREE and (shares or pool != minutes):
            result.problems.append(
                f"{name}: the pool paid {pool or 0} min and places {shares} min, "
                f"not {minutes} min from the pool"
            )
        if policy == CreditPolicy.SHARED and shares + (pool or 0) != minutes:
            result.problems.append(
                f"{name}: places paid {shares} min and the pool {pool or 0} min, "
                f"not {minutes} min in all"
            )
    unheld = Session.objects.filter(kind=GROUP, pool_payment__isnull=False).exclude(
        status=Session.Status.HELD
    )
    for pk, status in unheld.order_by("pk").values_list("pk", "status"):
        result.problems.append(f"group session {pk} is {status} but the pool paid for it")
    return result


def check_group_seats_agree_with_their_holds() -> CheckResult:
    """Each seat holds, pays or released what its status says."""
    result = CheckResult("Every group session seat's hold agrees with its status")

    def report(seats, problem: str) -> None:
        for pk, session_id in seats.order_by("pk").values_list("pk", "session_id"):
            result.problems.append(f"seat {pk} in group session {session_id}: {problem}")

    report(
        Seat.objects.filter(payment__isnull=False).filter(
            ~Q(payment__pending=F("hold")) | ~Q(payment__state=Transfer.State.POSTED)
        ),
        "its payment is not the posted resolution of its hold",
    )
    report(
        Seat.objects.filter(status=Seat.Status.ATTENDED, hold__isnull=False, payment__isnull=True),
        "it attended but its share was not posted",
    )
    report(
        Seat.objects.filter(hold__isnull=False)
        .filter(
            Q(status__in=[Seat.Status.LEFT, Seat.Status.ABSENT])
            | Q(session__status=Session.Status.CANCELLED)
        )
        .exclude(hold__resolution__state=Transfer.State.VOIDED),
        "its hold was not released",
    )
    report(
        Seat.objects.filter(status=Seat.Status.WAITING, hold__isnull=False),
        "it is on the waiting list but holds credits",
    )
    report(
        Seat.objects.filter(session__credit_policy=CreditPolicy.FREE, hold__isnull=False),
        "the session is free but the seat holds credits",
    )
    booked = Seat.objects.filter(
        status=Seat.Status.BOOKED,
        session__status=Session.Status.SCHEDULED,
        session__credit_policy=CreditPolicy.SHARED,
    ).values_list(
        "pk",
        "session_id",
        "session__minutes",
        "session__capacity",
        "hold__amount",
        "hold__state",
        "hold__resolution",
    )
    for pk, session_id, minutes, capacity, amount, state, resolution in booked.order_by("pk"):
        share = (minutes or 0) // (capacity or 1)
        held = amount if state == Transfer.State.PENDING and resolution is None else 0
        if (held or 0) != share or (share and amount is None):
            result.problems.append(
                f"seat {pk} in group session {session_id}: it holds {held or 0} min "
                f"for a place that costs {share} min"
            )
    return result
