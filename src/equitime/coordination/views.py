"""The coordinator's pages, and the member's "Who may act for me"."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from equitime.coordination import selectors, services
from equitime.coordination.access import (
    consent_get_for_member,
    coordinator_required,
    member_get_for_coordinator,
)
from equitime.coordination.forms import (
    ActForm,
    ConsentForm,
    CoordinatedExchangeForm,
    CoordinatedListingForm,
)
from equitime.core.errors import DomainError, ErrorKind, add_domain_error
from equitime.core.http import MemberRequest, posted
from equitime.exchanges.models import Exchange, ExchangeEvent
from equitime.exchanges.services import exchange_moves_for
from equitime.members.models import Member

SERVICE_FIELDS = {"estimated_minutes": "hours", "minutes": "hours"}
# The moves a coordinator may make for a member, by the <action> of the URL.
_ACTIONS = tuple(str(verb) for verb in services.ACTIONS)


def _status(error: DomainError) -> int:
    """A refusal of who is asking is a 403, with the reason on the page."""
    return 403 if error.kind == ErrorKind.FORBIDDEN else 200


def _member_context(coordinator: Member, member: Member) -> dict[str, Any]:
    return {
        "member": member,
        "consent": services.consent_standing(coordinator=coordinator, member=member),
    }


@login_required
@require_http_methods(["GET", "POST"])
def coordination_home(request: MemberRequest) -> HttpResponse:
    coordinator_required(request.user)
    form = ConsentForm(posted(request), coordinator=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.consent_record(
                coordinator=request.user,
                member=data["member"],
                method=data["method"],
                note=data["note"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = _status(error)
        else:
            messages.success(
                request,
                _("Consent recorded. You can now act for %(name)s.")
                % {"name": consent.member.display_name},
            )
            return redirect("coordination_member", member_id=consent.member_id)
    return render(
        request,
        "coordination/home.html",
        {"form": form, "consents": selectors.consents_held(coordinator=request.user)},
        status=status,
    )


@login_required
@require_safe
def coordination_member(request: MemberRequest, member_id: int) -> HttpResponse:
    member = member_get_for_coordinator(coordinator=request.user, member_id=member_id)
    context = _member_context(request.user, member)
    rows = []
    for exchange in selectors.member_exchanges_for_coordinator(member=member):
        moves = (
            exchange_moves_for(exchange=exchange, member=member) & set(services.ACTIONS)
            if context["consent"]
            and request.user.pk not in (exchange.provider_id, exchange.receiver_id)
            else set()
        )
        rows.append({"exchange": exchange, "moves": moves})
    context.update(
        rows=rows,
        verbs=ExchangeEvent.Verb,
        history=selectors.consents_held(coordinator=request.user).filter(member=member),
    )
    return render(request, "coordination/member.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def coordination_listing_new(request: MemberRequest, member_id: int) -> HttpResponse:
    member = member_get_for_coordinator(coordinator=request.user, member_id=member_id)
    form = CoordinatedListingForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        kind = fields.pop("kind")
        try:
            listing = services.coordinated_listing_create(
                coordinator=request.user, member=member, kind=kind, **fields
            )
        except DomainError as error:
            add_domain_error(form, error, fields=SERVICE_FIELDS)
            status = _status(error)
        else:
            messages.success(
                request,
                _("The listing is published for %(name)s.") % {"name": member.display_name},
            )
            return redirect("listing_detail", pk=listing.pk)
    context = _member_context(request.user, member) | {"form": form}
    return render(request, "coordination/listing_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def coordination_exchange_new(request: MemberRequest, member_id: int) -> HttpResponse:
    member = member_get_for_coordinator(coordinator=request.user, member_id=member_id)
    form = CoordinatedExchangeForm(posted(request), member=member)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.coordinated_exchange_propose(
                coordinator=request.user,
                member=member,
                other=data["colleague"],
                member_gives=data["direction"] == form.GAVE,
                title=data["title"],
                improvement_area=data["improvement_area"],
                benefit=data["benefit"],
                minutes=data["hours"],
                message=data["message"],
                request_key=str(data["request_key"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = _status(error)
        else:
            messages.success(
                request,
                _("Recorded for %(name)s and sent to %(other)s to accept.")
                % {"name": member.display_name, "other": data["colleague"].display_name},
            )
            return redirect("coordination_member", member_id=member.pk)
    context = _member_context(request.user, member) | {"form": form}
    return render(request, "coordination/exchange_form.html", context, status=status)


@login_required
@require_POST
def coordination_exchange_act(
    request: MemberRequest, member_id: int, pk: int, action: str
) -> HttpResponseBase:
    if action not in _ACTIONS:
        raise Http404
    member = member_get_for_coordinator(coordinator=request.user, member_id=member_id)
    exchange = get_object_or_404(Exchange, pk=pk)
    form = ActForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.coordinated_exchange_act(
            coordinator=request.user,
            member=member,
            exchange=exchange,
            action=action,
            minutes=data.get("hours"),
            reason=data.get("reason") or "",
            confirm_over_agreed=bool(data.get("confirm_over_agreed")),
        )
    except DomainError as error:
        messages.error(request, error.message)
        if error.kind == ErrorKind.FORBIDDEN:
            context = _member_context(request.user, member) | {"refusal": error.message}
            return render(request, "coordination/refused.html", context, status=403)
    else:
        messages.success(request, _("Recorded for %(name)s.") % {"name": member.display_name})
    return redirect("coordination_member", member_id=member.pk)


@login_required
@require_POST
def coordination_consent_withdraw(request: MemberRequest, pk: int) -> HttpResponseBase:
    """The member, or the coordinator who holds it, withdraws a consent."""
    consent = consent_get_for_member(member=request.user, pk=pk)
    services.consent_withdraw(consent=consent, by=request.user)
    if consent.member_id == request.user.pk:
        messages.success(
            request,
            _("%(name)s can no longer act for you.") % {"name": consent.coordinator.display_name},
        )
        return redirect("coordination_mine")
    messages.success(
        request,
        _("You no longer act for %(name)s.") % {"name": consent.member.display_name},
    )
    return redirect("coordination_member", member_id=consent.member_id)


@login_required
@require_safe
def coordination_mine(request: MemberRequest) -> HttpResponse:
    """The member's own view: who may act for them, and how to stop it."""
    return render(
        request,
        "coordination/mine.html",
        {"consents": selectors.consents_given(member=request.user)},
    )
