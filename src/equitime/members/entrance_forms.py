"""allauth's sign-in and password-reset forms, in the site's words: an
"E-mail address" field (the site writes e-mail with a hyphen) and a plain
label on the box that keeps a member signed in."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from django.utils.translation import gettext_lazy as _


def address_field(field) -> None:
    """Label and placeholder (allauth's read "Email address")."""
    field.label = _("E-mail address")
    if "placeholder" in field.widget.attrs:
        field.widget.attrs["placeholder"] = _("E-mail address")


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        address_field(self.fields["login"])
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in")


class ResetPasswordForm(AllauthResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        address_field(self.fields["email"])
