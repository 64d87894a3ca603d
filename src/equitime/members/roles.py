"""The community's roles, as Django groups with named permissions.

- **Moderator**: works the moderation queue (flagged listings, disputed
  exchanges), resolves disputes, suspends and reinstates members.
- **Ambassador**: welcomes new members (``/campaigns/welcome/``) and features
  listings in campaigns.
- **Community administrator**: everything a moderator and an ambassador do,
  and invites people from outside the allowed e-mail domains, appoints
  moderators, ambassadors and coordinators, chooses how group sessions are
  paid for, creates and edits campaigns, and exports the community's data
  (members, listings, exchanges, the ledger) as CSV.
- **Coordinator**: acts for members who cannot use the site themselves (staff
  without regular computer access), with each member's consent on record: posts
  listings and records exchanges for them (``equitime.coordination``).

Staff (Django admin) are a separate flag for the people who run the service.
``roles_sync`` runs after every migrate so the groups always carry exactly
these permissions; code asks ``member.has_perm(...)``, never a group's name.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

MODERATOR = "moderator"
COMMUNITY_ADMIN = "community_admin"
AMBASSADOR = "ambassador"
COORDINATOR = "coordinator"

GROUP_NAMES = {
    MODERATOR: "Moderators",
    COMMUNITY_ADMIN: "Community administrators",
    AMBASSADOR: "Ambassadors",
    COORDINATOR: "Coordinators",
}
ROLE_LABELS = {
    MODERATOR: _("Moderator"),
    COMMUNITY_ADMIN: _("Community administrator"),
    AMBASSADOR: _("Ambassador"),
    COORDINATOR: _("Coordinator"),
}

_MODERATOR_PERMISSIONS = [
    "members.moderate",
    "members.suspend_member",
    "exchanges.resolve_dispute",
]
_AMBASSADOR_PERMISSIONS = [
    "campaigns.feature_listing",
    "campaigns.welcome_members",
]
ROLE_PERMISSIONS = {
    MODERATOR: _MODERATOR_PERMISSIONS,
    AMBASSADOR: _AMBASSADOR_PERMISSIONS,
    COMMUNITY_ADMIN: [
        *_MODERATOR_PERMISSIONS,
        *_AMBASSADOR_PERMISSIONS,
        "campaigns.add_campaign",
        "campaigns.change_campaign",
        "members.invite_member",
        "members.assign_role",
        # The group sessions' credit policy (/sessions/settings/).
        "scheduling.change_schedulingsettings",
        # Any member's weekly digest, previewed (/digest/preview/<id>/).
        "digest.preview_digest",
        # The impact dashboard for the whole community, and appointing organisation leads.
        "impact.view_community_impact",
        "impact.add_organisationlead",
        "impact.delete_organisationlead",
        # CSV exports of members, listings, exchanges and the ledger (/operations/exports/).
        "exports.export_data",
    ],
    # Acting for a member still needs that member's consent on record
    # (coordination.services.coordinator_check); the permission alone is not enough.
    COORDINATOR: ["members.act_for_member"],
}

# The coordinator's permission, named once: coordination acts with it and
# matching shows a coordinator who could help; neither knows the other.
ACT_FOR_MEMBER = "members.act_for_member"


def may_act_for_members(member) -> bool:
    """Whether ``member`` holds the coordinator's role (an active account).
    Acting for a particular member also needs their consent on record
    (``coordination.services.coordinator_check``)."""
    return bool(member and member.is_active and member.has_perm(ACT_FOR_MEMBER))


def roles_sync(**kwargs) -> None:
    """Create the role groups and give each exactly its permissions (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)


def member_roles(member) -> list[str]:
    """The roles a member holds, by key."""
    names = set(member.groups.values_list("name", flat=True))
    return [role for role, name in GROUP_NAMES.items() if name in names]


# What the menu shows: the links to the moderation queue, invitations, coordination
# and impact. Authorisation itself always asks ``has_perm`` afresh; this only spares
# every page the permission queries behind the menu. Role changes clear it.
NAV_PERMISSIONS = (
    "members.moderate",
    "members.invite_member",
    "campaigns.welcome_members",
    "members.act_for_member",
    "exports.export_data",
    "impact.view_community_impact",
)
NAV_CACHE_SECONDS = 300

# What the menu needs that is not a permission, such as leading an organisation's
# impact figures (a row of ``impact``, an app above this one): the app registers a
# check by name when it is ready (``nav_mark_register``), the cached set holds the
# name when the check says yes, and the app forgets the member's cache when the
# answer changes (``member_nav_permissions_forget``).
NAV_MARKS: dict[str, Callable[[Any], bool]] = {}


def nav_mark_register(name: str, check: Callable[[Any], bool]) -> None:
    NAV_MARKS[name] = check


def _nav_cache_key(member_id: int) -> str:
    return f"member-nav-permissions:{member_id}"


def member_nav_permissions(member) -> frozenset[str]:
    """Which of ``NAV_PERMISSIONS`` the member holds, and which of ``NAV_MARKS``
    they carry, cached for a few minutes."""
    from django.core.cache import cache

    key = _nav_cache_key(member.pk)
    held = cache.get(key)
    if held is None:
        held = frozenset(
            [perm for perm in NAV_PERMISSIONS if member.has_perm(perm)]
            + [name for name, check in NAV_MARKS.items() if check(member)]
        )
        cache.set(key, held, NAV_CACHE_SECONDS)
    return held


def member_nav_permissions_forget(member) -> None:
    """After a role change: the menu asks again on the member's next page."""
    from django.core.cache import cache

    cache.delete(_nav_cache_key(member.pk))
