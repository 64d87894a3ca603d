"""Notifications are reached only through here: a member opens their own."""

from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from equitime.notifications.models import Notification


def notification_get_for_member(*, member, pk: int) -> Notification:
    """The member's own notification, or 404: no one opens another's."""
    return get_object_or_404(Notification, pk=pk, recipient=member)


def is_safe_local(request, url: str) -> bool:
    """Only a path on this site: "/..." but never "//host" or "/\\host"."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
