"""Members joining, keeping their profile up to date, roles, suspension and invitations."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.locale import language_known, language_offered
from equitime.core.rules import check_no_patient_data, check_shared_text, tags_text
from equitime.core.site import site_link
from equitime.core.tasks import email_send
from equitime.ledger import services as ledger
from equitime.members import roles
from equitime.members.models import Invitation, Member, Organisation, Profile

# What a member may change of their profile, in the order the profile page asks.
PROFILE_FIELDS = (
    "organisation",
    "profession",
    "division",
    "country",
    "time_zone",
    # The language Equitime speaks to the member in (core.locale).
    "language",
    "languages",
    "skills",
    "skills_offered",
    "availability",
    "preference",
    "bio",
    # Not shown to colleagues: whether the organisation's leads may see the
    # member's name beside their hours (equitime.impact), off until they say so.
    "named_to_organisation_leads",
)
# What colleagues read in the member's own words: both text rules apply.
PROFILE_TEXT_FIELDS = (
    "profession",
    "division",
    "languages",
    "skills_offered",
    "availability",
    "bio",
)


def member_join(
    *,
    email: str,
    display_name: str,
    password: str | None,
    organisation: Organisation | None = None,
    profession: str = "",
    email_verified: bool = False,
    **profile_fields,
) -> Member:
    """Create a member with their profile and ledger account, and give the
    welcome gift: all or nothing, so a new member always sees exactly the gift.

    ``email_verified`` records the address as confirmed (members made by the
    demo, by ``createsuperuser`` or by tests). Sign-up leaves it False: allauth
    records the address itself and sends the confirmation link."""
    email = Member.objects.normalize_email(email).lower()
    if Member.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _("A member with this e-mail address already exists."),
            code="exists",
            kind=ErrorKind.CONFLICT,
        )
    try:
        with transaction.atomic():
            member = Member.objects.create_user(
                email=email, password=password, display_name=display_name.strip()
            )
            Profile.objects.create(
                member=member, organisation=organisation, profession=profession, **profile_fields
            )
            ledger.account_open(member=member)
            ledger.welcome_gift_give(member=member)
            if email_verified:
                EmailAddress.objects.create(user=member, email=email, verified=True, primary=True)
    except IntegrityError as error:
        if Member.objects.filter(email__iexact=email).exists():  # joined a moment ago
            raise DomainError(
                _("A member with this e-mail address already exists."),
                code="exists",
                kind=ErrorKind.CONFLICT,
            ) from error
        raise
    # Read back, so callers see the account with its gift, not the empty one cached above.
    return Member.objects.select_related("profile", "account").get(pk=member.pk)


def _language_checked(language: str) -> str:
    """A profile's language: "" (the browser's) or one Equitime speaks."""
    if language != language_offered(language):
        raise DomainError(
            _("Equitime does not speak that language yet."),
            code="language",
            kind=ErrorKind.INVALID,
            field="language",
        )
    return language


def profile_language_set(*, member: Member, language: str) -> Profile:
    """The language Equitime speaks to ``member`` in ("" for their browser's)."""
    _language_checked(language)
    profile = member.profile
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language", "updated_at"])
    return profile


def profile_update(*, member: Member, display_name: str, **fields) -> Profile:
    """Change what colleagues see. Only the fields named in PROFILE_FIELDS."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    if not display_name.strip():
        raise DomainError(
            _("Please enter your name."), code="name", kind=ErrorKind.INVALID, field="display_name"
        )
    check_shared_text(
        display_name=display_name,
        **{name: tags_text(fields[name]) for name in PROFILE_TEXT_FIELDS if name in fields},
    )
    if "language" in fields:
        _language_checked(fields["language"])
    skills = fields.pop("skills", None)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(member=member)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.save(update_fields=[*fields, "updated_at"])
        if skills is not None:
            profile.skills.set(skills)
        if display_name != member.display_name:
            member.display_name = display_name
            member.save(update_fields=["display_name", *member.name_keys_set()])
        # Listings are found by their owner's name, profession and organisation
        # too: the search index follows these saves itself (listings.search).
    return profile


# --- Roles and suspension -------------------------------------------------------


def _check_may(actor: Member | None, permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise DomainError(
            _("You do not have permission to do this."), code="forbidden", kind=ErrorKind.FORBIDDEN
        )


def member_role_grant(*, member: Member, role: str, by: Member | None) -> Member:
    """Give a member a role (``roles.MODERATOR`` or ``roles.COMMUNITY_ADMIN``).
    ``by`` None is the system (the demo, a command); a person needs ``assign_role``."""
    return _role_change(member=member, role=role, by=by, grant=True)


def member_role_revoke(*, member: Member, role: str, by: Member | None) -> Member:
    return _role_change(member=member, role=role, by=by, grant=False)


def _role_change(*, member: Member, role: str, by: Member | None, grant: bool) -> Member:
    from django.contrib.auth.models import Group

    _check_may(by, "members.assign_role")
    if role not in roles.GROUP_NAMES:
        raise DomainError(_("There is no such role."), code="unknown_role", kind=ErrorKind.INVALID)
    if by is not None and role == roles.COMMUNITY_ADMIN and not by.is_superuser:
        # Administrators are appointed by the people who run the service (staff).
        raise DomainError(
            _("Only the service's staff can appoint community administrators."),
            code="forbidden",
            kind=ErrorKind.FORBIDDEN,
        )
    if by is not None and by.pk == member.pk:
        raise DomainError(
            _("You cannot change your own roles."), code="own_roles", kind=ErrorKind.INVALID
        )
    with transaction.atomic():
        group = Group.objects.get(name=roles.GROUP_NAMES[role])
        before = roles.member_roles(member)
        if grant:
            member.groups.add(group)
        else:
            member.groups.remove(group)
        after = roles.member_roles(member)
        transaction.on_commit(lambda: roles.member_nav_permissions_forget(member))
        if before != after:
            verb = "given" if grant else "taken from"
            audit_record(
                action=AuditEntry.Action.ROLE_CHANGED,
                actor=by,
                target=member,
                summary=f"Role {role} {verb} {member.email}",
                data={"before": before, "after": after},
            )
    # Read again: has_perm caches what a member may do.
    return Member.objects.get(pk=member.pk)


SUSPENSION_FIELDS = ["is_active", "suspended_at", "suspended_by", "suspension_reason"]
SUSPEND_FIELDS = [*SUSPENSION_FIELDS, "sessions_revoked_at"]


def member_account_suspend(*, member: Member, by: Member, reason: str) -> tuple[Member, int]:
    """Stop a member signing in: their sessions end at the next request and
    their API tokens are revoked. Returns the member and how many tokens were
    revoked. Suspending someone is a moderator's act: call
    ``moderation.services.member_suspend``, which also pauses their listings
    and writes the audit entry."""
    from equitime.api.services import api_tokens_revoke_all

    _check_may(by, "members.suspend_member")
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Say why you are suspending this member."),
            code="reason_required",
            kind=ErrorKind.INVALID,
        )
    # Other moderators read it; it may quote the money talk it is about.
    check_no_patient_data(reason=reason)
    if by.pk == member.pk:
        raise DomainError(
            _("You cannot suspend yourself."), code="own_account", kind=ErrorKind.INVALID
        )
    if member.is_superuser or (
        member.has_perm("members.assign_role") and not by.has_perm("members.assign_role")
    ):
        raise DomainError(
            _("A moderator cannot suspend a community administrator or staff."),
            code="forbidden",
            kind=ErrorKind.FORBIDDEN,
        )
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        if locked.suspended_at is not None:
            raise DomainError(
                _("This member is already suspended."),
                code="already_suspended",
                kind=ErrorKind.CONFLICT,
            )
        if not locked.is_active:
            raise DomainError(_("This account is closed."), code="closed", kind=ErrorKind.CONFLICT)
        locked.is_active = False
        locked.suspended_at = locked.sessions_revoked_at = timezone.now()
        locked.suspended_by = by
        locked.suspension_reason = reason[:500]
        locked.save(update_fields=SUSPEND_FIELDS)
        # Revoked, not just refused while suspended: a reinstatement does not revive them.
        tokens_revoked = api_tokens_revoke_all(member=locked)
    return locked, tokens_revoked


def member_reinstate(*, member: Member, by: Member) -> Member:
    """Lift a suspension. Paused listings stay paused: the member reopens them."""
    _check_may(by, "members.suspend_member")
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        if locked.suspended_at is None:
            raise DomainError(
                _("This member is not suspended."), code="not_suspended", kind=ErrorKind.CONFLICT
            )
        locked.is_active = True
        locked.suspended_at = None
        locked.suspended_by = None
        locked.suspension_reason = ""
        locked.save(update_fields=SUSPENSION_FIELDS)
        audit_record(
            action=AuditEntry.Action.MEMBER_REINSTATED,
            actor=by,
            target=locked,
            summary=f"{locked.email} reinstated by {by.email}",
        )
    return locked


# --- Invitations ----------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_send(*, email: str, by: Member) -> tuple[Invitation, str]:
    """Invite one address to join. Returns the invitation and the token for its
    link (only the hash is stored). The e-mail goes out after commit."""
    _check_may(by, "members.invite_member")
    email = Member.objects.normalize_email(email.strip()).lower()
    if Member.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _("Someone with this address is already a member."),
            code="exists",
            kind=ErrorKind.CONFLICT,
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            email=email,
            token_hash=_token_hash(token),
            invited_by=by,
            created_at=now,
            expires_at=now + timedelta(days=settings.EQUITIME_INVITATION_DAYS),
        )
        audit_record(
            action=AuditEntry.Action.INVITATION_SENT,
            actor=by,
            target=invitation,
            summary=f"{by.email} invited {email}",
        )
        # Written in the inviter's language as they invite: the person invited
        # is no member yet, and the inviter writes to them.
        language = language_known(translation.get_language())
        transaction.on_commit(lambda: _invitation_mail(invitation, token, language=language))
    return invitation, token


def _invitation_mail(invitation: Invitation, token: str, *, language: str) -> None:
    """Queue the invitation's e-mail, in ``language``. It is rendered here,
    since only here is the token known (the database keeps its hash); a task
    sends it and tries again if the mail server fails."""
    link = site_link(reverse("invitation_accept", args=[token]))
    context = {"invitation": invitation, "link": link, "days": settings.EQUITIME_INVITATION_DAYS}
    with translation.override(language):
        subject = _("%(name)s invites you to Equitime") % {"name": invitation.invited_by}
        body = render_to_string("members/email/invitation.txt", context)
    email_send.enqueue(subject=subject, body=body, to=[invitation.email])


def invitation_withdraw(*, invitation: Invitation, by: Member) -> Invitation:
    _check_may(by, "members.invite_member")
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise DomainError(
                _("This invitation has already been used."),
                code="accepted",
                kind=ErrorKind.CONFLICT,
            )
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            audit_record(
                action=AuditEntry.Action.INVITATION_WITHDRAWN,
                actor=by,
                target=locked,
                summary=f"{by.email} withdrew the invitation to {locked.email}",
            )
    return locked


def invitation_find(*, token: str) -> Invitation | None:
    """The pending invitation for a link's token, or None."""
    invitation = Invitation.objects.filter(token_hash=_token_hash(token)).first()
    return invitation if invitation is not None and invitation.is_pending else None


def invitation_accept(*, invitation: Invitation, member: Member) -> None:
    """Mark an invitation used by the member who joined with its address."""
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=member
    )
