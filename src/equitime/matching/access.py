"""The one way views and the API reach an invitation to help: by who is asking."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from equitime.matching.models import HelpInvitation
from equitime.members.models import Member


def help_invitation_get_visible(*, member: Member, pk: int) -> HelpInvitation:
    """The helper, the poster and whoever asked see an invitation; 404 for anyone else."""
    return get_object_or_404(
        HelpInvitation.objects.select_related(
            "listing__owner", "listing__improvement_area", "helper", "asked_by", "exchange"
        ),
        Q(helper=member) | Q(listing__owner=member) | Q(asked_by=member),
        pk=pk,
    )
