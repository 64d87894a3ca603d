"""The address the site is served on, for links that leave it (e-mails).

In production it is ``EQUITIME_SITE_URL``, required there (``core.checks``):
the Host header of a request is not trusted to name the site. In development
a request's own address wins, so a sign-up on ``runserver 8101`` links back to
8101; without a request (the worker's notification e-mails) it is
``EQUITIME_SITE_URL``, which ``make run`` sets from its HOST and PORT for the
web process and the worker alike.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def site_url(request: HttpRequest | None = None) -> str:
    """The site's address, without a trailing slash: ``https://equitime.example.org``."""
    if request is not None and not settings.PRODUCTION:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.EQUITIME_SITE_URL.rstrip("/")


def site_link(path: str, *, request: HttpRequest | None = None) -> str:
    """``path`` (``/exchanges/7/``) as a full link on the site's address."""
    return site_url(request) + path


def site_link_from(url: str, *, request: HttpRequest | None = None) -> str:
    """A full link someone else built from the request (allauth's), moved
    onto the site's address: the same path, query and fragment."""
    bits = urlsplit(url)
    path = bits.path or "/"
    if bits.query:
        path += f"?{bits.query}"
    if bits.fragment:
        path += f"#{bits.fragment}"
    return site_link(path, request=request)
