"""Group sessions: a teaching hour, a QI workshop, a journal club, given to many at once.

One service per change, each one transaction that first locks the session's
row (``select_for_update``: on PostgreSQL a row lock, on SQLite the IMMEDIATE
transaction's write lock), so sign-ups, leavings and the record of attendance
are serialised: the last place is taken once, and the waiting list keeps the
order in which members asked.

Credits follow the session's ``credit_policy`` (copied from
``SchedulingSettings`` when the session is made; see ``models``):

    free    nothing is held; on attendance the pool pays the organiser the
            session's minutes, once.
    shared  a place holds ``minutes // capacity`` from the attendee for the
            organiser; on attendance each attendee's hold is posted, each
            no-show's released, and the pool pays the organiser the rest, so
            the organiser earns exactly the session's minutes.

No-shows pay nothing: staff are pulled onto wards at an hour's notice, and a
place lost to a short-staffed shift should not cost a nurse her credits.
Nobody attended: nobody is paid, every hold is released.

Ledger keys come from the session and the seat. A seat row is held at most
once (a member who leaves and comes back gets a new seat), so
``group-session:{id}:seat:{seat_id}:hold`` is unique per hold, and a replay of
any step moves nothing twice.

Every service takes ``now`` (default: the clock), so the demo can build a
session that has already happened through these same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NoReturn

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.rules import check_shared_text
from equitime.core.units import credits_text
from equitime.ledger import services as ledger
from equitime.ledger.errors import InsufficientCredit
from equitime.ledger.models import Transfer
from equitime.listings.models import Listing
from equitime.members.models import Member
from equitime.members.rules import member_check_may_trade
from equitime.notifications.models import Notification
from equitime.notifications.services import notify
from equitime.scheduling import signals
from equitime.scheduling.models import (
    CreditPolicy,
    SchedulingSettings,
    Seat,
    Session,
    SessionEvent,
)
from equitime.scheduling.slots import Slot, slot_check
from equitime.skills.models import ImprovementArea

Verb = SessionEvent.Verb
MIN_CAPACITY = 2
# Community administrators hold it (``members.roles``).
SETTINGS_PERMISSION = "scheduling.change_schedulingsettings"
MAX_CAPACITY = 200
LIVE = (Seat.Status.BOOKED, Seat.Status.WAITING)


def group_url(session: Session) -> str:
    return reverse("group_session_detail", args=[session.pk])


def seat_share(session: Session) -> int:
    """What one place costs its holder: ``minutes // capacity`` under "shared"
    (0, nothing held, when the session is shorter than it has places), else 0."""
    if session.credit_policy != CreditPolicy.SHARED or not session.capacity:
        return 0
    return (session.minutes or 0) // session.capacity


# What a member may do to a group session, in the order pages and the API list it.
MOVES = ("sign_up", "leave", "cancel", "attendance")


def group_moves_for(*, session: Session, member: Member, now: datetime | None = None) -> list[str]:
    """What ``member`` may do to ``session`` now: the page's buttons and the
    API's ``allowed_actions``, from the same rules the services enforce. The
    organiser cancels a scheduled session and records attendance once it has
    started; anyone else signs up, or gives up their place, before the start."""
    now = now or timezone.now()
    scheduled = session.status == Session.Status.SCHEDULED
    started = session.starts_at is not None and session.starts_at <= now
    if session.organiser_id == member.pk:
        moves = {"cancel"} if scheduled else set()
        if scheduled and started:
            moves.add("attendance")
    elif not scheduled or started:
        moves = set()
    elif session.seats.filter(member=member, status__in=LIVE).exists():
        moves = {"leave"}
    else:
        moves = {"sign_up"}
    return [move for move in MOVES if move in moves]


def _hold_key(session: Session, seat: Seat) -> str:
    return f"group-session:{session.pk}:seat:{seat.pk}:hold"


def _pool_key(session: Session) -> str:
    return f"group-session:{session.pk}:pool"


def _refuse(
    message: str, code: str, kind: ErrorKind = ErrorKind.CONFLICT, field: str | None = None
) -> NoReturn:
    raise DomainError(message, code=code, kind=kind, field=field)


def _event(session: Session, verb: str, actor: Member | None, now: datetime, **fields: Any) -> None:
    SessionEvent.objects.create(session=session, verb=verb, actor=actor, created_at=now, **fields)


def _tell(
    member: Member, kind: str, session: Session, params: dict[str, Any], variant: str = ""
) -> None:
    notify(recipient=member, kind=kind, variant=variant, params=params, url=group_url(session))


def _changed(session: Session, recipients: Iterable[Member], *, cancel: bool = False) -> None:
    signals.session_changed.send(
        sender=Session, session=session, recipients=list(recipients), cancel=cancel
    )


def _locked(session: Session) -> Session:
    """The group session's row, locked for the rest of the transaction."""
    try:
        return (
            Session.objects.select_for_update()
            .select_related("organiser")
            .get(pk=session.pk, kind=Session.Kind.GROUP)
        )
    except Session.DoesNotExist:
        raise DomainError(
            _("There is no such group session."), code="not_found", kind=ErrorKind.NOT_FOUND
        ) from None


