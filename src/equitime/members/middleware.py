"""When an identity provider cannot be reached, say so instead of failing.

allauth fetches a provider's OpenID configuration (and later its token and
user info) while handling our sign-in URLs, outside its own error handling,
so a provider that is down or misconfigured would surface as a server error.
This turns such a network error on a single sign-on URL into the sign-on
error page with 503 Service Unavailable.
"""

import logging

import requests
from django.shortcuts import render

logger = logging.getLogger(__name__)

SSO_PREFIX = "/accounts/oidc/"


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
