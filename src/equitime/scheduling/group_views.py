"""The group sessions' pages: the list, one session, making one, and the
community's credit policy.

Times are shown in the reader's own zone, named beside them; the organiser
types a new session's time on their own clock. Every change is a POST to its
own address, and each answers by going back to the session's page.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equitime.core.errors import DomainError, add_domain_error
from equitime.core.http import MemberRequest, posted
from equitime.core.units import minutes_to_hours
from equitime.core.zones import zone_of
from equitime.listings.access import listing_get_for_owner
from equitime.listings.models import Listing
from equitime.scheduling import groups
from equitime.scheduling.group_forms import (
    AttendanceForm,
    CancelForm,
    GroupFilterForm,
    GroupSessionForm,
    SchedulingSettingsForm,
)
from equitime.scheduling.group_selectors import (
    free_places,
    group_session_get,
    group_sessions_upcoming,
)
from equitime.scheduling.models import SchedulingSettings, Seat, Session
from equitime.scheduling.slots import Slot


def _render(request: MemberRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Rendered on the reader's clock, whatever the request's zone."""
    with timezone.override(zone_of(request.user)):
        return render(request, template, context)


@login_required
@require_GET
def group_session_list(request: MemberRequest) -> HttpResponse:
    form = GroupFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    sessions = group_sessions_upcoming(area=filters.get("area", ""))
    page = Paginator(sessions, 20).get_page(request.GET.get("page"))
    for session in page:
        session.free = free_places(session)  # type: ignore[attr-defined]  # for the template
    return _render(request, "scheduling/group_session_list.html", {"form": form, "page": page})


def _own_offer(request: MemberRequest) -> Listing | None:
    """The offer named in ?listing= (or the form), if it is the member's own."""
    raw = request.POST.get("listing") or request.GET.get("listing")
    if not raw or not str(raw).isdigit():
        return None
    return listing_get_for_owner(member=request.user, pk=int(raw))