def _check_open(session: Session, now: datetime) -> None:
    """Places are taken and given up only before the start of a scheduled session."""
    if session.status == Session.Status.CANCELLED:
        _refuse(_("This group session was cancelled."), "session_cancelled")
    if session.status != Session.Status.SCHEDULED or (
        session.starts_at is not None and session.starts_at <= now
    ):
        _refuse(_("This group session has already started."), "session_started")


def _check_organiser(session: Session, member: Member, refusal: str) -> None:
    if member.pk != session.organiser_id:
        _refuse(refusal, "forbidden", ErrorKind.FORBIDDEN)


# --- Creating -------------------------------------------------------------------


def group_session_create(
    *,
    organiser: Member,
    title: str,
    description: str,
    improvement_area: ImprovementArea | None,
    benefit: str,
    slot: Slot,
    capacity: int,
    listing: Listing | None = None,
    now: datetime | None = None,
) -> Session:
    """A scheduled group session, its credits as the community's policy says now."""
    now = now or timezone.now()
    member_check_may_trade(organiser)
    title, description, benefit = title.strip(), description.strip(), benefit.strip()
    if not title:
        _refuse(_("Give the session a title."), "title_required", ErrorKind.INVALID, field="title")
    if improvement_area is None:
        _refuse(
            _("Choose the area of health and care this improves."),
            "improvement_area_required",
            ErrorKind.INVALID,
            field="improvement_area",
        )
    if not benefit:
        _refuse(
            _("Say in one sentence how this helps health and care."),
            "benefit_required",
            ErrorKind.INVALID,
            field="benefit",
        )
    check_shared_text(title=title, description=description, benefit=benefit, place=slot.place)
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        _refuse(
            _("A group session has from %(least)s to %(most)s places.")
            % {"least": MIN_CAPACITY, "most": MAX_CAPACITY},
            "invalid_capacity",
            ErrorKind.INVALID,
            field="capacity",
        )
    slot = slot_check(slot, now=now)
    if listing is not None and (
        listing.owner_id != organiser.pk
        or listing.kind != Listing.Kind.OFFER
        or listing.status != Listing.Status.OPEN
        or listing.expires_at <= now
    ):
        _refuse(
            _("A group session is run from one of your own open offers."),
            "listing_not_yours",
            ErrorKind.INVALID,
            field="listing",
        )
    with transaction.atomic():
        session = Session.objects.create(
            kind=Session.Kind.GROUP,
            status=Session.Status.SCHEDULED,
            organiser=organiser,
            title=title,
            description=description,
            improvement_area=improvement_area,
            benefit=benefit,
            listing=listing,
            capacity=capacity,
            credit_policy=SchedulingSettings.current().group_credit_policy,
            starts_at=slot.starts_at,
            minutes=slot.minutes,
            place=slot.place,
            video_url=slot.video_url,
            created_at=now,
            updated_at=now,
        )
        _event(session, Verb.CREATE, organiser, now, starts_at=slot.starts_at, minutes=slot.minutes)
        _changed(session, [organiser])
    return session


