"""The digest's delivery records go like notifications' (``notifications_days``)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from equitime.digest.models import DigestSend
from equitime.digest.retention import digest_send_purge_expired
from equitime.digest.selectors import week_monday
from equitime.jobs.retention import retention_apply

pytestmark = pytest.mark.django_db

NOTIFICATIONS = timedelta(days=settings.EQUITIME_RETENTION["notifications_days"])


def decided(member, *, weeks_ago: int, at) -> DigestSend:
    return DigestSend.objects.create(
        member=member,
        week_start=(week_monday(at) - timedelta(weeks=weeks_ago)).date(),
        status=DigestSend.Status.SENT,
        sections=2,
        decided_at=at,
    )


def test_a_record_older_than_the_period_goes_and_a_newer_one_stays(member):
    now = timezone.now()
    old = decided(member, weeks_ago=1, at=now)
    new = decided(member, weeks_ago=0, at=now + NOTIFICATIONS)
    later = now + NOTIFICATIONS + timedelta(days=1)

    assert digest_send_purge_expired(now=later) == 1

    assert list(DigestSend.objects.all()) == [new]
    assert not DigestSend.objects.filter(pk=old.pk).exists()


def test_the_daily_run_applies_it(member):
    now = timezone.now()
    decided(member, weeks_ago=1, at=now)
    outcomes = {
        f"{o.rule.kind} {o.rule.verb}": o.count
        for o in retention_apply(now=now + NOTIFICATIONS + timedelta(days=1))
    }
    assert outcomes["digests sent deleted"] == 1
    assert not DigestSend.objects.exists()
