"""Telling members what happened: a notification row now, an e-mail task after commit."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.core import unsubscribe
from equitime.core.errors import DomainError, ErrorKind
from equitime.members.models import Member
from equitime.notifications.messages import check_params
from equitime.notifications.models import Notification, NotificationPreferences
from equitime.notifications.preferences import emailed_by_default
from equitime.notifications.tasks import notification_email
from equitime.skills.models import ImprovementArea, Skill


def notify(
    *,
    recipient: Member,
    kind: str,
    params: Mapping[str, Any],
    variant: str = "",
    url: str = "",
    exchange=None,
    listing=None,
    email: bool = True,
) -> Notification:
    """Record a notification in the caller's transaction; once that commits,
    queue its e-mail (``tasks.notification_email`` sends it, and tries again).

    It stores what happened: ``kind``, the ``variant`` of its sentence and the
    ``params`` that fill it (``messages.SENTENCES``), put into words in each
    reader's language when read. Params are plain values; a datetime is stored
    as an ISO instant. Apps below this one reach it through
    ``equitime.core.notices.notify``."""
    if kind not in Notification.Kind.values:
        # A caller below names the kind by its value: a typo must not pass unseen.
        raise ValueError(f"Unknown notification kind: {kind!r}")
    stored = check_params(kind, variant, params)
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        variant=variant,
        params=stored,
        url=url,
        exchange=exchange,
        listing=listing,
    )
    if email and recipient.is_active:
        transaction.on_commit(lambda: notification_email.enqueue(notification_id=notification.pk))
    return notification


def notifications_mark_read(*, member: Member, ids: list[int] | None = None) -> int:
    """Mark the member's notifications read: the given ones, or all."""
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def notifications_mark_seen(*, member: Member, exchange) -> int:
    """Mark read what ``member`` was told about ``exchange``: they have opened
    it, or acted on it. The badge then counts only what is still to see.

    Opening a page calls this, so it writes nothing when nothing is unread: a
    write would forget every cached page (``core.pagecache``), and an exchange
    page with nothing new to mark may be served whole from the cache. A page
    that did mark something is never served from the cache afterwards (the
    write moved the generation on), and a notification made later moves it on
    too, so the next visit builds the page and marks it."""
    unread = Notification.objects.filter(recipient=member, exchange=exchange, read_at__isnull=True)
    ids = list(unread.values_list("pk", flat=True))
    if not ids:
        return 0
    return Notification.objects.filter(pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Preferences -------------------------------------------------------------------------


def _preferences_locked(member: Member) -> NotificationPreferences:
    NotificationPreferences.objects.get_or_create(member=member)
    return NotificationPreferences.objects.select_for_update().get(member=member)


def notification_preferences_set(
    *,
    member: Member,
    emails: Mapping[str, bool] | None = None,
    digest: bool | None = None,
    followed_skills: Iterable[Skill] | None = None,
    followed_areas: Iterable[ImprovementArea] | None = None,
) -> NotificationPreferences:
    """Change the member's choices; ``None`` leaves a choice as it is.

    ``emails`` maps kinds to whether they are e-mailed; only the choices that
    differ from a kind's default are kept (see ``models``)."""
    if emails is not None:
        unknown = sorted(set(emails) - set(Notification.Kind.values))
        if unknown:
            raise DomainError(
                _("There is no kind of notification called %(kinds)s.")
                % {"kinds": ", ".join(unknown)},
                field="emails",
                code="unknown_kind",
                kind=ErrorKind.INVALID,
            )
    with transaction.atomic():
        preferences = _preferences_locked(member)
        fields = []
        if emails is not None:
            choices = {**(preferences.email_choices or {}), **emails}
            preferences.email_choices = {
                kind: wanted
                for kind, wanted in sorted(choices.items())
                if kind in Notification.Kind.values and wanted != emailed_by_default(kind)
            }
            fields.append("email_choices")
        if digest is not None:
            preferences.digest = digest
            fields.append("digest")
        preferences.save(update_fields=[*fields, "updated_at"])
        if followed_skills is not None:
            preferences.followed_skills.set(list(followed_skills))
        if followed_areas is not None:
            preferences.followed_areas.set(list(followed_areas))
    return preferences


def notification_unsubscribe(*, member: Member, scope: str) -> NotificationPreferences:
    """Turn off what an unsubscribe link's ``scope`` names (``core.unsubscribe``):
    every e-mail the member may turn off (the digest too), the digest, or one
    kind. Only ever turns e-mail off, so a link used twice changes nothing more."""
    if scope == unsubscribe.ALL:
        return notification_preferences_set(
            member=member, emails=dict.fromkeys(Notification.Kind.values, False), digest=False
        )
    if scope == unsubscribe.DIGEST:
        return notification_preferences_set(member=member, digest=False)
    if scope in Notification.Kind.values:
        return notification_preferences_set(member=member, emails={scope: False})
    raise DomainError(
        _("This unsubscribe link is not valid."), code="bad_scope", kind=ErrorKind.NOT_FOUND
    )
