"""Who may join and who may trade: rules the services and sign-up share."""

from django.conf import settings
from django.utils.translation import gettext as _

from equitime.core.errors import DomainError, ErrorKind


def email_domain_allowed(email: str) -> bool:
    """True when the allow-list is empty or the address's domain is on it.

    "nhs.net" matches nhs.net itself; "*.nhs.uk" matches any domain under
    nhs.uk (mft.nhs.uk, a.b.nhs.uk), not nhs.uk itself.
    """
    patterns = [p.strip().lower().rstrip(".") for p in settings.EQUITIME_ALLOWED_EMAIL_DOMAINS]
    if not patterns:
        return True
    local, at, domain = email.strip().rpartition("@")
    if not (local and at):  # not an address: "nhs.net" alone must not pass
        return False
    domain = domain.lower().rstrip(".")
    for pattern in patterns:
        if pattern.startswith("*."):
            if domain.endswith(pattern[1:]) and len(domain) > len(pattern) - 1:
                return True
        elif domain == pattern:
            return True
    return False


def allowed_domains_text() -> str:
    return ", ".join(settings.EQUITIME_ALLOWED_EMAIL_DOMAINS)


def member_email_verified(member) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(
        user=member, email__iexact=member.email, verified=True
    ).exists()


def member_check_may_trade(member) -> None:
    """Refuse trading (listings, proposals, acceptances, donations) until the
    member has confirmed their address, and always for a suspended member."""
    if not member.is_active:
        raise DomainError(
            _("This account is suspended or closed."), code="inactive", kind=ErrorKind.FORBIDDEN
        )
    if not member_email_verified(member):
        raise DomainError(
            _(
                "Confirm your e-mail address before you trade. We sent a link to %(email)s; "
                "you can send it again from your dashboard."
            )
            % {"email": member.email},
            code="email_unverified",
            kind=ErrorKind.FORBIDDEN,
        )
