"""Session limits, and answers to members that no cache keeps.

Session limits: a member is signed out after a spell without activity, and
again a fixed time after signing in, however active they are.

Both times are kept in the member's own session (seconds since the epoch), so
they hold across processes and machines with nothing else to share. Signing in
through the site stamps them in the same request. A session without them (one
from before these limits, or one made by ``force_login``) counts from the
member's last sign-in until its first stamp is written.

Activity is written back at most once a minute, so an ordinary page view does
not save the session: the idle limit is exact to within that minute.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

SIGNED_IN_AT = "equitime_signed_in_at"
LAST_SEEN_AT = "equitime_last_seen_at"
LAST_SEEN_STEP_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_signed_in = _is_signed_in(request)
        if was_signed_in:
            signed_in_at, last_seen_at = _clock(request)
            notice = _expiry_notice(signed_in_at, last_seen_at)
            if notice:
                return _sign_out(request, notice)
        response = self.get_response(request)
        if _is_signed_in(request):
            if not was_signed_in:
                # Signed in by this request's view: start both clocks now.
                now = timezone.now().timestamp()
                request.session[SIGNED_IN_AT] = now
                request.session[LAST_SEEN_AT] = now
            else:
                _record_activity(request, signed_in_at, last_seen_at)
        return response


def _is_signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _clock(request) -> tuple[float, float]:
    """When this session signed in, and when it was last seen active."""
    session = request.session
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        last_login = request.user.last_login
        since = last_login.timestamp() if last_login else timezone.now().timestamp()
        return since, since
    return signed_in_at, last_seen_at


def _expiry_notice(signed_in_at: float, last_seen_at: float) -> str:
    now = timezone.now().timestamp()
    hours = settings.EQUITIME_SESSION_ABSOLUTE_HOURS
    minutes = settings.EQUITIME_SESSION_IDLE_MINUTES
    if now - signed_in_at >= hours * 3600:
        return _(
            "For your security you were signed out %(hours)s hours after signing in. "
            "Please sign in again."
        ) % {"hours": hours}
    if now - last_seen_at >= minutes * 60:
        return _(
            "For your security you were signed out after %(minutes)s minutes without "
            "activity. Please sign in again."
        ) % {"minutes": minutes}
    return ""


def _record_activity(request, signed_in_at: float, last_seen_at: float) -> None:
    now = timezone.now().timestamp()
    if now - last_seen_at >= LAST_SEEN_STEP_SECONDS:
        request.session[SIGNED_IN_AT] = signed_in_at
        request.session[LAST_SEEN_AT] = now


def _sign_out(request, notice: str):
    # Only a page the member was reading is worth coming back to: a form's
    # action would answer a GET with 405, and an htmx fragment is no page.
    # Read the header itself: django-htmx's middleware runs after this one.
    htmx = request.headers.get("HX-Request") == "true"
    return_to = request.get_full_path() if request.method == "GET" and not htmx else ""
    logout(request)
    messages.warning(request, notice)
    login_url = resolve_url(settings.LOGIN_URL)
    if htmx:
        return HttpResponseClientRedirect(login_url)
    if return_to:
        return redirect_to_login(return_to, login_url)
    return redirect(login_url)


class PrivateAnswersMiddleware:
    """An answer to a signed-in member, or to an authenticated API call, says
    ``Cache-Control: no-store, private``: their dashboard, exchanges, messages,
    data export and API answers are never kept by a shared proxy or left in a
    shared computer's browser cache. Signed-out pages keep their own caching.

    It sits inside AuthenticationMiddleware and looks at the request once the
    view has answered, so that it sees a member signed in by this very request
    and the API's token caller (``request.auth``, set by django-ninja)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_signed_in(request) or getattr(request, "auth", None) is not None:
            patch_cache_control(response, no_store=True, private=True)
        return response
