"""Message retention: finished exchanges' threads go after the period, nothing else does.

Exchanges are built through the services in real states; "old" is made either
by purging as if on a later day (``now=``) or by moving every timestamp of an
exchange back together (``age``), as the auto-confirm tests do.
"""

import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command, load_command_class
from django.db.models import DateTimeField, F
from django.urls import reverse
from django.utils import timezone

from equitime.audit.models import AuditEntry
from equitime.exchanges import services
from equitime.exchanges.models import (
    OPEN_STATUSES,
    Exchange,
    ExchangeEvent,
    ExchangeMessage,
    Reflection,
    Status,
    Thanks,
)
from equitime.exchanges.retention import (
    FINISHED_AT,
    message_purge_expired,
    message_retention_cutoff,
    messages_expired,
)
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db

DAYS = 730  # the default
FINISHED = [Status.COMPLETED, Status.DECLINED, Status.CANCELLED, Status.VOIDED, Status.REVERSED]
IN_PROGRESS = [Status.PROPOSED, Status.ACCEPTED, Status.DELIVERED, Status.DISPUTED]


@pytest.fixture
def build(offer, provider, make_member, moderator):
    """``build(status)``: an exchange brought to ``status`` by the services, with
    a message from each party (a fresh receiver each time, so credits suffice)."""

    def make(status: str) -> Exchange:
        receiver = make_member()
        exchange = services.exchange_propose_from_listing(
            listing=offer, member=receiver, minutes=60, message="Could we meet on Tuesday?"
        )
        services.exchange_message_post(
            exchange=exchange, member=provider, body="Tuesday at ten works for me."
        )
        if status == Status.DECLINED:
            services.exchange_decline(exchange=exchange, member=provider, reason="On leave then.")
        elif status == Status.CANCELLED:
            services.exchange_accept(exchange=exchange, member=provider)
            services.exchange_cancel(exchange=exchange, member=receiver, reason="Plans changed.")
        elif status != Status.PROPOSED:
            services.exchange_accept(exchange=exchange, member=provider)
        if status in (
            Status.DELIVERED,
            Status.COMPLETED,
            Status.DISPUTED,
            Status.VOIDED,
            Status.REVERSED,
        ):
            services.exchange_deliver(exchange=exchange, member=provider, minutes=60)
        if status in (Status.COMPLETED, Status.REVERSED):
            services.exchange_confirm(exchange=exchange, member=receiver)
        if status == Status.REVERSED:
            services.exchange_reverse(
                exchange=exchange, moderator=moderator, reason="Recorded by mistake."
            )
        if status in (Status.DISPUTED, Status.VOIDED):
            services.exchange_dispute(
                exchange=exchange, member=receiver, reason="It never happened."
            )
        if status == Status.VOIDED:
            services.exchange_resolve(
                exchange=exchange, moderator=moderator, minutes=None, note="No session took place."
            )
        exchange = Exchange.objects.get(pk=exchange.pk)
        assert exchange.status == status
        return exchange

    return make


def age(exchange: Exchange, days: int) -> None:
    """Move every timestamp of the exchange, its events and messages ``days`` back."""
    shift = timedelta(days=days)
    exchange = Exchange.objects.get(pk=exchange.pk)
    stamps = {
        field.attname: getattr(exchange, field.attname) - shift
        for field in Exchange._meta.concrete_fields
        if isinstance(field, DateTimeField) and getattr(exchange, field.attname)
    }
    Exchange.objects.filter(pk=exchange.pk).update(**stamps)
    ExchangeMessage.objects.filter(exchange=exchange).update(created_at=F("created_at") - shift)
    ExchangeEvent.objects.filter(exchange=exchange).update(created_at=F("created_at") - shift)


def days_later(days: int):
    return timezone.now() + timedelta(days=days)


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("purge_messages", *args, stdout=out)
    return out.getvalue()


def ledger_totals() -> list[tuple]:
    return list(
        Account.objects.order_by("pk").values_list(
            "pk", "posted_debits", "posted_credits", "pending_debits", "pending_credits"
        )
    )


def purge_entries():
    return AuditEntry.objects.filter(action=AuditEntry.Action.MESSAGES_PURGED)


# --- What goes and what stays -----------------------------------------------------------


def test_every_finished_status_has_a_finish_stamp_and_no_open_status_does():
    assert set(FINISHED_AT) == set(Status.values) - set(OPEN_STATUSES) == set(FINISHED)
    assert set(OPEN_STATUSES) == set(IN_PROGRESS)
    for stamp in FINISHED_AT.values():
        assert isinstance(Exchange._meta.get_field(stamp), DateTimeField)


