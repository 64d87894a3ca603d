"""Which notifications a member is e-mailed: the defaults and the groups the
preferences page shows.

The default is to e-mail what waits for the member (an exchange proposed to
them, hours to confirm, a session to attend, a message) or changes their plans
(a session moved or cancelled, a place in a group), and what a moderator
decided about them; the rest (thanks, an exchange confirmed, attendance
recorded, someone signed up to their group) waits for the weekly digest.
``docs/design.md`` says why for each.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from equitime.notifications.models import Notification, NotificationPreferences

Kind = Notification.Kind

EMAILED_BY_DEFAULT: frozenset[str] = frozenset(
    {
        Kind.EXCHANGE_PROPOSED,
        Kind.EXCHANGE_ACCEPTED,
        Kind.EXCHANGE_DECLINED,
        Kind.EXCHANGE_DELIVERED,
        Kind.EXCHANGE_DISPUTED,
        Kind.EXCHANGE_CANCELLED,
        Kind.EXCHANGE_RESOLVED,
        Kind.EXCHANGE_MESSAGE,
        Kind.DONATION_RECEIVED,
        Kind.LISTING_EXPIRING,
        Kind.LISTING_MODERATED,
        Kind.REPORT_DECIDED,
        Kind.SESSION_PROPOSED,
        Kind.SESSION_SCHEDULED,
        Kind.SESSION_MOVED,
        Kind.SESSION_CANCELLED,
        Kind.SESSION_REMINDER,
        Kind.SESSION_LOG_HOURS,
        Kind.GROUP_PLACE,
        Kind.GROUP_CANCELLED,
        # A colleague's own words to someone new: worth an e-mail.
        Kind.WELCOME,
        # Someone asks for your help by name: it waits for your answer.
        Kind.HELP_ASKED,
        Kind.HELP_DECLINED,
        # Someone acted in your name: you should hear of it at once.
        Kind.COORDINATOR_ACTED,
        # You may now see colleagues' names and hours, or no longer: a change of role.
        Kind.ORGANISATION_LEAD,
    }
)

# The preferences page's groups, in its order; every kind is in one.
GROUPS: tuple[tuple[str | Promise, tuple[str, ...]], ...] = (
    (
        _("Exchanges"),
        (
            Kind.EXCHANGE_PROPOSED,
            Kind.EXCHANGE_ACCEPTED,
            Kind.EXCHANGE_DECLINED,
            Kind.EXCHANGE_DELIVERED,
            Kind.EXCHANGE_COMPLETED,
            Kind.EXCHANGE_DISPUTED,
            Kind.EXCHANGE_CANCELLED,
            Kind.EXCHANGE_RESOLVED,
            Kind.EXCHANGE_MESSAGE,
            Kind.THANKS,
        ),
    ),
    (
        _("Sessions"),
        (
            Kind.SESSION_PROPOSED,
            Kind.SESSION_SCHEDULED,
            Kind.SESSION_MOVED,
            Kind.SESSION_CANCELLED,
            Kind.SESSION_REMINDER,
            Kind.SESSION_LOG_HOURS,
        ),
    ),
    (
        _("Group sessions"),
        (
            Kind.GROUP_SIGNED_UP,
            Kind.GROUP_PLACE,
            Kind.GROUP_CANCELLED,
            Kind.GROUP_ATTENDANCE,
        ),
    ),
    (
        _("Listings, credits and moderation"),
        (
            Kind.LISTING_EXPIRING,
            Kind.LISTING_MODERATED,
            Kind.DONATION_RECEIVED,
            Kind.REPORT_DECIDED,
        ),
    ),
    (
        _("Community"),
        (
            Kind.HELP_ASKED,
            Kind.HELP_ACCEPTED,
            Kind.HELP_DECLINED,
            Kind.WELCOME,
            Kind.COORDINATOR_ACTED,
            Kind.ORGANISATION_LEAD,
        ),
    ),
)


def emailed_by_default(kind: str) -> bool:
    return kind in EMAILED_BY_DEFAULT


def preferences_of(member) -> NotificationPreferences:
    """The member's preferences: their row, or an unsaved one with the defaults."""
    found = NotificationPreferences.objects.filter(member=member).first()
    return found if found is not None else NotificationPreferences(member=member)


def email_wanted(preferences: NotificationPreferences, kind: str) -> bool:
    """Whether a notification of ``kind`` is e-mailed to this member."""
    choice = (preferences.email_choices or {}).get(kind)
    return choice if isinstance(choice, bool) else emailed_by_default(kind)


def member_wants_email(member, kind: str) -> bool:
    return email_wanted(preferences_of(member), kind)


def email_choices_all(preferences: NotificationPreferences) -> dict[str, bool]:
    """Every kind with whether it is e-mailed, in the model's order."""
    return {kind: email_wanted(preferences, kind) for kind in Kind.values}


def member_wants_digest(member) -> bool:
    return preferences_of(member).digest
