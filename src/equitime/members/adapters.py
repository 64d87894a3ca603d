"""How django-allauth joins and signs in members: through our services and rules.

- Joining goes through ``member_join``: member, profile, account and welcome
  gift in one transaction, whether by password or by single sign-on.
- The e-mail domain allow-list is checked wherever an address is chosen (sign-up,
  adding an address, SSO sign-up); an invitation for that exact address,
  opened from its link in this browser session, lets it through.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _

from equitime.members.models import Invitation
from equitime.members.rules import allowed_domains_text, email_domain_allowed
from equitime.members.services import invitation_accept, member_join

INVITATION_SESSION_KEY = "equitime_invitation"


def invitation_in_session(request, email: str) -> Invitation | None:
    """The pending invitation opened in this session, if it is for ``email``."""
    if request is None or not email:
        return None
    pk = request.session.get(INVITATION_SESSION_KEY)
    if pk is None:
        return None
    invitation = Invitation.objects.filter(pk=pk, email__iexact=email.strip()).first()
    return invitation if invitation is not None and invitation.is_pending else None


def may_join(request, email: str) -> bool:
    return email_domain_allowed(email) or invitation_in_session(request, email) is not None


def _use_invitation(request, member) -> None:
    invitation = invitation_in_session(request, member.email)
    if invitation is not None:
        invitation_accept(invitation=invitation, member=member)
        request.session.pop(INVITATION_SESSION_KEY, None)


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if not may_join(self.request, email):
            raise forms.ValidationError(
                _(
                    "Equitime is open to addresses at %(domains)s. To join with another "
                    "address, ask a community administrator to invite you."
                )
                % {"domains": allowed_domains_text()},
                code="domain_not_allowed",
            )
        return email

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        member = member_join(
            email=data["email"],
            display_name=data["display_name"],
            password=data.get("password1"),
            organisation=data.get("organisation"),
            profession=data.get("profession", ""),
        )
        _use_invitation(request, member)
        return member


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        email = sociallogin.user.email or ""
        if not email or not may_join(request, email):
            raise ImmediateHttpResponse(
                render(
                    request,
                    "members/signup_not_allowed.html",
                    {"email": email, "domains": allowed_domains_text()},
                    status=403,
                )
            )
        return True

    def save_user(self, request, sociallogin, form=None):
        """Join through ``member_join`` (no password: they sign in with SSO),
        then attach the provider's account to the new member."""
        user = sociallogin.user
        data = form.cleaned_data if form is not None else {}
        claims = sociallogin.account.extra_data
        claims = claims.get("userinfo") or claims.get("id_token") or claims
        name = data.get("display_name") or claims.get("name") or user.email.split("@")[0]
        member = member_join(
            email=user.email,
            display_name=name[:100],
            password=None,
            organisation=data.get("organisation"),
            profession=data.get("profession", ""),
        )
        sociallogin.user = member
        sociallogin.save(request)
        _use_invitation(request, member)
        return member
