"""Sessions as iCalendar (RFC 5545): invitations, downloads and personal feeds.

One event per session, the same wherever it goes, so every calendar holding
it recognises the next version of it:

    UID       f"{session.uid}@{site host}"   never changes
    SEQUENCE  session.sequence                raised by every change (services)
    METHOD    REQUEST  an invitation or its update (e-mailed, ``invitations``)
              CANCEL   the session is off, or this member gave up their place
              PUBLISH  a download from the session's page
              (none)   the member's subscribed feed (``member_feed``)

Times are written in UTC (``…Z``): every calendar shows them in its reader's
zone, and no VTIMEZONE has to be kept in step with the zone database.

Members' e-mail addresses are not shown to one another anywhere in Equitime,
so a file names only its own reader by address. The organiser is written as
their name at the site's sending address (answers go nowhere personal, and
acceptance happens in Equitime: ``RSVP=FALSE``); other people are their names
with an address that is no mailbox (``urn:uuid:``, stable per member).

Outlook reads an invitation only when the METHOD of the MIME part and of the
file agree, ORGANIZER, SEQUENCE and DTSTAMP are present, and the lines are
CRLF-folded at 75 octets (the icalendar package folds and escapes).
"""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vDuration, vText

from equitime.core.locale import speaking_to
from equitime.core.site import site_url
from equitime.scheduling.models import Seat, Session

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as Member

Method = Literal["REQUEST", "CANCEL", "PUBLISH"]

PRODID = "-//Equitime//Sessions//EN"
# How often a subscribed calendar should fetch the feed again (Outlook and
# Apple honour it; Google fetches on its own schedule, every few hours).
FEED_REFRESH = timedelta(hours=1)
# How far back the feed reaches: last month's sessions stay in view.
FEED_PAST = timedelta(days=30)
# Seats of people who hold (or held) a place: attendees in the calendar.
SEATED = (Seat.Status.BOOKED, Seat.Status.ATTENDED, Seat.Status.ABSENT)
# The group sessions' part names its page so; until it exists, the calendar page.
GROUP_PAGE = "group_session_detail"


def site_host() -> str:
    return urlsplit(site_url()).hostname or "equitime"


def event_uid(session: Session) -> str:
    """The event's UID: the session's, on this site's name; never changes."""
    return f"{session.uid}@{site_host()}"


def session_page_path(session: Session) -> str:
    """Where a session is seen on the site: the exchange's page for a
    one-to-one session, the group session's page for a group one."""
    if session.exchange_id is not None:
        return reverse("exchange_detail", kwargs={"pk": session.exchange_id})
    try:
        return reverse(GROUP_PAGE, kwargs={"pk": session.pk})
    except NoReverseMatch:
        return reverse("calendar")


def session_people(session: Session) -> list["Member"]:
    """Everyone the session is in the calendar of: the organiser first, then
    the other party of a one-to-one session or each attendee with a place."""
    people: list[Member] = [session.organiser]
    if session.exchange_id is not None:
        assert session.exchange is not None
        people += [session.exchange.provider, session.exchange.receiver]
    else:
        people += [seat.member for seat in _seated(session)]
    unique: dict[int, Member] = {}
    for person in people:
        unique.setdefault(person.pk, person)
    return list(unique.values())


def _seated(session: Session) -> list[Seat]:
    """The seats of those with a place: prefetched (``seated``) for a feed."""
    prefetched = getattr(session, "seated", None)
    if prefetched is not None:
        return prefetched
    return list(session.seats.filter(status__in=SEATED).select_related("member"))


def _sending_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or f"no-reply@{site_host()}"


def _name(member: "Member") -> str:
    # A double quote cannot appear in a quoted parameter (RFC 5545 3.2).
    return member.display_name.replace('"', "'")


def _member_address(member: "Member", *, reader: "Member | None") -> str:
    if reader is not None and member.pk == reader.pk and member.email:
        return f"mailto:{member.email}"
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_DNS, f"member-{member.pk}.{site_host()}"))


def _organizer(session: Session) -> vCalAddress:
    organizer = vCalAddress(f"mailto:{_sending_address()}")
    organizer.params["CN"] = vText(
        _("%(name)s (via Equitime)") % {"name": _name(session.organiser)}
    )
    return organizer


def _attendee(member: "Member", *, session: Session, reader: "Member | None") -> vCalAddress:
    attendee = vCalAddress(_member_address(member, reader=reader))
    attendee.params["CN"] = vText(_name(member))
    attendee.params["CUTYPE"] = "INDIVIDUAL"
    attendee.params["ROLE"] = "CHAIR" if member.pk == session.organiser_id else "REQ-PARTICIPANT"
    # Times are agreed (and places taken) in Equitime: nobody answers the calendar.
    attendee.params["PARTSTAT"] = "ACCEPTED"
    attendee.params["RSVP"] = "FALSE"
    return attendee


def _location(session: Session) -> str:
    return " · ".join(part for part in (session.place, session.video_url) if part)


