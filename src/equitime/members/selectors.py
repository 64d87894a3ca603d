from django.shortcuts import get_object_or_404

from equitime.members.models import Member


def member_get_visible(*, pk: int) -> Member:
    """A member whose profile colleagues may see (active members only)."""
    return get_object_or_404(
        Member.objects.filter(is_active=True)
        .select_related("profile__organisation", "account")
        .prefetch_related("profile__skills"),
        pk=pk,
    )
