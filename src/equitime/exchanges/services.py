"""Every change to an exchange, one service per transition.

Each transition locks the exchange row, checks ``TRANSITIONS`` and who is
asking, stamps ``<verb>_at``/``<verb>_by``, moves credits through the ledger
services with keys derived from the exchange (so a replay moves nothing
twice), writes an ``ExchangeEvent`` and notifies the other party; e-mails
leave after commit. ``recorded_by`` (on the moves a party makes) names a
coordinator who makes the move for that party: the caller
(``coordination.services``) has checked the party's consent; here it is only
stamped on the exchange and its event, and told to the other party. Asking
for the state the exchange is already in (a double click, a replayed form)
returns it unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.notices import notify, recorded_variant
from equitime.core.rules import check_no_patient_data, check_shared_text
from equitime.core.units import (
    MAX_EXCHANGE_MINUTES,
    MINUTES_PER_CREDIT,
    MinutesFault,
    credits_figure,
    credits_text,
    hours_text,
    minutes_fault,
    plural_count,
)
from equitime.exchanges.models import (
    TRANSITIONS,
    Exchange,
    ExchangeEvent,
    ExchangeMessage,
    Reflection,
    Status,
    Thanks,
)
from equitime.exchanges.signals import exchange_closed
from equitime.ledger import services as ledger
from equitime.ledger.errors import InsufficientCredit
from equitime.ledger.models import Transfer
from equitime.listings.models import Listing
from equitime.members.models import Member
from equitime.members.rules import member_check_may_trade
from equitime.skills.models import ImprovementArea

OVER_AGREED_MARGIN = 2 * MINUTES_PER_CREDIT
Verb = ExchangeEvent.Verb
# How a refusal names the move that was asked for.
_ACTIONS: dict[str, Promise] = {
    Status.ACCEPTED: gettext_lazy("accepted"),
    Status.DECLINED: gettext_lazy("declined"),
    Status.DELIVERED: gettext_lazy("marked as given"),
    Status.COMPLETED: gettext_lazy("completed"),
    Status.DISPUTED: gettext_lazy("disputed"),
    Status.CANCELLED: gettext_lazy("cancelled"),
    Status.VOIDED: gettext_lazy("closed"),
    Status.REVERSED: gettext_lazy("reversed"),
}


def can_moderate(member: Member | None) -> bool:
    return bool(member and member.is_active and member.has_perm("exchanges.resolve_dispute"))


def _check_minutes(minutes: int) -> None:
    fault = minutes_fault(minutes)
    if fault is MinutesFault.NOT_POSITIVE:
        raise DomainError(
            _("Enter the time in hours, more than zero."),
            code="invalid_minutes",
            kind=ErrorKind.INVALID,
        )
    if fault is MinutesFault.OFF_STEP:
        raise DomainError(
            _("Time is counted in quarter-hours: 0.25, 0.5, 0.75, 1 ..."),
            code="invalid_minutes",
            kind=ErrorKind.INVALID,
        )
    if fault is MinutesFault.TOO_MANY:
        raise DomainError(
            _("One exchange is at most %(hours)s hours; record longer work as several exchanges.")
            % {"hours": credits_figure(MAX_EXCHANGE_MINUTES)},
            code="invalid_minutes",
            kind=ErrorKind.INVALID,
        )


# The ends an exchange can reach before any time is given: announced.
CLOSED_BEFORE_GIVEN = frozenset({Status.DECLINED, Status.CANCELLED, Status.VOIDED})


def _url(exchange: Exchange) -> str:
    return reverse("exchange_detail", args=[exchange.pk])


# --- Proposing ----------------------------------------------------------------


def exchange_propose_from_listing(
    *,
    listing: Listing,
    member: Member,
    minutes: int,
    message: str = "",
    request_key: str | None = None,
    within_means: bool = False,
    now: datetime | None = None,
) -> Exchange:
    """Take up an offer (member receives) or answer a request (member provides).

    With ``within_means``, a receiver who proposes more hours than they have
    available is told at once (see ``_check_within_means``). ``now``: when it
    was proposed, the clock unless given (every move here takes one, so the
    demo can tell its history in the past, as the group sessions' services do)."""
    replayed = _replayed_proposal(request_key, member)
    if replayed is not None:
        return replayed
    member_check_may_trade(member)
    if listing.owner_id == member.pk:
        raise DomainError(
            _("This is your own listing."), code="own_listing", kind=ErrorKind.INVALID
        )
    if listing.status != Listing.Status.OPEN or listing.expires_at <= (now or timezone.now()):
        raise DomainError(
            _("This listing is no longer open."), code="listing_not_open", kind=ErrorKind.CONFLICT
        )
    if listing.kind == Listing.Kind.OFFER:
        provider, receiver = listing.owner, member
    else:
        provider, receiver = member, listing.owner
    return _propose(
        listing=listing,
        provider=provider,
        receiver=receiver,
        proposed_by=member,
        title=listing.title,
        improvement_area=listing.improvement_area,
        benefit=listing.benefit,
        format=listing.format,
        minutes=minutes,
        message=message,
        request_key=request_key,
        within_means=within_means,
        now=now,
    )


def exchange_propose_direct(
    *,
    member: Member,
    other: Member,
    member_gives: bool,
    title: str,
    improvement_area: ImprovementArea,
    benefit: str,
    minutes: int,
    message: str = "",
    request_key: str | None = None,
    within_means: bool = False,
    recorded_by: Member | None = None,
    now: datetime | None = None,
) -> Exchange:
    """Record time given to (or received from) a colleague without a listing.
    It follows the same path: the colleague accepts, hours are logged, confirmed.
    ``within_means`` as for ``exchange_propose_from_listing``."""
    member_check_may_trade(member)
    if other.pk == member.pk:
        raise DomainError(
            _("An exchange is between two members."), code="same_member", kind=ErrorKind.INVALID
        )
    if not other.is_active:
        raise DomainError(
            _("This member is not active."), code="inactive_member", kind=ErrorKind.CONFLICT
        )
    if not benefit.strip():
        raise DomainError(
            _("Say in one sentence how this helps health and care."),
            code="benefit_required",
            kind=ErrorKind.INVALID,
        )
    check_shared_text(title=title, benefit=benefit)
    provider, receiver = (member, other) if member_gives else (other, member)
    return _propose(
        listing=None,
        provider=provider,
        receiver=receiver,
        proposed_by=member,
        title=title.strip(),
        improvement_area=improvement_area,
        benefit=benefit.strip(),
        minutes=minutes,
        message=message,
        request_key=request_key,
        within_means=within_means,
        recorded_by=recorded_by,
        now=now,
    )


def _replayed_proposal(request_key: str | None, member: Member) -> Exchange | None:
    """The exchange a replayed proposal form already made, if any."""
    if not request_key:
        return None
    existing = Exchange.objects.filter(request_key=request_key).first()
    if existing is not None and existing.proposed_by_id != member.pk:
        raise DomainError(
            _("This form was already used."), code="key_conflict", kind=ErrorKind.CONFLICT
        )
    return existing


def _propose(
    *,
    listing: Listing | None,
    provider: Member,
    receiver: Member,
    proposed_by: Member,
    message: str,
    request_key: str | None,
    minutes: int,
    within_means: bool = False,
    recorded_by: Member | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> Exchange:
    _check_minutes(minutes)
    now = now or timezone.now()
    check_shared_text(message=message)
    replayed = _replayed_proposal(request_key, proposed_by)
    if replayed is not None:
        return replayed
    if within_means and proposed_by.pk == receiver.pk:
        _check_within_means(receiver=receiver, provider=provider, minutes=minutes)
    try:
        with transaction.atomic():
            exchange = Exchange.objects.create(
                listing=listing,
                provider=provider,
                receiver=receiver,
                proposed_by=proposed_by,
                proposed_minutes=minutes,
                request_key=request_key or None,
                recorded_by=recorded_by,
                created_at=now,
                updated_at=now,
                **fields,
            )
            _event(
                exchange,
                Verb.PROPOSE,
                proposed_by,
                "",
                Status.PROPOSED,
                minutes=minutes,
                recorded_by=recorded_by,
                now=now,
            )
            if message.strip():
                ExchangeMessage.objects.create(
                    exchange=exchange, author=proposed_by, body=message.strip(), created_at=now
                )
            other = receiver if proposed_by.pk == provider.pk else provider
            variant, params = _recorded_note(
                "", {"name": proposed_by.display_name, "title": exchange.title}, recorded_by
            )
            notify(
                recipient=other,
                kind="exchange_proposed",
                variant=variant,
                params=params,
                url=_url(exchange),
                exchange=exchange,
            )
    except IntegrityError:
        # The same form submitted twice at once: the other request made it.
        existing = Exchange.objects.filter(request_key=request_key).first() if request_key else None
        if existing is None:
            raise
        return existing
    return exchange


def _check_within_means(*, receiver: Member, provider: Member, minutes: int) -> None:
    """A receiver proposing more hours than they have available hears so now,
    not when the provider tries to accept and the hold is refused. (The pages
    ask for this; the API keeps answering at acceptance, as it always has.)"""
    account = ledger.account_open(member=receiver)
    available = account.available - (account.floor or 0)
    if minutes <= available:
        return
    raise DomainError(
        _(
            "You have %(available)s available, so %(name)s cannot accept %(hours)s until "
            "you have more. Propose fewer hours, or earn credits by giving your time."
        )
        % {
            "available": credits_text(max(available, 0)),
            "name": provider.display_name,
            "hours": hours_text(minutes),
        },
        code="insufficient_credit",
        kind=ErrorKind.CONFLICT,
    )


# --- Transitions --------------------------------------------------------------


def _recorded_note(
    variant: str, params: dict[str, Any], recorded_by: Member | None
) -> tuple[str, dict[str, Any]]:
    """What the other party is told (a notice's variant and params), saying who
    keyed it in for their colleague."""
    if recorded_by is None:
        return variant, params
    return recorded_variant(variant), {**params, "coordinator": recorded_by.display_name}


def _event(
    exchange: Exchange,
    verb: str,
    actor: Member | None,
    from_status: str,
    to_status: str,
    *,
    minutes: int | None = None,
    note: str = "",
    recorded_by: Member | None = None,
    now: datetime | None = None,
) -> ExchangeEvent:
    return ExchangeEvent.objects.create(
        created_at=now or timezone.now(),
        exchange=exchange,
        verb=verb,
        actor=actor,
        recorded_by=recorded_by,
        from_status=from_status,
        to_status=to_status,
        minutes=minutes,
        note=note[:1000],
    )


def _transition(
    *,
    exchange: Exchange,
    actor: Member | None,
    verb: str,
    refusal: str,
    apply: Callable[[Exchange, datetime], list[str]],
    notice: tuple[str, str, dict[str, Any]] | None,
    minutes: int | None = None,
    note: str = "",
    allowed: Callable[[Exchange], bool] | None = None,
    recorded_by: Member | None = None,
    now: datetime | None = None,
) -> Exchange:
    """The one way an exchange changes status.

    ``MAY`` (or ``allowed``, for the system's own moves) says whether ``actor``
    may make this move; ``apply`` does the
    move's own work (ledger, stamps) on the locked row and returns the fields
    it changed; ``notice`` is (notification kind, message) for the other party.
    """
    starts, to = TRANSITIONS[verb]
    with transaction.atomic():
        locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
        permitted = allowed(locked) if allowed else MAY[verb](locked, actor)
        if not permitted:
            raise DomainError(refusal, code="forbidden", kind=ErrorKind.FORBIDDEN)
        if locked.status == to:
            return locked  # already done: a double click or a replayed form
        if locked.status not in starts:
            raise DomainError(
                _("This exchange is now “%(status)s”, so it cannot be %(action)s.")
                % {"status": locked.get_status_display(), "action": _ACTIONS[to]},
                code="invalid_transition",
                kind=ErrorKind.CONFLICT,
            )
        from_status = locked.status
        now = now or timezone.now()
        changed = apply(locked, now)
        if recorded_by is not None and locked.recorded_by_id is None:
            locked.recorded_by = recorded_by
            changed = [*changed, "recorded_by"]
        locked.status = to
        locked.updated_at = now
        locked.save(update_fields=["status", "updated_at", *changed])
        _event(
            locked,
            verb,
            actor,
            from_status,
            to,
            minutes=minutes,
            note=note,
            recorded_by=recorded_by,
            now=now,
        )
        if to in CLOSED_BEFORE_GIVEN:
            # Above us, what hangs on the exchange (its session) closes with it.
            exchange_closed.send(sender=Exchange, exchange=locked, actor=actor, reason=note)
        if notice is not None:
            kind, variant, params = notice
            variant, params = _recorded_note(variant, params, recorded_by)
            for recipient in (locked.provider, locked.receiver):
                if actor is None or recipient.pk != actor.pk:
                    notify(
                        recipient=recipient,
                        kind=kind,
                        variant=variant,
                        params=params,
                        url=_url(locked),
                        exchange=locked,
                    )
    return locked


def _is_party(member: Member | None) -> Callable[[Exchange], bool]:
    return lambda ex: member is not None and member.pk in (ex.provider_id, ex.receiver_id)


def _is_other_party(ex: Exchange, member: Member | None) -> bool:
    return member is not None and _is_party(member)(ex) and ex.proposed_by_id != member.pk


def _is_provider(ex: Exchange, member: Member | None) -> bool:
    return member is not None and member.pk == ex.provider_id


def _is_receiver(ex: Exchange, member: Member | None) -> bool:
    return member is not None and member.pk == ex.receiver_id


def _is_outside_moderator(ex: Exchange, member: Member | None) -> bool:
    return (
        member is not None
        and can_moderate(member)
        and member.pk not in (ex.provider_id, ex.receiver_id)
    )


# Who may make each move; the pages ask the same table which buttons to show.
MAY: dict[str, Callable[[Exchange, Member | None], bool]] = {
    Verb.ACCEPT: _is_other_party,
    Verb.DECLINE: _is_other_party,
    Verb.CANCEL: lambda ex, member: _is_party(member)(ex),
    Verb.DELIVER: _is_provider,
    Verb.CONFIRM: _is_receiver,
    Verb.DISPUTE: _is_receiver,
    Verb.RESOLVE_POST: _is_outside_moderator,
    Verb.RESOLVE_VOID: _is_outside_moderator,
}


def exchange_moves_for(*, exchange: Exchange, member: Member) -> set[str]:
    """The moves ``member`` may make on ``exchange`` now."""
    return {
        verb
        for verb, may in MAY.items()
        if exchange.status in TRANSITIONS[verb][0] and may(exchange, member)
    }


def exchange_accept(
    *,
    exchange: Exchange,
    member: Member,
    recorded_by: Member | None = None,
    now: datetime | None = None,
) -> Exchange:
    """The party who did not propose accepts; the receiver's credits are held."""
    member_check_may_trade(member)

    def apply(ex: Exchange, now: datetime) -> list[str]:
        try:
            ex.hold = ledger.hold_place(
                key=f"exchange:{ex.pk}:hold",
                kind=Transfer.Kind.EXCHANGE,
                debit_account=ledger.account_open(member=ex.receiver),
                credit_account=ledger.account_open(member=ex.provider),
                amount=ex.proposed_minutes,
                initiated_by=member,
                memo=ex.title[:200],
                now=now,
            )
        except InsufficientCredit as error:
            available = ledger.account_open(member=ex.receiver).available
            if member.pk == ex.receiver_id:
                message = _(
                    "You have %(available)s available, not enough to hold "
                    "%(needed)s for this exchange. Propose fewer hours, or earn credits "
                    "by offering your time."
                )
            else:
                message = _(
                    "%(name)s has %(available)s available, not enough to hold "
                    "%(needed)s for this exchange. Ask them to propose fewer hours."
                )
            raise DomainError(
                message
                % {
                    "name": ex.receiver.display_name,
                    "available": credits_text(available),
                    "needed": credits_figure(ex.proposed_minutes),
                },
                code="insufficient_credit",
                kind=ErrorKind.CONFLICT,
            ) from error
        ex.accepted_at = now
        return ["hold", "accepted_at"]

    return _transition(
        exchange=exchange,
        actor=member,
        verb=Verb.ACCEPT,
        refusal=_("Only the other party can accept this exchange."),
        recorded_by=recorded_by,
        apply=apply,
        notice=(
            "exchange_accepted",
            "",
            {"name": member.display_name, "title": exchange.title},
        ),
        minutes=exchange.proposed_minutes,
        now=now,
    )


def _required_reason(reason: str | None, missing: str) -> str:
    """A reason the other party (or a moderator) will read: present and fit to share."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(missing, code="reason", kind=ErrorKind.INVALID)
    check_shared_text(reason=reason)
    return reason


def exchange_decline(
    *, exchange: Exchange, member: Member, reason: str, recorded_by: Member | None = None
) -> Exchange:
    reason = _required_reason(reason, _("Please give a reason, so your colleague knows why."))

    def apply(ex: Exchange, now: datetime) -> list[str]:
        ex.declined_at = now
        ex.decline_reason = reason[:500]
        return ["declined_at", "decline_reason"]

    return _transition(
        exchange=exchange,
        actor=member,
        verb=Verb.DECLINE,
        refusal=_("Only the other party can decline this exchange."),
        recorded_by=recorded_by,
        apply=apply,
        notice=(
            "exchange_declined",
            "",
            {"name": member.display_name, "title": exchange.title},
        ),
        note=reason,
    )


def exchange_cancel(
    *, exchange: Exchange, member: Member, reason: str = "", recorded_by: Member | None = None
) -> Exchange:
    """Either party, before the hours are logged. Any hold is voided."""
    check_shared_text(reason=reason or "")

    def apply(ex: Exchange, now: datetime) -> list[str]:
        if ex.hold is not None:
            ledger.hold_void(key=f"exchange:{ex.pk}:void", hold=ex.hold, initiated_by=member)
        ex.cancelled_at = now
        ex.cancelled_by = member
        return ["cancelled_at", "cancelled_by"]

    return _transition(
        exchange=exchange,
        actor=member,
        verb=Verb.CANCEL,
        refusal=_("Only the two members in this exchange can cancel it."),
        recorded_by=recorded_by,
        apply=apply,
        notice=(
            "exchange_cancelled",
            "",
            {"name": member.display_name, "title": exchange.title},
        ),
        note=(reason or "").strip(),
    )


def far_over_agreed(*, agreed: int, minutes: int) -> bool:
    """Logging this much needs the provider to say they mean it: more than
    twice the agreed time, or more than two hours over it."""
    return minutes > 2 * agreed or minutes > agreed + OVER_AGREED_MARGIN


def exchange_deliver(
    *,
    exchange: Exchange,
    member: Member,
    minutes: int,
    confirm_over_agreed: bool = False,
    recorded_by: Member | None = None,
    now: datetime | None = None,
) -> Exchange:
    """The provider logs the time actually given. Far more than was agreed
    (``far_over_agreed``) is refused unless ``confirm_over_agreed``: a slip of
    the keyboard (40 hours for 40 minutes) should not reach the receiver."""
    _check_minutes(minutes)

    def apply(ex: Exchange, now: datetime) -> list[str]:
        if not confirm_over_agreed and far_over_agreed(agreed=ex.proposed_minutes, minutes=minutes):
            raise DomainError(
                _(
                    "You are logging %(hours)s h, far more than the %(agreed)s h agreed. "
                    "If that is right, tick “Yes, I gave this much more than "
                    "agreed” and log it again."
                )
                % {
                    "agreed": credits_figure(ex.proposed_minutes),
                    "hours": credits_figure(minutes),
                },
                code="over_agreed",
                kind=ErrorKind.INVALID,
                field="confirm_over_agreed",
            )
        ex.logged_minutes = minutes
        ex.delivered_at = now
        return ["logged_minutes", "delivered_at"]

    return _transition(
        exchange=exchange,
        actor=member,
        verb=Verb.DELIVER,
        refusal=_("Only the member who gave the time can log it."),
        recorded_by=recorded_by,
        apply=apply,
        notice=(
            "exchange_delivered",
            "",
            {"name": member.display_name, "minutes": minutes, "title": exchange.title},
        ),
        minutes=minutes,
        now=now,
    )


def _held(ex: Exchange) -> Transfer:
    """The exchange's hold: accepting placed it, so every later move finds it."""
    if ex.hold is None:
        raise RuntimeError(f"Exchange {ex.pk} is past acceptance but holds nothing.")
    return ex.hold


def _logged(ex: Exchange) -> int:
    """The minutes the provider logged: delivering logged them."""
    if ex.logged_minutes is None:
        raise RuntimeError(f"Exchange {ex.pk} is past delivery but has no time logged.")
    return ex.logged_minutes


def _post_payment(ex: Exchange, minutes: int, actor: Member | None, now: datetime) -> None:
    hold = _held(ex)
    try:
        ex.payment = ledger.hold_post(
            key=f"exchange:{ex.pk}:payment",
            hold=hold,
            amount=minutes,
            initiated_by=actor,
            memo=ex.title[:200],
            now=now,
        )
    except InsufficientCredit as error:
        account = ledger.account_open(member=ex.receiver)
        more = account.available
        if actor is not None and actor.pk == ex.receiver_id:
            message = ngettext(
                "%(hours)s hours were logged but %(held)s were held, and you have only "
                "%(available)s more credit available. Earn or receive credits first, or "
                "dispute the hours.",
                "%(hours)s hours were logged but %(held)s were held, and you have only "
                "%(available)s more credits available. Earn or receive credits first, or "
                "dispute the hours.",
                plural_count(more),
            )
        else:
            message = ngettext(
                "%(hours)s hours were logged but %(held)s were held, and %(name)s has only "
                "%(available)s more credit available. Earn or receive credits first, or "
                "dispute the hours.",
                "%(hours)s hours were logged but %(held)s were held, and %(name)s has only "
                "%(available)s more credits available. Earn or receive credits first, or "
                "dispute the hours.",
                plural_count(more),
            )
        raise DomainError(
            message
            % {
                "hours": credits_figure(minutes),
                "held": credits_figure(hold.amount),
                "name": ex.receiver.display_name,
                "available": credits_figure(more),
            },
            code="insufficient_credit",
            kind=ErrorKind.CONFLICT,
        ) from error


def exchange_confirm(
    *,
    exchange: Exchange,
    member: Member,
    recorded_by: Member | None = None,
    now: datetime | None = None,
) -> Exchange:
    """The receiver confirms: the logged hours move and the hold is released."""

    def apply(ex: Exchange, now: datetime) -> list[str]:
        _post_payment(ex, _logged(ex), member, now)
        ex.completed_at = now
        ex.completed_by = member
        return ["payment", "completed_at", "completed_by"]

    return _transition(
        exchange=exchange,
        actor=member,
        verb=Verb.CONFIRM,
        refusal=_("Only the member who received the time can confirm it."),
        recorded_by=recorded_by,
        apply=apply,
        notice=(
            "exchange_completed",
            "",
            {"name": member.display_name, "title": exchange.title},
        ),
        minutes=exchange.logged_minutes,
        now=now,
    )


def exchange_dispute(*, exchange: Exchange, member: Member, reason: str) -> Exchange:
    reason = _required_reason(reason, _("Please say what is wrong, so a moderator can help."))

    def apply(ex: Exchange, now: datetime) -> list[str]:
        ex.disputed_at = now
        ex.dispute_reason = reason[:1000]
        return ["disputed_at", "dispute_reason"]

    return _transition(
        exchange=exchange,
        actor=member,
        verb=Verb.DISPUTE,
        refusal=_("Only the member who received the time can dispute it."),
        apply=apply,
        notice=(
            "exchange_disputed",
            "",
            {"name": member.display_name, "title": exchange.title},
        ),
        note=reason,
    )


def exchange_resolve(
    *, exchange: Exchange, moderator: Member, minutes: int | None, note: str
) -> Exchange:
    """A moderator settles a dispute: post ``minutes`` (completed), or, with
    ``minutes=None``, void the hold (closed without credits)."""
    note = (note or "").strip()
    if not note:
        raise DomainError(
            _("Explain the decision to both members."), code="reason", kind=ErrorKind.INVALID
        )
    check_no_patient_data(note=note)
    if minutes is not None:
        _check_minutes(minutes)

    def apply(ex: Exchange, now: datetime) -> list[str]:
        if minutes is None:
            ledger.hold_void(key=f"exchange:{ex.pk}:void", hold=_held(ex), initiated_by=moderator)
            changed = []
        else:
            _post_payment(ex, minutes, moderator, now)
            ex.completed_at = now
            ex.completed_by = moderator
            changed = ["payment", "completed_at", "completed_by"]
        ex.resolved_at = now
        ex.resolved_by = moderator
        ex.resolution_note = note[:1000]
        audit_record(
            action=AuditEntry.Action.DISPUTE_RESOLVED,
            actor=moderator,
            target=ex,
            summary=(
                f"Dispute on exchange {ex.pk} resolved: "
                + (f"{minutes} min moved" if minutes is not None else "no credits moved")
            ),
            data={"minutes": minutes, "note": note[:1000]},
        )
        return [*changed, "resolved_at", "resolved_by", "resolution_note"]

    return _transition(
        exchange=exchange,
        actor=moderator,
        verb=Verb.RESOLVE_VOID if minutes is None else Verb.RESOLVE_POST,
        refusal=_("Only a moderator who is not part of this exchange can resolve it."),
        apply=apply,
        notice=("exchange_resolved", "", {"title": exchange.title}),
        minutes=minutes,
        note=note,
    )


def exchange_reverse(*, exchange: Exchange, moderator: Member, reason: str) -> Exchange:
    """A moderator's correction of a completed exchange: its payment goes back
    to the receiver with a ledger reversal, the exchange becomes *reversed*,
    the decision is audited and both members are told why.

    This is the only way an exchange's transfer is reversed (the ledger admin
    refuses them), so the exchange never says *completed* while the books say
    the credits went back. Two moderators at once reverse once: the row lock
    lets the second see *reversed* and return it unchanged, and the ledger's
    key (and ``reverses`` being unique) would refuse a second reversal anyway.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Explain the correction to both members."), code="reason", kind=ErrorKind.INVALID
        )
    check_shared_text(reason=reason)

    def allowed(ex: Exchange) -> bool:
        return _is_outside_moderator(ex, moderator)

    def apply(ex: Exchange, now: datetime) -> list[str]:
        if ex.payment_id is None:  # allowed only when completed, and so paid (a CHECK)
            raise RuntimeError(f"Exchange {ex.pk} is completed but has no payment.")
        payment = Transfer.objects.get(pk=ex.payment_id)
        try:
            reversal = ledger.transfer_reverse(
                key=f"exchange:{ex.pk}:reversal",
                transfer=payment,
                initiated_by=moderator,
                memo=f"Exchange {ex.pk} reversed: {reason}"[:200],
                exchange_correction=True,
            )
        except InsufficientCredit as error:
            account = ledger.account_open(member=ex.provider)
            raise DomainError(
                _(
                    "%(name)s has only %(available)s available, fewer than the "
                    "%(amount)s to take back. Reverse part of it with an adjustment instead."
                )
                % {
                    "name": ex.provider.display_name,
                    "available": credits_text(account.available),
                    "amount": credits_text(payment.amount),
                },
                code="insufficient_credit",
                kind=ErrorKind.CONFLICT,
            ) from error
        ex.reversed_at = now
        ex.reversed_by = moderator
        ex.reversal_reason = reason[:1000]
        audit_record(
            action=AuditEntry.Action.LEDGER_REVERSAL,
            actor=moderator,
            target=ex,
            summary=f"Exchange {ex.pk} reversed: {payment.amount} min back to the receiver",
            data={"payment": payment.pk, "reversal": reversal.pk, "reason": reason[:1000]},
        )
        return ["reversed_at", "reversed_by", "reversal_reason"]

    return _transition(
        exchange=exchange,
        actor=moderator,
        verb=Verb.REVERSE,
        allowed=allowed,
        refusal=_("Only a moderator who is not part of this exchange can reverse it."),
        apply=apply,
        notice=("exchange_resolved", "reversed", {"title": exchange.title, "reason": reason}),
        note=reason,
    )


def auto_confirm_minutes(ex: Exchange) -> int:
    """What an automatic confirmation posts: the time logged, but never more
    than was held.

    The receiver agreed to the held amount when the exchange was accepted;
    silence is consent to that much and no more. Anything logged beyond it
    needs the receiver's own confirmation (or a moderator after a dispute)
    within the waiting period. After it, the exchange is *completed* with the
    held amount posted: the status and the books agree (one posted transfer,
    the hold's resolution, of ``min(logged, held)`` minutes, which
    ``verify_ledger`` checks), and the timeline says how much of what was
    logged was not confirmed. Leaving such an exchange open instead would
    hold the receiver's credits, and the provider's earnings, forever.
    """
    return min(_logged(ex), _held(ex).amount)


def exchange_auto_confirm(*, exchange: Exchange, now: datetime | None = None) -> Exchange:
    """Complete a delivered exchange whose receiver has not answered in time,
    posting at most the held amount (``auto_confirm_minutes``)."""
    now = now or timezone.now()
    exchange = Exchange.objects.select_related("hold").get(pk=exchange.pk)
    posted = auto_confirm_minutes(exchange) if exchange.hold_id and exchange.logged_minutes else 0
    unconfirmed = (exchange.logged_minutes or 0) - posted

    def apply(ex: Exchange, now: datetime) -> list[str]:
        _post_payment(ex, auto_confirm_minutes(ex), None, now)
        ex.completed_at = now
        ex.completed_by = None
        return ["payment", "completed_at", "completed_by"]

    def due(ex: Exchange) -> bool:
        deadline = now - timedelta(days=settings.EQUITIME_AUTO_CONFIRM_DAYS)
        return ex.status == Status.COMPLETED or (
            ex.status == Status.DELIVERED
            and ex.delivered_at is not None
            and ex.delivered_at <= deadline
        )

    told: dict[str, Any] = {
        "title": exchange.title,
        "days": settings.EQUITIME_AUTO_CONFIRM_DAYS,
    }
    variant, note = "auto", ""
    if unconfirmed > 0:
        # The event's note, for the record (the notice says it in each reader's words).
        note = _(
            "%(posted)s hours moved, the amount held; the other %(unconfirmed)s hours logged "
            "were not confirmed by the receiver."
        ) % {"posted": credits_figure(posted), "unconfirmed": credits_figure(unconfirmed)}
        variant = "auto_partial"
        told |= {"posted_minutes": posted, "unconfirmed_minutes": unconfirmed}
    return _transition(
        exchange=exchange,
        actor=None,
        verb=Verb.AUTO_CONFIRM,
        allowed=due,
        refusal=_("This exchange is not due for automatic confirmation."),
        apply=apply,
        notice=("exchange_completed", variant, told),
        minutes=posted,
        note=note,
    )


def exchanges_auto_confirm_due(*, now: datetime | None = None) -> tuple[int, list[str]]:
    """Auto-confirm every due exchange. Returns how many, and any refusals."""
    now = now or timezone.now()
    deadline = now - timedelta(days=settings.EQUITIME_AUTO_CONFIRM_DAYS)
    due = Exchange.objects.filter(status=Status.DELIVERED, delivered_at__lte=deadline)
    done, problems = 0, list[str]()
    for exchange in due.order_by("pk"):
        try:
            confirmed = exchange_auto_confirm(exchange=exchange, now=now)
        except DomainError as error:
            problems.append(f"exchange {exchange.pk}: {error}")
        else:
            # The receiver may have confirmed between the query and the lock.
            done += confirmed.completed_by_id is None
    return done, problems


# --- Conversation, thanks, reflection ---------------------------------------


def exchange_message_post(*, exchange: Exchange, member: Member, body: str) -> ExchangeMessage:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message first."), code="empty", kind=ErrorKind.INVALID)
    if not _is_party(member)(exchange):
        raise DomainError(
            _("Only the two members in this exchange can write here."),
            code="forbidden",
            kind=ErrorKind.FORBIDDEN,
        )
    check_shared_text(message=body)
    with transaction.atomic():
        message = ExchangeMessage.objects.create(exchange=exchange, author=member, body=body)
        notify(
            recipient=exchange.other_party(member),
            kind="exchange_message",
            params={"name": member.display_name, "title": exchange.title},
            url=_url(exchange),
            exchange=exchange,
            email=False,
        )
    return message


def thanks_give(
    *,
    exchange: Exchange,
    member: Member,
    message: str,
    impact: str = "",
    show_on_profile: bool = True,
    now: datetime | None = None,
) -> Thanks:
    message, impact = (message or "").strip(), (impact or "").strip()
    exchange = Exchange.objects.select_related("provider", "receiver").get(pk=exchange.pk)
    if not _is_party(member)(exchange):
        raise DomainError(
            _("Only the two members in this exchange can leave thanks."),
            code="forbidden",
            kind=ErrorKind.FORBIDDEN,
        )
    if exchange.status != Status.COMPLETED:
        raise DomainError(
            _("Thanks can be left once the exchange is completed."), kind=ErrorKind.CONFLICT
        )
    if not message:
        raise DomainError(_("Write a few words of thanks."), code="empty", kind=ErrorKind.INVALID)
    if Thanks.objects.filter(exchange=exchange, author=member).exists():
        raise DomainError(
            _("You have already thanked your colleague for this exchange."), kind=ErrorKind.CONFLICT
        )
    check_shared_text(thanks=message, impact=impact)
    recipient = exchange.other_party(member)
    try:
        with transaction.atomic():
            thanks = _thanks_record(
                exchange, member, recipient, message, impact, show_on_profile, now
            )
    except IntegrityError as error:  # the same thanks submitted twice at once
        raise DomainError(
            _("You have already thanked your colleague for this exchange."), kind=ErrorKind.CONFLICT
        ) from error
    return thanks


def _thanks_record(
    exchange: Exchange,
    member: Member,
    recipient: Member,
    message: str,
    impact: str,
    show_on_profile: bool,
    now: datetime | None,
) -> Thanks:
    thanks = Thanks.objects.create(
        created_at=now or timezone.now(),
        exchange=exchange,
        author=member,
        recipient=recipient,
        message=message[:1000],
        impact=impact[:1000],
        show_on_profile=show_on_profile,
    )
    notify(
        recipient=recipient,
        kind="thanks",
        params={"name": member.display_name, "title": exchange.title},
        url=_url(exchange),
        exchange=exchange,
    )
    return thanks


def reflection_save(
    *,
    exchange: Exchange,
    member: Member,
    text: str,
    learned: str = "",
    practice_change: str = "",
    standards: str = "",
    now: datetime | None = None,
) -> Reflection:
    """Create or replace the member's private reflective account of the exchange:
    what happened (``text``, required), what they learned, how it changed their
    practice and which standards it relates to (each optional)."""
    text = (text or "").strip()
    learned, practice_change = (learned or "").strip(), (practice_change or "").strip()
    standards = (standards or "").strip()
    if not _is_party(member)(exchange):
        raise DomainError(
            _("Only the two members in this exchange can reflect on it."),
            code="forbidden",
            kind=ErrorKind.FORBIDDEN,
        )
    if not text:
        raise DomainError(_("Write your reflection first."), code="empty", kind=ErrorKind.INVALID)
    # Private, but still not a place for patient data (money talk is harmless here).
    check_no_patient_data(
        reflection=text, learned=learned, practice_change=practice_change, standards=standards
    )
    reflection, _created = Reflection.objects.update_or_create(
        exchange=exchange,
        author=member,
        defaults={
            "text": text[:4000],
            "learned": learned[:4000],
            "practice_change": practice_change[:4000],
            "standards": standards[:500],
            "updated_at": now or timezone.now(),
        },
    )
    return reflection
