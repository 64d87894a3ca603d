"""What scheduling writes to a member while they are away is in their own
language (``core.locale.speaking_to``): the invitation e-mail, its subject,
the words of its calendar file, reminders and the calendar feed. Day and
month names come from Django's catalogues, so they prove the language before
Equitime's own are translated; the rest is compared with gettext."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation
from django.utils.formats import date_format

from equitime.core.locale import speaking_to
from equitime.core.zones import zone_city, zone_of
from equitime.members.models import Member, Profile
from equitime.members.tests.factories import make_member
from equitime.notifications.messages import render
from equitime.scheduling.ical import member_feed
from equitime.scheduling.models import Reminder, Session
from equitime.scheduling.reminders import reminder_told
from equitime.scheduling.signals import session_changed
from equitime.scheduling.tests.calendar_support import WHEN, one_to_one, only_event, parsed

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def speaking(language: str, name: str = "Rhys Receiver") -> Member:
    member = make_member(display_name=name)
    Profile.objects.filter(member=member).update(language=language)
    return Member.objects.select_related("profile").get(pk=member.pk)


def in_language(language: str, member: Member, text: str, fmt: str) -> str:
    """``text`` % the session's time as ``member`` reads it, in ``language``."""
    with translation.override(language):
        local = timezone.localtime(WHEN, zone_of(member))
        return translation.gettext(text) % {
            "title": "Survival analysis in R",
            "when": date_format(local, fmt),
            "city": zone_city(zone_of(member)),
        }


@pytest.mark.parametrize("language", ["cy", "ar"])
def test_an_invitation_is_in_the_recipients_language(django_capture_on_commit_callbacks, language):
    receiver = speaking(language)
    session = one_to_one(receiver=receiver)

    with django_capture_on_commit_callbacks(execute=True):
        session_changed.send(sender=Session, session=session, recipients=[receiver])

    [message] = [m for m in mail.outbox if m.to == [receiver.email]]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.subject == in_language(
        language, receiver, "Invitation: %(title)s, %(when)s (%(city)s time)", "D j M H:i"
    )
    with translation.override(language):
        day = date_format(WHEN, "l j F Y")
        on_equitime = translation.gettext("On Equitime: %(link)s").split("%(")[0]
    assert day in message.body  # "Dydd Mawrth 8 Rhagfyr 2026", "الثلاثاء 8 ديسمبر 2026"
    assert "December" not in message.body
    [(html, _type)] = [a for a in message.alternatives if a[1] == "text/html"]
    assert day in str(html)
    [ics] = [a for a in message.alternatives if a[1] == "text/calendar"]
    assert isinstance(ics[0], str)
    event = only_event(parsed(ics[0])[0])
    assert str(event["summary"]) == "Survival analysis in R"  # the member's own words
    assert on_equitime in str(event["description"])
    # The sender's language is left as it was.
    assert translation.get_language() == "en-gb"


def test_a_reminder_is_in_its_recipients_language_and_on_their_clock():
    receiver = speaking("cy")
    Profile.objects.filter(member=receiver).update(time_zone="Asia/Kolkata")
    receiver = Member.objects.select_related("profile").get(pk=receiver.pk)
    session = one_to_one(receiver=receiver)

    # Stored as what happened; put into words as the receiver reads it.
    told = reminder_told(session, receiver, Reminder.Kind.DAY_BEFORE)
    with speaking_to(receiver):
        text = render("session_reminder", **told)

    with translation.override("cy"):
        day = date_format(timezone.localtime(WHEN, zone_of(receiver)), "l j F")
        words = translation.gettext(
            "Reminder: your session with %(name)s, “%(title)s”, is on %(day)s "
            "at %(time)s %(city)s time (%(offset)s)."
        ).split("%(")[0]
    assert day == "Dydd Mawrth 8 Rhagfyr"
    assert day in text and "19:30" in text
    assert text.startswith(words)


def test_the_calendar_feed_is_in_its_members_language():
    member = speaking("cy")

    feed = member_feed(member)

    with translation.override("cy"):
        description = translation.gettext(
            "Your sessions on Equitime, the time bank for health and care."
        )
    calendar, _other = parsed(feed)
    assert str(calendar["x-wr-caldesc"]) == description
