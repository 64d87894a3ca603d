"""Moderation pages: members report listings; moderators work the queue of
reported listings and disputed exchanges, suspend and reinstate members; community
administrators make members moderators.

Every change is a POST to a service; the services hold the rules and say why
they refuse (a ``DomainError``, shown on the page, never a 500). Pages that
only moderators may open answer everyone else with 403.
"""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from equitime.core.errors import DomainError
from equitime.core.http import posted
from equitime.dashboard.views import profile_context
from equitime.listings.access import listing_get_visible
from equitime.members import roles
from equitime.members import services as member_services
from equitime.members.forms import SuspendForm
from equitime.members.selectors import member_get_visible
from equitime.moderation import selectors, services
from equitime.moderation.forms import FlagDecisionForm, ListingFlagForm, RoleForm
from equitime.moderation.models import ListingFlag

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- Reporting a listing ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def listing_flag(request, pk: int):
    """GET shows the report form; POST sends the report and goes back to the listing."""
    listing = listing_get_visible(member=request.user, pk=pk)
    try:
        services.listing_flag_check_may(listing=listing, member=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("listing_detail", pk=listing.pk)
    form = ListingFlagForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_flag(listing=listing, member=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you for your report. A moderator will review this listing; "
                    "you will be told what they decide."
                ),
            )
            return redirect("listing_detail", pk=listing.pk)
    already = selectors.listing_flag_open_exists(listing=listing, member=request.user)
    return render(
        request,
        "moderation/flag_form.html",
        {"listing": listing, "form": form, "already_flagged": already},
        status=422 if form.is_bound else 200,
    )


# --- The moderation queue -------------------------------------------------------


def _queue(request, *, bound: tuple[int, FlagDecisionForm] | None = None, status: int = 200):
    """The queue page. ``bound`` (a listing's pk and a submitted decision form)
    puts that form back in its place, errors and all."""
    flagged = selectors.listings_flagged_open()
    for group in flagged:
        # Not offered what the service would refuse: it waits for another moderator.
        if group.waits_for_another(request.user):
            group.form = None
        elif bound is not None and bound[0] == group.listing.pk:
            group.form = bound[1]
        else:
            group.form = FlagDecisionForm(prefix=f"flag-{group.first.pk}")
    return render(
        request,
        "moderation/queue.html",
        {
            "flagged": flagged,
            "disputed": selectors.exchanges_disputed(),
            "suspended": selectors.members_suspended(),
            "paying_one_member": selectors.new_accounts_paying_one_member(),
            "new_account_days": selectors.NEW_ACCOUNT_DAYS,
        },
        status=status,
    )


@login_required
@permission_required("members.moderate", raise_exception=True)
@require_safe
def moderation_queue(request):
    return _queue(request)


def _decide(request, pk: int, service, done: "StrOrPromise"):
    flag = get_object_or_404(ListingFlag.objects.select_related("listing"), pk=pk)
    form = FlagDecisionForm(request.POST, prefix=f"flag-{pk}")
    # A report decided meanwhile (another moderator, a stale page), or one this
    # moderator may not decide, is refused by the service, note or no note, and
    # its form is not on the page.
    not_theirs = flag.status != ListingFlag.Status.OPEN or flag.listing.owner_id == request.user.pk
    if (
        form.is_valid()
        or not_theirs
        or selectors.listing_flag_open_exists(listing=flag.listing, member=request.user)
    ):
        try:
            service(flag=flag, moderator=request.user, note=form.cleaned_data.get("note", ""))
        except DomainError as error:
            # Decided already, or not this moderator's to decide: either way
            # the form is not on the page, so say it above the queue.
            if error.code in ("already_decided", "own_listing", "own_report"):
                messages.error(request, error.message)
                return redirect("moderation_queue")
            form.add_error(None, error.message)
        else:
            messages.success(request, done % {"title": flag.listing.title})
            return redirect("moderation_queue")
    return _queue(request, bound=(flag.listing_id, form), status=422)


@login_required
@permission_required("members.moderate", raise_exception=True)
@require_POST
def listing_flag_uphold(request, pk: int):
    return _decide(
        request,
        pk,
        services.listing_flag_uphold,
        gettext_lazy(
            "“%(title)s” is closed. Its owner and the members who reported it have been told."
        ),
    )


@login_required
@permission_required("members.moderate", raise_exception=True)
@require_POST
def listing_flag_dismiss(request, pk: int):
    return _decide(
        request,
        pk,
        services.listing_flag_dismiss,
        gettext_lazy("The reports on “%(title)s” are dismissed; the listing stays as it is."),
    )


# --- Suspension and roles, from a member's profile -------------------------------


@login_required
@permission_required("members.suspend_member", raise_exception=True)
@require_POST
def member_suspend(request, pk: int):
    member = member_get_visible(pk=pk, viewer=request.user)
    form = SuspendForm(request.POST)
    if form.is_valid():
        try:
            services.member_suspend(
                member=member, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            # Not this member (yourself, an administrator) or not now (already
            # suspended): the form may not even be on the page, so say it above.
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is suspended: signed out, unable to sign in, and their open "
                    "listings are paused."
                )
                % {"name": member.display_name},
            )
        return redirect("profile_detail", pk=member.pk)
    return render(
        request,
        "members/profile_detail.html",
        profile_context(request, member, suspend_form=form),
        status=422,
    )


@login_required
@permission_required("members.suspend_member", raise_exception=True)
@require_POST
def member_reinstate(request, pk: int):
    member = member_get_visible(pk=pk, viewer=request.user)
    try:
        member_services.member_reinstate(member=member, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "%(name)s is reinstated and can sign in again. Their paused listings stay "
                "paused until they reopen them."
            )
            % {"name": member.display_name},
        )
    return redirect("profile_detail", pk=member.pk)


@login_required
@permission_required("members.assign_role", raise_exception=True)
@require_POST
def member_roles(request, pk: int):
    member = member_get_visible(pk=pk, viewer=request.user)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This form was changed or has expired. Please try again."))
        return redirect("profile_detail", pk=member.pk)
    role, change = form.cleaned_data["role"], form.cleaned_data["change"]
    grant = change == RoleForm.GRANT
    service = member_services.member_role_grant if grant else member_services.member_role_revoke
    try:
        service(member=member, role=role, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        label = roles.ROLE_LABELS[role]  # the form's choices
        template = (
            _("%(name)s is now a %(role)s.") if grant else _("%(name)s is no longer a %(role)s.")
        )
        messages.success(request, template % {"name": member.display_name, "role": label.lower()})
    return redirect("profile_detail", pk=member.pk)


# --- The reports' old admin address ------------------------------------------------


@require_safe
def admin_moved(request):
    """Reports were the community app's until it was split, and their admin
    pages moved with them: staff's links and bookmarks to the old list, with
    its filters, still arrive (GET and HEAD only)."""
    query = request.META.get("QUERY_STRING", "")
    target = "/admin/moderation/listingflag/" + (f"?{query}" if query else "")
    return redirect(target, permanent=True)
