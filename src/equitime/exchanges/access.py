"""The one way views reach an exchange: by who is asking."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from equitime.exchanges.models import Exchange, Status
from equitime.exchanges.services import can_moderate
from equitime.members.models import Member


def exchange_get_for_member(*, member: Member, pk: int) -> Exchange:
    """The two parties see their exchange; a moderator also sees disputed ones
    and those they resolved. Anyone else gets 404."""
    visible = Q(provider=member) | Q(receiver=member)
    if can_moderate(member):
        visible |= Q(status=Status.DISPUTED) | Q(resolved_by=member)
    return get_object_or_404(
        Exchange.objects.filter(visible).select_related(
            "provider__profile__organisation",
            "receiver__profile__organisation",
            "listing",
            "improvement_area",
            "hold",
            "payment",
            "recorded_by",
        ),
        pk=pk,
    )
