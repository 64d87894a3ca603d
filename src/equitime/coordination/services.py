"""Everything a coordinator does, and the consent it rests on.

Each service checks, in this order: the coordinator holds
``members.act_for_member``; they are not acting for themselves; the member's
consent to them is standing (``coordinator_check``); for exchanges, the member
is a party and the coordinator is neither the other party nor acting for it
(``coordinator_check_exchange``). Then it calls the ordinary service as the
member, with ``recorded_by`` the coordinator, writes an audit row and tells the
member, all in one transaction: a refusal writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.coordination.models import Consent
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.rules import check_shared_text
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, ExchangeEvent
from equitime.listings import services as listings
from equitime.listings.models import Listing
from equitime.members.models import Member
from equitime.members.roles import may_act_for_members
from equitime.notifications.services import notify
from equitime.skills.models import ImprovementArea

Verb = ExchangeEvent.Verb
# The moves a coordinator may make for a member; disputes and thanks stay the member's own.
ACTIONS = (Verb.ACCEPT, Verb.DECLINE, Verb.DELIVER, Verb.CONFIRM, Verb.CANCEL)


def _refuse(message: str, code: str, kind: ErrorKind = ErrorKind.FORBIDDEN) -> DomainError:
    return DomainError(message, code=code, kind=kind)


def _check_coordinator(coordinator: Member, member: Member) -> None:
    if not may_act_for_members(coordinator):
        raise _refuse(_("Only coordinators can act for other members."), "not_coordinator")
    if coordinator.pk == member.pk:
        raise _refuse(
            _("A coordinator cannot act for themselves."), "own_account", ErrorKind.INVALID
        )


def consent_standing(*, coordinator: Member, member: Member) -> Consent | None:
    return Consent.objects.filter(
        coordinator=coordinator, member=member, withdrawn_at__isnull=True
    ).first()


def coordinator_check(*, coordinator: Member, member: Member) -> Consent:
    """The standing consent that lets ``coordinator`` act for ``member``, or a refusal."""
    _check_coordinator(coordinator, member)
    consent = consent_standing(coordinator=coordinator, member=member)
    if consent is None:
        raise _refuse(
            _(
                "%(name)s's consent for you to act for them is not on record. "
                "Ask them, then record how they agreed."
            )
            % {"name": member.display_name},
            "no_consent",
        )
    return consent


def coordinator_check_exchange(*, coordinator: Member, member: Member, exchange: Exchange) -> None:
    """A coordinator acts for one party of an exchange, never for the other
    party or as the other party."""
    if member.pk not in (exchange.provider_id, exchange.receiver_id):
        raise _refuse(
            _("%(name)s is not part of this exchange.") % {"name": member.display_name},
            "not_a_party",
        )
    if coordinator.pk in (exchange.provider_id, exchange.receiver_id):
        raise _refuse(
            _(
                "You are the other member in this exchange, so you cannot act for "
                "%(name)s in it. Ask another coordinator."
            )
            % {"name": member.display_name},
            "coordinator_is_party",
        )
    acted_for_other = (
        ExchangeEvent.objects.filter(exchange=exchange, recorded_by=coordinator)
        .exclude(actor=member)
        .exists()
    )
    if acted_for_other:
        raise _refuse(
            _(
                "You already acted for the other member in this exchange; one coordinator "
                "cannot act for both sides. Ask another coordinator."
            ),
            "both_sides",
        )


def _told(member: Member, variant: str, params: dict[str, Any], *, url: str, **about: Any) -> None:
    notify(
        recipient=member,
        kind="coordinator_acted",
        variant=variant,
        params=params,
        url=url,
        **about,
    )


# --- Consent -------------------------------------------------------------------


def consent_record(*, coordinator: Member, member: Member, method: str, note: str = "") -> Consent:
    """Record that ``member`` agreed to ``coordinator`` acting for them."""
    _check_coordinator(coordinator, member)
    if not member.is_active:
        raise _refuse(_("This member is not active."), "inactive_member", ErrorKind.CONFLICT)
    if method not in Consent.Method.values:
        raise _refuse(_("Say how the member gave their consent."), "method", ErrorKind.INVALID)
    note = (note or "").strip()
    check_shared_text(note=note)
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                coordinator=coordinator, member=member, method=method, note=note[:500]
            )
            audit_record(
                action=AuditEntry.Action.CONSENT_RECORDED,
                actor=coordinator,
                target=consent,
                summary=(
                    f"Member {member.pk} consented ({method}) to coordinator "
                    f"{coordinator.pk} acting for them"
                ),
                data={"member": member.pk, "method": method},
            )
            _told(
                member,
                "consent",
                {"name": coordinator.display_name},
                url=reverse("coordination_mine"),
            )
    except IntegrityError as error:
        raise _refuse(
            _("%(name)s's consent is already on record.") % {"name": member.display_name},
            "consent_exists",
            ErrorKind.CONFLICT,
        ) from error
    return consent


def consent_withdraw(*, consent: Consent, by: Member) -> Consent:
    """The member (or the coordinator) withdraws a standing consent; the row stays."""
    if by.pk not in (consent.member_id, consent.coordinator_id):
        raise _refuse(_("Only the member or their coordinator can withdraw this."), "forbidden")
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            return locked  # already withdrawn: a double click
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = by
        locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit_record(
            action=AuditEntry.Action.CONSENT_WITHDRAWN,
            actor=by,
            target=locked,
            summary=(
                f"Consent of member {locked.member_id} to coordinator "
                f"{locked.coordinator_id} withdrawn"
            ),
            data={"member": locked.member_id, "coordinator": locked.coordinator_id},
        )
        if by.pk != locked.member_id:
            _told(
                locked.member,
                "consent_withdrawn",
                {"name": locked.coordinator.display_name},
                url=reverse("coordination_mine"),
            )
    return locked


# --- Acting ----------------------------------------------------------------------


def _audit_act(
    coordinator: Member, member: Member, what: str, target: Any, data: dict | None = None
) -> None:
    audit_record(
        action=AuditEntry.Action.ACTED_FOR_MEMBER,
        actor=coordinator,
        target=target,
        summary=f"Coordinator {coordinator.pk} for member {member.pk}: {what}",
        data={"member": member.pk, "what": what, **(data or {})},
    )


def coordinated_listing_create(*, coordinator: Member, member: Member, **fields: Any) -> Listing:
    """Post a listing for ``member``: theirs, marked as posted by the coordinator."""
    with transaction.atomic():
        coordinator_check(coordinator=coordinator, member=member)
        listing = listings.listing_create(owner=member, recorded_by=coordinator, **fields)
        _audit_act(coordinator, member, "listing posted", listing, {"listing": listing.pk})
        _told(
            member,
            "listing",
            {"name": coordinator.display_name, "title": listing.title},
            url=reverse("listing_detail", args=[listing.pk]),
            listing=listing,
        )
    return listing


def coordinated_exchange_propose(
    *,
    coordinator: Member,
    member: Member,
    other: Member,
    member_gives: bool,
    title: str,
    improvement_area: ImprovementArea,
    benefit: str,
    minutes: int,
    message: str = "",
    request_key: str | None = None,
) -> Exchange:
    """Propose, for ``member``, an exchange with ``other`` (the other party
    accepts and confirms as usual)."""
    with transaction.atomic():
        coordinator_check(coordinator=coordinator, member=member)
        if other.pk == coordinator.pk:
            raise _refuse(
                _(
                    "You cannot record an exchange between yourself and a member you act "
                    "for. Ask another coordinator."
                ),
                "coordinator_is_party",
            )
        exchange = exchanges.exchange_propose_direct(
            member=member,
            other=other,
            member_gives=member_gives,
            title=title,
            improvement_area=improvement_area,
            benefit=benefit,
            minutes=minutes,
            message=message,
            request_key=request_key,
            within_means=True,
            recorded_by=coordinator,
        )
        if exchange.recorded_by_id != coordinator.pk:
            # A replayed key that the member (or another coordinator) used.
            raise _refuse(_("This form was already used."), "key_conflict", ErrorKind.CONFLICT)
        if not AuditEntry.objects.filter(
            action=AuditEntry.Action.ACTED_FOR_MEMBER, target=f"exchanges.exchange:{exchange.pk}"
        ).exists():
            _audit_act(coordinator, member, "exchange proposed", exchange, {"minutes": minutes})
            _told(
                member,
                "exchange",
                {
                    "name": coordinator.display_name,
                    "other": other.display_name,
                    "title": exchange.title,
                },
                url=reverse("exchange_detail", args=[exchange.pk]),
                exchange=exchange,
            )
    return exchange


_WHAT: dict[str, str] = {
    Verb.ACCEPT: "exchange accepted",
    Verb.DECLINE: "exchange declined",
    Verb.DELIVER: "hours logged",
    Verb.CONFIRM: "hours confirmed",
    Verb.CANCEL: "exchange cancelled",
}


def coordinated_exchange_act(
    *,
    coordinator: Member,
    member: Member,
    exchange: Exchange,
    action: str,
    minutes: int | None = None,
    reason: str = "",
    confirm_over_agreed: bool = False,
) -> Exchange:
    """Make one of the member's moves on an exchange (``ACTIONS``) for them."""
    if action not in ACTIONS:
        raise _refuse(
            _("A coordinator cannot do this for a member."), "unknown_action", ErrorKind.INVALID
        )
    with transaction.atomic():
        coordinator_check(coordinator=coordinator, member=member)
        exchange = Exchange.objects.select_related("provider", "receiver").get(pk=exchange.pk)
        coordinator_check_exchange(coordinator=coordinator, member=member, exchange=exchange)
        if action == Verb.ACCEPT:
            done = exchanges.exchange_accept(
                exchange=exchange, member=member, recorded_by=coordinator
            )
        elif action == Verb.DECLINE:
            done = exchanges.exchange_decline(
                exchange=exchange, member=member, reason=reason, recorded_by=coordinator
            )
        elif action == Verb.CANCEL:
            done = exchanges.exchange_cancel(
                exchange=exchange, member=member, reason=reason, recorded_by=coordinator
            )
        elif action == Verb.CONFIRM:
            done = exchanges.exchange_confirm(
                exchange=exchange, member=member, recorded_by=coordinator
            )
        else:
            if minutes is None:
                raise DomainError(
                    _("Enter the hours given."),
                    code="invalid_minutes",
                    kind=ErrorKind.INVALID,
                    field="minutes",
                )
            done = exchanges.exchange_deliver(
                exchange=exchange,
                member=member,
                minutes=minutes,
                confirm_over_agreed=confirm_over_agreed,
                recorded_by=coordinator,
            )
        _audit_act(
            coordinator,
            member,
            _WHAT[action],
            done,
            {"action": str(action), "minutes": minutes, "status": done.status},
        )
        _told(
            member,
            "recorded",
            # The act is named in the reader's words when read (``what``).
            {"name": coordinator.display_name, "title": done.title, "verb": str(action)},
            url=reverse("exchange_detail", args=[done.pk]),
            exchange=done,
        )
    return done
