"""Two things every request needs: the reader's clock, and a kind answer when
single sign-on's provider is away.

``MemberTimeZoneMiddleware``: every time on a page (``|date``, ``localtime``,
``date_format``) and in an API answer is the reader's own wall-clock time. A
signed-in member reads in their profile's zone, anyone else in the
community's ``TIME_ZONE`` (``core.zones.zone_of``). The member's zone name is
kept in the cache (``member_zone``), so a page served from the page cache
costs no query for it; saving a profile forgets it. The zone is active for the
request and put back afterwards, so a worker thread never carries one
member's zone into the next request. An API call made with a token has no
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
from django.utils import timezone

from equitime.core.zones import zone_named, zone_of

logger = logging.getLogger(__name__)

SSO_PREFIX = "/accounts/oidc/"

# Long enough to spare most pages the profile query; a profile saved through
# the ORM forgets it at once (``member_zone_forget``), and anything that
# changes the zone another way is right again within this time.
ZONE_CACHE_SECONDS = 300


def _zone_cache_key(member_id: int) -> str:
    return f"member-zone:{member_id}"


def member_zone(member) -> ZoneInfo:
    """The zone ``member`` reads in (``core.zones.zone_of``), its name cached."""
    key = _zone_cache_key(member.pk)
    name = cache.get(key)
    if name is None:
        name = zone_of(member).key
        cache.set(key, name, ZONE_CACHE_SECONDS)
    return zone_named(name)


def member_zone_forget(sender, instance, **kwargs) -> None:
    """After a profile is saved (post_save): the next page reads its zone again.
    Forgotten again once the save commits, in case a page read the old zone
    in between."""
    key = _zone_cache_key(instance.member_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


class MemberTimeZoneMiddleware:
    """After authentication: the signed-in member's zone, for this request only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        timezone.activate(member_zone(user) if signed_in else zone_of(None))
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
