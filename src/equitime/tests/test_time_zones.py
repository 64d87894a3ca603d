"""One exchange, three time zones: each member reads every time on their own
clock, across the spring's daylight-saving changes, on the pages that show
times (the exchange's timeline, the notifications, the statement); the page
names the zone; and the page cache never gives one zone's page to another.

The exchange is walked through its steps on a frozen clock, in March 2026:

    step        UTC               London           Kolkata            Toronto
    proposed    Sat 7 Mar 15:00   15:00 GMT        20:30 IST          10:00 EST
    accepted    Mon 9 Mar 15:00   15:00 GMT        20:30 IST          11:00 EDT  (8 March)
    delivered   Mon 30 Mar 09:00  10:00 BST        14:30 IST          05:00 EDT  (29 March)
    completed   Mon 30 Mar 12:00  13:00 BST        17:30 IST          08:00 EDT
"""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from equitime.core.pagecache import GENERATION_KEY, HIT_HEADER
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.models import Profile
from equitime.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

STEPS = {
    Status.PROPOSED: datetime(2026, 3, 7, 15, 0, tzinfo=UTC),
    Status.ACCEPTED: datetime(2026, 3, 9, 15, 0, tzinfo=UTC),
    Status.DELIVERED: datetime(2026, 3, 30, 9, 0, tzinfo=UTC),
    Status.COMPLETED: datetime(2026, 3, 30, 12, 0, tzinfo=UTC),
}
SEEN = {
    "Europe/London": {
        Status.PROPOSED: ("7 Mar 2026, 15:00", "2026-03-07T15:00:00+00:00"),
        Status.ACCEPTED: ("9 Mar 2026, 15:00", "2026-03-09T15:00:00+00:00"),
        Status.DELIVERED: ("30 Mar 2026, 10:00", "2026-03-30T10:00:00+01:00"),
        Status.COMPLETED: ("30 Mar 2026, 13:00", "2026-03-30T13:00:00+01:00"),
    },
    "Asia/Kolkata": {
        Status.PROPOSED: ("7 Mar 2026, 20:30", "2026-03-07T20:30:00+05:30"),
        Status.ACCEPTED: ("9 Mar 2026, 20:30", "2026-03-09T20:30:00+05:30"),
        Status.DELIVERED: ("30 Mar 2026, 14:30", "2026-03-30T14:30:00+05:30"),
        Status.COMPLETED: ("30 Mar 2026, 17:30", "2026-03-30T17:30:00+05:30"),
    },
    "America/Toronto": {
        Status.PROPOSED: ("7 Mar 2026, 10:00", "2026-03-07T10:00:00-05:00"),
        Status.ACCEPTED: ("9 Mar 2026, 11:00", "2026-03-09T11:00:00-04:00"),
        Status.DELIVERED: ("30 Mar 2026, 05:00", "2026-03-30T05:00:00-04:00"),
        Status.COMPLETED: ("30 Mar 2026, 08:00", "2026-03-30T08:00:00-04:00"),
    },
}
ZONES = list(SEEN)

_TIME = re.compile(r'<time datetime="([^"]+)">([^<]+)</time>')


def times_on(response) -> set[tuple[str, str]]:
    """Every (shown, machine-readable) time on a page."""
    assert response.status_code == 200
    return {(shown, machine) for machine, shown in _TIME.findall(response.content.decode())}


def in_zone(member, zone: str):
    """The member moves, as the profile page or the API moves them: by saving."""
    profile = Profile.objects.get(member=member)
    profile.time_zone = zone
    profile.save(update_fields=["time_zone"])
    return type(member).objects.get(pk=member.pk)


def walked_exchange(*, provider, receiver):
    """The exchange of the table above, each step at its moment."""
    listing = make_listing(provider, title="Run charts for QI")
    with time_machine.travel(STEPS[Status.PROPOSED], tick=False):
        exchange = exchange_at(Status.PROPOSED, listing=listing, receiver=receiver)
    for status in (Status.ACCEPTED, Status.DELIVERED, Status.COMPLETED):
        with time_machine.travel(STEPS[status], tick=False):
            exchange = exchange_at(status, exchange=exchange)
    return exchange


def sign_in(client, member):
    """Signed in, with the CSRF cookie a browser holds after its first page
    (until then the page cache keeps nothing)."""
    client.force_login(member)
    client.get(reverse("profile_edit"))
    assert settings.CSRF_COOKIE_NAME in client.cookies


@pytest.fixture
def parties():
    provider = in_zone(make_member(display_name="Priya Provider"), "Europe/London")
    receiver = make_member(display_name="Rob Receiver")
    return provider, receiver


