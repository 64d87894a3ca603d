from django.utils.functional import SimpleLazyObject

from equitime.notifications.selectors import unread_count


def notifications(request):
    """``unread_notifications``, for the badge in the menu on every page; read
    only if the page shows it."""
    # A request refused before authentication ran (a foreign Host header, a
    # body too large) has no ``user``: its error page shows no menu.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(member=user))}
