"""A moderation signal (issue 10 §3): new accounts whose only activity is
paying or giving credits to one member, perhaps second accounts made for their
welcome gifts, shown in the moderation queue and its API."""

import itertools
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equitime.api.services import api_token_create
from equitime.ledger import services as ledger
from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import earn
from equitime.members.models import Member
from equitime.moderation.selectors import NEW_ACCOUNT_DAYS, new_accounts_paying_one_member

pytestmark = pytest.mark.django_db

_keys = itertools.count(1)


def pays(payer, recipient, minutes=60, kind=Transfer.Kind.EXCHANGE):
    """``payer`` pays ``recipient`` (None: the pool), as a confirmed exchange
    (the receiver pays the provider) or a donation records it."""
    return ledger.transfer_create(
        key=f"signal-test:{next(_keys)}",
        kind=kind,
        debit_account=ledger.account_open(member=payer),
        credit_account=(
            ledger.pool_account() if recipient is None else ledger.account_open(member=recipient)
        ),
        amount=minutes,
        initiated_by=payer,
    )


def signals():
    return [
        (s.payer, s.recipient, s.minutes, s.payers_to_recipient)
        for s in new_accounts_paying_one_member()
    ]


def test_new_accounts_paying_one_member_are_flagged_most_fed_member_first(make_member):
    main, other = make_member(display_name="Main"), make_member(display_name="Other")
    first, second, lone, newcomer = make_member(), make_member(), make_member(), make_member()
    pays(first, main, 60)
    pays(first, main, 60)
    # Recorded as the ledger keeps it (a gift given on before that was refused).
    pays(second, main, 30, kind=Transfer.Kind.DONATION)
    pays(lone, other, 120)  # the whole welcome gift, to one member
    pays(newcomer, make_member(), 45)  # a first session, as everyone starts: no sign

    found = signals()

    assert {row[:2] for row in found[:2]} == {(first, main), (second, main)}
    assert found[2:] == [(lone, other, 120, 1)]
    assert {row[0]: row[2] for row in found[:2]} == {first: 120, second: 30}
    assert all(row[3] == 2 for row in found[:2])


def test_other_activity_means_no_signal(make_member, member, other_member):
    old, two, earner, pool_giver, quiet = (make_member() for _ in range(5))
    Member.objects.filter(pk=old.pk).update(
        date_joined=timezone.now() - timedelta(days=NEW_ACCOUNT_DAYS + 1)
    )
    pays(old, member)
    pays(two, member)
    pays(two, other_member)
    earn(earner, 60)  # gave time
    pays(earner, member)
    earn(pool_giver, 60)
    pays(pool_giver, None, kind=Transfer.Kind.DONATION)
    assert quiet  # joined, did nothing

    found = signals()

    assert found == []


def test_the_moderation_queue_shows_the_signal(client, moderator, make_member):
    main = make_member(display_name="Maya Main")
    puppet = make_member(display_name="Pete Puppet")
    pays(puppet, main, 120)
    client.force_login(moderator)

    page = client.get(reverse("moderation_queue")).content.decode()

    table = page.split('data-testid="paying-one-member"', 1)[1].split("</table>", 1)[0]
    assert "Pete Puppet" in table and "Maya Main" in table
    assert "2 hours" in table
    assert reverse("profile_detail", args=[puppet.pk]) in table


def test_the_api_lists_the_signal_for_moderators_only(moderator, make_member):
    stranger = make_member()
    main = make_member(display_name="Maya Main")
    puppet = make_member(display_name="Pete Puppet")
    pays(puppet, main, 120)

    def get(member):
        _, secret = api_token_create(member=member, name="test", read_only=True)
        return Client().get(
            "/api/v1/moderation/new-accounts-paying-one-member",
            headers={"Authorization": f"Bearer {secret}"},
        )

    allowed, refused = get(moderator), get(stranger)

    assert allowed.status_code == 200, allowed.content
    item = allowed.json()["items"][0]
    assert item["payer"] == {"id": puppet.pk, "display_name": "Pete Puppet"}
    assert item["recipient"]["id"] == main.pk
    assert (item["minutes"], item["payments"], item["payers_to_recipient"]) == (120, 1, 1)
    assert refused.status_code == 403
