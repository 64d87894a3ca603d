"""Issue 10, point 9: reversing an exchange's payment is a moderator's
correction of the exchange, never a bare ledger reversal.

The exchange becomes *reversed*, the receiver gets the credits back, the
decision is audited and both members are told why; the ledger (its service
and its admin action) refuses to reverse an exchange's transfer by itself;
``verify_ledger`` reports any exchange whose status disagrees with its
transfers; two moderators reversing at once reverse once.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from equitime.audit.models import AuditEntry
from equitime.core.errors import DomainError
from equitime.core.testing import race
from equitime.exchanges import services
from equitime.exchanges.models import Exchange, ExchangeEvent, Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.ledger import services as ledger
from equitime.ledger.errors import LedgerError
from equitime.ledger.models import Account, Transfer
from equitime.ledger.tests.factories import donation_recorded
from equitime.ledger.verify import verify_ledger
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db

REASON = "The session did not take place; both members told us so."


def credits(member):
    account = Account.objects.get(member=member)
    return account.balance, account.held


# --- The service -----------------------------------------------------------------


def test_a_moderator_reverses_a_completed_exchange(completed, provider, receiver, moderator):
    reversed_ = services.exchange_reverse(exchange=completed, moderator=moderator, reason=REASON)

    assert reversed_.status == Status.REVERSED
    assert (reversed_.reversed_by, reversed_.reversal_reason) == (moderator, REASON)
    assert credits(receiver) == (120, 0) and credits(provider) == (120, 0)
    reversal = Transfer.objects.get(reverses_id=completed.payment_id)
    assert reversal.initiated_by == moderator and reversal.amount == 60
    event = reversed_.events.get(verb=ExchangeEvent.Verb.REVERSE)
    assert (event.actor, event.from_status, event.note) == (moderator, Status.COMPLETED, REASON)
    audit = AuditEntry.objects.filter(actor=moderator, target__contains=str(completed.pk))
    assert audit.filter(summary__startswith=f"Exchange {completed.pk} reversed").exists()
    told = Notification.objects.filter(exchange=completed, params__reason=REASON)
    assert {n.recipient_id for n in told} == {provider.pk, receiver.pk}
    report = verify_ledger()
    assert report.ok, report.problems


def test_reversing_twice_reverses_once(completed, moderator, receiver):
    services.exchange_reverse(exchange=completed, moderator=moderator, reason=REASON)
    again = services.exchange_reverse(exchange=completed, moderator=moderator, reason=REASON)
    assert again.status == Status.REVERSED
    assert Transfer.objects.filter(reverses_id=completed.payment_id).count() == 1
    assert credits(receiver) == (120, 0)


def test_only_an_outside_moderator_reverses(completed, provider, receiver, stranger):
    for member in (provider, receiver, stranger):
        with pytest.raises(DomainError, match="Only a moderator") as refusal:
            services.exchange_reverse(exchange=completed, moderator=member, reason=REASON)
        assert refusal.value.code == "forbidden"
    assert Exchange.objects.get(pk=completed.pk).status == Status.COMPLETED


def test_a_reason_is_needed(completed, moderator):
    with pytest.raises(DomainError, match="Explain the correction"):
        services.exchange_reverse(exchange=completed, moderator=moderator, reason="  ")


def test_only_a_completed_exchange_is_reversed(offer, provider, receiver, moderator):
    exchange = services.exchange_propose_from_listing(listing=offer, member=receiver, minutes=60)
    with pytest.raises(DomainError, match="cannot be reversed"):
        services.exchange_reverse(exchange=exchange, moderator=moderator, reason=REASON)


def test_a_provider_who_spent_the_credits_cannot_be_overdrawn(
    completed, provider, receiver, moderator, stranger
):
    # Spent on time received from others (as far as the ledger is concerned).
    donation_recorded(provider, 180, stranger, key="spent")
    with pytest.raises(DomainError, match="Priya Provider has only 0 credits") as refusal:
        services.exchange_reverse(exchange=completed, moderator=moderator, reason=REASON)
    assert refusal.value.code == "insufficient_credit"
    assert Exchange.objects.get(pk=completed.pk).status == Status.COMPLETED
    assert verify_ledger().ok


# --- The ledger refuses to do it alone -----------------------------------------------


def test_the_ledger_service_refuses_an_exchange_transfer(completed):
    payment = Transfer.objects.get(pk=completed.payment_id)
    with pytest.raises(LedgerError, match="reverse the exchange instead") as refusal:
        ledger.transfer_reverse(key="bare", transfer=payment, initiated_by=None)
    assert refusal.value.code == "exchange_transfer"
    assert not Transfer.objects.filter(reverses=payment).exists()


@pytest.fixture
def admin_client(client, make_member):
    admin = make_member(display_name="Site Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin)
    return client


def test_the_ledger_admin_refuses_and_points_to_the_exchange(admin_client, completed):
    response = admin_client.post(
        reverse("admin:ledger_transfer_changelist"),
        {"action": "reverse_transfers", "_selected_action": [str(completed.payment_id)]},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any("reverse the exchange instead" in t for t in texts), texts
    assert not Transfer.objects.filter(reverses_id=completed.payment_id).exists()
    assert Exchange.objects.get(pk=completed.pk).status == Status.COMPLETED


def test_the_exchange_admin_asks_why_then_reverses(admin_client, completed, receiver):
    url = reverse("admin:exchanges_exchange_changelist")
    selected = {"action": "reverse_payments", "_selected_action": [str(completed.pk)]}

    asked = admin_client.post(url, selected)
    assert asked.status_code == 200
    assert 'name="reason"' in asked.content.decode()
    assert Exchange.objects.get(pk=completed.pk).status == Status.COMPLETED

    missing = admin_client.post(url, {**selected, "apply": "1", "reason": ""})
    assert missing.status_code == 200 and "required" in missing.content.decode()

    done = admin_client.post(url, {**selected, "apply": "1", "reason": REASON}, follow=True)
    assert any("Reversed 1 exchange" in str(m) for m in done.context["messages"])
    assert Exchange.objects.get(pk=completed.pk).status == Status.REVERSED
    assert credits(receiver) == (120, 0)


def test_staff_who_are_not_moderators_have_no_reverse_action(client, make_member, completed):
    from django.contrib.auth.models import Permission

    staff = make_member(display_name="Staff Only")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff.user_permissions.add(Permission.objects.get(codename="view_exchange"))
    client.force_login(staff)
    page = client.get(reverse("admin:exchanges_exchange_changelist"))
    assert page.status_code == 200
    assert "reverse_payments" not in page.content.decode()
    client.post(
        reverse("admin:exchanges_exchange_changelist"),
        {
            "action": "reverse_payments",
            "_selected_action": [str(completed.pk)],
            "apply": "1",
            "reason": REASON,
        },
    )
    assert Exchange.objects.get(pk=completed.pk).status == Status.COMPLETED


# --- verify_ledger: status against transfers -------------------------------------------


def problems():
    return verify_ledger().problems


def reported(text: str) -> bool:
    """Whether ``verify_ledger`` reports a problem that says ``text``."""
    return any(text in problem for problem in problems())


def test_verify_reports_a_completed_exchange_whose_payment_was_reversed_alone(completed):
    """What the ledger admin did on today's main."""
    payment = Transfer.objects.get(pk=completed.payment_id)
    ledger.transfer_reverse(
        key="as-main-did", transfer=payment, initiated_by=None, exchange_correction=True
    )
    assert reported(f"exchange {completed.pk} is completed but its payment was reversed"), (
        problems()
    )


