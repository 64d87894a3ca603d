"""Three things every request needs: the reader's clock and language, and a
kind answer when single sign-on's provider is away.

``MemberTimeZoneMiddleware``: every time on a page (``|date``, ``localtime``,
``date_format``) and in an API answer is the reader's own wall-clock time. A
signed-in member reads in their profile's zone, anyone else in the
community's ``TIME_ZONE`` (``core.zones.zone_of``). The member's zone name is
kept in the cache (``member_zone``), so a page served from the page cache
costs no query for it; saving a profile forgets it. The zone is active for the
request and put back afterwards, so a worker thread never carries one
member's zone into the next request. The member's language
(``Profile.language``, ``core.locale``) is kept beside the zone and activated
the same way, over what ``LocaleMiddleware`` took from the visitor's cookie
or browser; a member who has not chosen keeps that. An API call made with a token has no
session user here: ``api.auth`` activates its member's zone once the token
is known, and this middleware still puts it back.

``SsoProviderUnavailableMiddleware``: when an identity provider cannot be
reached, say so instead of failing.

allauth fetches a provider's OpenID configuration (and later its token and
user info) while handling our sign-in URLs, outside its own error handling,
so a provider that is down or misconfigured would surface as a server error.
This turns such a network error on a single sign-on URL into the sign-on
error page with 503 Service Unavailable.
"""

import logging
from zoneinfo import ZoneInfo

import requests
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone, translation

from equitime.core.locale import language_chosen
from equitime.core.zones import zone_named, zone_of

logger = logging.getLogger(__name__)

SSO_PREFIX = "/accounts/oidc/"

# Long enough to spare most pages the profile query; a profile saved through
# the ORM forgets it at once (``member_zone_forget``), and anything that
# changes the zone another way is right again within this time.
ZONE_CACHE_SECONDS = 300


def _zone_cache_key(member_id: int) -> str:
    return f"member-reading:{member_id}"


def _member_reading(member) -> tuple[str, str]:
    """The names of ``member``'s zone and chosen language ("" if none), cached."""
    key = _zone_cache_key(member.pk)
    cached = cache.get(key)
    if cached is None:
        cached = (zone_of(member).key, language_chosen(member))
        cache.set(key, cached, ZONE_CACHE_SECONDS)
    return cached


def member_zone(member) -> ZoneInfo:
    """The zone ``member`` reads in (``core.zones.zone_of``), its name cached."""
    return zone_named(_member_reading(member)[0])


def member_language(member) -> str:
    """The language ``member`` chose in their profile, "" if none (cached)."""
    return _member_reading(member)[1]


def member_zone_forget(sender, instance, **kwargs) -> None:
    """After a profile is saved (post_save): the next page reads its zone and
    language again.
    Forgotten again once the save commits, in case a page read the old zone
    in between."""
    key = _zone_cache_key(instance.member_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


class MemberTimeZoneMiddleware:
    """After authentication: the signed-in member's zone and language, for this
    request only (the next request's ``LocaleMiddleware`` activates its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        timezone.activate(member_zone(user) if signed_in else zone_of(None))
        language = member_language(user) if signed_in else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SsoProviderUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (
            isinstance(exception, requests.RequestException) and request.path.startswith(SSO_PREFIX)
        ):
            return None
        logger.warning("Identity provider unreachable at %s: %s", request.path, exception)
        response = render(request, "socialaccount/provider_unavailable.html", status=503)
        response["Retry-After"] = "60"
        return response
