"""Flagging listings and deciding flags: every rule, every refusal, and what a
decision leaves behind (the listing, every flag, the audit log, notifications)."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from equitime.audit.models import AuditEntry
from equitime.core.errors import DomainError
from equitime.listings.models import Listing
from equitime.listings.services import (
    listing_close,
    listing_close_by_moderator,
    listing_pause,
    listing_renew,
    listing_resume,
)
from equitime.members.models import Member
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag, listing_flag_dismiss, listing_flag_uphold
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db

Reason = ListingFlag.Reason
Status = ListingFlag.Status
NHS_NUMBER = "943 476 5919"


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as refusal:
        call(**kwargs)
    return refusal.value


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def decisions():
    return AuditEntry.objects.filter(action=AuditEntry.Action.MODERATION_DECISION)


# --- Flagging -----------------------------------------------------------------------


def test_a_member_flags_a_listing_with_a_reason_and_note(listing, reporter):
    flag = listing_flag(
        listing=listing,
        member=reporter,
        reason=Reason.NOT_HEALTH_CARE_IMPROVEMENT,
        note="  This is a personal removal job.  ",
    )

    flag = fresh(flag)
    assert (flag.listing, flag.flagged_by, flag.reason) == (
        listing,
        reporter,
        Reason.NOT_HEALTH_CARE_IMPROVEMENT,
    )
    assert flag.note == "This is a personal removal job."
    assert flag.status == Status.OPEN
    assert flag.decided_at is flag.decided_by is None
    assert fresh(listing).status == Listing.Status.OPEN


def test_a_note_may_quote_the_money_talk_it_reports(listing, reporter):
    flag = listing_flag(
        listing=listing, member=reporter, reason=Reason.ASKS_FOR_MONEY, note="Asks for £50 cash."
    )

    assert flag.note == "Asks for £50 cash."


def test_a_note_with_patient_information_is_refused(listing, reporter):
    refusal = refused(
        listing_flag,
        listing=listing,
        member=reporter,
        reason=Reason.PATIENT_INFORMATION,
        note=f"It names the patient with NHS number {NHS_NUMBER}.",
    )

    assert refusal.code == "patient_data"
    assert NHS_NUMBER not in refusal.message
    assert not ListingFlag.objects.exists()


def test_something_else_needs_a_note(listing, reporter):
    refusal = refused(listing_flag, listing=listing, member=reporter, reason=Reason.OTHER, note=" ")

    assert refusal.code == "note_required"
    assert not ListingFlag.objects.exists()


def test_an_unknown_reason_is_refused(listing, reporter):
    refusal = refused(listing_flag, listing=listing, member=reporter, reason="spite", note="")

    assert refusal.code == "reason"


def test_a_note_over_1000_characters_is_refused(listing, reporter):
    refusal = refused(
        listing_flag, listing=listing, member=reporter, reason=Reason.OTHER, note="x" * 1001
    )

    assert refusal.code == "too_long"
    assert listing_flag(listing=listing, member=reporter, reason=Reason.OTHER, note="x" * 1000)


def test_nobody_flags_their_own_listing(listing, owner):
    refusal = refused(
        listing_flag, listing=listing, member=owner, reason=Reason.INAPPROPRIATE, note=""
    )

    assert refusal.code == "own_listing"
    assert "your own listing" in refusal.message


def test_a_closed_listing_cannot_be_flagged(listing, owner, reporter):
    listing_close(listing=listing, member=owner)

    refusal = refused(
        listing_flag, listing=listing, member=reporter, reason=Reason.INAPPROPRIATE, note=""
    )

    assert refusal.code == "listing_closed"


def test_a_paused_listing_can_still_be_flagged(listing, owner, reporter):
    listing_pause(listing=listing, member=owner)

    assert listing_flag(listing=listing, member=reporter, reason=Reason.INAPPROPRIATE)


def test_a_second_open_flag_by_the_same_member_is_refused_with_a_clear_message(flag, reporter):
    refusal = refused(
        listing_flag, listing=flag.listing, member=reporter, reason=Reason.OTHER, note="Again"
    )

    assert refusal.code == "already_flagged"
    assert "already reported this listing" in refusal.message
    assert ListingFlag.objects.count() == 1


def test_other_members_flag_the_same_listing(flag, second_reporter):
    listing_flag(listing=flag.listing, member=second_reporter, reason=Reason.INAPPROPRIATE)

    assert ListingFlag.objects.filter(listing=flag.listing, status=Status.OPEN).count() == 2


def test_after_a_decision_a_member_may_flag_the_listing_again(flag, reporter, moderator):
    listing_flag_dismiss(flag=flag, moderator=moderator, note="It is about QI.")

    again = listing_flag(listing=flag.listing, member=reporter, reason=Reason.OTHER, note="Still")

    assert again.status == Status.OPEN
    assert ListingFlag.objects.filter(listing=flag.listing, flagged_by=reporter).count() == 2


def test_an_inactive_member_cannot_flag(listing, reporter):
    Member.objects.filter(pk=reporter.pk).update(is_active=False)

    refusal = refused(
        listing_flag, listing=listing, member=fresh(reporter), reason=Reason.OTHER, note="x"
    )

    assert refusal.code == "inactive"


# --- The database keeps the shape too ---------------------------------------------


def test_the_database_refuses_a_second_open_flag_by_the_same_member(flag):
    with pytest.raises(IntegrityError), transaction.atomic():
        ListingFlag.objects.create(
            listing=flag.listing, flagged_by=flag.flagged_by, reason=Reason.OTHER, note="x"
        )


def test_the_database_refuses_a_half_decided_flag(flag, moderator):
    now = timezone.now()
    bad_shapes = [
        {"status": Status.UPHELD},  # no when, who or why
        {"status": Status.DISMISSED, "decided_at": now, "decided_by_id": moderator.pk},  # no why
        {"decided_at": now, "decided_by_id": moderator.pk, "decision_note": "x"},  # still open
        {"status": Status.UPHELD, "decided_by_id": moderator.pk, "decision_note": "x"},
    ]
    for shape in bad_shapes:
        with pytest.raises(IntegrityError), transaction.atomic():
            ListingFlag.objects.filter(pk=flag.pk).update(**shape)
    assert fresh(flag).status == Status.OPEN


def test_the_database_refuses_an_unknown_reason(listing, reporter):
    with pytest.raises(IntegrityError), transaction.atomic():
        ListingFlag.objects.create(listing=listing, flagged_by=reporter, reason="spite")


# --- Upholding ---------------------------------------------------------------------


def test_upholding_closes_the_listing_and_decides_every_open_flag(
    flag, second_reporter, moderator, owner
):
    listing = flag.listing
    second = listing_flag(listing=listing, member=second_reporter, reason=Reason.INAPPROPRIATE)

    decided = listing_flag_uphold(flag=flag, moderator=moderator, note="Asks for money.")

    assert {f.pk for f in decided} == {flag.pk, second.pk}
    listing = fresh(listing)
    assert listing.status == Listing.Status.CLOSED
    assert listing.closed_at is not None
    for one in (fresh(flag), fresh(second)):
        assert one.status == Status.UPHELD
        assert one.decided_by == moderator
        assert one.decided_at is not None
        assert one.decision_note == "Asks for money."


def test_upholding_writes_one_audit_entry(flag, moderator):
    listing_flag_uphold(flag=flag, moderator=moderator, note="Asks for money.")

    entry = decisions().get()
    assert entry.actor == moderator
    assert entry.target == f"listings.listing:{flag.listing_id}"
    assert entry.data["decision"] == "upheld"
    assert entry.data["flags"] == [flag.pk]
    assert entry.data["reasons"] == [Reason.ASKS_FOR_MONEY]
    assert entry.data["listing_status_before"] == "open"
    assert entry.data["listing_status_after"] == "closed"
    assert entry.data["note"] == "Asks for money."


def test_upholding_tells_the_owner_why_and_thanks_each_reporter_once(
    flag, second_reporter, moderator, owner, reporter, django_capture_on_commit_callbacks
):
    listing = flag.listing
    listing_flag(listing=listing, member=second_reporter, reason=Reason.OTHER, note="Money")

    with django_capture_on_commit_callbacks(execute=True):
        listing_flag_uphold(flag=flag, moderator=moderator, note="It asks for a fee.")

    to_owner = Notification.objects.get(recipient=owner)
    assert to_owner.kind == Notification.Kind.LISTING_MODERATED
    assert "It asks for a fee." in to_owner.message
    assert listing.title in to_owner.message
    assert to_owner.url == f"/listings/{listing.pk}/"
    # The owner is never told who reported it.
    assert reporter.display_name not in to_owner.message
    for person in (reporter, second_reporter):
        thanks = Notification.objects.get(recipient=person)
        assert thanks.kind == Notification.Kind.REPORT_DECIDED
        assert "closed" in thanks.message
        assert thanks.url == ""
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [owner.email, reporter.email, second_reporter.email]
    )


def test_nothing_is_sent_before_the_decision_commits(flag, moderator, owner):
    # Inside the test's transaction nothing has committed: no e-mail yet.
    listing_flag_uphold(flag=flag, moderator=moderator, note="It asks for a fee.")

    assert Notification.objects.filter(recipient=owner).exists()
    assert mail.outbox == []


def test_a_listing_closed_by_a_moderator_cannot_be_reopened_by_its_owner(flag, moderator, owner):
    listing_flag_uphold(flag=flag, moderator=moderator, note="Asks for money.")
    listing = fresh(flag.listing)

    for change in (listing_resume, listing_renew, listing_pause):
        with pytest.raises(DomainError):
            change(listing=listing, member=owner)
    assert fresh(listing).status == Listing.Status.CLOSED


def test_upholding_flags_on_a_listing_its_owner_closed_meanwhile(flag, moderator, owner):
    listing_close(listing=flag.listing, member=owner)

    listing_flag_uphold(flag=flag, moderator=moderator, note="Asks for money.")

    assert fresh(flag).status == Status.UPHELD
    assert decisions().get().data["listing_status_before"] == "closed"


# --- Dismissing --------------------------------------------------------------------


def test_dismissing_decides_every_open_flag_and_leaves_the_listing_alone(
    flag, second_reporter, moderator, owner, reporter
):
    listing = flag.listing
    second = listing_flag(listing=listing, member=second_reporter, reason=Reason.INAPPROPRIATE)
    before = fresh(listing)

    listing_flag_dismiss(flag=second, moderator=moderator, note="Teaching R is QI work.")

    after = fresh(listing)
    assert (after.status, after.updated_at) == (before.status, before.updated_at)
    for one in (fresh(flag), fresh(second)):
        assert one.status == Status.DISMISSED
        assert one.decided_by == moderator
    entry = decisions().get()
    assert entry.data["decision"] == "dismissed"
    assert entry.data["listing_status_after"] == "open"
    assert not Notification.objects.filter(recipient=owner).exists()
    for person in (reporter, second_reporter):
        told = Notification.objects.get(recipient=person)
        assert told.kind == Notification.Kind.REPORT_DECIDED
        assert "Teaching R is QI work." in told.message
        assert told.url == f"/listings/{listing.pk}/"


def test_flags_on_other_listings_are_untouched(flag, make_listing, owner, reporter, moderator):
    other = listing_flag(
        listing=make_listing(owner, title="Another"), member=reporter, reason=Reason.OTHER, note="?"
    )

    listing_flag_dismiss(flag=flag, moderator=moderator, note="Fine.")

    assert fresh(other).status == Status.OPEN


# --- Who may decide, and when ---------------------------------------------------------


@pytest.mark.parametrize("decide", [listing_flag_uphold, listing_flag_dismiss])
def test_a_member_without_the_moderate_permission_cannot_decide(decide, flag, make_member):
    only_disputes = make_member(display_name="Dee Disputes")
    only_disputes.user_permissions.add(Permission.objects.get(codename="resolve_dispute"))

    for person in (make_member(), Member.objects.get(pk=only_disputes.pk)):
        refusal = refused(decide, flag=flag, moderator=person, note="No.")
        assert refusal.code == "forbidden"
    assert fresh(flag).status == Status.OPEN
    assert not decisions().exists()


@pytest.mark.parametrize("decide", [listing_flag_uphold, listing_flag_dismiss])
def test_a_community_administrator_may_decide(decide, flag, admin):
    decide(flag=flag, moderator=admin, note="Decided.")

    assert fresh(flag).decided_by == admin


@pytest.mark.parametrize("decide", [listing_flag_uphold, listing_flag_dismiss])
def test_a_decision_needs_a_note(decide, flag, moderator):
    refusal = refused(decide, flag=flag, moderator=moderator, note="   ")

    assert refusal.code == "note_required"
    assert fresh(flag).status == Status.OPEN


def test_a_decision_note_with_patient_information_is_refused(flag, moderator):
    refusal = refused(
        listing_flag_uphold, flag=flag, moderator=moderator, note=f"NHS number {NHS_NUMBER}"
    )

    assert refusal.code == "patient_data"
    assert fresh(flag).status == Status.OPEN


@pytest.mark.parametrize("decide", [listing_flag_uphold, listing_flag_dismiss])
def test_a_moderator_cannot_decide_flags_on_their_own_listing(
    decide, make_listing, moderator, reporter
):
    own = make_listing(moderator)
    flag = listing_flag(listing=own, member=reporter, reason=Reason.OTHER, note="Self-serving")

    refusal = refused(decide, flag=flag, moderator=moderator, note="Mine is fine.")

    assert refusal.code == "own_listing"
    assert fresh(flag).status == Status.OPEN
    assert fresh(own).status == Listing.Status.OPEN
    assert not decisions().exists()


@pytest.mark.parametrize("decide", [listing_flag_uphold, listing_flag_dismiss])
def test_the_own_listing_refusal_comes_before_asking_for_a_note(
    decide, make_listing, moderator, reporter
):
    # A note would not make it theirs to decide: say so first, not "write a note".
    own = make_listing(moderator)
    flag = listing_flag(listing=own, member=reporter, reason=Reason.OTHER, note="Self-serving")

    assert refused(decide, flag=flag, moderator=moderator, note="").code == "own_listing"


def test_the_own_report_refusal_comes_before_asking_for_a_note(flag, make_moderator):
    moderator = make_moderator("Mo Reporter")
    listing_flag(listing=flag.listing, member=moderator, reason=Reason.OTHER, note="Mine too")

    assert refused(listing_flag_dismiss, flag=flag, moderator=moderator, note="").code == (
        "own_report"
    )


def test_a_moderator_cannot_decide_on_a_listing_they_reported(flag, make_moderator):
    moderator = make_moderator("Mo Reporter")
    listing_flag(listing=flag.listing, member=moderator, reason=Reason.OTHER, note="Mine too")

    refusal = refused(listing_flag_uphold, flag=flag, moderator=moderator, note="Close it.")

    assert refusal.code == "own_report"
    assert not ListingFlag.objects.exclude(status=Status.OPEN).exists()


@pytest.mark.parametrize("second", [listing_flag_uphold, listing_flag_dismiss])
def test_a_decided_flag_cannot_be_decided_again(second, flag, moderator, make_moderator):
    listing_flag_dismiss(flag=flag, moderator=moderator, note="Fine.")

    refusal = refused(second, flag=flag, moderator=make_moderator("Other Mo"), note="Close.")

    assert refusal.code == "already_decided"
    assert "already been decided" in refusal.message
    assert fresh(flag).status == Status.DISMISSED
    assert fresh(flag.listing).status == Listing.Status.OPEN
    assert decisions().count() == 1


def test_a_stale_copy_of_a_flag_is_refused_under_the_lock(flag, moderator, make_moderator):
    stale = fresh(flag)
    listing_flag_uphold(flag=flag, moderator=moderator, note="Closed.")

    refusal = refused(
        listing_flag_dismiss, flag=stale, moderator=make_moderator("Late Mo"), note="Fine."
    )

    assert refusal.code == "already_decided"
    assert fresh(flag).status == Status.UPHELD
    assert decisions().count() == 1


# --- listing_close_by_moderator ---------------------------------------------------------


def test_close_by_moderator_needs_a_moderator_who_is_not_the_owner(
    listing, owner, make_member, moderator
):
    assert refused(listing_close_by_moderator, listing=listing, moderator=make_member()).code == (
        "forbidden"
    )
    assert refused(listing_close_by_moderator, listing=listing, moderator=owner).code == (
        "forbidden"
    )

    closed = listing_close_by_moderator(listing=listing, moderator=moderator)

    assert closed.status == Listing.Status.CLOSED
    again = listing_close_by_moderator(listing=listing, moderator=moderator)
    assert again.closed_at == closed.closed_at


def test_close_by_moderator_refuses_the_moderators_own_listing(make_listing, moderator):
    own = make_listing(moderator)

    assert (
        refused(listing_close_by_moderator, listing=own, moderator=moderator).code == "own_listing"
    )
