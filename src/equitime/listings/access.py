"""The one way views reach a listing: by who is asking."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from equitime.listings.models import Listing
from equitime.members.models import Member


def listing_get_visible(*, member: Member, pk: int) -> Listing:
    """Any member sees open listings; the owner also sees their own in any
    status, and so does a moderator (a reported listing may be paused or
    closed by the time they look)."""
    visible = Q(status=Listing.Status.OPEN) | Q(owner=member)
    if member.has_perm("members.moderate"):
        visible = Q()
    return get_object_or_404(
        Listing.objects.select_related(
            "owner__profile__organisation", "improvement_area", "recorded_by"
        ).prefetch_related("skills"),
        visible,
        pk=pk,
    )


def listing_get_for_owner(*, member: Member, pk: int) -> Listing:
    """A listing its owner may change; 404 for anyone else."""
    return get_object_or_404(Listing.objects.prefetch_related("skills"), pk=pk, owner=member)
