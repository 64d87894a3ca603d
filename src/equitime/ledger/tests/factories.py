"""Ledger test data."""

import itertools

from equitime.ledger import services
from equitime.ledger.models import Transfer

_numbers = itertools.count(1)


def earn(member, minutes: int = 120) -> Transfer:
    """Credit ``member`` with ``minutes`` earned by giving time (a posted
    exchange payment, from the pool as for a group session): only such
    credits may be given on (``selectors.account_donatable``)."""
    return services.transfer_create(
        key=f"test-earned:{next(_numbers)}",
        kind=Transfer.Kind.EXCHANGE,
        debit_account=services.pool_account(),
        credit_account=services.account_open(member=member),
        amount=minutes,
        initiated_by=None,
    )


def donation_recorded(donor, amount: int, recipient=None, *, key: str = "", memo: str = ""):
    """A donation row as the ledger writes it, without the donation service's
    rules (which ``test_donatable`` covers): for tests of what pages and the
    API show of donations, whatever credits paid for them."""
    to = services.pool_account() if recipient is None else services.account_open(member=recipient)
    return services.transfer_create(
        key=key or f"test-donation:{next(_numbers)}",
        kind=Transfer.Kind.DONATION,
        debit_account=services.account_open(member=donor),
        credit_account=to,
        amount=amount,
        initiated_by=donor,
        memo=memo,
    )
