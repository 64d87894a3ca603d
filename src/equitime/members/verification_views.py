"""Sending the confirmation link again, for a member who signed in before
confirming their address (they may look around, but not trade, until they do)."""

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


@login_required
@require_POST
def email_confirmation_resend(request):
    member = request.user
    # allauth records an address at sign-up; a member made another way may have none yet.
    address = EmailAddress.objects.filter(user=member, email__iexact=member.email).first()
    if address is None:
        address = EmailAddress.objects.create(
            user=member,
            email=member.email.lower(),
            primary=not EmailAddress.objects.filter(user=member, primary=True).exists(),
        )
    if address.verified:
        messages.info(request, _("Your e-mail address is already confirmed."))
    # Counted with allauth's own sends ("confirm_email" per address), so the
    # link sent at sign-up counts too and an inbox is not flooded.
    elif ratelimit.consume(request, action="confirm_email", key=address.email.lower()):
        address.send_confirmation(request)
        messages.success(
            request,
            _("We sent a new confirmation link to %(email)s. Open it to start trading.")
            % {"email": address.email},
        )
    else:
        messages.info(
            request,
            _(
                "We sent a link to %(email)s a few minutes ago. Check your inbox and spam "
                "folder; if it has not arrived, ask again in a few minutes."
            )
            % {"email": address.email},
        )
    return redirect("dashboard")
