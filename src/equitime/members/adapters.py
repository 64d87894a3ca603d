"""How django-allauth joins and signs in members: through our services and rules.

- Joining goes through ``member_join``: member, profile, account and welcome
  gift in one transaction, whether by password or by single sign-on.
- The e-mail domain allow-list is checked wherever an address is chosen: the
  sign-up and add-address forms (``signup_forms``) and SSO sign-up (here); an
  invitation for that exact address, opened from its link in this browser
  session, lets it through.
- A single sign-on whose id_token and userinfo name different people is refused.
- allauth's own e-mails go out through the e-mail task, like all of ours,
  with their links on the site's address (``core.site``), in the account
  holder's language and zone (else the requester's).
- A new member's profile keeps the language they joined in (``joining_language``).
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from equitime.core.locale import language_chosen, language_offered
from equitime.core.site import site_link_from, site_url
from equitime.core.tasks import email_enqueue
from equitime.core.unsubscribe import unsubscribe_headers
from equitime.core.zones import zone_of
from equitime.members.models import Invitation
from equitime.members.rules import allowed_domains_text, email_domain_allowed
from equitime.members.services import invitation_accept, member_join

INVITATION_SESSION_KEY = "equitime_invitation"
# The links allauth builds from the request for its e-mails.
EMAIL_LINKS = ("activate_url", "password_reset_url", "signup_url")


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


def _drop_other_confirmed_address(request, member) -> None:
    """An invitation's link confirms its own address only. Unless the member
    joined with that address (and the invitation still stands), forget it:
    allauth would otherwise add it to the new account as the verified primary
    address, whichever address the person signed up with."""
    if invitation_in_session(request, member.email) is None:
        get_account_adapter(request).unstash_verified_email(request)


def _use_invitation(request, member) -> None:
    invitation = invitation_in_session(request, member.email)
    if invitation is not None:
        invitation_accept(invitation=invitation, member=member)
        request.session.pop(INVITATION_SESSION_KEY, None)


def joining_language() -> str:
    """The language a new member joins in: the one they read the site in as
    they sign up (switcher's cookie, else browser), when Equitime speaks it.
    Kept in their profile, so what is written to them later is in it too."""
    return language_offered(translation.get_language())


def _claims(sociallogin) -> dict:
    """What the provider said about the person: userinfo, else the id_token."""
    data = sociallogin.account.extra_data or {}
    return data.get("userinfo") or data.get("id_token") or data


class AccountAdapter(DefaultAccountAdapter):
    # allauth's messages that name the address, as the site writes it.
    error_messages = DefaultAccountAdapter.error_messages | {
        "cannot_remove_primary_email": _("You cannot remove your primary e-mail address."),
        "duplicate_email": _("This e-mail address is already on your account."),
        "email_password_mismatch": _("The e-mail address or the password is not correct."),
        "email_taken": _("This e-mail address belongs to another account."),
        "max_email_addresses": _("You cannot add more than %d e-mail addresses."),
        "unknown_email": _("No account uses this e-mail address."),
        "unverified_primary_email": _(
            "Confirm an e-mail address before you make it your primary one."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (address confirmation, password reset …) are
        rendered here, where the request is, and sent by a task, like every
        e-mail: never inside the request, tried again on failure."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        # In production the request's Host header does not name the site.
        for name in EMAIL_LINKS:
            if ctx.get(name):
                ctx[name] = site_link_from(ctx[name], request=request)
        ctx["site_url"] = site_url(request)
        ctx.setdefault("name", getattr(ctx.get("user"), "display_name", ""))
        # Enqueued at once rather than after commit: allauth sends outside any
        # transaction of ours, and the queue is a table, so inside one the
        # task would commit or roll back with the work that asked for it.
        # In the account holder's language (the one they chose, else the
        # page's) and times ("When: …" of a security notice) on their clock;
        # with no account named, the requester's language and clock.
        user = ctx.get("user")
        known = getattr(user, "pk", None) is not None
        language = language_chosen(user) if known else ""
        zone = zone_of(user) if known else timezone.get_current_timezone()
        with translation.override(language or translation.get_language()), timezone.override(zone):
            message = self.render_mail(template_prefix, email, ctx)
        member_id = getattr(user, "pk", None)
        if member_id:
            # Sent whatever the member's preferences say (they asked for it, or
            # it guards their account), yet it carries the one-click
            # unsubscribe every e-mail to a member carries: it turns off the
            # e-mails they may turn off.
            message.extra_headers.update(unsubscribe_headers(member_id=member_id))
        email_enqueue(message)

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        member = member_join(
            email=data["email"],
            display_name=data["display_name"],
            password=data.get("password1"),
            organisation=data.get("organisation"),
            profession=data.get("profession", ""),
            language=joining_language(),
        )
        _drop_other_confirmed_address(request, member)
        _use_invitation(request, member)
        return member


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin) -> None:
        """allauth takes who signs in from userinfo and does not check the
        id_token's signature when it fetched the token itself (OIDC Core
        3.1.3.7 lets it rely on TLS), nor that both name the same subject,
        which OIDC Core 5.3.2 requires. Check that here, before any sign-in."""
        claims = sociallogin.account.extra_data or {}
        userinfo, id_token = claims.get("userinfo"), claims.get("id_token")
        if (
            isinstance(userinfo, dict)
            and isinstance(id_token, dict)
            and str(userinfo.get("sub")) != str(id_token.get("sub"))
        ):
            raise ImmediateHttpResponse(
                render_authentication_error(
                    request,
                    sociallogin.provider,
                    exception=PermissionDenied("id_token and userinfo subjects differ"),
                )
            )

    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Read the claim too: the page says which address was refused.
        claims = _claims(sociallogin)
        email = sociallogin.user.email or str(claims.get("email") or "")[:254]
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
        claims = _claims(sociallogin)
        name = data.get("display_name") or claims.get("name") or user.email.split("@")[0]
        member = member_join(
            email=user.email,
            display_name=name[:100],
            password=None,
            organisation=data.get("organisation"),
            profession=data.get("profession", ""),
            language=joining_language(),
        )
        sociallogin.user = member
        _drop_other_confirmed_address(request, member)
        sociallogin.save(request)
        _use_invitation(request, member)
        return member
