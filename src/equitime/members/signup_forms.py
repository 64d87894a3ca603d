"""allauth's forms for choosing an address, with the e-mail domain allow-list.

The allow-list applies where someone chooses an address to join or to add to
their account; never where they name one they already have (signing in,
resetting a password, single sign-on to an existing account), so an invited
member from outside the list is not locked out of those.
"""

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from django import forms
from django.utils.translation import gettext as _

from equitime.members.adapters import may_join
from equitime.members.rules import allowed_domains_text


def check_may_join(email: str) -> str:
    if email and not may_join(context.request, email):
        raise forms.ValidationError(
            _(
                "Equitime is open to addresses at %(domains)s. To join with another "
                "address, ask a community administrator to invite you."
            )
            % {"domains": allowed_domains_text()},
            code="domain_not_allowed",
        )
    return email


class SignupForm(AllauthSignupForm):
    def clean_email(self) -> str:
        return check_may_join(super().clean_email())


class AddEmailForm(AllauthAddEmailForm):
    def clean_email(self) -> str:
        return check_may_join(super().clean_email())