@pytest.mark.parametrize("zone", ZONES)
def test_each_member_reads_the_exchange_on_their_own_clock(client, parties, zone):
    provider, receiver = parties
    receiver = in_zone(receiver, zone)
    exchange = walked_exchange(provider=provider, receiver=receiver)
    seen = SEEN[zone]
    sign_in(client, receiver)

    timeline = times_on(client.get(reverse("exchange_detail", args=[exchange.pk])))
    notifications = times_on(client.get(reverse("notification_list")))
    statement = times_on(client.get(reverse("dashboard")))

    # Every step on the timeline, at the reader's wall-clock time.
    assert set(seen.values()) <= timeline
    # The provider accepted and logged the hours: the receiver was told then.
    assert {seen[Status.ACCEPTED], seen[Status.DELIVERED]} <= notifications
    # The hold when it was accepted, the payment when the receiver confirmed.
    assert {seen[Status.ACCEPTED], seen[Status.COMPLETED]} <= statement


def test_the_provider_in_london_reads_the_same_moments_on_london_time(client, parties):
    provider, receiver = parties
    exchange = walked_exchange(provider=provider, receiver=in_zone(receiver, "Asia/Kolkata"))
    sign_in(client, provider)

    timeline = times_on(client.get(reverse("exchange_detail", args=[exchange.pk])))

    assert set(SEEN["Europe/London"].values()) <= timeline
    assert not set(SEEN["Asia/Kolkata"].values()) & timeline


@pytest.mark.parametrize(
    ("zone", "named"),
    [
        ("Asia/Kolkata", "Times are shown in Kolkata time (IST, UTC+5:30)."),
        ("America/Toronto", "Times are shown in Toronto time (EST, UTC\u22125)."),
        ("Europe/London", "Times are shown in London time (GMT, UTC)."),
    ],
)
def test_every_page_names_the_zone_its_times_are_in(client, member, zone, named):
    with time_machine.travel(datetime(2026, 12, 8, 12, 0, tzinfo=UTC), tick=False):
        client.force_login(in_zone(member, zone))
        page = client.get(reverse("listing_browse")).content.decode()

    assert named in page
    assert f'href="{reverse("profile_edit")}#id_time_zone"' in page


def test_signed_out_visitors_read_the_community_time(client):
    with time_machine.travel(datetime(2026, 7, 8, 12, 0, tzinfo=UTC), tick=False):
        page = client.get(reverse("account_login")).content.decode()

    assert "Times are shown in London time (BST, UTC+1)." in page
    assert "#id_time_zone" not in page


def test_the_zone_link_reaches_the_time_zone_field(client, member):
    client.force_login(member)

    form = client.get(reverse("profile_edit")).content.decode()

    assert 'id="id_time_zone"' in form


def test_the_zone_is_the_request_s_alone(client, member):
    client.force_login(in_zone(member, "Asia/Kolkata"))

    client.get(reverse("dashboard"))

    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


class TestThePageCache:
    def test_a_page_kept_for_one_zone_is_never_given_in_another(self, client, parties):
        provider, receiver = parties
        exchange = walked_exchange(provider=provider, receiver=receiver)
        url = reverse("exchange_detail", args=[exchange.pk])
        sign_in(client, provider)
        client.get(url)  # marks what the member was told as seen: a write
        client.get(url)  # kept
        london = client.get(url)
        assert london.get(HIT_HEADER) == "hit"
        assert set(SEEN["Europe/London"].values()) <= times_on(london)

        # The member moves to Kolkata. The write would forget every kept page;
        # put the generation back, as if it had not, so that only the key's
        # zone stands between the London copy and the Kolkata reader.
        kept = cache.get(GENERATION_KEY)
        in_zone(provider, "Asia/Kolkata")
        cache.set(GENERATION_KEY, kept, None)
        kolkata = client.get(url)

        assert kolkata.get(HIT_HEADER) != "hit"
        assert set(SEEN["Asia/Kolkata"].values()) <= times_on(kolkata)
        assert not set(SEEN["Europe/London"].values()) & times_on(kolkata)

        # Back in London, the London copy is good again.
        kept = cache.get(GENERATION_KEY)
        in_zone(provider, "Europe/London")
        cache.set(GENERATION_KEY, kept, None)
        again = client.get(url)
        assert again.get(HIT_HEADER) == "hit"
        assert again.content == london.content


@pytest.mark.django_db
class TestTheReadersZoneIsKept:
    """The middleware keeps each member's zone name in the cache: a page the
    page cache serves costs no query for the reader's profile."""

    def test_a_kept_page_costs_no_profile_query(self, client, member, django_assert_num_queries):
        sign_in(client, member)
        url = reverse("dashboard")
        client.get(url)
        client.get(url)
        with django_assert_num_queries(2):  # the session and its member, no profile
            assert client.get(url).get(HIT_HEADER) == "hit"

    def test_a_saved_profile_is_read_in_its_new_zone_at_once(self, client, member):
        sign_in(client, member)
        url = reverse("dashboard")
        client.get(url)
        assert "London" in client.get(url).content.decode()
        in_zone(member, "Asia/Kolkata")
        assert "Kolkata" in client.get(url).content.decode()
