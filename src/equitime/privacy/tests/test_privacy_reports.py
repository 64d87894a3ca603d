"""Reports of listings in a member's data export and erasure."""

import io
import json
import zipfile

import pytest

from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag, listing_flag_dismiss
from equitime.privacy.services import REMOVED, member_data_export, member_erase


@pytest.fixture
def report(member, other_member, make_member):
    from equitime.listings.models import Format, Listing
    from equitime.listings.services import listing_create
    from equitime.skills.models import ImprovementArea

    listing = listing_create(
        owner=other_member,
        kind=Listing.Kind.OFFER,
        title="Spreadsheet tips",
        description="An hour on pivot tables.",
        improvement_area=ImprovementArea.objects.all()[0],
        benefit="Faster rota planning for the ward.",
        estimated_minutes=60,
        format=Format.REMOTE,
    )
    return listing_flag(
        listing=listing,
        member=member,
        reason=ListingFlag.Reason.OTHER,
        note="Reads like a sales pitch for a paid course.",
    )


def test_the_export_holds_the_members_reports(member, report):
    archive = zipfile.ZipFile(io.BytesIO(member_data_export(member=member)))

    reports = json.loads(archive.read("equitime-data/reports.json"))

    assert reports == [
        {
            "listing_id": report.listing_id,
            "reason": "other",
            "note": "Reads like a sales pitch for a paid course.",
            "status": "open",
            "created_at": reports[0]["created_at"],
            "decided_at": None,
        }
    ]


def test_erasure_removes_the_words_of_reports_but_keeps_them_for_moderators(member, report):
    member_erase(member=member)

    report.refresh_from_db()
    assert report.note == REMOVED
    assert report.status == ListingFlag.Status.OPEN


def test_erasure_removes_a_moderators_decision_notes(make_member, report):
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    listing_flag_dismiss(flag=report, moderator=moderator, note="A free hour; no money asked.")

    member_erase(member=moderator)

    report.refresh_from_db()
    assert report.decision_note == REMOVED
    assert report.status == ListingFlag.Status.DISMISSED
