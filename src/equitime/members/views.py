from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equitime.core.http import posted
from equitime.exchanges.selectors import exchanges_open_for_member, thanks_shown_on_profile
from equitime.ledger import selectors as ledger_selectors
from equitime.listings.selectors import listings_open_for_owner
from equitime.members.forms import ProfileForm
from equitime.members.selectors import member_get_visible
from equitime.members.services import profile_update


@login_required
def dashboard(request):
    """The member's own page: what they can spend, what is held, and where
    their credits came from and went."""
    member = request.user
    account = ledger_selectors.account_for_member(member=member)
    transfers = Paginator(ledger_selectors.transfers_for_member(member=member), 20).get_page(
        request.GET.get("page")
    )
    open_exchanges = exchanges_open_for_member(member=member)
    return render(
        request,
        "members/dashboard.html",
        {
            "account": account,
            "transfers": transfers,
            "waiting": [exchange for exchange in open_exchanges if exchange.waiting],
            "open_exchanges": open_exchanges,
            "open_listings": listings_open_for_owner(member=member),
        },
    )


@login_required
def profile_detail(request, pk: int):
    member = member_get_visible(pk=pk)
    return render(
        request,
        "members/profile_detail.html",
        {
            "profile_member": member,
            "profile": member.profile,
            "is_me": member == request.user,
            "thanks": thanks_shown_on_profile(member=member)[:10],
            "listings": listings_open_for_owner(member=member),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    member = request.user
    profile = member.profile
    form = ProfileForm(
        posted(request), instance=profile, initial={"display_name": member.display_name}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        profile_update(member=member, display_name=data.pop("display_name"), **data)
        messages.success(request, _("Your profile is saved."))
        return redirect("profile_detail", pk=member.pk)
    return render(request, "members/profile_edit.html", {"form": form})
