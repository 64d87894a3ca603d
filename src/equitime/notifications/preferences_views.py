"""The preferences page, and one-click unsubscribe from an e-mail's link.

Unsubscribing needs no sign-in: the signed token in the link is the
authority (``core.unsubscribe``). A GET only shows what the link will turn
off and a button, since link scanners and previews follow links; the POST
turns it off. The POST takes no CSRF token: RFC 8058 has the mail client post
``List-Unsubscribe=One-Click`` to the link itself, from no page of ours. A
forged or altered token, or one for a member no longer here, gets one 404
page that says the link is not valid and where to go instead.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from equitime.core import unsubscribe
from equitime.core.errors import DomainError
from equitime.core.http import MemberRequest, posted
from equitime.members.models import Member
from equitime.notifications.forms import PreferencesForm
from equitime.notifications.models import Notification
from equitime.notifications.preferences import preferences_of
from equitime.notifications.services import (
    notification_preferences_set,
    notification_unsubscribe,
)
from equitime.skills.models import ImprovementArea, Skill


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def notification_preferences(request: MemberRequest) -> HttpResponse:
    preferences = preferences_of(request.user)
    form = PreferencesForm(posted(request), preferences=preferences)
    if request.method == "POST" and form.is_valid():
        notification_preferences_set(
            member=request.user,
            emails=form.emails(),
            digest=form.cleaned_data["digest"],
            followed_skills=Skill.objects.filter(pk__in=form.cleaned_data["followed_skills"]),
            followed_areas=ImprovementArea.objects.filter(
                pk__in=form.cleaned_data["followed_areas"]
            ),
        )
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def scope_text(scope: str) -> str:
    """What an unsubscribe link turns off, in words."""
    if scope == unsubscribe.ALL:
        return _("every e-mail from Equitime that you can turn off, the weekly digest included")
    if scope == unsubscribe.DIGEST:
        return _("the weekly digest")
    labels = dict(Notification.Kind.choices)
    return _("e-mails about “%(kind)s”") % {"kind": labels.get(scope, scope)}


def _invalid(request) -> HttpResponse:
    return render(request, "notifications/unsubscribe_invalid.html", status=404)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request, token: str) -> HttpResponse:
    found = unsubscribe.unsubscribe_read(token)
    member = Member.objects.filter(pk=found[0], is_active=True).first() if found else None
    if found is None or member is None:
        return _invalid(request)
    scope = found[1]
    if scope not in (unsubscribe.ALL, unsubscribe.DIGEST, *Notification.Kind.values):
        return _invalid(request)
    context = {"what": scope_text(scope), "token": token}
    if request.method != "POST":
        return render(request, "notifications/unsubscribe.html", context)
    try:
        notification_unsubscribe(member=member, scope=scope)
    except DomainError:
        return _invalid(request)
    return render(request, "notifications/unsubscribe_done.html", context)
