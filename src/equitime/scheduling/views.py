"""One-to-one sessions' pages: each action on an exchange's session is a POST
to its own address that goes back to the exchange page with a message.

The forms live on the exchange page (``templatetags.session_panel``); a form
that comes back with errors is shown again on a page of its own, with the
errors beside their fields. Only the exchange's two parties reach these
addresses (anyone else: 404); the services check everything else.
"""

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from equitime.core import zones
from equitime.core.errors import DomainError, add_domain_error
from equitime.core.http import MemberRequest, posted
from equitime.core.pagecache import member_page
from equitime.exchanges.models import Exchange
from equitime.members.models import Member
from equitime.scheduling import forms, services
from equitime.scheduling.display import clock_of, other_clock
from equitime.scheduling.models import ProposedTime, Session
from equitime.scheduling.selectors import (
    exchange_get_for_party,
    sessions_awaiting_time_for_member,
    sessions_upcoming_for_member,
)

# A service's name for a slot's part, as the forms call it (with the row's number).
_SLOT_FIELDS = {
    "starts_at": "time",
    "minutes": "length",
    "place": "place",
    "video_url": "video_url",
}


def _form_field(field: str, suffix: str) -> str:
    if field == "times":  # about the times together: shown by the first
        return "date1"
    if field in _SLOT_FIELDS:
        return _SLOT_FIELDS[field] + suffix
    return field


def _exchange_for_party(member: Member, pk: int) -> Exchange:
    return exchange_get_for_party(member=member, pk=pk)


def _session_of(exchange: Exchange) -> Session:
    return get_object_or_404(Session, exchange=exchange)


def _back(exchange: Exchange) -> HttpResponse:
    return redirect("exchange_detail", pk=exchange.pk)


def _act(
    request: MemberRequest,
    exchange: Exchange,
    form: django_forms.Form,
    call: Any,
    *,
    done: str,
    heading: str,
    button: str,
    suffix: str = "",
) -> HttpResponseBase:
    """Validate ``form``, run ``call(cleaned data)``; back to the exchange page
    with ``done``, or the form again (422) with the errors where they belong.
    A refusal about the state of things (not a field) goes back with it."""
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as error:
            if not error.field:
                messages.error(request, error.message)
                return _back(exchange)
            add_domain_error(form, error, fields={error.field: _form_field(error.field, suffix)})
        else:
            messages.success(request, done)
            return _back(exchange)
    return render(
        request,
        "scheduling/session_form.html",
        {"exchange": exchange, "form": form, "heading": heading, "button": button},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_propose(request: MemberRequest, pk: int) -> HttpResponseBase:
    exchange = _exchange_for_party(request.user, pk)
    form = forms.ProposeTimesForm(
        posted(request), prefix="propose", zone=zones.zone_of(request.user)
    )
    return _act(
        request,
        exchange,
        form,
        lambda data: services.session_propose_times(
            exchange=exchange, member=request.user, slots=data["slots"], reason=data["reason"]
        ),
        done=_("Your times are sent. You will be told when one is chosen."),
        heading=_("Propose times"),
        button=_("Send these times"),
        suffix="1",
    )


@login_required
@require_POST
def session_choose(request: MemberRequest, pk: int, time_pk: int) -> HttpResponseBase:
    exchange = _exchange_for_party(request.user, pk)
    time = get_object_or_404(ProposedTime, pk=time_pk, session__exchange=exchange)
    try:
        session = services.session_choose_time(proposed_time=time, member=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        assert session.starts_at is not None
        when = clock_of(request.user, session.starts_at, session.minutes)
        messages.success(
            request,
            _("The session is set for %(day)s, %(time)s (your time). Your colleague is told.")
            % {"day": when.day, "time": when.span},
        )
    return _back(exchange)


@login_required
@require_http_methods(["GET", "POST"])
def session_move(request: MemberRequest, pk: int) -> HttpResponseBase:
    exchange = _exchange_for_party(request.user, pk)
    session = _session_of(exchange)
    form = forms.MoveForm(posted(request), prefix="move", zone=zones.zone_of(request.user))
    return _act(
        request,
        exchange,
        form,
        lambda data: services.session_move(
            session=session, member=request.user, slot=data["slot"], reason=data["reason"]
        ),
        done=_("The session is moved. Your colleague is told."),
        heading=_("Move the session"),
        button=_("Move the session"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: MemberRequest, pk: int) -> HttpResponseBase:
    exchange = _exchange_for_party(request.user, pk)
    session = _session_of(exchange)
    form = forms.CancelForm(posted(request), prefix=forms.CANCEL_PREFIX)
    return _act(
        request,
        exchange,
        form,
        lambda data: services.session_cancel(
            session=session, member=request.user, reason=data["reason"]
        ),
        done=_("The session is cancelled. Your colleague is told; the exchange stays open."),
        heading=_("Cancel the session"),
        button=_("Cancel the session"),
    )


def _row(reader: Member, session: Session) -> dict[str, Any]:
    """A session as the list shows it, on the reader's clock and the other's."""
    other = None
    if session.exchange is not None:
        other = session.exchange.other_party(reader)
    row: dict[str, Any] = {"session": session, "other": other}
    if session.starts_at is not None:
        row["when"] = clock_of(reader, session.starts_at, session.minutes)
        if other is not None:
            row["other_when"] = other_clock(reader, other, session.starts_at, session.minutes)
    return row


@member_page
@login_required
def session_list(request: MemberRequest) -> HttpResponse:
    member = request.user
    upcoming = [_row(member, s) for s in sessions_upcoming_for_member(member=member)]
    awaiting = [_row(member, s) for s in sessions_awaiting_time_for_member(member=member)]
    return render(
        request,
        "scheduling/session_list.html",
        {
            "upcoming": upcoming,
            "awaiting": awaiting,
            "zone": zones.zone_label(zones.zone_of(member)),
        },
    )
