"""What members are told: notifications, in the app and by e-mail.

    Member 1 ──< Notification ──> 0..1 Exchange | 0..1 Listing
    Member 1 ── 0..1 NotificationPreferences ──> * Skill, * ImprovementArea (followed)

A notification is written in the same transaction as the change it reports;
its e-mail is queued only after that transaction commits (``services``) and
sent by a task (``tasks``), which stamps ``emailed_at`` or counts the failed
attempts and keeps the last error; the notification itself never depends on it.
Unread notifications have no ``read_at``.

Where this app sits. A notification points at the exchange or listing it is
about, so this app stands *above* listings and exchanges and imports from
them, never the other way. Yet anything may notify, those apps included: they
tell people through ``equitime.core.notices.notify``, a port in the bottom
layer that knows no app, and this app puts ``services.notify`` behind it when
it is ready (``apps.NotificationsConfig.ready``). A lower app names the kind by
its value (``"exchange_accepted"``); ``Notification.Kind`` lists every kind,
and ``services.notify`` refuses one it does not know. Apps above this one
(moderation, jobs) call ``services.notify`` directly.

    moderation, jobs, demo ──> notifications ──> exchanges, listings, members, core
    exchanges, listings ──> core.notices ··(filled in at start-up)··> notifications
    ledger ──> ledger.signals.donation_made ··(connected at start-up)··> notifications

The ledger tells no one itself: a donation is announced by its signal, once
and inside its transaction, and ``receivers`` tells the member who received it.

What a member is e-mailed is theirs to choose (``NotificationPreferences``,
read through ``preferences``): per kind of notification, and whether the
weekly digest comes. A member with no row gets the defaults
(``preferences.EMAILED_BY_DEFAULT``): what waits for them by e-mail, the rest
in the digest. The row stores only the choices that differ from a default, so
a kind added later gets its default for everyone. In-app notifications always
appear. Every e-mail carries a one-click unsubscribe link (``core.unsubscribe``;
``views.unsubscribe`` turns e-mail off without signing in).

A notification stores what happened, not words (``messages``): its ``kind``,
the ``variant`` of that kind's sentence, and ``params``, plain values (names
and titles as they were, ids, ISO instants, minutes). It is put into words
when it is read, in the reader's language and on their clock
(``Notification.message``, ``messages.notification_text``). A notification
written before that (migration 0010) was matched back into params against its
kind's English sentences; one that matched none keeps its words as they were,
variant ``"legacy"`` and ``params = {"text": ...}``, and reads the same in every
language.

The rows live in the table the ``community`` app made (``community_notification``):
moving the model here changed no row, index or constraint (``migrations/0001``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equitime.notifications.messages import notification_text


class Notification(models.Model):
    class Kind(models.TextChoices):
        EXCHANGE_PROPOSED = "exchange_proposed", _("Exchange proposed")
        EXCHANGE_ACCEPTED = "exchange_accepted", _("Exchange accepted")
        EXCHANGE_DECLINED = "exchange_declined", _("Exchange declined")
        EXCHANGE_DELIVERED = "exchange_delivered", _("Hours logged")
        EXCHANGE_COMPLETED = "exchange_completed", _("Exchange confirmed")
        EXCHANGE_DISPUTED = "exchange_disputed", _("Exchange disputed")
        EXCHANGE_CANCELLED = "exchange_cancelled", _("Exchange cancelled")
        EXCHANGE_RESOLVED = "exchange_resolved", _("Dispute resolved")
        EXCHANGE_MESSAGE = "exchange_message", _("New message")
        THANKS = "thanks", _("Thanks received")
        DONATION_RECEIVED = "donation_received", _("Credits given to you")
        LISTING_EXPIRING = "listing_expiring", _("Listing about to expire")
        LISTING_MODERATED = "listing_moderated", _("Listing closed by a moderator")
        REPORT_DECIDED = "report_decided", _("Report reviewed")
        SESSION_PROPOSED = "session_proposed", _("Times proposed for a session")
        SESSION_SCHEDULED = "session_scheduled", _("Session scheduled")
        SESSION_MOVED = "session_moved", _("Session moved")
        SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
        SESSION_REMINDER = "session_reminder", _("Session reminder")
        SESSION_LOG_HOURS = "session_log_hours", _("Time to log the hours given")
        GROUP_SIGNED_UP = "group_signed_up", _("Someone signed up to your group session")
        GROUP_PLACE = "group_place", _("A place in a group session")
        GROUP_CANCELLED = "group_cancelled", _("Group session cancelled")
        GROUP_ATTENDANCE = "group_attendance", _("Attendance recorded")
        WELCOME = "welcome", _("A welcome from an ambassador")
        HELP_ASKED = "help_asked", _("Asked to help with a request")
        HELP_ACCEPTED = "help_accepted", _("Invitation to help accepted")
        HELP_DECLINED = "help_declined", _("Invitation to help declined")
        COORDINATOR_ACTED = "coordinator_acted", _("A coordinator acted for you")
        ORGANISATION_LEAD = "organisation_lead", _("Organisation lead appointed or removed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # Which of the kind's sentences ("" when it has one; ``messages.SENTENCES``).
    variant = models.CharField(_("variant"), max_length=30, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    exchange = models.ForeignKey(
        "exchanges.Exchange", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The e-mail copy, sent by a task (notifications.tasks): the row above is the
    # notification, and stays whatever happens to the e-mail.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.CharField(_("last e-mail error"), max_length=500, blank=True)

    class Meta:
        # The community app's table, kept: see the module docstring.
        db_table = "community_notification"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        """What it says, in the active language and on the active clock."""
        return notification_text(self)


class NotificationPreferences(models.Model):
    """What a member chooses to be e-mailed, and what they follow for the digest.

    ``email_choices`` maps a kind's value to true or false, only where the
    member chose otherwise than its default (``preferences.email_wanted``).
    Followed skills add to the skills of the member's profile; followed
    improvement areas bring their new offers into the digest."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
        verbose_name=_("member"),
    )
    email_choices = models.JSONField(_("e-mail choices"), default=dict, blank=True)
    digest = models.BooleanField(_("weekly digest"), default=True)
    followed_skills = models.ManyToManyField(
        "skills.Skill", blank=True, related_name="+", verbose_name=_("skills followed")
    )
    followed_areas = models.ManyToManyField(
        "skills.ImprovementArea",
        blank=True,
        related_name="+",
        verbose_name=_("improvement areas followed"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"Notification preferences of {self.member_id}"
