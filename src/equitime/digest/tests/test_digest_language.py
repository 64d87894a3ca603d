"""The weekly digest is written in its member's language and number format,
whatever language the worker runs in (``core.locale.speaking_to``)."""

from datetime import UTC, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from equitime.digest.selectors import digest_build, week_preview
from equitime.digest.services import digest_send_due
from equitime.digest.tests.test_digest import SENDING, waiting_for
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.tests.factories import listing
from equitime.members.models import Member, Profile
from equitime.scheduling import groups
from equitime.scheduling.tests.factories import group_session

pytestmark = pytest.mark.django_db


def speaking(member: Member, language: str) -> Member:
    Profile.objects.filter(member=member).update(language=language)
    return Member.objects.select_related("profile").get(pk=member.pk)


def in_language(language: str, singular: str, plural: str, count: int) -> str:
    with translation.override(language):
        return translation.ngettext(singular, plural, count) % {"count": count}


def test_the_digest_is_sent_in_the_members_language(member, other_member):
    member = speaking(member, "cy")
    waiting_for(member)
    starts = SENDING + timedelta(days=2)  # a session in the coming week
    with time_machine.travel(SENDING, tick=False):
        session = group_session(other_member, starts_at=starts)
        groups.group_sign_up(session=session, member=member)
        mail.outbox.clear()

        digest_send_due(now=SENDING)

    [email] = [m for m in mail.outbox if m.to == [member.email]]
    assert email.subject == in_language(
        "cy",
        "Your Equitime week: %(count)d thing waits for you",
        "Your Equitime week: %(count)d things wait for you",
        2,  # the exchange, and the session
    )
    with translation.override("cy"):
        opening = translation.gettext("Here is your week on Equitime.")
        waiting = translation.gettext("What waits for you")
    assert opening in email.body
    assert waiting.upper() in email.body
    with translation.override("cy"):
        welsh_day = date_format(timezone.localtime(starts), "l j F")
    assert welsh_day.startswith("Dydd ") and welsh_day in email.body
    assert translation.get_language() == "en-gb"  # the worker's own, put back


def test_dates_in_the_digest_are_in_the_members_language(member, other_member):
    member = speaking(member, "cy")
    starts = (
        (timezone.now() + timedelta(days=2))
        .astimezone(UTC)
        .replace(hour=8, minute=0, second=0, microsecond=0)
    )
    groups.group_sign_up(session=group_session(other_member, starts_at=starts), member=member)

    with translation.override("cy"):
        digest = digest_build(member=member, week=week_preview())
        welsh_day = date_format(timezone.localtime(starts), "l j F")
    texts = " ".join(item.text for section in digest.sections for item in section.items)

    assert welsh_day in texts
    assert welsh_day.startswith("Dydd ")


def test_campaign_figures_are_in_each_members_number_format(member, other_member):
    from equitime.campaigns import services as campaign_services
    from equitime.campaigns.tests.factories import campaign as make_campaign

    campaign = make_campaign()
    offer = listing(other_member, title="Discharge planning huddles")
    campaign_services.campaign_listing_join(campaign=campaign, listing=offer, member=other_member)
    exchange_at("completed", listing=offer, minutes=90)

    def detail(language: str) -> str:
        with translation.override(language):
            digest = digest_build(member=member, week=week_preview())
        [section] = [s for s in digest.sections if s.key == "campaigns"]
        return section.items[0].detail

    # The rows are cached for every member; each reads them in their own format.
    assert detail("en-gb") == "1.5 of 100 hours, 1.5 this week"
    with translation.override("ar"):
        expected = translation.gettext("%(done)s of %(target)s hours, %(week)s this week") % {
            "done": "1,5",
            "target": "100",
            "week": "1,5",
        }
    assert detail("ar") == expected
