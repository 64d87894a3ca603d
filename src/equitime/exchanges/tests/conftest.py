import pytest

from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at, moderator_for_tests
from equitime.skills.models import ImprovementArea


@pytest.fixture
def area(db):
    return ImprovementArea.objects.get(slug="patient-safety")


@pytest.fixture
def provider(make_member):
    return make_member(display_name="Priya Provider")


@pytest.fixture
def receiver(make_member):
    return make_member(display_name="Rob Receiver")


@pytest.fixture
def stranger(make_member):
    return make_member(display_name="Sam Stranger")


@pytest.fixture
def moderator(db):
    return moderator_for_tests()


@pytest.fixture
def offer(make_listing, provider):
    return make_listing(provider)


# --- One exchange at each status (the receiver took up the provider's offer) ----
# Each builds on the one before, so a test that asks for two gets one exchange.
# A module overrides ``proposal_message`` or ``logged_minutes`` to vary them.


@pytest.fixture
def proposal_message():
    return ""


@pytest.fixture
def logged_minutes():
    return 60


@pytest.fixture
def proposed(offer, receiver, proposal_message):
    return exchange_at(Status.PROPOSED, listing=offer, receiver=receiver, message=proposal_message)


@pytest.fixture
def accepted(proposed):
    return exchange_at(Status.ACCEPTED, exchange=proposed)


@pytest.fixture
def delivered(accepted, logged_minutes):
    return exchange_at(Status.DELIVERED, exchange=accepted, logged=logged_minutes)


@pytest.fixture
def completed(delivered):
    return exchange_at(Status.COMPLETED, exchange=delivered)


@pytest.fixture
def disputed(delivered):
    return exchange_at(Status.DISPUTED, exchange=delivered, reason="It was 30 min.")
