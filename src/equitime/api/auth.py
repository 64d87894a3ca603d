"""Who is calling: a personal access token (Authorization: Bearer eqt_…) or
the browser session of a signed-in member, with Django's CSRF check on writes.

Either way the answer is written on the caller's clock and in their language:
the session's member has both from ``members.middleware``; a token's member
gets theirs here, once the token names them (the middleware puts the zone back
after the request; the next request's ``LocaleMiddleware`` activates its own
language). A member who has not chosen a language, and a call without
credentials, read the one their Accept-Language asks for (``LocaleMiddleware``);
the answer says which in Content-Language."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from equitime.api.problems import ApiProblem
from equitime.api.services import api_token_authenticate
from equitime.api.throttling import SAFE_METHODS
from equitime.core.locale import language_chosen
from equitime.core.zones import zone_of

if TYPE_CHECKING:
    # django-stubs' stand-in for settings.AUTH_USER_MODEL: the member, named
    # without importing the app that defines it.
    from django.contrib.auth.models import _User


class ApiRequest(HttpRequest):
    """A request the API let in: ``auth`` is the calling member, from a
    token or from the browser session (for type checking; ninja sets it)."""

    auth: "_User"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> "_User | None":
        found = api_token_authenticate(token)
        if found is None:
            return None
        # The member's language, before any refusal is written in it.
        language = language_chosen(found.member)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        if found.read_only and request.method not in SAFE_METHODS:
            raise ApiProblem(
                403, _("This token can only read. Make a token that can write."), code="read_only"
            )
        # Read by the throttle (throttling.CredentialThrottle): one limit per token.
        request.api_token = found  # type: ignore[attr-defined]  # ninja passes a plain HttpRequest
        timezone.activate(zone_of(found.member))
        return found.member


class MemberSessionAuth(SessionAuth):
    """A signed-in member's browser session; writes need the CSRF token."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # No session, no CSRF check: an anonymous caller is told to authenticate (401).
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> "_User | None":
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


token_auth = TokenAuth()
session_auth = MemberSessionAuth(csrf=True)
API_AUTH = [token_auth, session_auth]


def member_with_permission(request: ApiRequest, permission: str) -> "_User":
    """The caller, if they hold ``permission`` (a role's); 403 otherwise, as the pages answer."""
    member = request.auth
    if not member.has_perm(permission):
        raise ApiProblem(403, _("You do not have permission to do this."), code="forbidden")
    return member
