from django.db.models import Q
from django.shortcuts import get_object_or_404

from equitime.members.models import Member, Organisation


def member_get_visible(*, pk: int, viewer: Member | None = None) -> Member:
    """A member whose profile colleagues may see: active members. A viewer who
    may suspend members also sees suspended ones, to reinstate them; a closed
    account is gone for everyone."""
    visible = Q(is_active=True)
    if viewer is not None and viewer.has_perm("members.suspend_member"):
        visible |= Q(suspended_at__isnull=False)
    return get_object_or_404(
        Member.objects.filter(visible)
        .select_related("profile__organisation", "account", "suspended_by")
        .prefetch_related("profile__skills"),
        pk=pk,
    )


def organisation_countries() -> list[str]:
    """The countries the community's organisations are in (ISO codes), the
    likeliest for a member's own: one small query over a short table."""
    return sorted(Organisation.objects.order_by().values_list("country", flat=True).distinct())
