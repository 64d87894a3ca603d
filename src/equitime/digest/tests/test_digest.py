"""The weekly digest: what it holds, who gets it, and at most once a week,
whether the job runs twice or crashes half-way."""

from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equitime.api.services import api_token_create
from equitime.core.unsubscribe import unsubscribe_read
from equitime.digest import sections as digest_sections
from equitime.digest.models import DigestSend
from equitime.digest.selectors import digest_build, week_monday, week_preview, week_to_send
from equitime.digest.services import BATCH_SIZE, digest_email, digest_send_due, members_due
from equitime.exchanges.tests.factories import exchange_at
from equitime.jobs.schedule import SCHEDULE
from equitime.listings.tests.factories import listing
from equitime.members import roles
from equitime.members.models import Profile
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member
from equitime.moderation.services import member_suspend
from equitime.notifications.services import notification_preferences_set, notify
from equitime.notifications.tests.samples import sample
from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db

# Monday 08:00 UTC of the current week: the digests are being sent.
SENDING = week_monday(timezone.now()) + timedelta(hours=8)


def waiting_for(member):
    """An exchange proposed to ``member`` (their offer, taken up): it waits for them."""
    return exchange_at(listing=listing(member))


def digests_to(member) -> list:
    return [m for m in mail.outbox if m.to == [member.email] and "Equitime week" in m.subject]


# --- Mail that fails --------------------------------------------------------------------

FAIL_FOR: set[str] = set()


class Crash(BaseException):
    """The worker dies (killed, its machine lost): nothing below catches it."""


class FlakyBackend(EmailBackend):
    crash = False

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & FAIL_FOR:
                if FlakyBackend.crash:
                    raise Crash("the worker died")
                raise ConnectionError("the mail server hung up")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FAIL_FOR.clear()
    FlakyBackend.crash = False
    yield FAIL_FOR
    FAIL_FOR.clear()
    FlakyBackend.crash = False


# --- Who gets it ------------------------------------------------------------------------


def test_a_member_with_something_waiting_gets_one_digest(member):
    waiting_for(member)
    mail.outbox.clear()

    summary = digest_send_due(now=SENDING)

    assert "queued" in summary
    [email] = digests_to(member)
    assert "1 thing waits for you" in email.subject
    assert "Survival analysis in R" in email.body
    row = DigestSend.objects.get(member=member)
    assert row.status == DigestSend.Status.SENT
    assert row.week_start == SENDING.date()


def test_a_member_with_nothing_relevant_gets_no_digest_and_a_row_marked_empty(member):
    # Community news alone (someone joined this week) is not a reason to write.
    make_member(display_name="New Colleague")
    mail.outbox.clear()

    digest_send_due(now=SENDING)

    assert digests_to(member) == []
    assert DigestSend.objects.get(member=member).status == DigestSend.Status.EMPTY


def test_the_job_run_twice_sends_each_digest_once(member, other_member):
    waiting_for(member)
    waiting_for(other_member)
    mail.outbox.clear()

    digest_send_due(now=SENDING)
    digest_send_due(now=SENDING + timedelta(hours=1))

    assert len(digests_to(member)) == 1
    assert len(digests_to(other_member)) == 1
    assert DigestSend.objects.filter(member__in=[member, other_member]).count() == 2


def test_a_crash_half_way_resumes_without_sending_anyone_twice(flaky):
    members = [make_member(display_name=f"Nurse {n}") for n in range(5)]
    for member in members:
        waiting_for(member)
    mail.outbox.clear()
    flaky.add(members[2].email)
    FlakyBackend.crash = True

    # The task runner records the batch as failed; the worker's death stops it.
    digest_send_due(now=SENDING)

    sent = [member for member in members if digests_to(member)]
    assert sent == members[:2]
    decided = set(DigestSend.objects.values_list("member_id", flat=True))
    assert decided == {members[0].pk, members[1].pk}  # the third's row rolled back

    FAIL_FOR.clear()
    digest_send_due(now=SENDING + timedelta(hours=1))

    for member in members:
        assert len(digests_to(member)) == 1, member
        assert DigestSend.objects.get(member=member).status == DigestSend.Status.SENT


def test_a_failing_address_delays_only_its_own_digest(flaky):
    members = [make_member(display_name=f"Nurse {n}") for n in range(4)]
    for member in members:
        waiting_for(member)
    mail.outbox.clear()
    flaky.add(members[2].email)

    digest_send_due(now=SENDING)

    assert [bool(digests_to(m)) for m in members] == [True, True, False, True]
    assert not DigestSend.objects.filter(member=members[2]).exists()

    FAIL_FOR.clear()
    digest_send_due(now=SENDING + timedelta(hours=1))
    assert [len(digests_to(m)) for m in members] == [1, 1, 1, 1]


