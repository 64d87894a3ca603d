"""The pages of "who can help": asking a colleague, the invitation they
answer (reached from the e-mail: sign in, then Accept or Decline), and the
member's choice about being suggested. Thin: the services hold the rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equitime.core.errors import DomainError, ErrorKind, add_domain_error
from equitime.core.http import MemberRequest, posted
from equitime.listings.access import listing_get_visible
from equitime.matching import services
from equitime.matching.access import help_invitation_get_visible
from equitime.matching.forms import AcceptForm, AskForm, DeclineForm, SuggestionSettingsForm
from equitime.matching.models import HelpInvitation
from equitime.members.models import Member


@login_required
@require_POST
def help_ask(request: MemberRequest, pk: int) -> HttpResponseBase:
    listing = listing_get_visible(member=request.user, pk=pk)
    if not services.may_see_helpers(listing=listing, member=request.user):
        raise Http404
    form = AskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a colleague to ask, and keep the note short."))
        return redirect("listing_detail", pk=listing.pk)
    helper = get_object_or_404(Member, pk=form.cleaned_data["helper"])
    try:
        services.help_invitation_ask(
            listing=listing, helper=helper, member=request.user, note=form.cleaned_data["note"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is asked; you will hear when they answer.") % {"name": helper.display_name},
        )
    return redirect("listing_detail", pk=listing.pk)


def _detail(
    request: MemberRequest,
    invitation: HelpInvitation,
    *,
    accept_form: AcceptForm | None = None,
    decline_form: DeclineForm | None = None,
    status: int = 200,
) -> HttpResponse:
    moves = services.help_invitation_moves_for(invitation=invitation, member=request.user)
    context = {
        "invitation": invitation,
        "listing": invitation.listing,
        "moves": moves,
        "is_helper": invitation.helper_id == request.user.pk,
        "accept_form": accept_form or AcceptForm(prefix="accept"),
        "decline_form": decline_form or DeclineForm(prefix="decline"),
    }
    return render(request, "matching/invitation_detail.html", context, status=status)


@login_required
@require_GET
def help_invitation_detail(request: MemberRequest, pk: int) -> HttpResponse:
    return _detail(request, help_invitation_get_visible(member=request.user, pk=pk))


# A refusal shown on the invitation's page, with the status it deserves.
_STATUS = {
    ErrorKind.INVALID: 422,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
}
_ACTIONS = ("accept", "decline", "withdraw")


@login_required
@require_POST
def help_invitation_act(request: MemberRequest, pk: int, action: str) -> HttpResponseBase:
    if action not in _ACTIONS:
        raise Http404
    invitation = help_invitation_get_visible(member=request.user, pk=pk)
    accept_form = AcceptForm(request.POST, prefix="accept") if action == "accept" else None
    decline_form = DeclineForm(request.POST, prefix="decline") if action == "decline" else None
    form = accept_form or decline_form
    if form is not None and not form.is_valid():
        return _detail(
            request, invitation, accept_form=accept_form, decline_form=decline_form, status=422
        )
    try:
        if action == "accept":
            assert accept_form is not None
            invitation = services.help_invitation_accept(
                invitation=invitation,
                member=request.user,
                message=accept_form.cleaned_data["message"],
            )
            messages.success(
                request,
                _(
                    "Thank you. Your offer to help is sent to %(name)s; "
                    "when they accept it, arrange a time here."
                )
                % {"name": invitation.listing.owner.display_name},
            )
            return redirect("exchange_detail", pk=invitation.exchange_id)
        if action == "decline":
            assert decline_form is not None
            services.help_invitation_decline(
                invitation=invitation,
                member=request.user,
                reason=decline_form.cleaned_data["reason"],
            )
            messages.success(request, _("Thank you for answering. They will ask someone else."))
            return redirect("help_invitation_detail", pk=invitation.pk)
        services.help_invitation_withdraw(invitation=invitation, member=request.user)
        messages.success(request, _("The invitation is withdrawn: you can ask someone else."))
        return redirect("listing_detail", pk=invitation.listing_id)
    except DomainError as error:
        if form is not None:
            add_domain_error(form, error)
            return _detail(
                request,
                invitation,
                accept_form=accept_form,
                decline_form=decline_form,
                status=_STATUS.get(error.kind or ErrorKind.INVALID, 422),
            )
        messages.error(request, error.message)
        return redirect("help_invitation_detail", pk=invitation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_settings(request: MemberRequest) -> HttpResponse:
    current = services.is_suggestable(request.user)
    form = SuggestionSettingsForm(posted(request), initial={"suggestable": current})
    if request.method == "POST" and form.is_valid():
        services.suggestion_settings_update(
            member=request.user, suggestable=form.cleaned_data["suggestable"]
        )
        messages.success(
            request,
            _("Saved: colleagues may see you as someone who could help.")
            if form.cleaned_data["suggestable"]
            else _("Saved: you will not be suggested to colleagues."),
        )
        return redirect("suggestion_settings")
    return render(request, "matching/suggestion_settings.html", {"form": form})
