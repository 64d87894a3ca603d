"""Members joining and keeping their profile up to date."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from equitime.core.errors import DomainError
from equitime.ledger import services as ledger
from equitime.listings.search import listing_search_index_update_for_owner
from equitime.members.models import Member, Organisation, Profile

PROFILE_FIELDS = (
    "organisation",
    "profession",
    "division",
    "country",
    "time_zone",
    "languages",
    "bio",
    "skills",
    "skills_offered",
    "availability",
    "preference",
)


def member_join(
    *,
    email: str,
    display_name: str,
    password: str | None,
    organisation: Organisation | None = None,
    profession: str = "",
    **profile_fields,
) -> Member:
    """Create a member with their profile and ledger account, and give the
    welcome gift: all or nothing, so a new member always sees exactly the gift."""
    email = Member.objects.normalize_email(email).lower()
    if Member.objects.filter(email__iexact=email).exists():
        raise DomainError(_("A member with this e-mail address already exists."), code="exists")
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
    except IntegrityError as error:
        if Member.objects.filter(email__iexact=email).exists():  # joined a moment ago
            raise DomainError(
                _("A member with this e-mail address already exists."), code="exists"
            ) from error
        raise
    # Read back, so callers see the account with its gift, not the empty one cached above.
    return Member.objects.select_related("profile", "account").get(pk=member.pk)


def profile_update(*, member: Member, display_name: str, **fields) -> Profile:
    """Change what colleagues see. Only the fields named in PROFILE_FIELDS."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
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
            member.save(update_fields=["display_name"])
        # Listings are found by their owner's profession and organisation too.
        listing_search_index_update_for_owner(member=member)
    return profile