def test_a_digest_already_decided_is_not_sent_again_by_a_second_batch(member):
    from equitime.digest.tasks import digest_send_batch

    waiting_for(member)
    mail.outbox.clear()
    week = week_to_send(SENDING)
    for _ in range(2):
        digest_send_batch.call(member_ids=[member.pk], week_start=week.start.isoformat())
    assert len(digests_to(member)) == 1


def test_members_who_turned_it_off_are_suspended_or_unverified_get_none(member):
    off = make_member(display_name="Off")
    suspended = make_member(display_name="Suspended")
    unverified = make_member(display_name="Unverified")
    for someone in (off, suspended, unverified):
        waiting_for(someone)
    notification_preferences_set(member=off, digest=False)
    moderator = member_role_grant(member=make_member(), role=roles.MODERATOR, by=None)
    member_suspend(member=suspended, by=moderator, reason="Asked colleagues for money.")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    mail.outbox.clear()

    week = week_to_send(SENDING)
    due = set(members_due(week=week))
    digest_send_due(now=SENDING)

    for someone in (off, suspended, unverified):
        assert someone not in due
        assert digests_to(someone) == []
        assert not DigestSend.objects.filter(member=someone).exists()


def test_nothing_is_sent_before_monday_morning_or_after_the_catch_up_days(member):
    waiting_for(member)
    monday = week_monday(SENDING)
    assert "not the time" in digest_send_due(now=monday + timedelta(hours=6))
    assert "not the time" in digest_send_due(now=monday + timedelta(days=3))
    assert not DigestSend.objects.exists()


def test_members_are_sent_in_batches(member, monkeypatch):
    from types import SimpleNamespace

    from equitime.digest import tasks

    batches = []
    queue = SimpleNamespace(enqueue=lambda **kwargs: batches.append(kwargs["member_ids"]))
    monkeypatch.setattr(tasks, "digest_send_batch", queue)
    ids = list(members_due(week=week_to_send(SENDING)).values_list("pk", flat=True))
    digest_send_due(now=SENDING)
    assert [pk for batch in batches for pk in batch] == ids
    assert all(len(batch) <= BATCH_SIZE for batch in batches)


def test_the_worker_runs_the_job_hourly():
    [job] = [job for job in SCHEDULE if job.name == "send_weekly_digests"]
    assert job.every == timedelta(hours=1)


# --- What it holds ----------------------------------------------------------------------


def test_new_offers_in_followed_skills_and_areas_are_listed(member, other_member):
    area = ImprovementArea.objects.get(slug="staff-wellbeing")
    notification_preferences_set(member=member, followed_areas=[area])
    listing(other_member, title="Resilience coaching for ward leaders", area=area, skills=())
    listing(other_member, title="Kaplan-Meier in an afternoon", area="research")  # not followed
    listing(member, title="My own offer", area=area, skills=())  # their own

    digest = digest_build(member=member, week=week_preview())

    [offers] = [s for s in digest.sections if s.key == "offers"]
    assert [item.text for item in offers.items] == ["Resilience coaching for ward leaders"]
    assert digest.relevant


def test_a_profile_skill_is_followed_too(member, other_member):
    member.profile.skills.set(listing(other_member, title="Survival analysis").skills.all())
    digest = digest_build(member=member, week=week_preview())
    [offers] = [s for s in digest.sections if s.key == "offers"]
    assert [item.text for item in offers.items] == ["Survival analysis"]


def test_notifications_not_emailed_are_gathered_and_community_news_added(member, other_member):
    notify(recipient=member, kind="thanks", params={"name": "Ben", "title": "QI"}, email=False)
    notify(recipient=member, kind="exchange_proposed", **sample("exchange_proposed"), email=False)
    exchange_at("completed", receiver=other_member)

    digest = digest_build(member=member, week=week_preview())

    keys = [s.key for s in digest.sections]
    assert "missed" in keys and "community" in keys
    [missed] = [s for s in digest.sections if s.key == "missed"]
    assert [item.text for item in missed.items] == ["Ben thanked you for: QI"]
    [community] = [s for s in digest.sections if s.key == "community"]
    assert "1 hour given" in community.items[0].text


def test_sections_are_a_registry_others_can_add_to(member, monkeypatch):
    def extra(member, week):
        return digest_sections.DigestSection(key="extra", title="Requests you could help with")

    monkeypatch.setattr(digest_sections, "SECTIONS", [*digest_sections.SECTIONS, extra])
    from equitime.digest import selectors

    monkeypatch.setattr(selectors, "SECTIONS", digest_sections.SECTIONS)
    keys = [s.key for s in digest_build(member=member, week=week_preview()).sections]
    assert keys[-1] == "extra"


