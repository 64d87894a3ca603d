"""Scheduling: when and where time is given, in everyone's own time zone.

One-to-one: the meeting of an exchange's two parties.

    Exchange 1 ──0..1 Session (kind=one_to_one, organiser = the provider)
                        ├──< ProposedTime   start (UTC), minutes, place | video link;
                        │                   either party proposes, the other picks one
                        ├──< SessionEvent   the session's timeline (proposed, scheduled,
                        │                   moved, cancelled …), each one a notification
                        └──< Reminder       one row per (member, kind, start): sent once

Group: an offer given to many at once (a teaching hour, a QI workshop, a journal club).

    Listing 0..1 ──< Session (kind=group, organiser = the provider, capacity)
                        └──< Seat >── Member    booked | waiting | left | attended | absent
                                 ├── hold     (ledger.Transfer, pending, "attendees share")
                                 └── payment  (its posted resolution, on attendance)
                     Session.pool_payment      (ledger.Transfer, pool → provider)

Status: proposed (one-to-one, times offered, none chosen) → scheduled → held
(the time has passed; for a group, attendance recorded) and, from proposed or
scheduled, → cancelled with a reason. Every change of time, place or status
raises ``sequence``; ``uid`` never changes: together they are the iCalendar
``UID`` and ``SEQUENCE`` of every invitation and feed entry (``ical``).

Times are stored in UTC and shown in each reader's own zone (their profile's,
else the community's ``TIME_ZONE``), activated per request by
``members.middleware``.

Group credits (``SchedulingSettings.group_credit_policy``, copied onto each
group session when it is created so a switch never changes a session people
have signed up to): the provider earns the session's minutes once, never once
per attendee (rule 3).
    free    the pool pays the provider, like the welcome gift; attendees pay nothing.
    shared  each place costs minutes // capacity, held when the place is taken,
            posted to the provider on attendance and released on leaving, on
            cancellation or for a no-show; the pool pays the provider the rest
            (the remainder, empty places and no-shows' places), so the books
            balance to the minute.
A session nobody attended pays nobody.
"""

import secrets
import uuid
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equitime.core.units import STEP_MINUTES
from equitime.exchanges.models import Exchange
from equitime.ledger.models import Transfer
from equitime.listings.models import Listing
from equitime.skills.models import ImprovementArea


def _quarter_hours(field: str) -> Q:
    return cast(Q, Q(**{f"{field}__gt": 0}) & Exact(Mod(field, STEP_MINUTES), 0))


class CreditPolicy(models.TextChoices):
    FREE = "free", _("Attendees pay nothing; the community pool pays the provider")
    SHARED = "shared", _("Attendees share the cost; the pool pays the rest")


