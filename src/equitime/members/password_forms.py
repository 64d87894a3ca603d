"""Changing the password (allauth's page, with our form): a member who changes
it because it may have leaked can end their API tokens in the same step, since
a token made by whoever had the password would outlive the change."""

from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class ChangePasswordForm(AllauthChangePasswordForm):
    revoke_api_tokens = forms.BooleanField(
        label=_("Also revoke my API tokens"),
        help_text=_(
            "Scripts and apps using them stop working until you make new tokens. "
            "Leave this ticked if anyone else may have known your password."
        ),
        required=False,
        initial=True,
    )

    def save(self) -> None:
        from equitime.api.services import api_tokens_revoke_all

        with transaction.atomic():
            super().save()
            if self.cleaned_data.get("revoke_api_tokens"):
                api_tokens_revoke_all(member=self.user)