def test_times_are_written_on_the_members_clock(member, other_member):
    Profile.objects.filter(member=member).update(time_zone="Asia/Kolkata")
    member.refresh_from_db()
    starts = (
        (timezone.now() + timedelta(days=2))
        .astimezone(UTC)
        .replace(hour=8, minute=0, second=0, microsecond=0)
    )
    session = group_session(other_member, starts_at=starts)
    from equitime.scheduling import groups

    groups.group_sign_up(session=session, member=member)
    member = type(member).objects.select_related("profile").get(pk=member.pk)

    digest = digest_build(member=member, week=week_preview())
    email = digest_email(digest)

    assert "13:30" in email.body  # 08:00 UTC is 13:30 in Kolkata
    assert "08:00" not in email.body


def test_the_email_has_one_click_unsubscribe_from_the_digest(member):
    waiting_for(member)
    email = digest_email(digest_build(member=member, week=week_preview()))
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe_read(link.rstrip("/").rsplit("/", 1)[-1]) == (member.pk, "digest")
    assert link in email.body and "/notifications/preferences/" in email.body
    [(html, _type)] = email.alternatives
    assert link in str(html)


# --- Pages and API ----------------------------------------------------------------------


def test_my_digest_page_shows_my_week(client, member):
    waiting_for(member)
    client.force_login(member)
    page = client.get(reverse("digest")).text
    assert "What waits for you" in page and "Survival analysis in R" in page


def test_a_community_administrator_previews_any_members_digest(client, member):
    waiting_for(member)
    admin = member_role_grant(member=make_member(), role=roles.COMMUNITY_ADMIN, by=None)
    client.force_login(admin)
    response = client.get(reverse("digest_preview", kwargs={"member_id": member.pk}))
    assert response.status_code == 200
    assert "Digest of Amina Okafor" in response.text and "What waits for you" in response.text
    assert mail.outbox == [] or not digests_to(member)
    assert not DigestSend.objects.exists()


def test_nobody_else_previews_another_members_digest(client, member, other_member):
    url = reverse("digest_preview", kwargs={"member_id": member.pk})
    assert client.get(url).status_code == 302  # sign in
    client.force_login(other_member)
    assert client.get(url).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 403  # not even one's own, by this address


def test_the_api_gives_my_digest(member):
    waiting_for(member)
    _token, secret = api_token_create(member=member, name="test")
    answer = Client().get("/api/v1/digest", headers={"Authorization": f"Bearer {secret}"}).json()
    assert answer["relevant"] is True
    assert answer["sections"][0]["key"] == "waiting"
    assert answer["sections"][0]["items"][0]["link"].startswith("/exchanges/")
    assert Client().get("/api/v1/digest").status_code == 401


def test_week_to_send_is_the_seven_days_before_monday():
    week = week_to_send(datetime(2026, 12, 9, 10, tzinfo=UTC))  # a Wednesday
    assert week.start.isoformat() == "2026-12-07"
    assert week.until == datetime(2026, 12, 7, tzinfo=UTC)
    assert week.since == datetime(2026, 11, 30, tzinfo=UTC)


def test_a_member_who_turns_it_off_after_the_batch_was_queued_gets_none(member):
    from equitime.digest.tasks import digest_send_batch

    waiting_for(member)
    mail.outbox.clear()
    notification_preferences_set(member=member, digest=False)
    week = week_to_send(SENDING)
    digest_send_batch.call(member_ids=[member.pk], week_start=week.start.isoformat())
    assert digests_to(member) == []


def test_running_campaigns_are_in_the_digest_with_the_weeks_hours(member, other_member):
    from equitime.campaigns import services as campaign_services
    from equitime.campaigns.tests.factories import campaign as make_campaign

    campaign = make_campaign()
    offer = listing(other_member, title="Discharge planning huddles")
    campaign_services.campaign_listing_join(campaign=campaign, listing=offer, member=other_member)
    exchange_at("completed", listing=offer, minutes=90)
    waiting_for(member)  # something personal, so the digest is sent

    digest = digest_build(member=member, week=week_preview())

    [section] = [s for s in digest.sections if s.key == "campaigns"]
    assert not section.personal
    [item] = section.items
    assert item.text == campaign.title
    assert item.link == reverse("campaign_detail", args=[campaign.slug])
    assert item.detail == "1.5 of 100 hours, 1.5 this week"


def test_requests_the_member_could_help_with_are_in_the_digest_and_make_it_worth_sending(
    member, other_member
):
    asked = listing(other_member, "request", title="Help with a survival analysis")
    member.profile.skills.set(asked.skills.all())

    digest = digest_build(member=member, week=week_preview())

    [section] = [s for s in digest.sections if s.key == "requests"]
    assert section.personal and digest.relevant
    [item] = section.items
    assert item.text == "Help with a survival analysis"
    assert item.link == reverse("listing_detail", args=[asked.pk])
    assert "Survival analysis" in item.detail  # why it was chosen
