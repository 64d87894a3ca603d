from django.utils.functional import SimpleLazyObject

from equitime.community.selectors import unread_count


def notifications(request):
    """``unread_notifications`` for the header badge: one query, only if shown."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(member=request.user))}
