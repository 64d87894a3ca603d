"""allauth's forms for choosing an address, with the e-mail domain allow-list
and the sign-up limits.

The allow-list applies where someone chooses an address to join or to add to
their account; never where they name one they already have (signing in,
resetting a password, single sign-on to an existing account), so an invited
member from outside the list is not locked out of those.

Sign-ups are limited per network (IP address), per e-mail domain and per
mailbox (``ACCOUNT_RATE_LIMITS`` "signup_network", "signup_domain",
"signup_mailbox"), counted by allauth's rate limiter in the shared cache, so
that nobody makes accounts in bulk. A mailbox folds plus-addressing
(``ann+2@trust.nhs.uk`` is ``ann@trust.nhs.uk``). A sign-up is counted only
once every other check passes; an invitation opened in the session is not
limited (an administrator vouched for it), nor is single sign-on (the
organisation's identity provider did).
"""

from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context, ratelimit
from allauth.core.internal.ratelimit import parse_rates
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from equitime.members.adapters import invitation_in_session, may_join
from equitime.members.entrance_forms import address_field
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


def email_mailbox(email: str) -> str:
    """The mailbox an address reaches: lower case, without a +tag."""
    local, _at, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain.rstrip('.')}"


def email_domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2].rstrip(".")


def _window(action: str) -> str:
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get(action))
    seconds = max((rate.duration for rate in rates), default=3600)
    if seconds <= 3600:
        return _("in the last hour")
    if seconds <= 86400:
        return _("in the last day")
    return _("recently")


def _limits(email: str) -> list[tuple[str, str | None, str]]:
    """(action, key, what to say) for each limit a sign-up counts towards."""
    contact = _("Try again later or ask your organisation's Equitime contact.")
    return [
        (
            "signup_network",
            None,
            _("Too many sign-ups from this network %(window)s.")
            % {"window": _window("signup_network")}
            + " "
            + contact,
        ),
        (
            "signup_domain",
            email_domain(email),
            _("Too many sign-ups with addresses at %(domain)s %(window)s.")
            % {"domain": email_domain(email), "window": _window("signup_domain")}
            + " "
            + contact,
        ),
        (
            "signup_mailbox",
            email_mailbox(email),
            _("Too many sign-ups for this mailbox %(window)s.")
            % {"window": _window("signup_mailbox")}
            + " "
            + contact,
        ),
    ]


def signup_limits_consume(request, email: str) -> None:
    """Count one sign-up for ``email`` from ``request``, or refuse it with a
    form error naming the limit reached. All limits are checked before any is
    counted, so a refused sign-up uses up none of them."""
    limits = _limits(email)
    for action, key, message in limits:
        if not ratelimit.consume(request, action=action, key=key, dry_run=True):
            raise forms.ValidationError(message, code="too_many_signups")
    for action, key, _message in limits:
        ratelimit.consume(request, action=action, key=key)


class SignupForm(AllauthSignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        address_field(self.fields["email"])

    def clean_email(self) -> str:
        return check_may_join(super().clean_email())

    def validate_unique_email(self, value) -> str:
        """Joining with an address that is taken looks like joining with a new
        one: no error that would tell a stranger who is a member. allauth then
        creates nothing and sends the owner an "account already exists" e-mail
        (``try_save``). allauth does this itself only when confirming the
        address is mandatory; here members may sign in before confirming."""
        try:
            return super().validate_unique_email(value)
        except forms.ValidationError:
            self.account_already_exists = True
            return value

    def try_save(self, request):
        """For a taken address: tell its owner by e-mail, create nothing, and
        answer with the page that says an e-mail was sent."""
        if self.account_already_exists:
            adapter = get_adapter(request)
            adapter.send_account_already_exists_mail(self.cleaned_data["email"])
            return None, adapter.respond_email_verification_sent(request, None)
        return super().try_save(request)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        request = context.request
        if (
            email
            and not self.errors
            and request is not None
            and invitation_in_session(request, email) is None
        ):
            try:
                signup_limits_consume(request, email)
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AddEmailForm(AllauthAddEmailForm):
    def clean_email(self) -> str:
        return check_may_join(super().clean_email())
