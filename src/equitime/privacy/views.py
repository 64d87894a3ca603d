from allauth.account.decorators import reauthentication_required
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from equitime.audit.services import client_ip
from equitime.core.errors import DomainError
from equitime.core.http import posted
from equitime.core.retention import retention_periods
from equitime.privacy.services import member_data_export, member_erase


def privacy_notice(request):
    """The privacy notice, its periods and names read from the settings, so
    that what members are told is what the service does."""
    periods = {period.key: period for period in retention_periods()}
    return render(
        request,
        "members/privacy_notice.html",
        {
            "periods": periods,
            "controller": {
                "name": settings.EQUITIME_DATA_CONTROLLER_NAME,
                "address": settings.EQUITIME_DATA_CONTROLLER_ADDRESS,
                "ico_number": settings.EQUITIME_DATA_CONTROLLER_ICO_NUMBER,
                "dpo_email": settings.EQUITIME_DPO_EMAIL,
            },
            "processors": {
                "hosting": settings.EQUITIME_HOSTING_PROVIDER
                or _("The hosting provider chosen by the operator (UK data centre)"),
                "email": settings.EQUITIME_EMAIL_PROVIDER
                or _("The e-mail service chosen by the operator"),
            },
            "transfers": settings.EQUITIME_INTERNATIONAL_TRANSFERS,
            "task_result_days": settings.EQUITIME_TASK_RESULT_DAYS,
            "session_hours": settings.EQUITIME_SESSION_ABSOLUTE_HOURS,
        },
    )


@login_required
def account_privacy(request):
    return render(request, "members/account_privacy.html")


@login_required
@reauthentication_required
def account_data_download(request):
    archive = member_data_export(member=request.user, ip_address=client_ip(request))
    response = HttpResponse(archive, content_type="application/zip")
    filename = f"equitime-data-{timezone.now():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that my account, profile and messages will be erased, and my "
            "remaining credits given to the community pool."
        )
    )


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = DeleteAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            member_erase(member=request.user, ip_address=client_ip(request))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(request, _("Your account is closed and your data erased. Goodbye."))
            return redirect("home")
    return render(request, "members/account_delete.html", {"form": form})
