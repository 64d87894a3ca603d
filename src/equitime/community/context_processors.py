from django.utils.functional import SimpleLazyObject

from equitime.community.selectors import moderation_waiting_count, unread_count
from equitime.members.roles import member_nav_permissions


def notifications(request):
    """What the menu on every page needs: ``unread_notifications`` for the
    badge, ``nav_permissions`` (the links to moderation and invitations, cached
    per member) and, for moderators, ``moderation_waiting``. Each is read only
    if the page shows it."""
    # A request refused before authentication ran (a foreign Host header, a
    # body too large) has no ``user``: its error page shows no menu.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav_permissions = SimpleLazyObject(lambda: member_nav_permissions(user))
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(member=user)),
        "nav_permissions": nav_permissions,
        "moderation_waiting": SimpleLazyObject(
            lambda: moderation_waiting_count() if "members.moderate" in nav_permissions else 0
        ),
    }
