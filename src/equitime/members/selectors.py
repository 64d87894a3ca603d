from django.db import connection
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from equitime.core.names import query_key
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


# How many names the colleague picker offers at once.
COLLEAGUES_SHOWN = 10


def members_listed() -> QuerySet[Member]:
    """The people who are members to their colleagues: active, with a profile,
    and not an account that runs the service (staff or superuser, such as the
    demo's administrator). The directory lists them and the colleague picker
    chooses among them."""
    return Member.objects.filter(
        is_active=True, is_staff=False, is_superuser=False, profile__isnull=False
    )


def _prefix(field: str, key: str) -> Q:
    """``field`` starts with ``key``, in a form an index answers on either database."""
    q = Q(**{f"{field}__startswith": key})
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case, so it cannot use an ordinary index; the
        # keys are folded to lower case and compare byte by byte, so a range
        # of the same index finds exactly the names that start with the key.
        q &= Q(**{f"{field}__gte": key, f"{field}__lt": key + "\U0010ffff"})
    return q


def colleagues_named(
    *, text: str, viewer: Member | None = None, limit: int = COLLEAGUES_SHOWN
) -> list[Member]:
    """Members whose name, or family name, starts with ``text`` (titles,
    accents and case aside), by family name; never ``viewer``. At most ``limit``."""
    key = query_key(text)
    if not key:
        return []
    found = members_listed().filter(_prefix("search_name", key) | _prefix("sort_name", key))
    if viewer is not None:
        found = found.exclude(pk=viewer.pk)
    return list(found.select_related("profile__organisation").order_by("sort_name", "id")[:limit])


def member_is_listed(member: Member) -> bool:
    """Whether ``member`` is one of ``members_listed``, asked without a query."""
    return (
        member.is_active
        and not member.is_staff
        and not member.is_superuser
        and hasattr(member, "profile")
    )


def organisation_countries() -> list[str]:
    """The countries the community's organisations are in (ISO codes), the
    likeliest for a member's own: one small query over a short table."""
    return sorted(Organisation.objects.order_by().values_list("country", flat=True).distinct())
