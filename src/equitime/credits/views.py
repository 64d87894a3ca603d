from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equitime.core.errors import DomainError
from equitime.core.http import MemberRequest, posted
from equitime.core.units import credits_text
from equitime.credits.forms import DonationForm
from equitime.ledger import selectors, services
from equitime.members.picker import colleague_from_link
from equitime.members.rules import member_check_may_trade


@login_required
@require_http_methods(["GET", "POST"])
def donate(request: MemberRequest) -> HttpResponseBase:
    member = request.user
    # From a colleague's profile (``?to=<pk>``): them chosen already.
    form = DonationForm(
        posted(request), donor=member, initial={"recipient": colleague_from_link(request)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member_check_may_trade(member)
            transfer = services.donation_make(
                key=f"donation:{member.pk}:{data['request_key']}",
                donor=member,
                recipient=data["recipient"],
                amount=data["hours"],
                memo=data["memo"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("You gave %(amount)s to %(to)s. Thank you.")
                % {"amount": credits_text(transfer.amount), "to": transfer.credit_account.name},
            )
            return redirect("dashboard")
    account = selectors.account_for_member(member=member)
    donatable = selectors.account_donatable(account=account)
    return render(
        request, "ledger/donate.html", {"form": form, "account": account, "donatable": donatable}
    )
