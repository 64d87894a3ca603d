"""The language switcher: a form on every page (``includes/language_switcher.html``)
that works without JavaScript.

A visitor's choice is kept in the language cookie (``LANGUAGE_COOKIE_NAME``),
which Django's ``LocaleMiddleware`` reads; a member's is saved in their profile
too (``Profile.language``), so e-mails and the digest follow it while they are
away. The visitors' pages are drawn once for every visitor (the home page is
kept whole in the cache), so their form carries no CSRF token: for a visitor
the view only sets the cookie, which is all a forged request could do. A
signed-in member's change writes their profile, and is CSRF-checked.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from equitime.members.forms import LanguageForm
from equitime.members.services import profile_language_set


def _next_url(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _choose(request) -> HttpResponseRedirect:
    response = HttpResponseRedirect(_next_url(request))
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose one of the languages listed."))
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        profile_language_set(member=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


_member_choose = csrf_protect(_choose)


@csrf_exempt
@require_POST
def language_choose(request):
    """Set the reader's language and go back to the page they were on."""
    if request.user.is_authenticated:
        return _member_choose(request)
    return _choose(request)
