"""The demo's one-to-one sessions: some scheduled across countries, one with
two times waiting for a choice, all to come, and none made twice."""

import pytest
from django.utils import timezone

from equitime.demo.builder import demo_build
from equitime.scheduling.models import ProposedTime, Session

pytestmark = pytest.mark.django_db


def test_the_demo_arranges_sessions_across_countries(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    result = demo_build()
    assert not [note for note in result.skipped if "session" in note]

    one_to_one = Session.objects.filter(kind=Session.Kind.ONE_TO_ONE)
    scheduled = one_to_one.filter(status=Session.Status.SCHEDULED).select_related(
        "exchange__provider__profile", "exchange__receiver__profile"
    )
    assert scheduled.count() == 3
    zones = set()
    for session in scheduled:
        assert session.starts_at is not None and session.exchange is not None
        assert session.starts_at > timezone.now()
        provider, receiver = session.exchange.provider, session.exchange.receiver
        zones.add(frozenset({provider.profile.time_zone, receiver.profile.time_zone}))
    assert frozenset({"Europe/Dublin", "Australia/Melbourne"}) in zones

    [waiting] = one_to_one.filter(status=Session.Status.PROPOSED)
    assert waiting.proposed_times.filter(status=ProposedTime.Status.OPEN).count() == 2

    demo_build()
    assert one_to_one.count() == 4
    assert ProposedTime.objects.count() == 7