@pytest.mark.parametrize("status", FINISHED)
def test_old_messages_of_a_finished_exchange_are_deleted(build, status):
    exchange = build(status)
    assert exchange.messages.count() == 2

    deleted = message_purge_expired(now=days_later(DAYS + 1))

    assert deleted == 2
    assert not exchange.messages.exists()
    assert Exchange.objects.get(pk=exchange.pk).status == status


@pytest.mark.parametrize("status", FINISHED)
def test_messages_within_the_period_are_kept(build, status):
    exchange = build(status)

    assert message_purge_expired(now=days_later(DAYS - 1)) == 0
    assert message_purge_expired() == 0
    assert exchange.messages.count() == 2
    assert not purge_entries().exists()


@pytest.mark.parametrize("status", IN_PROGRESS)
def test_messages_of_exchanges_in_progress_or_disputed_are_kept_whatever_their_age(build, status):
    exchange = build(status)
    age(exchange, DAYS * 3)

    assert message_purge_expired(now=days_later(DAYS * 10)) == 0
    assert exchange.messages.count() == 2
    assert not purge_entries().exists()


def test_retention_counts_from_when_the_exchange_finished(build, provider):
    # The thread is old but the exchange only just finished: all of it stays.
    exchange = build(Status.DELIVERED)
    age(exchange, DAYS + 30)
    receiver = exchange.receiver
    services.exchange_confirm(exchange=exchange, member=receiver)

    assert message_purge_expired() == 0
    assert message_purge_expired(now=days_later(DAYS - 1)) == 0
    assert exchange.messages.count() == 2

    assert message_purge_expired(now=days_later(DAYS + 1)) == 2
    assert not exchange.messages.exists()


def test_a_message_written_after_the_end_is_kept_the_full_period(build, provider):
    exchange = build(Status.COMPLETED)
    age(exchange, DAYS + 1)
    late = services.exchange_message_post(
        exchange=exchange, member=provider, body="Here are the slides I promised."
    )

    assert message_purge_expired() == 2
    assert list(exchange.messages.all()) == [late]

    assert message_purge_expired(now=days_later(DAYS + 1)) == 1
    assert not exchange.messages.exists()


def test_messages_of_other_exchanges_are_untouched(build):
    old = build(Status.COMPLETED)
    recent = build(Status.COMPLETED)
    in_progress = build(Status.ACCEPTED)
    age(old, DAYS + 1)
    age(in_progress, DAYS + 1)
    kept = set(
        ExchangeMessage.objects.filter(exchange__in=[recent, in_progress]).values_list("pk", "body")
    )

    assert message_purge_expired() == 2

    assert not old.messages.exists()
    assert set(ExchangeMessage.objects.values_list("pk", "body")) == kept


def test_only_messages_go_and_the_ledger_still_verifies(build, provider):
    exchange = build(Status.COMPLETED)
    receiver = exchange.receiver
    services.thanks_give(exchange=exchange, member=receiver, message="Really clear, thank you.")
    services.reflection_save(exchange=exchange, member=receiver, text="I can now plot a KM curve.")
    voided = build(Status.VOIDED)
    counts = {
        model: model.objects.count()
        for model in (Exchange, ExchangeEvent, Thanks, Reflection, Transfer, Account)
    }
    balances = ledger_totals()

    assert message_purge_expired(now=days_later(DAYS + 1)) == 4

    assert not ExchangeMessage.objects.filter(exchange__in=[exchange, voided]).exists()
    assert {model: model.objects.count() for model in counts} == counts
    assert ledger_totals() == balances
    report = verify_ledger()
    assert report.ok, report.problems


# --- The audit entry --------------------------------------------------------------------


def test_one_audit_entry_summarises_the_purge_without_the_messages(build):
    first = build(Status.COMPLETED)
    second = build(Status.CANCELLED)
    now = days_later(DAYS + 1)

    assert message_purge_expired(now=now) == 4

    entry = purge_entries().get()
    assert entry.actor is None  # the system, on a schedule
    assert entry.target == ""
    assert entry.data == {
        "messages": 4,
        "exchanges": sorted([first.pk, second.pk]),
        "retention_days": DAYS,
        "cutoff": message_retention_cutoff(now=now).isoformat(),
    }
    assert "4 message(s) from 2 exchange(s)" in entry.summary
    assert f"{DAYS} days" in entry.summary
    assert "Tuesday" not in entry.summary + str(entry.data)

    # A second run finds nothing and records nothing.
    assert message_purge_expired(now=now) == 0
    assert purge_entries().count() == 1


