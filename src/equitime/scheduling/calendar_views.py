"""Pages of a member's calendar: reminder choices, the personal feed's secret
address (made, shown, replaced, revoked), the feed itself, and one session's
event to download.

The feed is fetched by calendar programs, which sign in to nothing: the token
in its address is the authority. An unknown token, a revoked one and a
suspended member's all get the same 404, so the address tells a guesser
nothing. Its answer is never stored by a shared cache.
"""

import hashlib
import math

from django import forms
from django.conf import settings as dj_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from equitime.api.throttling import client_ip, hit
from equitime.core.http import MemberRequest, posted
from equitime.core.site import site_url
from equitime.scheduling.calendar_selectors import (
    calendar_settings_of,
    feed_member,
    session_get_for_member,
)
from equitime.scheduling.calendar_services import (
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_reminders_set,
)
from equitime.scheduling.ical import member_feed, session_download
from equitime.scheduling.models import CalendarSettings

CALENDAR_TYPE = "text/calendar; charset=utf-8"


class RemindersForm(forms.ModelForm):
    class Meta:
        model = CalendarSettings
        fields = ["remind_day_before", "remind_hour_before"]
        labels = {
            "remind_day_before": gettext_lazy("E-mail me 24 hours before a session"),
            "remind_hour_before": gettext_lazy("E-mail me 1 hour before a session"),
        }


def feed_url(token: str, request: HttpRequest | None = None) -> str:
    """The feed's full address, as a calendar program is given it."""
    return site_url(request) + reverse("calendar_feed", kwargs={"token": token})


def subscribe_links(url: str) -> dict[str, str]:
    """One-click subscriptions: ``webcal:`` opens Apple Calendar and Outlook
    on a desktop; Google Calendar takes the address in its own link."""
    webcal = "webcal://" + url.split("://", 1)[-1]
    return {"webcal": webcal, "google": f"https://calendar.google.com/calendar/r?cid={webcal}"}


def _calendar_file(content: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(content, content_type=CALENDAR_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


@login_required
@never_cache
@require_safe
def calendar_page(request: MemberRequest) -> HttpResponse:
    settings = calendar_settings_of(request.user)
    url = feed_url(settings.feed_token, request) if settings.feed_token else ""
    return render(
        request,
        "scheduling/calendar.html",
        {
            "form": RemindersForm(instance=settings),
            "settings": settings,
            "feed_url": url,
            "links": subscribe_links(url) if url else {},
        },
    )


@login_required
@require_POST
def calendar_reminders(request: MemberRequest) -> HttpResponseRedirect:
    settings = calendar_settings_of(request.user)
    form = RemindersForm(posted(request), instance=settings)
    if not form.is_valid():  # two checkboxes: only a forged post gets here
        messages.error(request, _("Your reminder choices could not be read. Try again."))
        return redirect("calendar")
    calendar_reminders_set(
        member=request.user,
        day_before=form.cleaned_data["remind_day_before"],
        hour_before=form.cleaned_data["remind_hour_before"],
    )
    messages.success(request, _("Your reminder choices are saved."))
    return redirect("calendar")


@login_required
@require_POST
def calendar_feed_make(request: MemberRequest) -> HttpResponseRedirect:
    had_one = calendar_settings_of(request.user).feed_token is not None
    calendar_feed_create(member=request.user)
    if had_one:
        messages.success(
            request,
            _(
                "Your calendar has a new address. The old one no longer works: "
                "subscribe again with the new one."
            ),
        )
    else:
        messages.success(
            request, _("Your calendar feed is ready. Subscribe to it with the address below.")
        )
    return redirect("calendar")


@login_required
@require_POST
def calendar_feed_revoke_view(request: MemberRequest) -> HttpResponseRedirect:
    calendar_feed_revoke(member=request.user)
    messages.success(
        request,
        _("Your calendar feed is turned off: its address no longer works anywhere."),
    )
    return redirect("calendar")


def _feed_rate_wait(request: HttpRequest, token: str) -> float | None:
    """Seconds to wait when the address or the network asked too often, else None."""
    # The token itself is kept out of the cache's keys.
    feed = hashlib.sha256(token.encode()).hexdigest()[:32]
    per_ip = dj_settings.EQUITIME_CALENDAR_FEED_RATE_PER_IP
    wait = hit("calendar-feed-ip", client_ip(request), per_ip)
    if wait is None:
        wait = hit("calendar-feed", feed, dj_settings.EQUITIME_CALENDAR_FEED_RATE)
    return wait


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    wait = _feed_rate_wait(request, token)
    if wait is not None:
        response = HttpResponse(
            _("Too many requests for this calendar. Try again in a minute."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(math.ceil(wait))
        return response
    member = feed_member(token)
    if member is None:
        raise Http404("No such calendar.")
    return _calendar_file(member_feed(member))


@login_required
@require_safe
def session_calendar(request: MemberRequest, pk: int) -> HttpResponse:
    session = session_get_for_member(member=request.user, pk=pk)
    return _calendar_file(
        session_download(session, member=request.user), filename=f"equitime-session-{pk}.ics"
    )
