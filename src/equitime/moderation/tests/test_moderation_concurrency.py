"""Moderators deciding at the same moment: the listing row is locked (SELECT
... FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), so exactly one
decision is made and recorded; everyone else is told it was already decided."""

import pytest

from equitime.audit.models import AuditEntry
from equitime.core.errors import DomainError
from equitime.core.testing import race
from equitime.listings.models import Listing
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag, listing_flag_dismiss, listing_flag_uphold
from equitime.notifications.models import Notification

# Transactional tests empty every table afterwards; serialized rollback puts the
# migration-made data (taxonomy, community pool, role groups) back before each one.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def test_two_moderators_deciding_the_same_flag_at_once_make_one_decision(
    flag, second_reporter, moderator, make_moderator, owner
):
    listing_flag(listing=flag.listing, member=second_reporter, reason="other", note="Also money")
    other = make_moderator("Other Mo")
    deciders = [(listing_flag_uphold, moderator), (listing_flag_dismiss, other)]

    outcomes = race(
        lambda n: deciders[n][0](flag=flag, moderator=deciders[n][1], note=f"Decision {n}"),
        count=2,
    )

    won = [o for o in outcomes if isinstance(o, list)]
    lost = [o for o in outcomes if isinstance(o, DomainError)]
    assert (len(won), len(lost)) == (1, 1)
    assert lost[0].code == "already_decided"
    flags = list(ListingFlag.objects.all())
    assert len(flags) == 2
    assert len({(f.status, f.decided_by_id, f.decision_note) for f in flags}) == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MODERATION_DECISION)
    winner = flags[0].decided_by
    assert entry.actor == winner
    listing = Listing.objects.get(pk=flag.listing_id)
    if flags[0].status == ListingFlag.Status.UPHELD:
        assert listing.status == Listing.Status.CLOSED
        assert Notification.objects.filter(recipient=owner).count() == 1
    else:
        assert listing.status == Listing.Status.OPEN
        assert not Notification.objects.filter(recipient=owner).exists()
    assert Notification.objects.filter(kind=Notification.Kind.REPORT_DECIDED).count() == 2


def test_many_moderators_upholding_at_once_close_the_listing_once(flag, make_moderator, owner):
    moderators = [make_moderator(f"Mo {n}") for n in range(6)]

    outcomes = race(
        lambda n: listing_flag_uphold(flag=flag, moderator=moderators[n], note="Close."),
        count=len(moderators),
    )

    assert sum(isinstance(o, list) for o in outcomes) == 1
    assert all(o.code == "already_decided" for o in outcomes if isinstance(o, DomainError))
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MODERATION_DECISION).count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.LISTING_MODERATED).count() == 1
    assert Listing.objects.get(pk=flag.listing_id).status == Listing.Status.CLOSED


def test_one_member_reporting_twice_at_once_makes_one_flag(listing, reporter):
    outcomes = race(
        lambda n: listing_flag(listing=listing, member=reporter, reason="other", note=f"Try {n}"),
        count=4,
    )

    assert sum(isinstance(o, ListingFlag) for o in outcomes) == 1
    assert all(o.code == "already_flagged" for o in outcomes if isinstance(o, DomainError))
    assert ListingFlag.objects.filter(listing=listing, flagged_by=reporter).count() == 1
