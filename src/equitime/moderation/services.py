"""Moderation: members flag listings, moderators decide the flags and suspend members."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.rules import check_no_patient_data
from equitime.listings.models import Listing
from equitime.listings.services import listing_close_by_moderator, listing_pause_all_for_owner
from equitime.members.models import Member
from equitime.members.services import member_account_suspend
from equitime.moderation.models import ListingFlag
from equitime.notifications.models import Notification
from equitime.notifications.services import notify

NOTE_MAX_LENGTH = 1000


def _flag_note(note: str | None, *, field: str) -> str:
    """A note fit to keep. Only the patient-data check: a report or a decision
    about money talk has to be able to quote it, so the money check would
    refuse exactly the notes that matter."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            _("Keep the note to %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
            code="too_long",
            field=field,
            kind=ErrorKind.INVALID,
        )
    check_no_patient_data(**{field: note})
    return note


def listing_flag_check_may(*, listing: Listing, member: Member) -> None:
    """Raise a DomainError if ``member`` may not flag ``listing`` at all
    (the flag page asks this before showing its form)."""
    if not member.is_active:
        raise DomainError(
            _("This account is suspended or closed."), code="inactive", kind=ErrorKind.FORBIDDEN
        )
    if listing.owner_id == member.pk:
        raise DomainError(
            _("You cannot report your own listing."), code="own_listing", kind=ErrorKind.INVALID
        )
    if listing.status == Listing.Status.CLOSED:
        raise DomainError(
            _("This listing is closed already: nobody can take it up."),
            code="listing_closed",
            kind=ErrorKind.CONFLICT,
        )


def _already_flagged() -> DomainError:
    return DomainError(
        _(
            "You have already reported this listing and a moderator has not decided yet. "
            "You will be told when they do."
        ),
        code="already_flagged",
        kind=ErrorKind.CONFLICT,
    )


def listing_flag(*, listing: Listing, member: Member, reason: str, note: str = "") -> ListingFlag:
    """A member reports a listing that breaks the rules; moderators decide.
    One open flag per member and listing."""
    if reason not in ListingFlag.Reason.values:
        raise DomainError(
            _("Choose what is wrong with this listing."),
            code="reason",
            kind=ErrorKind.INVALID,
            field="reason",
        )
    note = _flag_note(note, field="note")
    if reason == ListingFlag.Reason.OTHER and not note:
        raise DomainError(
            _("Say what is wrong, so a moderator knows what to look for."),
            code="note_required",
            field="note",
            kind=ErrorKind.INVALID,
        )
    listing_flag_check_may(listing=listing, member=member)
    try:
        with transaction.atomic():
            # Locked as deciding locks it: a flag is never added to a decision half-made.
            locked = Listing.objects.select_for_update().get(pk=listing.pk)
            listing_flag_check_may(listing=locked, member=member)
            mine = ListingFlag.objects.filter(
                listing=locked, flagged_by=member, status=ListingFlag.Status.OPEN
            )
            if mine.exists():
                raise _already_flagged()
            return ListingFlag.objects.create(
                listing=locked, flagged_by=member, reason=reason, note=note
            )
    except IntegrityError as error:
        # Two submissions at once: the unique constraint let one through.
        if ListingFlag.objects.filter(
            listing=listing, flagged_by=member, status=ListingFlag.Status.OPEN
        ).exists():
            raise _already_flagged() from error
        raise


def listing_flag_automatic(*, listing: Listing, field: str, phrase: str) -> ListingFlag | None:
    """The money check found words in ``listing`` that may be payment: the
    listing stays published and a moderator reads it. One open automatic
    report per listing; None if one is open already."""
    note = _(
        "Found automatically: “%(phrase)s” in the %(field)s may be an offer or a "
        "request of payment. Please read the listing."
    ) % {"phrase": phrase[:200], "field": field.replace("_", " ")}
    with transaction.atomic():
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        if ListingFlag.objects.filter(
            listing=locked, automatic=True, status=ListingFlag.Status.OPEN
        ).exists():
            return None
        return ListingFlag.objects.create(
            listing=locked,
            flagged_by=None,
            automatic=True,
            reason=ListingFlag.Reason.ASKS_FOR_MONEY,
            note=note[:NOTE_MAX_LENGTH],
        )


def listing_flag_uphold(*, flag: ListingFlag, moderator: Member, note: str) -> list[ListingFlag]:
    """The listing breaks the rules: close it, mark every open flag on it upheld,
    tell the owner why and the members who reported it."""
    return _flag_decide(flag=flag, moderator=moderator, note=note, uphold=True)


def listing_flag_dismiss(*, flag: ListingFlag, moderator: Member, note: str) -> list[ListingFlag]:
    """The listing may stay: mark every open flag on it dismissed and tell the
    members who reported it why. The listing is not touched."""
    return _flag_decide(flag=flag, moderator=moderator, note=note, uphold=False)


def _check_undecided(flag: ListingFlag) -> None:
    if flag.status != ListingFlag.Status.OPEN:
        raise DomainError(
            _("This report has already been decided by a moderator: %(status)s.")
            % {"status": flag.get_status_display().lower()},
            code="already_decided",
            kind=ErrorKind.CONFLICT,
        )


