"""The demo's coordinator recorded an exchange for a care assistant, with his consent."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from equitime.audit.models import AuditEntry
from equitime.coordination.models import Consent
from equitime.demo import coordination
from equitime.exchanges.models import Exchange, Status
from equitime.listings.models import Listing
from equitime.members.models import Member

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> None:
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("demo", stdout=io.StringIO())


def test_the_coordinator_recorded_an_exchange_for_the_care_assistant_with_consent():
    run_demo()
    denise = Member.objects.get(email=coordination.COORDINATOR.email)
    joseph = Member.objects.get(email=coordination.ACTED_FOR.email)
    assert denise.has_perm("members.act_for_member") and not joseph.has_perm(
        "members.act_for_member"
    )
    consent = Consent.objects.get(coordinator=denise, member=joseph)
    assert consent.is_standing and consent.method == Consent.Method.PAPER

    exchange = Exchange.objects.get(request_key=coordination.EXCHANGE_KEY)
    assert exchange.payment is not None and exchange.payment.amount == 60
    assert exchange.status == Status.COMPLETED
    assert exchange.provider == joseph and exchange.recorded_by == denise
    recorded = exchange.events.filter(recorded_by=denise).values_list("verb", flat=True)
    assert sorted(recorded) == ["deliver", "propose"]
    assert exchange.thanks.filter(recipient=joseph).exists()
    assert Listing.objects.get(owner=joseph).recorded_by == denise
    acts = AuditEntry.objects.filter(action=AuditEntry.Action.ACTED_FOR_MEMBER, actor=denise)
    assert acts.count() == 3  # the offer, the proposal, the hours


def test_running_the_demo_again_records_nothing_twice():
    run_demo()
    before = (Exchange.objects.count(), Consent.objects.count(), AuditEntry.objects.count())
    run_demo()
    assert (Exchange.objects.count(), Consent.objects.count(), AuditEntry.objects.count()) == before
