"""Members, organisations, roles and invitations.

    Organisation 1 ──< Profile >── 1 Member (the login: e-mail + password or SSO)
                                      │  │
                                      │  └── groups: Moderators, Community administrators
                                      └── 1 ledger.Account (opened when the member joins)

    Member (community administrator) 1 ──< Invitation (an address outside the allow-list)

A ``Member`` is the person who signs in; the e-mail address is the login.
Their ``Profile`` says who they are to colleagues: organisation, profession,
team, where they are, the languages they work in and the skills they offer.
A member joins through ``services.member_join``, which creates the member,
their profile and their ledger account, and gives the welcome gift, all in
one transaction: nobody exists without an account, and nobody has an
account without their gift.

Roles are Django groups whose permissions are declared on ``Member`` and kept
in step by ``roles.roles_sync`` after every migrate. A suspended member is
inactive (cannot sign in, their sessions end) and says who suspended them and
why; reinstating clears it. An ``Invitation`` lets one address join when the
e-mail domain allow-list would otherwise refuse it; only its hash is stored.
"""

import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from equitime.core.names import name_search_key, name_sort_key

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class MemberManager(BaseUserManager["Member"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "Member":
        if not email:
            raise ValueError("A member needs an e-mail address.")
        member = self.model(email=self.normalize_email(email).lower(), **fields)
        member.name_keys_set()
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_user(self, email: str, password: str | None = None, **fields) -> "Member":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "Member":
        """Staff join like everyone else (profile, account, welcome gift), then
        get their flags. Used by ``equitime createsuperuser``."""
        from equitime.members.services import member_join  # services import this module

        member = member_join(
            email=email,
            password=password,
            display_name=fields.get("display_name") or email.split("@")[0],
            email_verified=True,
        )
        member.is_staff = member.is_superuser = True
        member.save(update_fields=["is_staff", "is_superuser"])
        return member


class Member(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Everyone on Equitime is a member first."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=100)
    # The name without titles, folded (core.names), kept by whoever writes
    # display_name (``Member.name_keys_set``): the directory sorts by family name
    # and the colleague picker finds a name by the start of either key.
    sort_name = models.CharField(_("sorted as"), max_length=200, blank=True, editable=False)
    search_name = models.CharField(_("found as"), max_length=200, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)
    suspended_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    suspension_reason = models.CharField(_("reason for suspension"), max_length=500, blank=True)
    # Sessions signed in before this moment are no longer valid (set on suspension),
    # so reinstating a member does not bring their old sessions back.
    sessions_revoked_at = models.DateTimeField(_("sessions revoked"), null=True, blank=True)
    # When the member was warned that their account would close for want of use
    # (members.retention); a sign-in after it (last_login) cancels the warning.
    dormancy_warned_at = models.DateTimeField(_("warned of closure"), null=True, blank=True)

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [
            ("moderate", _("Can work the moderation queue")),
            ("suspend_member", _("Can suspend and reinstate members")),
            ("invite_member", _("Can invite people from outside the allowed domains")),
            ("assign_role", _("Can make members moderators")),
            ("act_for_member", _("Can act for members who cannot use the site, with consent")),
        ]
        indexes = [
            # The members directory, by family name (members.directory.ORDER), a page at a time.
            models.Index(fields=["sort_name", "id"], name="member_by_sort_name"),
            # The colleague picker's prefix search (members.selectors.colleagues_named):
            # on PostgreSQL a LIKE 'abc%' needs the pattern operator class to use an
            # index; SQLite ignores the operator class and answers by a range instead.
            models.Index(
                fields=["sort_name"], opclasses=["varchar_pattern_ops"], name="member_sort_prefix"
            ),
            models.Index(
                fields=["search_name"], opclasses=["varchar_pattern_ops"], name="member_name_prefix"
            ),
        ]
        constraints = [
            # One login per address, whatever its case.
            models.UniqueConstraint(Lower("email"), name="member_email_unique_ci"),
            # A suspension always says who and when; suspended members are inactive.
            models.CheckConstraint(
                condition=models.Q(suspended_at__isnull=True, suspended_by__isnull=True)
                | models.Q(suspended_at__isnull=False, is_active=False),
                name="member_suspension_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django's hash of the password, which a session must match, plus the
        moment sessions were revoked: changing either ends every session."""
        value = self.password
        if self.sessions_revoked_at is not None:
            value += "|" + self.sessions_revoked_at.isoformat()
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def name_keys_set(self) -> list[str]:
        """Derive the sort and search keys from ``display_name``; returns the
        fields to save. Called wherever a name is written, never from ``save``."""
        self.sort_name = name_sort_key(self.display_name)
        self.search_name = name_search_key(self.display_name)
        return ["sort_name", "search_name"]

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class Organisation(models.Model):
    """Where a member works: a trust, a council, a charity, a university..."""

    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", _("NHS trust")
        INTEGRATED_CARE_BOARD = "icb", _("Integrated care board")
        PRIMARY_CARE = "primary_care", _("Primary care")
        SOCIAL_CARE_PROVIDER = "social_care", _("Social care provider")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        CHARITY = "charity", _("Charity or voluntary organisation")
        UNIVERSITY = "university", _("University or research")
        INDUSTRY = "industry", _("Industry")
        INTERNATIONAL_PARTNER = "international", _("International partner")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"), default="GB")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "country", name="organisation_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What colleagues see of a member."""

    class Preference(models.TextChoices):
        REMOTE = "remote", _("Remote")
        IN_PERSON = "in_person", _("In person")
        EITHER = "either", _("Either")

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="profile", verbose_name=_("member")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="profiles",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    profession = models.CharField(_("profession"), max_length=100, blank=True)
    division = models.CharField(_("division or team"), max_length=100, blank=True)
    country = CountryField(_("country"), default="GB")
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/London"
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # The language Equitime speaks to the member in: pages, e-mails, the digest
    # and notifications (``members.middleware``; ``core.locale``). Blank: the
    # browser's, until they choose.
    language = models.CharField(
        _("language of Equitime"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
    )
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    skills = models.ManyToManyField(
        "skills.Skill", blank=True, related_name="profiles", verbose_name=_("skills")
    )
    skills_offered = models.JSONField(_("other skills offered"), default=list, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    preference = models.CharField(
        _("remote or in person"),
        max_length=10,
        choices=Preference.choices,
        default=Preference.EITHER,
    )
    # Opt-in: the organisation's leads (impact) see the member's name beside
    # their hours only when the member says so; otherwise they are counted
    # in one line with the others who keep their names to themselves.
    named_to_organisation_leads = models.BooleanField(
        _("show my name to my organisation's leads"), default=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"Profile of {self.member}"


class Invitation(models.Model):
    """A community administrator's invitation for one e-mail address to join."""

    email = models.EmailField(_("e-mail address"), max_length=254)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("joined as"),
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(accepted_at__isnull=False, revoked_at__isnull=False),
                name="invitation_accepted_or_revoked",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_pending(self) -> bool:
        unused = self.accepted_at is None and self.revoked_at is None
        return unused and self.expires_at > timezone.now()