class Session(models.Model):
    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("One-to-one")
        GROUP = "group", _("Group session")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Times proposed")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    # One-to-one: the exchange it is the meeting of.
    exchange = models.OneToOneField(
        Exchange,
        on_delete=models.CASCADE,
        related_name="session",
        null=True,
        blank=True,
        verbose_name=_("exchange"),
    )
    # The provider: gives the time, earns the credits, organises the meeting.
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sessions_organised",
        verbose_name=_("organiser"),
    )
    title = models.CharField(_("title"), max_length=120)
    # Group sessions: what it is, what it improves, the offer it came from.
    description = models.TextField(_("description"), max_length=4000, blank=True)
    improvement_area = models.ForeignKey(
        ImprovementArea,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("improvement area"),
    )
    benefit = models.CharField(_("benefit to health and care"), max_length=250, blank=True)
    listing = models.ForeignKey(
        Listing,
        on_delete=models.PROTECT,
        related_name="group_sessions",
        null=True,
        blank=True,
        verbose_name=_("offer"),
    )
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    credit_policy = models.CharField(
        _("credits"), max_length=10, choices=CreditPolicy.choices, blank=True
    )
    # When and where, once chosen (always, for a group session).
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, db_index=True)
    minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    # iCalendar SEQUENCE: raised on every change both parties are told of.
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    attendance_recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)
    # Group sessions: what the pool paid the provider (none under "shared" when
    # the places paid it all, or when nobody came).
    pool_payment = models.OneToOneField(
        Transfer,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("paid by the pool"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["kind", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="one_to_one", exchange__isnull=False, capacity__isnull=True)
                | Q(kind="group", exchange__isnull=True, capacity__gt=0)
                & ~Q(credit_policy="")
                & ~Q(status="proposed"),
                name="session_kind_shape",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed")
                | Q(status="cancelled", starts_at__isnull=True)
                | Q(starts_at__isnull=False, minutes__isnull=False),
                name="session_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | _quarter_hours("minutes"),
                name="session_minutes_in_quarter_hours",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="session_cancelled_iff_stamped",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None or self.minutes is None:
            return None
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP


class ProposedTime(models.Model):
    """A time one party offers for a one-to-one session; the other picks one."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CHOSEN = "chosen", _("Chosen")
        # Superseded by a pick, by newer proposals, or by a cancellation.
        WITHDRAWN = "withdrawn", _("No longer offered")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="proposed_times")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveIntegerField(_("duration (minutes)"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_quarter_hours("minutes"), name="proposed_time_in_quarter_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} @ {self.starts_at:%Y-%m-%d %H:%M} UTC"


class SessionEvent(models.Model):
    """One row per change: the session's timeline."""

    class Verb(models.TextChoices):
        PROPOSE = "propose", _("proposed times")
        SCHEDULE = "schedule", _("chose a time")
        MOVE = "move", _("moved the session")
        CANCEL = "cancel", _("cancelled the session")
        CREATE = "create", _("created the group session")
        SIGN_UP = "sign_up", _("took a place")
        WAIT = "wait", _("joined the waiting list")
        LEAVE = "leave", _("gave up their place")
        PROMOTE = "promote", _("moved up from the waiting list")
        SKIP = "skip", _("was passed over on the waiting list")
        ATTENDANCE = "attendance", _("recorded who attended")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="events")
    verb = models.CharField(max_length=12, choices=Verb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Whom it was about, when not the actor (a promotion from the waiting list).
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.verb}"


class Seat(models.Model):
    """A member's place (or place in the queue) in a group session."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Has a place")
        WAITING = "waiting", _("On the waiting list")
        LEFT = "left", _("Gave up their place")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Did not attend")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seats"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    # "Attendees share the cost": the place's share, held while booked.
    hold = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    payment = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The waiting list's order: first come, first served.
    joined_at = models.DateTimeField(default=timezone.now)
    booked_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            # One live seat per member per session; a member who left may come back.
            models.UniqueConstraint(
                fields=["session", "member"],
                condition=Q(status__in=["booked", "waiting", "attended", "absent"]),
                name="seat_one_per_member",
            ),
            models.CheckConstraint(
                condition=Q(payment__isnull=True) | Q(status="attended", hold__isnull=False),
                name="seat_payment_only_for_attendance",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "joined_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.session_id} ({self.status})"


class Reminder(models.Model):
    """A reminder sent: the unique row is what makes it once only."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", _("24 hours before")
        HOUR_BEFORE = "hour_before", _("1 hour before")
        LOG_HOURS = "log_hours", _("Log the hours given")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reminders")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The start it was for: a session moved later is reminded again.
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member", "kind", "starts_at"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.session_id} to {self.member_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarSettings(models.Model):
    """A member's reminders and personal calendar feed."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_settings"
    )
    remind_day_before = models.BooleanField(_("Remind me 24 hours before"), default=True)
    remind_hour_before = models.BooleanField(_("Remind me 1 hour before"), default=True)
    # The secret in the feed's address; a new one revokes the old address.
    feed_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    feed_created_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar settings of {self.member_id}"


class SchedulingSettings(models.Model):
    """The community's choices, one row (pk=1), changed by community administrators."""

    group_credit_policy = models.CharField(
        _("group sessions' credits"),
        max_length=10,
        choices=CreditPolicy.choices,
        default=CreditPolicy.FREE,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("scheduling settings")
        verbose_name_plural = _("scheduling settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="scheduling_settings_one")]

    def __str__(self) -> str:
        return str(_("Scheduling settings"))

    @classmethod
    def current(cls) -> "SchedulingSettings":
        return cls.objects.get_or_create(pk=1)[0]


class CalendarInvitation(models.Model):
    """A calendar invitation (or cancellation) e-mailed to one member for one
    revision of a session: the unique row is what makes a repeated task send
    nothing twice (``invitations``)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField()
    cancel = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member", "sequence", "cancel"], name="calendar_invitation_once"
            )
        ]

    def __str__(self) -> str:
        verb = "cancel" if self.cancel else "request"
        return f"{verb} {self.session_id}#{self.sequence} to {self.member_id}"