# --- Places and the waiting list ---------------------------------------------------


def _hold(session: Session, seat: Seat, member: Member) -> Transfer | None:
    """Hold the place's share (shared policy); InsufficientCredit if it is not there."""
    share = seat_share(session)
    if not share:
        return None
    return ledger.hold_place(
        key=_hold_key(session, seat),
        kind=Transfer.Kind.GROUP_SESSION,
        debit_account=ledger.account_open(member=seat.member),
        credit_account=ledger.account_open(member=session.organiser),
        amount=share,
        initiated_by=member,
        memo=session.title[:200],
    )


def _release(session: Session, seat: Seat, actor: Member | None) -> None:
    if seat.hold is not None:
        ledger.hold_void(
            key=f"{_hold_key(session, seat)}:release", hold=seat.hold, initiated_by=actor
        )


def _booked_count(session: Session) -> int:
    return Seat.objects.filter(session=session, status=Seat.Status.BOOKED).count()


def group_sign_up(*, session: Session, member: Member, now: datetime | None = None) -> Seat:
    """A place if one is free (its share held under "shared"), else the waiting list."""
    member_check_may_trade(member)
    with transaction.atomic():
        locked = _locked(session)
        # Read under the lock: the waiting list's order is the order of the locks.
        now = now or timezone.now()
        _check_open(locked, now)
        if member.pk == locked.organiser_id:
            _refuse(
                _("You run this session; your colleagues take the places."),
                "own_session",
                ErrorKind.INVALID,
            )
        live = Seat.objects.filter(session=locked, member=member, status__in=LIVE).first()
        if live is not None:
            _refuse(
                _("You already have a place in this session.")
                if live.status == Seat.Status.BOOKED
                else _("You are already on the waiting list."),
                "already_signed_up",
            )
        seat = Seat.objects.create(
            session=locked, member=member, status=Seat.Status.WAITING, joined_at=now
        )
        if _booked_count(locked) < (locked.capacity or 0):
            try:
                seat.hold = _hold(locked, seat, member)
            except InsufficientCredit as error:
                available = ledger.account_open(member=member).available
                raise DomainError(
                    _(
                        "A place costs %(share)s and you have %(available)s available. "
                        "Earn credits by giving your time, then sign up again."
                    )
                    % {
                        "share": credits_text(seat_share(locked)),
                        "available": credits_text(max(available, 0)),
                    },
                    code="insufficient_credit",
                    kind=ErrorKind.CONFLICT,
                ) from error
            seat.status = Seat.Status.BOOKED
            seat.booked_at = now
            seat.save(update_fields=["hold", "status", "booked_at"])
            _event(locked, Verb.SIGN_UP, member, now)
            variant = ""  # took a place
            _changed(locked, [member])
        else:
            _event(locked, Verb.WAIT, member, now)
            variant = "waiting"
        _tell(
            locked.organiser,
            Notification.Kind.GROUP_SIGNED_UP,
            locked,
            {"name": member.display_name, "title": locked.title},
            variant,
        )
    return seat


