"""Invitations: community administrators invite people whose e-mail domain is
not on the allow-list; the invited person opens the link and joins."""

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from equitime.core.errors import DomainError
from equitime.core.http import posted
from equitime.members.adapters import INVITATION_SESSION_KEY
from equitime.members.models import Invitation
from equitime.members.rules import allowed_domains_text
from equitime.members.services import invitation_find, invitation_send, invitation_withdraw


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address to invite"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


@login_required
@permission_required("members.invite_member", raise_exception=True)
@require_http_methods(["GET", "POST"])
def invitation_list(request):
    form = InvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = invitation_send(email=form.cleaned_data["email"], by=request.user)
        except DomainError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("invitation_list")
    invitations = Invitation.objects.select_related("invited_by", "accepted_by")[:200]
    return render(
        request,
        "members/invitations.html",
        {"form": form, "invitations": invitations, "domains": allowed_domains_text()},
    )


@login_required
@permission_required("members.invite_member", raise_exception=True)
@require_POST
def invitation_withdraw_view(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        invitation_withdraw(invitation=invitation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("invitation_list")


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """GET shows the invitation; POST takes it up and goes on to sign-up with
    the address filled in and already counted as confirmed."""
    invitation = invitation_find(token=token)
    if invitation is None:
        return render(request, "members/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        messages.info(request, _("You are already signed in; sign out to use this invitation."))
        return redirect("dashboard")
    if request.method == "POST":
        request.session[INVITATION_SESSION_KEY] = invitation.pk
        # The link reached this address, so it need not be confirmed again.
        get_adapter(request).stash_verified_email(request, invitation.email)
        return redirect("account_signup")
    return render(request, "members/invitation_accept.html", {"invitation": invitation})