def test_verify_reports_a_reversed_exchange_without_a_reversal(completed):
    Exchange.objects.filter(pk=completed.pk).update(
        status=Status.REVERSED, reversed_at=completed.completed_at
    )
    assert reported(f"exchange {completed.pk} is reversed but no reversal")


def test_verify_reports_a_cancelled_exchange_whose_hold_is_still_held(offer, provider, receiver):
    exchange = services.exchange_propose_from_listing(listing=offer, member=receiver, minutes=60)
    services.exchange_accept(exchange=exchange, member=provider)
    Exchange.objects.filter(pk=exchange.pk).update(status=Status.CANCELLED)
    assert reported(f"exchange {exchange.pk} is cancelled but its hold was not voided")


def test_verify_reports_a_confirmation_of_another_amount(completed, receiver):
    Exchange.objects.filter(pk=completed.pk).update(logged_minutes=45)
    assert reported(f"exchange {completed.pk} is completed but the receiver confirmed")


def test_verify_is_clean_for_every_status(offer, receiver, moderator):
    """One exchange in each status, made by the services: no problem reported."""
    ends = (Status.COMPLETED, Status.REVERSED, Status.DECLINED, Status.CANCELLED, Status.VOIDED)
    for status in ends:
        exchange_at(status, listing=offer, receiver=receiver, moderator=moderator, reason=REASON)
    assert set(Exchange.objects.values_list("status", flat=True)) == set(ends)
    assert verify_ledger().ok, problems()


# --- Two moderators at once ------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.slow
def test_two_moderators_reversing_at_once_reverse_once(offer, provider, receiver, make_member):
    from django.contrib.auth.models import Permission

    exchange = exchange_at(Status.COMPLETED, listing=offer, receiver=receiver)
    moderators = []
    for name in ("Mod One", "Mod Two"):
        member = make_member(display_name=name)
        member.user_permissions.add(Permission.objects.get(codename="resolve_dispute"))
        moderators.append(type(member).objects.get(pk=member.pk))
    outcomes = race(
        lambda n: (
            services.exchange_reverse(
                exchange=exchange, moderator=moderators[n], reason=REASON
            ).status
        ),
        len(moderators),
    )
    assert outcomes == [Status.REVERSED, Status.REVERSED]
    assert Transfer.objects.filter(reverses_id=exchange.payment_id).count() == 1
    assert ExchangeEvent.objects.filter(exchange=exchange, verb="reverse").count() == 1
    assert credits(receiver) == (120, 0) and credits(provider) == (120, 0)
    assert verify_ledger().ok, verify_ledger().problems


def test_both_members_see_the_reversal_and_why(client, completed, provider, moderator):
    services.exchange_reverse(exchange=completed, moderator=moderator, reason=REASON)
    client.force_login(provider)
    page = client.get(reverse("exchange_detail", args=[completed.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Reversed by a moderator" in text
    assert escape(REASON) in text


def test_the_api_shows_a_reversed_exchange(completed, receiver, moderator):
    from django.test import Client

    from equitime.api.services import api_token_create

    services.exchange_reverse(exchange=completed, moderator=moderator, reason=REASON)
    _, secret = api_token_create(member=receiver, name="test")
    response = Client().get(
        f"/api/v1/exchanges/{completed.pk}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "reversed"
    assert response.json()["allowed_actions"] == []
