"""Who is calling: a personal access token (Authorization: Bearer eqt_…) or
the browser session of a signed-in member, with Django's CSRF check on writes."""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from equitime.api.problems import ApiProblem
from equitime.api.services import api_token_authenticate
from equitime.api.throttling import SAFE_METHODS


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = api_token_authenticate(token)
        if found is None:
            return None
        if found.read_only and request.method not in SAFE_METHODS:
            raise ApiProblem(
                403, _("This token can only read. Make a token that can write."), code="read_only"
            )
        request.api_token = found
        return found.member


class MemberSessionAuth(SessionAuth):
    """A signed-in member's browser session; writes need the CSRF token."""

    def _get_key(self, request):
        # No session, no CSRF check: an anonymous caller is told to authenticate (401).
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


token_auth = TokenAuth()
session_auth = MemberSessionAuth(csrf=True)
API_AUTH = [token_auth, session_auth]


def member_with_permission(request, permission: str):
    """The caller, if they hold ``permission`` (a role's); 403 otherwise, as the pages answer."""
    member = request.auth
    if not member.has_perm(permission):
        raise ApiProblem(403, _("You do not have permission to do this."), code="forbidden")
    return member
