"""Fetching what coordination pages act on, with the checks every page needs."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from equitime.coordination.models import Consent
from equitime.members.models import Member
from equitime.members.roles import may_act_for_members


def coordinator_required(member: Member) -> None:
    """A page or endpoint for coordinators: anyone else is refused (403)."""
    if not may_act_for_members(member):
        raise PermissionDenied


def member_get_for_coordinator(*, coordinator: Member, member_id: int) -> Member:
    """A member the coordinator holds (or held) consent from; 404 otherwise, so
    the coordinator pages do not become a directory of who exists."""
    coordinator_required(coordinator)
    member = Member.objects.filter(pk=member_id, consents_given__coordinator=coordinator).first()
    if member is None:
        raise Http404
    return member


def consent_get_for_member(*, member: Member, pk: int) -> Consent:
    """A consent the member gave (or, for its coordinator, holds); 404 otherwise."""
    consent = (
        Consent.objects.select_related("member", "coordinator")
        .filter(pk=pk)
        .filter(member=member)
        .first()
    ) or Consent.objects.select_related("member", "coordinator").filter(
        pk=pk, coordinator=member
    ).first()
    if consent is None:
        raise Http404
    return consent