def group_leave(*, session: Session, member: Member, now: datetime | None = None) -> Seat:
    """Give up a place (its hold released; the first who can take it moves up)
    or a place on the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(session)
        seat = (
            Seat.objects.select_related("hold")
            .filter(session=locked, member=member, status__in=LIVE)
            .first()
        )
        if seat is None:
            _refuse(
                _("You have no place in this session to give up."),
                "not_signed_up",
                ErrorKind.NOT_FOUND,
            )
        _check_open(locked, now)
        was_booked = seat.status == Seat.Status.BOOKED
        _release(locked, seat, member)
        seat.status = Seat.Status.LEFT
        seat.left_at = now
        seat.save(update_fields=["status", "left_at"])
        _event(locked, Verb.LEAVE, member, now)
        if was_booked:
            # A new revision: the leaver's calendar removes the event, and should
            # they come back, their new invitation outranks that cancellation.
            locked.sequence += 1
            locked.updated_at = now
            locked.save(update_fields=["sequence", "updated_at"])
            _changed(locked, [member], cancel=True)
            _promote_next(locked, now)
    return seat


def _promote_next(session: Session, now: datetime) -> Seat | None:
    """The first on the waiting list who can take the free place takes it; any
    passed over for want of credits are told and keep their place in the queue."""
    waiting = Seat.objects.select_related("member").filter(
        session=session, status=Seat.Status.WAITING
    )
    for seat in waiting.order_by("joined_at", "pk"):
        try:
            with transaction.atomic():
                member_check_may_trade(seat.member)
                seat.hold = _hold(session, seat, seat.member)
        except DomainError:
            _event(session, Verb.SKIP, None, now, member=seat.member)
            _tell(
                seat.member,
                Notification.Kind.GROUP_PLACE,
                session,
                {"title": session.title, "share_minutes": seat_share(session)},
                "no_credit",
            )
            continue
        seat.status = Seat.Status.BOOKED
        seat.booked_at = now
        seat.save(update_fields=["hold", "status", "booked_at"])
        _event(session, Verb.PROMOTE, None, now, member=seat.member)
        _tell(
            seat.member,
            Notification.Kind.GROUP_PLACE,
            session,
            {"title": session.title},
        )
        _changed(session, [seat.member])
        return seat
    return None


# --- Cancelling -------------------------------------------------------------------


def group_session_cancel(
    *, session: Session, member: Member, reason: str, now: datetime | None = None
) -> Session:
    """The organiser calls it off: every hold released, everyone told."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked(session)
        _check_organiser(locked, member, _("Only the organiser can cancel this session."))
        if locked.status == Session.Status.CANCELLED:
            return locked  # a double click
        if locked.status != Session.Status.SCHEDULED:
            _refuse(
                _("Attendance has been recorded: this session can no longer be cancelled."),
                "session_held",
            )
        if not reason:
            _refuse(
                _("Say why, so the people who signed up know."),
                "reason",
                ErrorKind.INVALID,
                field="reason",
            )
        check_shared_text(reason=reason)
        seats = list(
            Seat.objects.select_related("member", "hold").filter(session=locked, status__in=LIVE)
        )
        for seat in seats:
            _release(locked, seat, member)
        locked.status = Session.Status.CANCELLED
        locked.cancelled_at = now
        locked.cancelled_by = member
        locked.cancel_reason = reason[:500]
        locked.sequence += 1
        locked.updated_at = now
        locked.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancel_reason",
                "sequence",
                "updated_at",
            ]
        )
        _event(locked, Verb.CANCEL, member, now, reason=reason[:500])
        for seat in seats:
            _tell(
                seat.member,
                Notification.Kind.GROUP_CANCELLED,
                locked,
                {"name": member.display_name, "title": locked.title, "reason": reason},
            )
        booked = [seat.member for seat in seats if seat.status == Seat.Status.BOOKED]
        _changed(locked, [locked.organiser, *booked], cancel=True)
    return locked


# --- After the session ------------------------------------------------------------


