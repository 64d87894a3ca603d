from django.utils.functional import SimpleLazyObject

from equitime.members.roles import member_nav_permissions
from equitime.moderation.selectors import moderation_waiting_count


def moderation(request):
    """What the menu on every page needs for the people who look after the
    community: ``nav_permissions`` (the links to moderation and invitations,
    cached per member) and, for moderators, ``moderation_waiting``. Each is
    read only if the page shows it; the count asks the same cached
    permissions the links do, and leaves out what this moderator may not
    decide themselves."""
    # A request refused before authentication ran (a foreign Host header, a
    # body too large) has no ``user``: its error page shows no menu.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav_permissions = SimpleLazyObject(lambda: member_nav_permissions(user))
    return {
        "nav_permissions": nav_permissions,
        "moderation_waiting": SimpleLazyObject(
            lambda: (
                moderation_waiting_count(moderator=user)
                if "members.moderate" in nav_permissions
                else 0
            )
        ),
    }