def test_a_failed_purge_leaves_the_messages_and_no_audit_entry(build, monkeypatch):
    exchange = build(Status.COMPLETED)

    def broken_audit(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr("equitime.exchanges.retention.audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        message_purge_expired(now=days_later(DAYS + 1))

    assert exchange.messages.count() == 2
    assert not purge_entries().exists()


# --- The setting ------------------------------------------------------------------------


def test_the_default_is_two_years(settings):
    assert settings.EQUITIME_RETENTION["messages_days"] == DAYS


def test_the_setting_is_respected(build, settings):
    settings.EQUITIME_RETENTION = {**settings.EQUITIME_RETENTION, "messages_days": 30}
    exchange = build(Status.DECLINED)

    assert message_purge_expired(now=days_later(29)) == 0
    assert exchange.messages.count() == 2
    assert message_purge_expired(now=days_later(31)) == 2
    assert purge_entries().get().data["retention_days"] == 30


@pytest.mark.parametrize("value", [0, -1, None, "30", True])
def test_a_retention_that_is_not_a_positive_number_of_days_deletes_nothing(build, settings, value):
    exchange = build(Status.COMPLETED)
    settings.EQUITIME_RETENTION = {**settings.EQUITIME_RETENTION, "messages_days": value}

    with pytest.raises(ImproperlyConfigured):
        message_purge_expired(now=days_later(DAYS * 10))
    with pytest.raises(CommandError, match="messages_days"):
        run_command()
    assert exchange.messages.count() == 2


def _settings_with(value: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "EQUITIME_MESSAGE_RETENTION_DAYS": value}
    env.pop("EQUITIME_ENV", None)
    code = "import equitime.settings as s; print(s.EQUITIME_RETENTION['messages_days'])"
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_the_environment_variable_sets_it_and_must_be_a_positive_whole_number():
    assert _settings_with("365").stdout.strip() == "365"
    for bad in ("0", "", "-5", "two years", "1.5"):
        result = _settings_with(bad)
        assert result.returncode != 0, bad
        assert "EQUITIME_MESSAGE_RETENTION_DAYS must be a whole number" in result.stderr


# --- The command ------------------------------------------------------------------------


def test_help_says_it_is_safe_for_cron():
    command = load_command_class("equitime.exchanges", "purge_messages")
    assert "Safe to run from cron" in command.help


def test_command_removes_due_messages_and_prints_the_count_and_cutoff(build):
    old = build(Status.COMPLETED)
    recent = build(Status.COMPLETED)
    age(old, DAYS + 1)

    text = run_command()

    assert text.startswith(
        f"Removed 2 message(s) of exchanges that finished more than {DAYS} days ago (cutoff "
    )
    cutoff = purge_entries().get().data["cutoff"]
    assert f"(cutoff {cutoff[:19]}" in text
    assert not old.messages.exists()
    assert recent.messages.count() == 2

    assert run_command().startswith("Removed 0 message(s)")
    assert purge_entries().count() == 1


def test_dry_run_counts_and_deletes_nothing(build):
    old = build(Status.VOIDED)
    age(old, DAYS + 1)
    build(Status.DISPUTED)

    text = run_command("--dry-run")

    assert text.startswith(
        f"Would remove 2 message(s) of exchanges that finished more than {DAYS} days ago"
    )
    assert "(cutoff " in text
    assert old.messages.count() == 2
    assert not purge_entries().exists()
    assert messages_expired(cutoff=message_retention_cutoff()).count() == 2


# --- What members are told --------------------------------------------------------------


def test_the_exchange_page_says_how_long_messages_are_kept(client, build, settings):
    exchange = build(Status.ACCEPTED)
    client.force_login(exchange.receiver)
    url = reverse("exchange_detail", args=[exchange.pk])

    assert (
        "Messages are deleted 2 years after the exchange ends." in client.get(url).content.decode()
    )
    settings.EQUITIME_RETENTION = {**settings.EQUITIME_RETENTION, "messages_days": 1}
    assert "Messages are deleted 1 day after the exchange ends." in client.get(url).content.decode()


def test_the_privacy_notice_states_the_retention_period(client, settings):
    settings.EQUITIME_RETENTION = {**settings.EQUITIME_RETENTION, "messages_days": 365}

    page = client.get(reverse("privacy_notice")).content.decode()

    assert "How long we keep it" in page
    assert "deleted 1 year after the exchange ends" in page
