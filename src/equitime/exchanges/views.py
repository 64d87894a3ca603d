from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from equitime.core import notices
from equitime.core.errors import DomainError, add_domain_error
from equitime.core.http import MemberRequest, posted
from equitime.core.pagecache import member_page
from equitime.core.units import minutes_to_hours
from equitime.exchanges import forms, services
from equitime.exchanges.access import exchange_get_for_member
from equitime.exchanges.models import OPEN_STATUSES, Exchange, Reflection
from equitime.exchanges.selectors import exchanges_for_member, exchanges_open_for_member
from equitime.listings.access import listing_get_visible
from equitime.listings.forms import ProposeForm
from equitime.members.models import Member
from equitime.members.picker import colleague_from_link

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Verb = services.Verb


@member_page
@login_required
def exchange_list(request: MemberRequest) -> HttpResponse:
    finished = exchanges_for_member(member=request.user).exclude(status__in=OPEN_STATUSES)
    return render(
        request,
        "exchanges/exchange_list.html",
        {
            "open_exchanges": exchanges_open_for_member(member=request.user),
            "finished": Paginator(finished, 20).get_page(request.GET.get("page")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exchange_propose(request: MemberRequest, listing_pk: int) -> HttpResponseBase:
    listing = listing_get_visible(member=request.user, pk=listing_pk)
    form = ProposeForm(
        posted(request), initial={"hours": minutes_to_hours(listing.estimated_minutes)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            exchange = services.exchange_propose_from_listing(
                listing=listing,
                member=request.user,
                minutes=form.cleaned_data["hours"],
                message=form.cleaned_data["message"],
                request_key=str(form.cleaned_data["request_key"]),
                within_means=True,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Your proposal is sent. You will be told when it is accepted.")
            )
            return redirect("exchange_detail", pk=exchange.pk)
    return render(request, "exchanges/propose.html", {"form": form, "listing": listing})


@login_required
@require_http_methods(["GET", "POST"])
def exchange_direct(request: MemberRequest) -> HttpResponseBase:
    # From a colleague's profile: them chosen, and who gives the time ("Ask for help").
    initial: dict[str, Any] = {"colleague": colleague_from_link(request)}
    headings = {
        forms.DirectExchangeForm.GAVE: _("Propose an exchange"),
        forms.DirectExchangeForm.RECEIVED: _("Ask for help"),
    }
    direction = request.GET.get("direction", "")
    if direction in headings:
        initial["direction"] = direction
    form = forms.DirectExchangeForm(posted(request), member=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange = services.exchange_propose_direct(
                member=request.user,
                other=data["colleague"],
                member_gives=data["direction"] == form.GAVE,
                title=data["title"],
                improvement_area=data["improvement_area"],
                benefit=data["benefit"],
                minutes=data["hours"],
                message=data["message"],
                request_key=str(data["request_key"]),
                within_means=True,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Sent to your colleague to accept."))
            return redirect("exchange_detail", pk=exchange.pk)
    return render(
        request,
        "exchanges/direct.html",
        {"form": form, "heading": headings.get(direction) or _("Record an exchange")},
    )


def _detail_context(
    request: MemberRequest,
    exchange: Exchange,
    bound: tuple[str, django_forms.Form | None] | None = None,
) -> dict[str, Any]:
    """Everything the exchange page shows; ``bound`` replaces one empty form
    with the submitted one, so its errors appear in place."""
    member = request.user
    moves = services.exchange_moves_for(exchange=exchange, member=member)
    is_party = exchange.party_role(member) is not None
    thanks = list(exchange.thanks.select_related("author"))
    page_forms: dict[str, django_forms.Form | None] = {
        "decline": forms.ReasonForm(prefix="decline"),
        "cancel": forms.OptionalReasonForm(prefix="cancel"),
        "deliver": forms.DeliverForm(
            prefix="deliver", initial={"hours": minutes_to_hours(exchange.proposed_minutes)}
        ),
        "dispute": forms.ReasonForm(prefix="dispute"),
        "resolve": forms.ResolveForm(prefix="resolve"),
        "message": forms.MessageForm(prefix="message") if is_party else None,
        "thanks": forms.ThanksForm(prefix="thanks")
        if is_party
        and exchange.status == "completed"
        and not any(t.author_id == member.pk for t in thanks)
        else None,
        "reflect": None,
    }
    context: dict[str, Any] = {
        "exchange": exchange,
        "role": exchange.party_role(member),
        "moves": moves,
        # Cancelling is always open to a party; it does not make it their turn.
        "waiting": bool(moves - {Verb.CANCEL}),
        "events": exchange.events.select_related("actor", "recorded_by"),
        "thread": exchange.messages.select_related("author"),
        "thanks": thanks,
        "forms": page_forms,
    }
    if is_party:
        reflection = Reflection.objects.filter(exchange=exchange, author=member).first()
        context["reflection"] = reflection
        page_forms["reflect"] = forms.ReflectionForm(
            prefix="reflect",
            initial={
                "text": reflection.text,
                "learned": reflection.learned,
                "practice_change": reflection.practice_change,
                "standards": reflection.standards,
            }
            if reflection
            else {},
        )
    if bound is not None:
        name, form = bound
        page_forms[name] = form
    return context


@member_page
@login_required
def exchange_detail(request: MemberRequest, pk: int) -> HttpResponse:
    exchange = exchange_get_for_member(member=request.user, pk=pk)
    if request.method == "GET":  # opened, not posted to
        # Before the page is drawn, so its badge counts only what is still to
        # see. A copy kept by the page cache never skips this: see
        # notifications_mark_seen.
        notices.seen(member=request.user, exchange=exchange)
    return render(request, "exchanges/exchange_detail.html", _detail_context(request, exchange))


# action -> (form class or None, call(exchange, member, cleaned data), success message)
_ACTIONS: dict[
    str,
    tuple[
        type[django_forms.Form] | None,
        Callable[[Exchange, Member, dict[str, Any]], object],
        "StrPromise",
    ],
] = {
    "accept": (
        None,
        lambda ex, m, d: services.exchange_accept(exchange=ex, member=m),
        gettext_lazy("Accepted. The hours are held until the exchange is confirmed."),
    ),
    "decline": (
        forms.ReasonForm,
        lambda ex, m, d: services.exchange_decline(exchange=ex, member=m, reason=d["reason"]),
        gettext_lazy("Declined. Your colleague has been told why."),
    ),
    "cancel": (
        forms.OptionalReasonForm,
        lambda ex, m, d: services.exchange_cancel(exchange=ex, member=m, reason=d["reason"]),
        gettext_lazy("Cancelled. Any held credits are released."),
    ),
    "deliver": (
        forms.DeliverForm,
        lambda ex, m, d: services.exchange_deliver(
            exchange=ex,
            member=m,
            minutes=d["hours"],
            confirm_over_agreed=d["confirm_over_agreed"],
        ),
        gettext_lazy("Hours logged. Your colleague will confirm them."),
    ),
    "confirm": (
        None,
        lambda ex, m, d: services.exchange_confirm(exchange=ex, member=m),
        gettext_lazy("Confirmed. The credits have moved. You can now leave thanks."),
    ),
    "dispute": (
        forms.ReasonForm,
        lambda ex, m, d: services.exchange_dispute(exchange=ex, member=m, reason=d["reason"]),
        gettext_lazy("Disputed. A moderator will review it; the credits stay held meanwhile."),
    ),
    "resolve": (
        forms.ResolveForm,
        lambda ex, m, d: services.exchange_resolve(
            exchange=ex,
            moderator=m,
            minutes=d["hours"] if d["outcome"] == forms.ResolveForm.POST else None,
            note=d["note"],
        ),
        gettext_lazy("The dispute is resolved and both members have been told."),
    ),
    "message": (
        forms.MessageForm,
        lambda ex, m, d: services.exchange_message_post(exchange=ex, member=m, body=d["body"]),
        gettext_lazy("Message sent."),
    ),
    "thanks": (
        forms.ThanksForm,
        lambda ex, m, d: services.thanks_give(
            exchange=ex,
            member=m,
            message=d["message"],
            impact=d["impact"],
            show_on_profile=d["show_on_profile"],
        ),
        gettext_lazy("Your thanks are sent. They mean a lot to your colleague."),
    ),
    "reflect": (
        forms.ReflectionForm,
        lambda ex, m, d: services.reflection_save(
            exchange=ex,
            member=m,
            text=d["text"],
            learned=d["learned"],
            practice_change=d["practice_change"],
            standards=d["standards"],
        ),
        gettext_lazy("Your reflection is saved. Only you can see it."),
    ),
}


# Forms drawn on the page for an action, by the move (or the party) that shows them.
_SHOWN_WITH = {"resolve": Verb.RESOLVE_POST}
_PARTY_FORMS = {"message", "thanks", "reflect"}
# A service's name for a text, where the form calls it something else: a
# refusal is shown next to the field it is about.
_FIELD_NAMES = {"message": {"message": "body"}, "thanks": {"thanks": "message"}}


@login_required
@require_POST
def exchange_act(request: MemberRequest, pk: int, action: str) -> HttpResponseBase:
    if action not in _ACTIONS:
        raise Http404
    exchange = exchange_get_for_member(member=request.user, pk=pk)
    form_class, call, done = _ACTIONS[action]
    form = form_class(request.POST, prefix=action) if form_class else None
    if form is None or form.is_valid():
        try:
            call(exchange, request.user, form.cleaned_data if form else {})
        except DomainError as error:
            if form is None or not _form_is_shown(exchange, request.user, action):
                # Out of turn (a stale page, a replayed form): say why on the page.
                messages.error(request, error.message)
                return redirect("exchange_detail", pk=exchange.pk)
            add_domain_error(form, error, fields=_FIELD_NAMES.get(action))
        else:
            # Acting on it is seeing it (a refusal changes nothing; the page it
            # leads to marks what it shows).
            notices.seen(member=request.user, exchange=exchange)
            messages.success(request, done)
            return redirect("exchange_detail", pk=exchange.pk)
    exchange = exchange_get_for_member(member=request.user, pk=pk)
    return render(
        request,
        "exchanges/exchange_detail.html",
        _detail_context(request, exchange, bound=(action, form)),
        status=422,
    )


def _form_is_shown(exchange: Exchange, member: Member, action: str) -> bool:
    exchange = exchange_get_for_member(member=member, pk=exchange.pk)
    if action in _PARTY_FORMS:
        return exchange.party_role(member) is not None
    moves = services.exchange_moves_for(exchange=exchange, member=member)
    return _SHOWN_WITH.get(action, action) in moves
