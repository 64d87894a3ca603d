"""Web pages for the API: a member's personal access tokens.

A new token's secret is shown once, in the answer to the POST that made it,
and is kept nowhere: not in the database (only its hash), not in the session.
That answer is marked not to be cached, so the browser's history cannot show
it again either.
"""

from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from equitime.api.models import ApiToken
from equitime.api.services import api_token_create, api_token_revoke
from equitime.core.errors import DomainError, add_domain_error
from equitime.core.http import MemberRequest, posted
from equitime.core.rules import TextRulesFormMixin

NEVER = "never"
EXPIRY_CHOICES = [
    ("30", gettext_lazy("In 30 days")),
    ("90", gettext_lazy("In 90 days")),
    ("365", gettext_lazy("In a year (365 days)")),
    (NEVER, gettext_lazy("Never")),
]
TOKENS_SHOWN = 100


class ApiTokenForm(TextRulesFormMixin, forms.Form):
    shared_text_fields = ("name",)

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What will use it, so you know later: e.g. 'Team rota script'."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    read_only = forms.BooleanField(
        label=gettext_lazy("Read only: this token can look things up but change nothing"),
        required=False,
    )
    expiry = forms.ChoiceField(
        label=gettext_lazy("Expires"),
        help_text=gettext_lazy("A token that never expires works until you revoke it."),
        choices=EXPIRY_CHOICES,
        initial="90",
        widget=forms.RadioSelect,
    )

    def expires_at(self) -> datetime | None:
        expiry = self.cleaned_data["expiry"]
        if expiry == NEVER:
            return None
        return timezone.now() + timedelta(days=int(expiry))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request: MemberRequest) -> HttpResponse:
    form = ApiTokenForm(posted(request))
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = api_token_create(
                member=request.user,
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                expires_at=form.expires_at(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(member=request.user).order_by("-created_at", "-pk")
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "secret": secret,
            "tokens": tokens[:TOKENS_SHOWN],
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def api_token_revoke_view(request: MemberRequest, pk: int) -> HttpResponseRedirect:
    token = get_object_or_404(ApiToken, pk=pk, member=request.user)
    api_token_revoke(token=token, member=request.user)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("api_tokens")
