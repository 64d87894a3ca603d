"""The scale data generator, on a small community: the ledger verifies, every
state of an exchange is there, search finds generated words, the benchmark
member signs in, and a second run is refused."""

import io
from datetime import timedelta
from typing import TypedDict

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q
from django.test import TestCase, override_settings
from django.utils import timezone

from equitime.core.rules import money_talk
from equitime.demo import generate
from equitime.exchanges.models import TRANSITIONS, Exchange, ExchangeEvent, Status
from equitime.ledger.models import Transfer
from equitime.ledger.verify import verify_ledger
from equitime.listings.expiry import listings_warn_expiring
from equitime.listings.models import Listing
from equitime.listings.search import listing_search
from equitime.listings.services import listings_expire
from equitime.members.models import Member
from equitime.notifications.messages import check_params
from equitime.notifications.models import Notification


class Size(TypedDict):
    members: int
    listings: int
    exchanges: int


SIZE: Size = {"members": 40, "listings": 150, "exchanges": 250}
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class SmallCommunityTests(TestCase):
    """One generated community, read by every test (each runs in its own rollback)."""

    result: generate.GenerateResult

    @classmethod
    def setUpTestData(cls):
        cls.result = generate.generate(**SIZE, seed=7)

    def test_the_ledger_verifies_and_every_state_appears(self):
        report = verify_ledger()
        assert report.ok, report.problems
        assert self.result.ledger.ok
        statuses = set(Exchange.objects.values_list("status", flat=True))
        # Reversal is a moderator's rare correction; the generator makes none.
        assert statuses == set(Status.values) - {Status.REVERSED}
        assert Exchange.objects.count() == SIZE["exchanges"]
        assert Listing.objects.count() == SIZE["listings"]
        scale = Member.objects.filter(email__endswith=f"@{generate.SCALE_DOMAIN}")
        assert scale.count() == 40
        # Every member has the welcome gift and a confirmed address.
        gifts = Transfer.objects.filter(kind=Transfer.Kind.WELCOME_GIFT)
        assert set(gifts.values_list("credit_account__member", flat=True)) == set(
            scale.values_list("pk", flat=True)
        )
        assert scale.filter(emailaddress__verified=True, emailaddress__primary=True).count() == 40

    def test_each_exchange_went_through_the_transitions_table(self):
        for exchange in Exchange.objects.prefetch_related("events"):
            events = list(exchange.events.all())
            assert events[0].verb == ExchangeEvent.Verb.PROPOSE
            status: str = Status.PROPOSED
            for event in events[1:]:
                starts, to = TRANSITIONS[event.verb]
                assert status in starts and event.to_status == to, (exchange.pk, event.verb)
                status = to
            assert status == exchange.status
            # Holds and payments exist exactly when the lifecycle says so.
            assert (exchange.hold_id is not None) == (exchange.accepted_at is not None)
            assert (exchange.payment_id is not None) == (status == Status.COMPLETED)
        # Nothing is left waiting that the automatic confirmation would have completed.
        due = timezone.now() - timedelta(days=settings.EQUITIME_AUTO_CONFIRM_DAYS)
        delivered = Exchange.objects.filter(status=Status.DELIVERED)
        assert not delivered.filter(delivered_at__lte=due).exists()

    def test_listings_are_consistent_and_searchable(self):
        now = timezone.now()
        live = [Listing.Status.OPEN, Listing.Status.PAUSED]
        assert not Listing.objects.filter(status__in=live, expires_at__lte=now).exists()
        expired = Listing.objects.filter(status=Listing.Status.EXPIRED)
        assert not expired.filter(expires_at__gt=now).exists()
        closed = Q(status=Listing.Status.CLOSED)
        assert not Listing.objects.filter(closed & Q(closed_at__isnull=True)).exists()
        assert not Listing.objects.filter(~closed & Q(closed_at__isnull=False)).exists()
        assert Listing.objects.filter(status=Listing.Status.OPEN).count() > 100
        # The scheduled jobs find nothing left to do: expired ones are marked,
        # and the owners of those about to expire were warned.
        assert listings_expire() == 0
        assert listings_warn_expiring() == 0
        warned = Listing.objects.filter(expiry_warned_at__isnull=False)
        assert warned.exists()
        assert warned.count() == Notification.objects.filter(kind="listing_expiring").count()
        found = listing_search(Listing.objects.all(), generate.COMMON_WORD)
        assert found.count() == self.result.common_hits > 10
        organisation = Member.objects.get(email=generate.BENCH_EMAIL).profile.organisation
        assert organisation is not None
        assert listing_search(Listing.objects.all(), organisation.name).exists()
        for listing in Listing.objects.all():
            text = f"{listing.title} {listing.description} {listing.benefit}"
            assert money_talk(text) is None, text

    def test_the_benchmark_member_signs_in_and_has_exchanges(self):
        bench = Member.objects.get(email=generate.BENCH_EMAIL)
        exchanges = Exchange.objects.filter(Q(provider=bench) | Q(receiver=bench))
        assert exchanges.count() == len(generate.BENCH_EXCHANGES)
        assert exchanges.filter(provider=bench).exists()
        assert exchanges.filter(receiver=bench).exists()
        assert Listing.objects.filter(owner=bench, status=Listing.Status.OPEN).count() == 10
        assert Notification.objects.filter(recipient=bench, read_at__isnull=True).exists()
        # Stored as the services store them: each fills its sentence, and reads.
        for notification in Notification.objects.filter(recipient=bench):
            check_params(notification.kind, notification.variant, notification.params)
            assert notification.message and "%(" not in notification.message
        assert bench.account.balance > 0
        assert self.client.login(email=generate.BENCH_EMAIL, password=generate.BENCH_PASSWORD)
        assert self.client.get("/dashboard/").status_code == 200

    def test_a_second_run_is_refused(self):
        before = Exchange.objects.count()
        with pytest.raises(CommandError, match="already has generated members"):
            call_command("generate", members=3, listings=3, exchanges=3, stderr=io.StringIO())
        assert Exchange.objects.count() == before


class _Undo(Exception):
    pass


def _snapshot() -> tuple[list, list]:
    exchanges = Exchange.objects.order_by("pk").values_list(
        "title", "status", "proposed_minutes", "logged_minutes", "provider__email"
    )
    listings = Listing.objects.order_by("pk").values_list("title", "description", "status")
    return list(exchanges), list(listings)


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
def test_the_same_seed_builds_the_same_community():
    try:
        with transaction.atomic():
            generate.generate(members=12, listings=40, exchanges=60, seed=3)
            first = _snapshot()
            raise _Undo
    except _Undo:
        pass
    assert not generate.scale_data_exists()
    generate.generate(members=12, listings=40, exchanges=60, seed=3)
    assert _snapshot() == first
