from django.utils.functional import SimpleLazyObject

from equitime.community.selectors import moderation_waiting_count, unread_count


def notifications(request):
    """``unread_notifications`` for the header badge and, for moderators,
    ``moderation_waiting`` beside the Moderation link: one query each, and
    only if shown."""
    if not request.user.is_authenticated:
        return {}
    user = request.user
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(member=user)),
        "moderation_waiting": SimpleLazyObject(
            lambda: moderation_waiting_count() if user.has_perm("members.moderate") else 0
        ),
    }
