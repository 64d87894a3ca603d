"""A member's statement holds what moved or held their own credits: never a
hold on someone else's credits placed in their favour, nor its release."""

import pytest

from equitime.ledger import selectors, services
from equitime.ledger.models import Transfer

pytestmark = pytest.mark.django_db


def hold(payer, payee, key):
    return services.hold_place(
        key=key,
        kind=Transfer.Kind.EXCHANGE,
        debit_account=payer.account,
        credit_account=payee.account,
        amount=30,
        initiated_by=payer,
    )


def test_the_payee_reads_only_what_reached_them(member, other_member):
    paid = hold(member, other_member, "h1")
    payment = services.hold_post(key="p1", hold=paid, initiated_by=member)
    released = hold(member, other_member, "h2")
    void = services.hold_void(key="v2", hold=released, initiated_by=member)
    still_held = hold(member, other_member, "h3")

    payer = set(selectors.statement_for_member(member=member))
    payee = set(selectors.statement_for_member(member=other_member))

    assert {paid, payment, released, void, still_held} <= payer
    assert payment in payee
    assert not {paid, released, void, still_held} & payee
    # The API and the export keep every row, each saying its state.
    assert {paid, released, void, still_held} <= set(
        selectors.transfers_for_member(member=other_member)
    )
    incoming = {t.pk: t.incoming for t in selectors.statement_for_member(member=other_member)}
    assert incoming[payment.pk] is True
