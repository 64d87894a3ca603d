"""Every change this app makes: asking someone to help, their answer, the opt-out.

Each invitation move locks the request's row (the cap of open invitations is
counted under that lock), checks ``TRANSITIONS`` and who is asking, stamps
``decided_at`` and tells the other side; e-mails leave after commit
(``notifications.services.notify``). Accepting proposes an exchange through
``exchanges.services.exchange_propose_from_listing``, the helper providing:
exactly what answering the request by hand does.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.core.errors import DomainError, ErrorKind
from equitime.core.rules import check_shared_text
from equitime.exchanges.services import exchange_propose_from_listing
from equitime.listings.models import Listing
from equitime.matching.models import (
    MAX_OPEN_INVITATIONS,
    NOTE_MAX_LENGTH,
    TRANSITIONS,
    HelpInvitation,
    Status,
    SuggestionSettings,
)
from equitime.members.models import Member
from equitime.members.roles import may_act_for_members
from equitime.notifications.services import notify

# Another helper on issue 14 adds this permission (coordinators act for members).


def may_see_helpers(*, listing: Listing, member: Member | None) -> bool:
    """The poster and a coordinator see who could help with a request; nobody else."""
    if member is None or not member.is_authenticated or not member.is_active:
        return False
    if listing.kind != Listing.Kind.REQUEST:
        return False
    return listing.owner_id == member.pk or may_act_for_members(member)


def is_suggestable(member: Member) -> bool:
    settings = SuggestionSettings.objects.filter(member=member).first()
    return settings is None or settings.suggestable


def invitation_url(invitation: HelpInvitation) -> str:
    return reverse("help_invitation_detail", args=[invitation.pk])


def _check_note(note: str, field: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            _("Keep it to %(count)d characters.") % {"count": NOTE_MAX_LENGTH},
            code="too_long",
            kind=ErrorKind.INVALID,
            field=field,
        )
    check_shared_text(**{field: note})
    return note


def help_invitation_ask(
    *, listing: Listing, helper: Member, member: Member, note: str = ""
) -> HelpInvitation:
    """``member`` (the poster or a coordinator) asks ``helper`` to help with ``listing``."""
    if not may_see_helpers(listing=listing, member=member):
        raise DomainError(
            _("Only the person who posted this request can ask colleagues to help."),
            code="not_poster",
            kind=ErrorKind.FORBIDDEN,
        )
    note = _check_note(note, "note")
    if helper.pk in (listing.owner_id, member.pk):
        raise DomainError(
            _("Ask a colleague: you cannot invite yourself."),
            code="own_request",
            kind=ErrorKind.INVALID,
            field="helper",
        )
    if not helper.is_active or helper.is_staff or not is_suggestable(helper):
        raise DomainError(
            _("%(name)s cannot be asked to help at the moment. Choose someone else.")
            % {"name": helper.display_name},
            code="not_suggestable",
            kind=ErrorKind.CONFLICT,
            field="helper",
        )
    with transaction.atomic():
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        if not locked.is_open:
            raise DomainError(
                _("This request is no longer open, so nobody can be asked to help with it."),
                code="listing_not_open",
                kind=ErrorKind.CONFLICT,
            )
        asked = HelpInvitation.objects.filter(listing=locked)
        if asked.filter(helper=helper).exists():
            raise DomainError(
                _("You have already asked %(name)s about this request.")
                % {"name": helper.display_name},
                code="already_asked",
                kind=ErrorKind.CONFLICT,
                field="helper",
            )
        if asked.filter(status=Status.ASKED).count() >= MAX_OPEN_INVITATIONS:
            raise DomainError(
                _(
                    "You can have %(count)d invitations waiting at once. Wait for an answer, "
                    "or withdraw one, before asking someone else."
                )
                % {"count": MAX_OPEN_INVITATIONS},
                code="too_many_invitations",
                kind=ErrorKind.CONFLICT,
            )
        try:
            with transaction.atomic():
                invitation = HelpInvitation.objects.create(
                    listing=locked, helper=helper, asked_by=member, note=note
                )
        except IntegrityError as error:  # the same ask sent twice at once
            raise DomainError(
                _("You have already asked %(name)s about this request.")
                % {"name": helper.display_name},
                code="already_asked",
                kind=ErrorKind.CONFLICT,
                field="helper",
            ) from error
        notify(
            recipient=helper,
            kind="help_asked",
            params={"name": member.display_name, "title": locked.title},
            url=invitation_url(invitation),
            listing=locked,
        )
    return invitation


def _locked(invitation: HelpInvitation, to: str) -> HelpInvitation | None:
    """The invitation locked; None if it already is in ``to`` (a replay)."""
    locked = HelpInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status == to:
        return None
    if to not in TRANSITIONS[locked.status]:
        raise DomainError(
            _("This invitation was already %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="invitation_decided",
            kind=ErrorKind.CONFLICT,
        )
    return locked


def _check_helper(invitation: HelpInvitation, member: Member) -> None:
    if invitation.helper_id != member.pk:
        raise DomainError(
            _("Only the colleague who was asked can answer this invitation."),
            code="not_helper",
            kind=ErrorKind.FORBIDDEN,
        )


def help_invitation_accept(
    *, invitation: HelpInvitation, member: Member, message: str = ""
) -> HelpInvitation:
    """The helper says yes: an exchange is proposed for the request's estimate,
    the helper giving the time; the poster accepts it as any other proposal."""
    _check_helper(invitation, member)
    with transaction.atomic():
        locked = _locked(invitation, Status.ACCEPTED)
        if locked is None:
            return HelpInvitation.objects.get(pk=invitation.pk)
        listing = Listing.objects.select_related("owner", "improvement_area").get(
            pk=locked.listing_id
        )
        exchange = exchange_propose_from_listing(
            listing=listing,
            member=member,
            minutes=listing.estimated_minutes,
            message=message,
        )
        locked.status = Status.ACCEPTED
        locked.exchange = exchange
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "exchange", "decided_at"])
        # The exchange's own notice (and e-mail) asks the poster to accept; this
        # one only ties it to the invitation in the app.
        notify(
            recipient=listing.owner,
            kind="help_accepted",
            params={"name": member.display_name, "title": listing.title},
            url=reverse("exchange_detail", args=[exchange.pk]),
            exchange=exchange,
            email=False,
        )
    return locked


def help_invitation_decline(
    *, invitation: HelpInvitation, member: Member, reason: str = ""
) -> HelpInvitation:
    """The helper says no, with a reason if they wish; the poster is told."""
    _check_helper(invitation, member)
    reason = _check_note(reason, "reason")
    with transaction.atomic():
        locked = _locked(invitation, Status.DECLINED)
        if locked is None:
            return HelpInvitation.objects.get(pk=invitation.pk)
        locked.status = Status.DECLINED
        locked.decline_reason = reason
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decline_reason", "decided_at"])
        listing = Listing.objects.select_related("owner").get(pk=locked.listing_id)
        notify(
            recipient=listing.owner,
            kind="help_declined",
            params={"name": member.display_name, "title": listing.title},
            url=reverse("listing_detail", args=[listing.pk]),
            listing=listing,
        )
    return locked


def help_invitation_withdraw(*, invitation: HelpInvitation, member: Member) -> HelpInvitation:
    """The poster (or the coordinator who asked) no longer needs this helper,
    which frees a place for someone else."""
    listing = Listing.objects.get(pk=invitation.listing_id)
    if not (listing.owner_id == member.pk or invitation.asked_by_id == member.pk):
        raise DomainError(
            _("Only the person who asked can withdraw this invitation."),
            code="not_asker",
            kind=ErrorKind.FORBIDDEN,
        )
    with transaction.atomic():
        locked = _locked(invitation, Status.WITHDRAWN)
        if locked is None:
            return HelpInvitation.objects.get(pk=invitation.pk)
        locked.status = Status.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
    return locked


def help_invitation_moves_for(*, invitation: HelpInvitation, member: Member) -> set[str]:
    """What ``member`` may do to ``invitation`` now: the page's buttons and the API's."""
    if invitation.status != Status.ASKED:
        return set()
    moves = set()
    if invitation.helper_id == member.pk:
        moves |= {"accept", "decline"}
    if invitation.listing.owner_id == member.pk or invitation.asked_by_id == member.pk:
        moves.add("withdraw")
    return moves


def suggestion_settings_update(*, member: Member, suggestable: bool) -> SuggestionSettings:
    """The member's own choice about being suggested as a helper."""
    settings, _created = SuggestionSettings.objects.update_or_create(
        member=member, defaults={"suggestable": suggestable, "updated_at": timezone.now()}
    )
    return settings
