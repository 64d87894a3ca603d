"""One-to-one sessions: the two parties of an exchange agree when and where.

    either party ──propose 1-3 times──> Session (proposed) ──other party chooses──> scheduled
                                            │                                         │
                                            │                 move (at once, with a reason)
                                            │                 or propose times (an offer to
                                            │                 move: the old time stands)
                                            └─────────── cancel (with a reason) ──> cancelled

Each service locks the session row (the exchange row first when the session
may not exist yet), checks who is asking and the state of the exchange and
the session, writes a ``SessionEvent``, tells the other party, and announces
every change calendars must show with ``signals.session_changed`` (raising
``sequence`` when a time that was in calendars changes). When the exchange
itself ends before any time was given (declined, cancelled, voided),
``exchanges.signals.exchange_closed`` cancels its session in the same
transaction (``session_cancel_with_exchange``, connected in ``apps``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.core.errors import DomainError, ErrorKind
from equitime.core.rules import check_shared_text
from equitime.exchanges.models import Exchange
from equitime.exchanges.models import Status as ExchangeStatus
from equitime.members.models import Member
from equitime.notifications.models import Notification
from equitime.notifications.services import notify
from equitime.scheduling import signals
from equitime.scheduling.models import ProposedTime, Session, SessionEvent
from equitime.scheduling.slots import Slot, slot_check

# A session is arranged while the exchange is waiting to be accepted or accepted.
SCHEDULABLE_EXCHANGE = frozenset({ExchangeStatus.PROPOSED, ExchangeStatus.ACCEPTED})
MAX_PROPOSED_TIMES = 3
REASON_LENGTH = 500
Verb = SessionEvent.Verb
Kind = Notification.Kind


def session_moves_for(*, exchange: Exchange, session: Session | None, member: Member) -> list[str]:
    """What a party may do to the exchange's session now (``session`` None: none
    arranged yet): the panel's forms and the API's ``allowed_actions``, from
    the rules the services below enforce. ``session.open_times`` must be
    prefetched (``selectors``)."""
    live = session is None or session.status in (Session.Status.PROPOSED, Session.Status.SCHEDULED)
    if not is_party(exchange, member) or not live or exchange.status not in SCHEDULABLE_EXCHANGE:
        return []
    if session is None:
        return ["propose"]
    moves = ["propose"]
    open_times = session.open_times  # type: ignore[attr-defined]  # prefetched
    if any(time.proposed_by_id != member.pk for time in open_times):
        moves.append("choose")
    if session.status == Session.Status.SCHEDULED:
        moves.append("move")
    return [*moves, "cancel"]


# --- Checks ---------------------------------------------------------------------


def is_party(exchange: Exchange, member: Member | None) -> bool:
    return member is not None and member.pk in (exchange.provider_id, exchange.receiver_id)


def _check_party(exchange: Exchange, member: Member) -> None:
    if not is_party(exchange, member):
        raise DomainError(
            _("Only the two members in this exchange can arrange its session."),
            code="not_a_party",
            kind=ErrorKind.FORBIDDEN,
        )


def _check_exchange_open(exchange: Exchange) -> None:
    if exchange.status not in SCHEDULABLE_EXCHANGE:
        raise DomainError(
            _("This exchange is now “%(status)s”, so its session can no longer be arranged.")
            % {"status": exchange.get_status_display()},
            code="exchange_closed",
            kind=ErrorKind.CONFLICT,
        )


def _check_session_live(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise DomainError(
            _(
                "This session was cancelled. If you still want to meet, write to your "
                "colleague and record a new exchange."
            ),
            code="session_cancelled",
            kind=ErrorKind.CONFLICT,
        )
    if session.status == Session.Status.HELD:
        raise DomainError(
            _("This session has already taken place."),
            code="session_held",
            kind=ErrorKind.CONFLICT,
        )


def _required_reason(reason: str | None, missing: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(missing, code="reason", kind=ErrorKind.INVALID, field="reason")
    if len(reason) > REASON_LENGTH:
        raise DomainError(
            _("Keep the reason to %(most)d characters.") % {"most": REASON_LENGTH},
            code="reason",
            kind=ErrorKind.INVALID,
            field="reason",
        )
    check_shared_text(reason=reason)
    return reason


def _checked_slot(slot: Slot, now: datetime) -> Slot:
    checked = slot_check(slot, now=now)
    if checked.place:
        check_shared_text(place=checked.place)
    return checked


# --- Telling people -----------------------------------------------------------------


def exchange_url(exchange: Exchange) -> str:
    return reverse("exchange_detail", args=[exchange.pk])


def _tell(
    session: Session, recipient: Member, kind: str, params: dict[str, Any], variant: str = ""
) -> None:
    assert session.exchange is not None  # a one-to-one session's
    notify(
        recipient=recipient,
        kind=kind,
        variant=variant,
        params=params,
        url=exchange_url(session.exchange),
        exchange=session.exchange,
    )


def _calendars(session: Session, *, cancel: bool) -> None:
    assert session.exchange is not None
    signals.session_changed.send(
        sender=Session,
        session=session,
        recipients=[session.exchange.provider, session.exchange.receiver],
        cancel=cancel,
    )


def _event(
    session: Session,
    verb: str,
    actor: Member | None,
    *,
    starts_at: datetime | None = None,
    minutes: int | None = None,
    reason: str = "",
) -> SessionEvent:
    return SessionEvent.objects.create(
        session=session,
        verb=verb,
        actor=actor,
        starts_at=starts_at,
        minutes=minutes,
        reason=reason[:REASON_LENGTH],
    )


def _locked(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("exchange__provider__profile", "exchange__receiver__profile")
        .get(pk=session.pk)
    )


def _withdraw_open(session: Session) -> None:
    session.proposed_times.filter(status=ProposedTime.Status.OPEN).update(
        status=ProposedTime.Status.WITHDRAWN
    )


def _save(session: Session, now: datetime, *fields: str) -> None:
    session.updated_at = now
    session.save(update_fields=[*fields, "updated_at"])


# --- Proposing and choosing ----------------------------------------------------------


def session_propose_times(
    *, exchange: Exchange, member: Member, slots: Sequence[Slot], reason: str = ""
) -> Session:
    """``member`` (either party) offers one to three times; the other chooses one.

    The first proposal makes the exchange's session; a new proposal withdraws
    the open ones. On a scheduled session it is an offer to move it: the
    scheduled time stands until the other party chooses a new one."""
    _check_party(exchange, member)
    if not slots:
        raise DomainError(
            _("Propose at least one time."), code="no_times", kind=ErrorKind.INVALID, field="times"
        )
    if len(slots) > MAX_PROPOSED_TIMES:
        raise DomainError(
            _("Propose at most %(most)d times.") % {"most": MAX_PROPOSED_TIMES},
            code="too_many_times",
            kind=ErrorKind.INVALID,
            field="times",
        )
    now = timezone.now()
    checked = [_checked_slot(slot, now) for slot in slots]
    if len({slot.starts_at for slot in checked}) < len(checked):
        raise DomainError(
            _("You proposed the same time twice: give each time once."),
            code="duplicate_times",
            kind=ErrorKind.INVALID,
            field="times",
        )
    note = " ".join(reason.split())[:REASON_LENGTH]
    if note:
        check_shared_text(reason=note)
    with transaction.atomic():
        locked_exchange = (
            Exchange.objects.select_for_update(of=("self",))
            .select_related("provider__profile", "receiver__profile")
            .get(pk=exchange.pk)
        )
        _check_exchange_open(locked_exchange)
        session, _made = Session.objects.get_or_create(
            exchange=locked_exchange,
            defaults={
                "kind": Session.Kind.ONE_TO_ONE,
                "organiser": locked_exchange.provider,
                "title": locked_exchange.title,
                "created_at": now,
                "updated_at": now,
            },
        )
        session = _locked(session)
        _check_session_live(session)
        _withdraw_open(session)
        ProposedTime.objects.bulk_create(
            ProposedTime(
                session=session,
                proposed_by=member,
                starts_at=slot.starts_at,
                minutes=slot.minutes,
                place=slot.place,
                video_url=slot.video_url,
                created_at=now,
            )
            for slot in sorted(checked, key=lambda slot: slot.starts_at)
        )
        _save(session, now)
        first = min(checked, key=lambda slot: slot.starts_at)
        _event(
            session,
            Verb.PROPOSE,
            member,
            starts_at=first.starts_at,
            minutes=first.minutes,
            reason=note,
        )
        other = locked_exchange.other_party(member)
        _tell(
            session,
            other,
            Kind.SESSION_PROPOSED,
            {"name": member.display_name, "title": session.title},
            "move" if session.status == Session.Status.SCHEDULED else "",
        )
    return session


def session_choose_time(*, proposed_time: ProposedTime, member: Member) -> Session:
    """The party who did not propose ``proposed_time`` chooses it: the session
    is scheduled then (or moved there, when it already was)."""
    with transaction.atomic():
        session = _locked(proposed_time.session)
        exchange = session.exchange
        assert exchange is not None
        _check_party(exchange, member)
        chosen = ProposedTime.objects.get(pk=proposed_time.pk)
        if chosen.proposed_by_id == member.pk:
            raise DomainError(
                _("You proposed this time: %(name)s chooses one of the times you offered.")
                % {"name": exchange.other_party(member).display_name},
                code="own_proposal",
                kind=ErrorKind.FORBIDDEN,
            )
        _check_exchange_open(exchange)
        _check_session_live(session)
        if chosen.status != ProposedTime.Status.OPEN:
            raise DomainError(
                _("This time is no longer offered. Choose another, or propose your own."),
                code="time_withdrawn",
                kind=ErrorKind.CONFLICT,
            )
        now = timezone.now()
        if chosen.starts_at <= now:
            raise DomainError(
                _("This time has passed. Propose new times instead."),
                code="time_passed",
                kind=ErrorKind.CONFLICT,
            )
        moving = session.status == Session.Status.SCHEDULED
        session.status = Session.Status.SCHEDULED
        session.starts_at = chosen.starts_at
        session.minutes = chosen.minutes
        session.place = chosen.place
        session.video_url = chosen.video_url
        if moving:
            session.sequence += 1
        _save(session, now, "status", "starts_at", "minutes", "place", "video_url", "sequence")
        chosen.status = ProposedTime.Status.CHOSEN
        chosen.save(update_fields=["status"])
        _withdraw_open(session)
        _event(
            session,
            Verb.MOVE if moving else Verb.SCHEDULE,
            member,
            starts_at=chosen.starts_at,
            minutes=chosen.minutes,
        )
        proposer = exchange.other_party(member)
        # The time is written on the proposer's clock when they read it.
        values = {
            "name": member.display_name,
            "title": session.title,
            "starts_at": chosen.starts_at,
        }
        if moving:
            _tell(session, proposer, Kind.SESSION_MOVED, values, "chosen")
        else:
            _tell(session, proposer, Kind.SESSION_SCHEDULED, values)
        _calendars(session, cancel=False)
    return session


# --- Moving and cancelling -------------------------------------------------------------


def session_move(*, session: Session, member: Member, slot: Slot, reason: str) -> Session:
    """Either party moves a scheduled session at once, saying why; open
    proposals are withdrawn (the new time replaces them)."""
    reason = _required_reason(reason, _("Say why you are moving it, so your colleague knows."))
    now = timezone.now()
    checked = _checked_slot(slot, now)
    with transaction.atomic():
        session = _locked(session)
        exchange = session.exchange
        assert exchange is not None
        _check_party(exchange, member)
        _check_exchange_open(exchange)
        _check_session_live(session)
        if session.status != Session.Status.SCHEDULED:
            raise DomainError(
                _("No time has been chosen yet: propose times instead."),
                code="not_scheduled",
                kind=ErrorKind.CONFLICT,
            )
        session.starts_at = checked.starts_at
        session.minutes = checked.minutes
        session.place = checked.place
        session.video_url = checked.video_url
        session.sequence += 1
        _save(session, now, "starts_at", "minutes", "place", "video_url", "sequence")
        _withdraw_open(session)
        _event(
            session,
            Verb.MOVE,
            member,
            starts_at=checked.starts_at,
            minutes=checked.minutes,
            reason=reason,
        )
        other = exchange.other_party(member)
        _tell(
            session,
            other,
            Kind.SESSION_MOVED,
            {
                "name": member.display_name,
                "title": session.title,
                "starts_at": checked.starts_at,
                "reason": reason,
            },
        )
        _calendars(session, cancel=False)
    return session


def _cancel(session: Session, actor: Member | None, reason: str, now: datetime) -> bool:
    """Cancel the locked ``session``; whether it had been in calendars."""
    was_scheduled = session.status == Session.Status.SCHEDULED
    session.status = Session.Status.CANCELLED
    session.cancelled_at = now
    session.cancelled_by = actor
    session.cancel_reason = reason[:REASON_LENGTH]
    session.sequence += 1
    _save(session, now, "status", "cancelled_at", "cancelled_by", "cancel_reason", "sequence")
    _withdraw_open(session)
    _event(
        session,
        Verb.CANCEL,
        actor,
        starts_at=session.starts_at,
        minutes=session.minutes,
        reason=reason,
    )
    if was_scheduled:
        _calendars(session, cancel=True)
    return was_scheduled


def session_cancel(*, session: Session, member: Member, reason: str) -> Session:
    """Either party calls the session off, saying why. The exchange stays as it is."""
    reason = _required_reason(reason, _("Say why you are cancelling, so your colleague knows."))
    with transaction.atomic():
        session = _locked(session)
        exchange = session.exchange
        assert exchange is not None
        _check_party(exchange, member)
        _check_exchange_open(exchange)
        _check_session_live(session)
        _cancel(session, member, reason, timezone.now())
        _tell(
            session,
            exchange.other_party(member),
            Kind.SESSION_CANCELLED,
            {"name": member.display_name, "title": session.title, "reason": reason},
        )
    return session


def session_cancel_with_exchange(
    *, exchange: Exchange, actor: Member | None, reason: str = ""
) -> Session | None:
    """The exchange ended before any time was given: its session (if any, and
    still arranged) is cancelled with it, and calendars told. Runs in the
    exchange's transaction; the exchange's own notice tells the other party."""
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("exchange__provider", "exchange__receiver")
        .filter(exchange=exchange)
        .first()
    )
    if session is None or session.status not in (
        Session.Status.PROPOSED,
        Session.Status.SCHEDULED,
    ):
        return session
    why = " ".join((reason or "").split()) or _("The exchange was %(status)s.") % {
        "status": exchange.get_status_display().lower()
    }
    _cancel(session, actor, why, timezone.now())
    return session
