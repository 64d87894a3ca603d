"""allauth's sign-in and password-reset forms, in the site's words: an
"E-mail address" field (the site writes e-mail with a hyphen) and a plain
label on the box that keeps a member signed in."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in after I close the browser")


class ResetPasswordForm(AllauthResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
