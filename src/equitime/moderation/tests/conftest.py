"""People and things the moderation tests need: an owner and their listing,
colleagues who report it, a moderator and a community administrator (both
given their role the way the site gives it), and a disputed exchange."""

import pytest

from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag


@pytest.fixture
def owner(make_member):
    return make_member(display_name="Olu Owner")


@pytest.fixture
def listing(make_listing, owner):
    return make_listing(owner)


@pytest.fixture
def reporter(make_member):
    return make_member(display_name="Rita Reporter")


@pytest.fixture
def second_reporter(make_member):
    return make_member(display_name="Sid Second")


@pytest.fixture
def make_moderator(make_member):
    def make(display_name="Mo Moderator", role=roles.MODERATOR):
        return member_role_grant(member=make_member(display_name=display_name), role=role, by=None)

    return make


@pytest.fixture
def moderator(make_moderator):
    return make_moderator()


@pytest.fixture
def admin(make_moderator):
    return make_moderator("Ada Administrator", role=roles.COMMUNITY_ADMIN)


@pytest.fixture
def flag(listing, reporter):
    return listing_flag(
        listing=listing,
        member=reporter,
        reason=ListingFlag.Reason.ASKS_FOR_MONEY,
        note="It asks for £50 an hour.",
    )


@pytest.fixture
def make_dispute(make_listing, make_member):
    """A disputed exchange: the provider logged hours, the receiver disputed them."""

    def make(title="Run charts for QI", reason="We only met for twenty minutes."):
        provider = make_member(display_name=f"Provider of {title}")
        receiver = make_member(display_name=f"Receiver of {title}")
        offer = make_listing(provider, title=title)
        return exchange_at(Status.DISPUTED, listing=offer, receiver=receiver, reason=reason)

    return make