@login_required
@require_http_methods(["GET", "POST"])
def group_session_create(request: MemberRequest) -> HttpResponseBase:
    listing = _own_offer(request)
    initial: dict[str, Any] = {}
    if listing is not None:
        initial = {
            "title": listing.title,
            "description": listing.description,
            "improvement_area": listing.improvement_area_id,
            "benefit": listing.benefit,
            "hours": minutes_to_hours(listing.estimated_minutes),
        }
    zone = zone_of(request.user)
    form = GroupSessionForm(posted(request), initial=initial, zone=zone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = groups.group_session_create(
                organiser=request.user,
                title=data["title"],
                description=data["description"],
                improvement_area=data["improvement_area"],
                benefit=data["benefit"],
                slot=Slot(
                    starts_at=data["starts_at"],
                    minutes=data["hours"],
                    place=data["place"],
                    video_url=data["video_url"],
                ),
                capacity=data["capacity"],
                listing=listing,
            )
        except DomainError as error:
            add_domain_error(
                form, error, fields={"starts_at": "date", "minutes": "hours", "listing": "title"}
            )
        else:
            messages.success(request, _("Your group session is open for sign-ups."))
            return redirect("group_session_detail", pk=session.pk)
    return _render(
        request, "scheduling/group_session_form.html", {"form": form, "listing": listing}
    )


def _detail_context(request: MemberRequest, session: Session) -> dict[str, Any]:
    member = request.user
    seats = list(
        session.seats.select_related("member")
        .exclude(status=Seat.Status.LEFT)
        .order_by("joined_at", "pk")
    )
    booked = [seat for seat in seats if seat.status == Seat.Status.BOOKED]
    waiting = [seat for seat in seats if seat.status == Seat.Status.WAITING]
    mine = next((seat for seat in seats if seat.member_id == member.pk), None)
    is_organiser = session.organiser_id == member.pk
    moves = groups.group_moves_for(session=session, member=member)
    return {
        "session": session,
        "is_organiser": is_organiser,
        "booked": booked,
        "waiting": waiting,
        "attended": [seat for seat in seats if seat.status == Seat.Status.ATTENDED],
        "mine": mine,
        "position": waiting.index(mine) + 1 if mine in waiting else None,
        "free": free_places(session),
        "share": groups.seat_share(session),
        "open": "leave" in moves,
        "may_sign_up": "sign_up" in moves,
        "may_record": "attendance" in moves,
        "may_cancel": "cancel" in moves,
        "attendance_form": AttendanceForm(seats=booked) if is_organiser else None,
        "cancel_form": CancelForm() if is_organiser else None,
    }


@login_required
@require_GET
def group_session_detail(request: MemberRequest, pk: int) -> HttpResponse:
    session = group_session_get(pk=pk)
    return _render(
        request, "scheduling/group_session_detail.html", _detail_context(request, session)
    )


def _act(request: MemberRequest, pk: int, action: Any, done: str) -> HttpResponseBase:
    session = group_session_get(pk=pk)
    try:
        action(session)
    except DomainError as error:
        if error.kind == "forbidden":
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("group_session_detail", pk=pk)


@login_required
@require_POST
def group_sign_up(request: MemberRequest, pk: int) -> HttpResponseBase:
    def sign_up(session: Session) -> None:
        seat = groups.group_sign_up(session=session, member=request.user)
        if seat.status == Seat.Status.WAITING:
            messages.info(request, _("The places are taken: you are on the waiting list."))

    return _act(request, pk, sign_up, _("You signed up."))


@login_required
@require_POST
def group_leave(request: MemberRequest, pk: int) -> HttpResponseBase:
    return _act(
        request,
        pk,
        lambda session: groups.group_leave(session=session, member=request.user),
        _("You gave up your place."),
    )


@login_required
@require_POST
def group_session_cancel(request: MemberRequest, pk: int) -> HttpResponseBase:
    session = group_session_get(pk=pk)
    if session.organiser_id != request.user.pk:
        raise PermissionDenied
    form = CancelForm(request.POST)
    if form.is_valid():
        return _act(
            request,
            pk,
            lambda s: groups.group_session_cancel(
                session=s, member=request.user, reason=form.cleaned_data["reason"]
            ),
            _("The session is cancelled; everyone who signed up is told."),
        )
    context = _detail_context(request, session) | {"cancel_form": form, "cancel_open": True}
    return _render(request, "scheduling/group_session_detail.html", context)


@login_required
@require_POST
def group_attendance(request: MemberRequest, pk: int) -> HttpResponseBase:
    session = group_session_get(pk=pk)
    if session.organiser_id != request.user.pk:
        raise PermissionDenied
    booked = list(session.seats.select_related("member").filter(status=Seat.Status.BOOKED))
    form = AttendanceForm(request.POST, seats=booked)
    if form.is_valid():
        return _act(
            request,
            pk,
            lambda s: groups.group_attendance_record(
                session=s,
                member=request.user,
                attended_member_ids=[int(pk) for pk in form.cleaned_data["attended"]],
            ),
            _("Attendance recorded; the credits have moved."),
        )
    context = _detail_context(request, session) | {"attendance_form": form}
    return _render(request, "scheduling/group_session_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scheduling_settings(request: MemberRequest) -> HttpResponseBase:
    if not request.user.has_perm(groups.SETTINGS_PERMISSION):
        raise PermissionDenied
    current = SchedulingSettings.current()
    form = SchedulingSettingsForm(posted(request), instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            groups.group_credit_policy_set(
                member=request.user, policy=form.cleaned_data["group_credit_policy"]
            )
        except DomainError as error:
            add_domain_error(form, error, fields={"policy": "group_credit_policy"})
        else:
            messages.success(request, _("Saved. New group sessions follow this policy."))
            return redirect("scheduling_settings")
    return _render(
        request, "scheduling/scheduling_settings.html", {"form": form, "current": current}
    )
