"""Notification pages: the member's own notifications, and marking them read.

Reading never changes state: marking read is always a POST. An in-page (htmx)
POST is answered with the re-rendered list fragment, a normal one with a
redirect back to the list.
"""

from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from equitime.core.pagecache import member_page
from equitime.notifications.access import is_safe_local, notification_get_for_member
from equitime.notifications.models import Notification
from equitime.notifications.selectors import notifications_for_member
from equitime.notifications.services import notifications_mark_read

PAGE_SIZE = 20


class NotificationRow(NamedTuple):
    """One notification as the list shows it, with the link it may follow."""

    notification: Notification
    link: str  # its url when that is a path on this site, else ""


def _page_context(request, number: str | None) -> dict[str, Any]:
    """The page of notifications (``page``, for its numbers) and its ``rows``."""
    page = Paginator(notifications_for_member(member=request.user), PAGE_SIZE).get_page(number)
    page.object_list = list(page.object_list)  # one query, for the rows and the page alike
    rows = [
        NotificationRow(notification, _link(request, notification.url)) for notification in page
    ]
    return {"page": page, "rows": rows}


def _link(request, url: str) -> str:
    # Only a path on this site is ever linked to, whatever a row holds.
    return url if url and is_safe_local(request, url) else ""


def _whole_number(value: str | None) -> int | None:
    """A positive id or page number from a form, or ``None``; never too big for
    the database's integer columns."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _list_url(page_number: str | None) -> str:
    url = reverse("notification_list")
    number = _whole_number(page_number)
    if number and number > 1:
        url = f"{url}?page={number}"
    return url


def _posted_ids(request) -> list[int] | None:
    """The ``id`` values posted, or ``None`` (meaning all) when none were sent.

    Values that are not whole numbers are dropped; ids of other members'
    notifications are harmless because the service filters by recipient."""
    if "id" not in request.POST:
        return None
    ids = (_whole_number(value) for value in request.POST.getlist("id"))
    return [pk for pk in ids if pk is not None]


@member_page
@login_required
@require_safe
def notification_list(request):
    context = _page_context(request, request.GET.get("page"))
    return render(request, "notifications/notification_list.html", context)


@login_required
@require_POST
def notifications_read(request):
    """Mark all the member's notifications read, or the posted ``id`` values."""
    marked = notifications_mark_read(member=request.user, ids=_posted_ids(request))
    if marked:
        notice = ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            marked,
        ) % {"count": marked}
    else:
        notice = _("There was nothing new to mark as read.")
    page_number = request.POST.get("page")
    if request.htmx:
        return render(
            request,
            "notifications/_notification_list.html",
            {**_page_context(request, page_number), "notice": notice, "swap_count": True},
        )
    messages.success(request, notice)
    return redirect(_list_url(page_number))


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go to what it is about."""
    notification = notification_get_for_member(member=request.user, pk=pk)
    notifications_mark_read(member=request.user, ids=[notification.pk])
    if notification.url and is_safe_local(request, notification.url):
        return redirect(notification.url)
    return redirect("notification_list")
