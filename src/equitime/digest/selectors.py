"""Building a member's digest, and which week it is.

A digest is built on the member's clock (``timezone.override`` with their
zone): the days and times its sections write are theirs. Its words are in the
language active when it is built: the reader's own on the digest page, the
member's (``core.locale.speaking_to``) when ``services`` e-mails it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from equitime.core.zones import zone_of
from equitime.digest.models import DigestSend
from equitime.digest.sections import SECTIONS, DigestSection, Week
from equitime.members.models import Member

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Digest:
    member: Member
    week: Week
    sections: list[DigestSection]

    @property
    def relevant(self) -> bool:
        """Whether anything in it is for this member (community news alone is not)."""
        return any(section.personal for section in self.sections)


def week_monday(now: datetime) -> datetime:
    """Midnight UTC of the Monday that starts ``now``'s week."""
    day = now.astimezone(UTC).date()
    return datetime.combine(day - timedelta(days=day.weekday()), time(), tzinfo=UTC)


def week_to_send(now: datetime) -> Week:
    """The digest sent in ``now``'s week: the seven days before its Monday."""
    monday = week_monday(now)
    return Week(start=monday.date(), since=monday - WEEK, until=monday)


def week_preview(now: datetime | None = None) -> Week:
    """A digest as it would read now: the last seven days."""
    now = now or timezone.now()
    return Week(start=week_monday(now).date(), since=now - WEEK, until=now)


def digest_build(*, member: Member, week: Week) -> Digest:
    """Every section that has something for ``member``, on their clock."""
    with timezone.override(zone_of(member)):
        sections = [section for build in SECTIONS if (section := build(member, week))]
    return Digest(member=member, week=week, sections=sections)


def digest_latest_sent(*, member: Member) -> DigestSend | None:
    return (
        DigestSend.objects.filter(member=member, status=DigestSend.Status.SENT)
        .order_by("-week_start")
        .first()
    )