def group_attendance_record(
    *,
    session: Session,
    member: Member,
    attended_member_ids: Iterable[int],
    now: datetime | None = None,
) -> Session:
    """The organiser says who came, once, after the start; the credits follow."""
    now = now or timezone.now()
    attended_ids = {int(pk) for pk in attended_member_ids}
    with transaction.atomic():
        locked = _locked(session)
        _check_organiser(locked, member, _("Only the organiser can record who attended."))
        if locked.status == Session.Status.HELD:
            _refuse(_("Attendance has already been recorded."), "attendance_recorded")
        if locked.status != Session.Status.SCHEDULED:
            _refuse(_("This group session was cancelled."), "session_cancelled")
        if locked.starts_at is None or locked.starts_at > now:
            _refuse(_("Record who attended once the session has started."), "session_not_started")
        booked = list(
            Seat.objects.select_related("member", "hold").filter(
                session=locked, status=Seat.Status.BOOKED
            )
        )
        strangers = attended_ids - {seat.member_id for seat in booked}
        if strangers:
            _refuse(
                _("Only members who had a place can be recorded as attending."),
                "not_booked",
                ErrorKind.INVALID,
                field="attended",
            )
        posted = 0
        for seat in booked:
            came = seat.member_id in attended_ids
            if came and seat.hold is not None:
                seat.payment = ledger.hold_post(
                    key=f"{_hold_key(locked, seat)}:payment",
                    hold=seat.hold,
                    initiated_by=member,
                    memo=locked.title[:200],
                )
                posted += seat.payment.amount
            elif not came:
                _release(locked, seat, member)
            seat.status = Seat.Status.ATTENDED if came else Seat.Status.ABSENT
            seat.save(update_fields=["status", "payment"])
        # The organiser earns the session's minutes once, if anyone came.
        rest = (locked.minutes or 0) - posted if attended_ids else 0
        if rest > 0:
            locked.pool_payment = ledger.transfer_create(
                key=_pool_key(locked),
                kind=Transfer.Kind.GROUP_SESSION,
                debit_account=ledger.pool_account(),
                credit_account=ledger.account_open(member=locked.organiser),
                amount=rest,
                initiated_by=member,
                memo=locked.title[:200],
            )
        locked.status = Session.Status.HELD
        locked.attendance_recorded_at = now
        locked.sequence += 1
        locked.updated_at = now
        locked.save(
            update_fields=[
                "status",
                "attendance_recorded_at",
                "pool_payment",
                "sequence",
                "updated_at",
            ]
        )
        _event(locked, Verb.ATTENDANCE, member, now)
        for seat in booked:
            _tell(
                seat.member,
                Notification.Kind.GROUP_ATTENDANCE,
                locked,
                {"name": member.display_name, "title": locked.title},
                "attended" if seat.status == Seat.Status.ATTENDED else "absent",
            )
    return locked


# --- The community's choice ---------------------------------------------------------


def group_credit_policy_set(*, member: Member, policy: str) -> SchedulingSettings:
    """A community administrator chooses how new group sessions are paid for;
    sessions already made keep theirs. Audited."""
    if not member.has_perm(SETTINGS_PERMISSION):
        _refuse(
            _("Only a community administrator can change this."), "forbidden", ErrorKind.FORBIDDEN
        )
    if policy not in CreditPolicy.values:
        _refuse(_("Choose free or shared."), "invalid_policy", ErrorKind.INVALID, field="policy")
    with transaction.atomic():
        settings = SchedulingSettings.current()
        settings = SchedulingSettings.objects.select_for_update().get(pk=settings.pk)
        before = settings.group_credit_policy
        if before == policy:
            return settings
        settings.group_credit_policy = policy
        settings.updated_by = member
        settings.updated_at = timezone.now()
        settings.save(update_fields=["group_credit_policy", "updated_by", "updated_at"])
        audit_record(
            action=AuditEntry.Action.SETTINGS_CHANGED,
            actor=member,
            target=settings,
            summary=f"Group sessions' credits: {before} -> {policy}",
            data={"setting": "group_credit_policy", "before": before, "after": policy},
        )
    return settings