def _check_not_own(listing: Listing, moderator: Member) -> None:
    if listing.owner_id == moderator.pk:
        raise DomainError(
            _("This is your own listing: another moderator must decide about it."),
            code="own_listing",
            kind=ErrorKind.INVALID,
        )


def _own_report() -> DomainError:
    return DomainError(
        _("You reported this listing yourself: another moderator must decide about it."),
        code="own_report",
        kind=ErrorKind.CONFLICT,
    )


def _flag_decide(
    *, flag: ListingFlag, moderator: Member, note: str, uphold: bool
) -> list[ListingFlag]:
    if not (moderator.is_active and moderator.has_perm("members.moderate")):
        raise DomainError(
            _("Only moderators can decide reports."), code="forbidden", kind=ErrorKind.FORBIDDEN
        )
    _check_undecided(flag)  # early, so a stale page hears this first; again under lock
    # Before the note, which would not make it theirs to decide; again under lock.
    _check_not_own(flag.listing, moderator)
    if ListingFlag.objects.filter(
        listing_id=flag.listing_id, flagged_by=moderator, status=ListingFlag.Status.OPEN
    ).exists():
        raise _own_report()
    note = _flag_note(note, field="note")
    if not note:
        raise DomainError(
            _("Write a short note on your decision: the members involved will read it."),
            code="note_required",
            field="note",
            kind=ErrorKind.INVALID,
        )
    with transaction.atomic():
        # Listing first, then its flags: every decider and flagger locks in this order.
        listing = Listing.objects.select_for_update().get(pk=flag.listing_id)
        _check_undecided(ListingFlag.objects.select_for_update().get(pk=flag.pk))
        _check_not_own(listing, moderator)
        flags = list(
            ListingFlag.objects.select_for_update()
            .filter(listing=listing, status=ListingFlag.Status.OPEN)
            .order_by("pk")
        )
        if any(open_flag.flagged_by_id == moderator.pk for open_flag in flags):
            raise _own_report()
        status = ListingFlag.Status.UPHELD if uphold else ListingFlag.Status.DISMISSED
        now = timezone.now()
        for open_flag in flags:
            open_flag.status = status
            open_flag.decided_at = now
            open_flag.decided_by = moderator
            open_flag.decision_note = note
        ListingFlag.objects.bulk_update(
            flags, ["status", "decided_at", "decided_by", "decision_note"]
        )
        status_before = listing.status
        if uphold:
            listing = listing_close_by_moderator(listing=listing, moderator=moderator)
        audit_record(
            action=AuditEntry.Action.MODERATION_DECISION,
            actor=moderator,
            target=listing,
            summary=(
                f"{len(flags)} report(s) on listing {listing.pk} {status} by {moderator.email}"
                + (" and the listing closed" if uphold else "")
            ),
            data={
                "decision": str(status),
                "flags": [open_flag.pk for open_flag in flags],
                "reasons": sorted({open_flag.reason for open_flag in flags}),
                "listing_status_before": status_before,
                "listing_status_after": listing.status,
                "note": note,
            },
        )
        _flag_decision_notify(listing=listing, flags=flags, note=note, uphold=uphold)
    return flags


def _flag_decision_notify(
    *, listing: Listing, flags: list[ListingFlag], note: str, uphold: bool
) -> None:
    """The owner hears only of a closure (never who reported it); each reporter
    hears the outcome once, however many flags they had."""
    title = listing.title
    if uphold:
        notify(
            recipient=listing.owner,
            kind=Notification.Kind.LISTING_MODERATED,
            params={"title": title, "note": note},
            url=reverse("listing_detail", args=[listing.pk]),
            listing=listing,
        )
    # An automatic report has no reporter to tell.
    reporters = {flag.flagged_by_id for flag in flags if flag.flagged_by_id is not None}
    for reporter in Member.objects.filter(pk__in=reporters).order_by("pk"):
        if uphold:
            # They can no longer open a closed listing, so there is nothing to link to.
            variant, params, url = "upheld", {"title": title}, ""
        else:
            variant, params = "dismissed", {"title": title, "note": note}
            url = reverse("listing_detail", args=[listing.pk])
        notify(
            recipient=reporter,
            kind=Notification.Kind.REPORT_DECIDED,
            variant=variant,
            params=params,
            url=url,
            listing=listing,
        )


def member_suspend(*, member: Member, by: Member, reason: str) -> Member:
    """Stop a member signing in (their sessions end at the next request) and
    pause their open listings. Their ledger and exchanges are left as they are.
    Lifting it is ``members.services.member_reinstate``: paused listings stay
    paused."""
    with transaction.atomic():
        suspended, tokens_revoked = member_account_suspend(member=member, by=by, reason=reason)
        paused = listing_pause_all_for_owner(owner=suspended)
        audit_record(
            action=AuditEntry.Action.MEMBER_SUSPENDED,
            actor=by,
            target=suspended,
            summary=f"{suspended.email} suspended by {by.email}",
            data={
                "reason": suspended.suspension_reason,
                "listings_paused": paused,
                "api_tokens_revoked": tokens_revoked,
            },
        )
    return suspended
