from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from equitime.core.errors import DomainError, add_domain_error
from equitime.core.http import posted
from equitime.core.units import minutes_to_hours
from equitime.listings import services
from equitime.listings.access import listing_get_for_owner, listing_get_visible
from equitime.listings.forms import ListingForm, ProposeForm
from equitime.listings.models import Listing

# The service's names for the form's fields, so a refusal shows next to its field.
SERVICE_FIELDS = {"estimated_minutes": "hours"}


@login_required
@require_http_methods(["GET", "POST"])
def listing_create(request, kind: str):
    if kind not in Listing.Kind.values:
        raise Http404
    form = ListingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(
                owner=request.user, kind=kind, **form.service_fields()
            )
        except DomainError as error:
            add_domain_error(form, error, fields=SERVICE_FIELDS)
        else:
            messages.success(request, _("Your listing is published."))
            return redirect("listing_detail", pk=listing.pk)
    return render(
        request,
        "listings/listing_form.html",
        {"form": form, "kind": kind, "kind_label": Listing.Kind(kind).label},
    )


@login_required
def listing_detail(request, pk: int):
    listing = listing_get_visible(member=request.user, pk=pk)
    is_owner = listing.owner_id == request.user.pk
    propose_form = None
    if not is_owner and listing.is_open:
        propose_form = ProposeForm(initial={"hours": minutes_to_hours(listing.estimated_minutes)})
    context = {"listing": listing, "is_owner": is_owner, "propose_form": propose_form}
    if is_owner:
        # Renew is offered only when it would change something; before then,
        # the page says from when.
        context["may_renew"] = services.listing_may_renew(listing=listing)
        context["renewable_from"] = services.listing_renewable_from(listing=listing)
        context["renew_days"] = settings.EQUITIME_LISTING_EXPIRY_DAYS
    return render(request, "listings/listing_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request, pk: int):
    listing = listing_get_for_owner(member=request.user, pk=pk)
    form = ListingForm(posted(request), initial=ListingForm.initial_from(listing))
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(listing=listing, member=request.user, **form.service_fields())
        except DomainError as error:
            add_domain_error(form, error, fields=SERVICE_FIELDS)
        else:
            messages.success(request, _("Your listing is saved."))
            return redirect("listing_detail", pk=listing.pk)
    return render(
        request,
        "listings/listing_form.html",
        {"form": form, "listing": listing, "kind_label": listing.get_kind_display()},
    )


_ACTIONS = {
    "pause": (
        services.listing_pause,
        gettext_lazy("Your listing is paused: nobody can take it up."),
    ),
    "resume": (services.listing_resume, gettext_lazy("Your listing is open again.")),
    "close": (services.listing_close, gettext_lazy("Your listing is closed.")),
    "renew": (services.listing_renew, gettext_lazy("Your listing is renewed and open.")),
}


@login_required
@require_safe
def listing_close_confirm(request, pk: int):
    """Closing is final, so the listing page asks first: this page, whose form
    posts to ``listing_act`` (no script needed)."""
    listing = listing_get_for_owner(member=request.user, pk=pk)
    if listing.status == Listing.Status.CLOSED:
        messages.info(request, _("This listing is already closed."))
        return redirect("listing_detail", pk=listing.pk)
    return render(request, "listings/listing_close.html", {"listing": listing})


@login_required
@require_POST
def listing_act(request, pk: int, action: str):
    if action not in _ACTIONS:
        raise Http404
    listing = listing_get_for_owner(member=request.user, pk=pk)
    service, done = _ACTIONS[action]
    try:
        service(listing=listing, member=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("listing_detail", pk=listing.pk)
