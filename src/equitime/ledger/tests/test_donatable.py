"""Only credits earned by giving time may be given on (issue 10 §3).

The welcome gift, and credits given to a member, pay for receiving time; they
are not passed on, so a second account made for its gift cannot hand it to the
first. donatable = max(0, min(available, earned - given)), from the ledger.
"""

import pytest

from equitime.core.testing import race
from equitime.ledger import selectors, services
from equitime.ledger.errors import LedgerError
from equitime.ledger.models import Account, Transfer
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db


def donatable(member) -> int:
    return selectors.account_donatable(account=Account.objects.get(member=member))


def donations():
    return Transfer.objects.filter(kind=Transfer.Kind.DONATION)


def test_the_welcome_gift_cannot_be_given_on(member, other_member):
    assert donatable(member) == 0

    with pytest.raises(LedgerError) as refused:
        services.donation_make(key="d", donor=member, recipient=other_member, amount=15)

    assert refused.value.code == "not_donatable"
    assert "You can give 0 credits" in refused.value.message
    assert "earned by giving time" in refused.value.message
    assert not donations().exists()


def test_a_second_account_cannot_pass_its_gift_to_the_pool_either(member):
    with pytest.raises(LedgerError, match="You can give 0 credits"):
        services.donation_make(key="d", donor=member, amount=120)


def test_credits_earned_by_giving_time_can_be_given_on(member, other_member):
    earn(member, 90)
    assert donatable(member) == 90

    services.donation_make(key="d1", donor=member, recipient=other_member, amount=60)

    assert donatable(member) == 30
    with pytest.raises(LedgerError, match=r"You can give 0\.5 credits"):
        services.donation_make(key="d2", donor=member, recipient=other_member, amount=45)
    services.donation_make(key="d3", donor=member, amount=30)
    assert donatable(member) == 0
    assert verify_ledger().ok


def test_credits_given_to_a_member_are_not_given_on(member, other_member, make_member):
    earn(member, 60)
    services.donation_make(key="d", donor=member, recipient=other_member, amount=60)

    assert donatable(other_member) == 0
    with pytest.raises(LedgerError, match="You can give 0 credits"):
        services.donation_make(key="on", donor=other_member, recipient=make_member(), amount=15)


def test_donatable_is_never_more_than_available(member, other_member):
    earn(member, 60)
    services.hold_place(
        key="h",
        kind=Transfer.Kind.EXCHANGE,
        debit_account=member.account,
        credit_account=other_member.account,
        amount=150,
        initiated_by=None,
    )

    assert donatable(member) == 30


def test_reversals_count_back(member, other_member):
    earned = earn(member, 60)
    donation = services.donation_make(key="d", donor=member, recipient=other_member, amount=60)

    services.transfer_reverse(key="r1", transfer=donation, initiated_by=None)
    assert donatable(member) == 60
    services.transfer_reverse(key="r2", transfer=earned, initiated_by=None)
    assert donatable(member) == 0


def test_a_retry_of_a_donation_made_answers_with_it(member, other_member):
    earn(member, 60)
    first = services.donation_make(key="d", donor=member, recipient=other_member, amount=60)

    again = services.donation_make(key="d", donor=member, recipient=other_member, amount=60)

    assert again.pk == first.pk
    assert donations().count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_donations_at_once_cannot_give_more_than_is_donatable(make_member):
    donor, first, second = make_member(), make_member(), make_member()
    earn(donor, 60)
    recipients = [first, second, None, first]

    outcomes = race(
        lambda n: services.donation_make(
            key=f"race-{n}", donor=donor, recipient=recipients[n], amount=60
        ),
        len(recipients),
    )

    made = [o for o in outcomes if isinstance(o, Transfer)]
    refused = [o for o in outcomes if isinstance(o, LedgerError)]
    assert len(made) == 1, outcomes
    assert len(refused) == 3 and all(error.code == "not_donatable" for error in refused)
    assert donations().count() == 1
    assert donatable(donor) == 0
    assert Account.objects.get(member=donor).available == 120  # the gift stays
    assert verify_ledger().ok


def test_a_donation_is_announced_once_and_a_refused_one_never(member, other_member):
    """``donation_made`` is how the layers above learn of a gift (the
    recipient is told): sent for a new donation only, not for a replay of its
    key, nor for a donation refused."""
    from equitime.ledger.signals import donation_made

    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    donation_made.connect(listen)
    try:
        with pytest.raises(LedgerError):
            services.donation_make(key="too-much", donor=member, recipient=other_member, amount=15)
        earn(member, 30)
        made = services.donation_make(key="d1", donor=member, recipient=other_member, amount=15)
        services.donation_make(key="d1", donor=member, recipient=other_member, amount=15)
        to_pool = services.donation_make(key="d2", donor=member, amount=15)
    finally:
        donation_made.disconnect(listen)

    assert [(h["donation"].pk, h["donor"], h["recipient"]) for h in heard] == [
        (made.pk, member, other_member),
        (to_pool.pk, member, None),
    ]
