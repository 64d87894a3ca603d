"""The member's "Account and security" page: one place that says how they sign
in and links to each of allauth's pages that changes it.

It only reads. Every change (confirming an address, two-factor
authentication, recovery codes, single sign-on accounts, the password) happens
on allauth's own pages, which ask for the password again where it matters.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@dataclass(frozen=True)
class RecoveryCodesLeft:
    unused: int
    total: int


@dataclass(frozen=True)
class SignOnAccount:
    provider_name: str
    connected_at: object  # datetime
    last_login: object  # datetime


def _recovery_codes_left(authenticators: list[Authenticator]) -> RecoveryCodesLeft | None:
    for authenticator in authenticators:
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            codes = authenticator.wrap()
            return RecoveryCodesLeft(
                unused=len(codes.get_unused_codes()), total=len(codes.generate_codes())
            )
    return None


def _sign_on_accounts(request, member) -> list[SignOnAccount]:
    # Named from the configured apps, so an account whose provider has since
    # been switched off is still listed (by its id) rather than breaking the page.
    names = {
        app.provider_id or app.provider: app.name for app in get_social_adapter().list_apps(request)
    }
    return [
        SignOnAccount(
            provider_name=names.get(account.provider, account.provider),
            connected_at=account.date_joined,
            last_login=account.last_login,
        )
        for account in SocialAccount.objects.filter(user=member).order_by("date_joined")
    ]


@login_required
def account_security(request):
    member = request.user
    authenticators = list(Authenticator.objects.filter(user=member))
    totp_on = any(a.type == Authenticator.Type.TOTP for a in authenticators)
    return render(
        request,
        "members/account_security.html",
        {
            "email_addresses": EmailAddress.objects.filter(user=member).order_by(
                "-primary", "email"
            ),
            "totp_on": totp_on,
            "recovery_codes": _recovery_codes_left(authenticators) if totp_on else None,
            "sign_on_accounts": _sign_on_accounts(request, member),
            "has_password": member.has_usable_password(),
        },
    )