def _description(session: Session, link: str) -> str:
    lines = []
    if session.is_group and session.description:
        lines += [session.description, ""]
    if session.place:
        lines.append(_("Where: %(place)s") % {"place": session.place})
    if session.video_url:
        lines.append(_("Video link: %(url)s") % {"url": session.video_url})
    lines.append(_("On Equitime: %(link)s") % {"link": link})
    if session.status == Session.Status.CANCELLED and session.cancel_reason:
        lines += ["", _("Cancelled: %(reason)s") % {"reason": session.cancel_reason}]
    return "\n".join(lines)


def session_event(
    session: Session,
    *,
    reader: "Member | None" = None,
    cancelled: bool = False,
    stamp: datetime | None = None,
    attendees: Iterable["Member"] | None = None,
) -> Event:
    """The session as one VEVENT. ``cancelled``: off for this reader (the
    session was cancelled, or they gave up their place). ``attendees``: who
    to list (everyone with a place when not given)."""
    if session.starts_at is None or session.ends_at is None:
        raise ValueError(f"session {session.pk} has no time to put in a calendar")
    link = site_url() + session_page_path(session)
    event = Event()
    event.add("uid", event_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", stamp or timezone.now())
    event.add("created", session.created_at)
    event.add("last-modified", session.updated_at)
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", session.title)
    event.add("description", _description(session, link))
    event.add("url", link)
    location = _location(session)
    if location:
        event.add("location", location)
    event.add("organizer", _organizer(session))
    for member in session_people(session) if attendees is None else attendees:
        event.add("attendee", _attendee(member, session=session, reader=reader))
    off = cancelled or session.status == Session.Status.CANCELLED
    event.add("status", "CANCELLED" if off else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if off else "OPAQUE")
    event.add("class", "PUBLIC")
    # Outlook's own view of free and busy: the TRANSP alone does not set it.
    event.add("x-microsoft-cdo-busystatus", "FREE" if off else "BUSY")
    event.add("x-microsoft-cdo-intendedstatus", "FREE" if off else "BUSY")
    return event


def _calendar(method: Method | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", method)
    return calendar


def session_invitation(session: Session, *, recipient: "Member", cancel: bool) -> bytes:
    """The invitation (``METHOD:REQUEST``) or cancellation (``METHOD:CANCEL``)
    e-mailed to ``recipient``. A cancellation for a member who gave up a place
    in a group session that goes ahead lists only them."""
    calendar = _calendar("CANCEL" if cancel else "REQUEST")
    leaving = cancel and session.status != Session.Status.CANCELLED
    attendees = [recipient] if leaving else None
    calendar.add_component(
        session_event(session, reader=recipient, cancelled=cancel, attendees=attendees)
    )
    return calendar.to_ical()


def session_download(session: Session, *, member: "Member") -> bytes:
    """The event as a file to open in a calendar (``METHOD:PUBLISH``)."""
    calendar = _calendar("PUBLISH")
    calendar.add_component(session_event(session, reader=member))
    return calendar.to_ical()


def _feed_sessions(member: "Member", *, since: datetime) -> QuerySet[Session]:
    mine = (
        Q(kind=Session.Kind.ONE_TO_ONE)
        & (Q(exchange__provider=member) | Q(exchange__receiver=member))
        & Q(status__in=[Session.Status.SCHEDULED, Session.Status.HELD, Session.Status.CANCELLED])
    )
    mine |= Q(kind=Session.Kind.GROUP) & (
        Q(organiser=member) | Q(seats__member=member, seats__status__in=[*SEATED, Seat.Status.LEFT])
    )
    return (
        Session.objects.filter(mine, starts_at__gte=since, minutes__isnull=False)
        .select_related("organiser", "exchange__provider", "exchange__receiver")
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=Seat.objects.filter(status__in=SEATED).select_related("member"),
                to_attr="seated",
            )
        )
        .distinct()
        .order_by("starts_at", "id")
    )


def member_feed(member: "Member") -> bytes:
    """The member's calendar to subscribe to: their sessions from 30 days ago
    on. Cancelled ones (and group sessions they left) stay in it as
    ``STATUS:CANCELLED`` while in the window, so calendars take them away.
    In the member's language: a calendar program fetches it, and its
    Accept-Language is not the member's choice."""
    with speaking_to(member):
        return _member_feed(member)


def _member_feed(member: "Member") -> bytes:
    calendar = _calendar(None)
    name = _("Equitime: %(name)s") % {"name": member.display_name}
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-caldesc", _("Your sessions on Equitime, the time bank for health and care."))
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    for session in _feed_sessions(member, since=timezone.now() - FEED_PAST):
        # Listed for a seat given up (and not taken again): off, for them.
        left = (
            session.is_group
            and session.organiser_id != member.pk
            and all(seat.member_id != member.pk for seat in _seated(session))
        )
        calendar.add_component(
            session_event(session, reader=member, cancelled=left, stamp=session.updated_at)
        )
    return calendar.to_ical()
