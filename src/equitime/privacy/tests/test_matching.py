"""Invitations to help and the suggestion choice in the export, and on erasure."""

import io
import json
import zipfile

import pytest

from equitime.matching.models import HelpInvitation, SuggestionSettings
from equitime.matching.services import (
    help_invitation_ask,
    help_invitation_decline,
    suggestion_settings_update,
)
from equitime.matching.tests.factories import a_request, colleague
from equitime.privacy.services import member_data_export, member_erase

pytestmark = pytest.mark.django_db


def exported(member) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(member_data_export(member=member)))
    return json.loads(archive.read("equitime-data/help-invitations.json"))


def test_the_export_has_invitations_both_ways_and_the_choice():
    poster, helper = colleague("Pat Poster"), colleague("Sam Stats")
    invitation = help_invitation_ask(
        listing=a_request(poster), helper=helper, member=poster, note="Ward 7 audit."
    )
    help_invitation_decline(invitation=invitation, member=helper, reason="On leave.")
    suggestion_settings_update(member=helper, suggestable=False)
    mine = exported(helper)
    assert mine["asked_of_you"][0]["decline_reason"] == "On leave."
    assert mine["suggest_me_as_a_helper"] is False
    assert exported(poster)["asked_by_you"][0]["note"] == "Ward 7 audit."


def test_erasure_withdraws_what_waits_and_removes_words_and_choice():
    poster, helper, other = colleague("Pat Poster"), colleague("Sam"), colleague("Olly")
    request = a_request(poster)
    waiting = help_invitation_ask(listing=request, helper=helper, member=poster, note="Please")
    answered = help_invitation_ask(listing=request, helper=other, member=poster)
    help_invitation_decline(invitation=answered, member=other, reason="Nights.")
    suggestion_settings_update(member=helper, suggestable=False)
    member_erase(member=helper)
    waiting.refresh_from_db()
    assert waiting.status == "withdrawn" and waiting.decided_at is not None
    assert not SuggestionSettings.objects.filter(member=helper).exists()
    member_erase(member=poster)
    assert set(HelpInvitation.objects.values_list("note", flat=True)) == {"[removed]", ""}
    member_erase(member=other)
    assert HelpInvitation.objects.get(pk=answered.pk).decline_reason == "[removed]"
