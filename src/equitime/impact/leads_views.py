"""Organisation leads' pages: the administrators' list of leads (appoint,
remove, also from a member's profile), and a lead's page of their
organisation's members.

Every change is a POST to a service in ``leads``; a refusal is shown on the
page (a ``DomainError``), never a 500. Without the permission: 403.
"""

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from equitime.core.csv import csv_safe
from equitime.core.errors import DomainError, ErrorKind, add_domain_error
from equitime.core.http import MemberRequest, posted
from equitime.core.units import format_credits
from equitime.impact import leads
from equitime.impact.access import impact_access_required, leads_standing
from equitime.impact.filters import ImpactFilterForm, Scope
from equitime.impact.leads_forms import LeadAppointForm
from equitime.impact.suppression import MIN_MEMBERS
from equitime.members.models import Organisation
from equitime.members.selectors import member_get_visible

# --- Appointing ------------------------------------------------------------------------


def _appointed_message(lead) -> str:
    return _("%(name)s now leads %(organisation)s.") % {
        "name": lead.member.display_name,
        "organisation": lead.organisation.name,
    }


@login_required
@permission_required(leads.APPOINT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def leads_page(request: MemberRequest) -> HttpResponse:
    form = LeadAppointForm(posted(request), chooser=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            lead = leads.lead_appoint(member=form.cleaned_data["member"], by=request.user)
        except DomainError as error:
            add_domain_error(form, error)
            status = 403 if error.kind == ErrorKind.FORBIDDEN else 200
        else:
            messages.success(request, _appointed_message(lead))
            return redirect("impact_leads")
    elif request.method == "POST":
        status = 422
    rows = list(leads.leads_listed())
    standing = set(
        leads_standing().filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True)
    )
    return render(
        request,
        "impact/leads.html",
        {
            "form": form,
            "leads": rows,
            "standing": standing,
            "may_remove": request.user.has_perm(leads.REMOVE),
        },
        status=status,
    )


def _back(request: MemberRequest, fallback: str, **kwargs: Any) -> HttpResponse:
    """Back where the form was (the profile, or the leads page): a path of ours only."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, **kwargs)


@login_required
@permission_required(leads.APPOINT, raise_exception=True)
@require_POST
def lead_appoint_member(request: MemberRequest, member_id: int) -> HttpResponse:
    """From a member's profile: appoint them lead of the organisation they work at."""
    member = member_get_visible(pk=member_id, viewer=request.user)
    try:
        lead = leads.lead_appoint(member=member, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _appointed_message(lead))
    return redirect("profile_detail", pk=member.pk)


@login_required
@permission_required(leads.REMOVE, raise_exception=True)
@require_POST
def lead_remove(request: MemberRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(leads.leads_listed(), pk=pk)
    try:
        leads.lead_remove(lead=lead, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s no longer leads %(organisation)s.")
            % {"name": lead.member.display_name, "organisation": lead.organisation.name},
        )
    return _back(request, "impact_leads")


# --- The organisation's members ----------------------------------------------------------


def period_text(scope: Scope) -> str:
    first = date_format(scope.first, "YEAR_MONTH_FORMAT")
    last = date_format(scope.last, "YEAR_MONTH_FORMAT")
    if first == last:
        return first
    return _("%(first)s to %(last)s") % {"first": first, "last": last}


@login_required
@require_safe
def my_organisation(request: MemberRequest) -> HttpResponse:
    """The menu's "Impact": a lead's organisation, an administrator's leads page."""
    access = impact_access_required(request.user)
    if request.user.has_perm(leads.APPOINT):
        return redirect("impact_leads")
    organisation = Organisation.objects.filter(pk__in=access.organisations).order_by("name").first()
    if organisation is None:
        raise PermissionDenied
    return redirect("impact_organisation_members", pk=organisation.pk)


@login_required
@require_safe
def organisation_members_page(request: MemberRequest, pk: int) -> HttpResponseBase:
    access = impact_access_required(request.user)
    if not access.may_see_organisation(pk):
        raise PermissionDenied
    organisation = get_object_or_404(Organisation, pk=pk)
    data = request.GET.copy()
    data["organisation"] = str(organisation.pk)  # the address says which
    form = ImpactFilterForm(data, access=access)
    report = None
    if form.is_valid():
        report = leads.organisation_members(organisation=organisation, scope=form.scope())
        if request.GET.get("format") == "csv":
            return _csv_response(report)
        # The months counted, in the boxes, when the defaults chose them.
        data["first"], data["last"] = f"{report.scope.first:%Y-%m}", f"{report.scope.last:%Y-%m}"
        form = ImpactFilterForm(data, access=access)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "impact/organisation_members.html",
        {
            "organisation": organisation,
            "form": form,
            "report": report,
            "period": period_text(report.scope) if report else "",
            "min_members": MIN_MEMBERS,
            "csv_query": (query.urlencode() + "&" if query else "") + "format=csv",
            "is_lead": pk in access.organisations,
        },
    )


# --- CSV ---------------------------------------------------------------------------------


def organisation_members_csv(report: leads.OrganisationMembers) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Member"),
            _("Hours given"),
            _("Hours received"),
            _("Hours given across organisations"),
        ]
    )
    for row in report.named:
        writer.writerow(
            [
                csv_safe(row.name),
                format_credits(row.given),
                format_credits(row.received),
                format_credits(row.given_across),
            ]
        )
    others = report.others
    if others is not None:
        if others.members is None:
            withheld = _("withheld")
            label = _("Fewer than %(count)s other members keep their names to themselves") % {
                "count": MIN_MEMBERS
            }
            writer.writerow([label, withheld, withheld, withheld])
        else:
            label = ngettext(
                "%(count)s other member keeps their name to themselves",
                "%(count)s other members keep their names to themselves",
                others.members,
            ) % {"count": others.members}
            writer.writerow(
                [
                    label,
                    format_credits(others.given or 0),
                    format_credits(others.received or 0),
                    format_credits(others.given_across or 0),
                ]
            )
    return out.getvalue()


def _csv_response(report: leads.OrganisationMembers) -> HttpResponse:
    scope = report.scope
    name = (
        f"organisation-{report.organisation.pk}-members-"
        f"{scope.first:%Y-%m}-to-{scope.last:%Y-%m}.csv"
    )
    response = HttpResponse(
        organisation_members_csv(report), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
