"""Operators' exports: each kind's columns and rows, the journal that balances
to the ledger, formula injection, progress, failure, retention and erasure."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from equitime.audit.models import AuditEntry
from equitime.core.errors import DomainError
from equitime.exchanges.models import Status
from equitime.exchanges.tests.factories import exchange_at
from equitime.exports import kinds, services
from equitime.exports.errors import ExportGone, ExportNotReady
from equitime.exports.kinds import SHEETS, hours_minutes
from equitime.exports.models import Export
from equitime.exports.retention import export_purge_expired, exports_expired
from equitime.exports.services import (
    export_open,
    export_path,
    export_request,
    export_run_now,
)
from equitime.exports.tests.factories import export_made, export_rows
from equitime.jobs.retention import RULES
from equitime.ledger.models import Account, Transfer
from equitime.ledger.tests.factories import donation_recorded, earn
from equitime.listings.models import Listing
from equitime.listings.tests.factories import listing
from equitime.members.models import Member, Organisation
from equitime.members.tests.factories import make_member
from equitime.privacy.services import member_erase
from equitime.scheduling import groups
from equitime.scheduling.models import CreditPolicy
from equitime.scheduling.tests.factories import group_session

pytestmark = pytest.mark.django_db

KINDS = Export.Kind.values


@pytest.fixture
def community(admin):
    """Members in two organisations, listings, exchanges in several states
    (completed, held, reversed), a gift of credits and a group session paid by
    the pool: every kind of entry the journal has to show."""
    provider = make_member(display_name="Priya Provider")
    receiver = make_member(display_name="Rob Receiver")
    offer = listing(provider)
    earn(receiver, 240)
    completed = exchange_at(Status.COMPLETED, listing=offer, receiver=receiver, minutes=90)
    held = exchange_at(Status.ACCEPTED, listing=offer, receiver=receiver, minutes=60)
    reversed_ = exchange_at(Status.REVERSED, listing=offer, receiver=receiver, minutes=30)
    earn(provider, 60)
    donation = donation_recorded(provider, 30, receiver, memo="For the run chart")
    starts = timezone.now() + timedelta(days=7)
    session = group_session(
        provider, policy=CreditPolicy.FREE, capacity=3, minutes=60, starts_at=starts
    )
    groups.group_sign_up(session=session, member=receiver)
    groups.group_attendance_record(
        session=session,
        member=provider,
        attended_member_ids=[receiver.pk],
        now=starts + timedelta(minutes=5),
    )
    return {
        "provider": provider,
        "receiver": receiver,
        "completed": completed,
        "held": held,
        "reversed": reversed_,
        "donation": donation,
        "session": session,
    }


def records_in_database(kind: str) -> int:
    """How many records each kind should hold, counted without the export's code."""
    posted = Transfer.objects.filter(state=Transfer.State.POSTED).count()
    return {
        "members": Member.objects.count(),
        "organisations": Organisation.objects.count(),
        "listings": Listing.objects.count(),
        "exchanges": exchange_count(),
        "transfers": Transfer.objects.count(),
        "journal": posted,
        "trial_balance": Account.objects.count(),
    }[kind]


def exchange_count() -> int:
    from equitime.exchanges.models import Exchange

    return Exchange.objects.count()


@pytest.mark.parametrize("kind", KINDS, ids=KINDS)
def test_each_kind_has_its_columns_and_a_row_per_record(admin, community, kind):
    export = export_made(admin, kind)

    assert export.status == Export.Status.DONE, export.error
    rows = export_rows(export)
    assert rows[0] == SHEETS[kind].header()
    expected = records_in_database(kind)
    assert export.rows_done == export.rows_total == expected
    lines = {"journal": 2 * expected + 1, "trial_balance": expected + 1}.get(kind, expected)
    assert len(rows) - 1 == lines
    assert all(len(row) == len(rows[0]) for row in rows)


def test_no_secrets_and_no_private_text_in_the_members_export(admin, community):
    export = export_made(admin, "members")
    text = export_path(export).read_text(encoding="utf-8-sig")

    member = Member.objects.get(pk=community["provider"].pk)
    assert member.email in text  # an operator needs to reach members
    assert member.password not in text
    assert "argon2" not in text and "md5$" not in text
    header = export_rows(export)[0]
    assert not {"password", "bio", "token"} & {cell.lower() for cell in header}


# --- The journal and the trial balance --------------------------------------------------


def ledger_balances() -> dict[int, tuple[int, int]]:
    """Each account's (balance, held), summed from the transfers here, not by the export."""
    credited = dict(
        Transfer.objects.filter(state=Transfer.State.POSTED)
        .values_list("credit_account")
        .annotate(total=Sum("amount"))
    )
    debited = dict(
        Transfer.objects.filter(state=Transfer.State.POSTED)
        .values_list("debit_account")
        .annotate(total=Sum("amount"))
    )
    held = dict(
        Transfer.objects.filter(state=Transfer.State.PENDING, resolution__isnull=True)
        .values_list("debit_account")
        .annotate(total=Sum("amount"))
    )
    return {
        pk: (credited.get(pk, 0) - debited.get(pk, 0), held.get(pk, 0))
        for pk in Account.objects.values_list("pk", flat=True)
    }


def test_every_journal_entry_balances_and_the_accounts_equal_the_ledger(admin, community):
    rows = export_rows(export_made(admin, "journal"))
    header, lines, total = rows[0], rows[1:-1], rows[-1]
    at = {name: header.index(name) for name in header}

    by_entry: dict[str, list[list[str]]] = defaultdict(list)
    net: dict[int, int] = defaultdict(int)
    for line in lines:
        by_entry[line[at["entry"]]].append(line)
        debit, credit = int(line[at["debit (minutes)"]]), int(line[at["credit (minutes)"]])
        net[int(line[at["account"]])] += credit - debit
    for entry, entry_lines in by_entry.items():
        debits = sum(int(line[at["debit (minutes)"]]) for line in entry_lines)
        credits = sum(int(line[at["credit (minutes)"]]) for line in entry_lines)
        assert len(entry_lines) == 2 and debits == credits > 0, entry
        # The h:mm column says the same amount.
        assert hours_minutes(debits) in {line[at["debit (h:mm)"]] for line in entry_lines}

    assert total[at["reference"]] == "Total"
    all_debits = sum(int(line[at["debit (minutes)"]]) for line in lines)
    all_credits = sum(int(line[at["credit (minutes)"]]) for line in lines)
    assert int(total[at["debit (minutes)"]]) == all_debits == all_credits
    assert int(total[at["credit (minutes)"]]) == all_credits

    ledger = ledger_balances()
    for account in Account.objects.all():
        assert net.get(account.pk, 0) == ledger[account.pk][0] == account.balance, account
    assert sum(net.values()) == 0
    # Holds move no balance: the held exchange's hold is not an entry.
    held = community["held"]
    assert str(held.hold_id) not in by_entry


def test_the_trial_balance_equals_the_ledger(admin, community):
    rows = export_rows(export_made(admin, "trial_balance"))
    header, accounts, total = rows[0], rows[1:-1], rows[-1]
    at = {name: header.index(name) for name in header}

    ledger = ledger_balances()
    assert len(accounts) == len(ledger)
    for row in accounts:
        pk = int(row[at["account"]])
        balance, held = ledger[pk]
        assert int(row[at["balance (minutes)"]]) == balance == Account.objects.get(pk=pk).balance
        assert int(row[at["held (minutes)"]]) == held == Account.objects.get(pk=pk).held
        debit_balance, credit_balance = (
            row[at["debit balance (h:mm)"]],
            row[at["credit balance (h:mm)"]],
        )
        assert (debit_balance or credit_balance or "0:00") in (
            hours_minutes(abs(balance)),
            "0:00",
        )
    assert total[at["account name"]] == "Total"
    assert int(total[at["debits (minutes)"]]) == int(total[at["credits (minutes)"]])
    assert int(total[at["balance (minutes)"]]) == 0
    assert total[at["debit balance (h:mm)"]] == total[at["credit balance (h:mm)"]]
    # The pool comes first: it funds the welcome gifts, so it has a debit balance.
    assert accounts[0][at["account name"]] == "Community pool"
    assert accounts[0][at["debit balance (h:mm)"]] != ""


def test_each_entry_says_what_it_is_for(admin, community):
    rows = export_rows(export_made(admin, "journal"))
    header = rows[0]
    at = {name: header.index(name) for name in header}
    references = {row[at["entry"]]: row[at["reference"]] for row in rows[1:-1]}

    completed = community["completed"]
    reversed_ = community["reversed"]
    assert references[str(completed.payment_id)] == f"Exchange {completed.pk}"
    reversal = Transfer.objects.get(reverses_id=reversed_.payment_id)
    assert references[str(reversal.pk)] == f"Reversal of entry {reversed_.payment_id}"
    donation = community["donation"]
    assert references[str(donation.pk)] == f"Gift of credits {donation.pk}"
    session = community["session"]
    session.refresh_from_db()
    assert references[str(session.pool_payment_id)] == f"Group session {session.pk}"
    gift = Transfer.objects.filter(kind=Transfer.Kind.WELCOME_GIFT).earliest("pk")
    assert references[str(gift.pk)] == f"Welcome gift {gift.pk}"
    descriptions = {row[at["entry"]]: row[at["description"]] for row in rows[1:-1]}
    assert descriptions[str(donation.pk)] == "Donation: For the run chart"


def test_the_journal_reads_the_ledger_as_it_stood_when_it_began(admin, community, monkeypatch):
    """A transfer posted while the export runs is not half in it."""
    cutoff = kinds.sheet_cutoff("journal")
    earn(community["provider"], 15)
    records = kinds.sheet_records("journal", cutoff=cutoff)
    assert (
        records.count()
        == Transfer.objects.filter(state=Transfer.State.POSTED, pk__lte=cutoff).count()
    )


# --- Formula injection ----------------------------------------------------------------


def test_a_member_named_like_a_formula_is_written_as_text(admin, community):
    Member.objects.filter(pk=community["provider"].pk).update(display_name="=cmd|'/c calc'!A1")
    Transfer.objects.filter(pk=community["donation"].pk)  # memos are written by members too
    export = export_made(admin, "members")
    names = [row[1] for row in export_rows(export)[1:]]
    assert "'=cmd|'/c calc'!A1" in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


# --- Progress, size, failure ----------------------------------------------------------


def test_progress_is_saved_as_the_rows_are_written(admin, community, monkeypatch):
    saved: list[int] = []
    real = services._progress

    def spy(export_id: int, rows_done: int) -> None:
        real(export_id, rows_done)
        saved.append(Export.objects.get(pk=export_id).rows_done)

    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(services, "_progress", spy)
    export = export_made(admin, "members")

    members = Member.objects.count()
    assert saved == list(range(2, members + 1, 2))
    assert export.rows_done == export.rows_total == members
    assert export.percent == 100


def test_a_large_export_streams_in_chunks(admin, monkeypatch):
    """A few thousand organisations: progress saved at each PROGRESS_EVERY, every row there."""
    Organisation.objects.bulk_create(
        Organisation(name=f"Care Trust {n:05d}", kind=Organisation.Kind.NHS_TRUST, country="GB")
        for n in range(4500)
    )
    saved: list[int] = []
    real = services._progress

    def spy(export_id: int, rows_done: int) -> None:
        saved.append(rows_done)
        real(export_id, rows_done)

    monkeypatch.setattr(services, "_progress", spy)
    export = export_made(admin, "organisations")

    total = Organisation.objects.count()
    assert saved == [2000, 4000]
    assert export.rows_done == total
    rows = export_rows(export)
    assert len(rows) == total + 1
    assert export.size == export_path(export).stat().st_size


def test_a_failed_export_says_what_to_do(admin, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.EQUITIME_EXPORTS_DIR = blocker / "exports"

    export = export_made(admin, "members")

    assert export.status == Export.Status.FAILED
    assert "could not be written" in export.error
    assert "disk has room" in export.error
    assert export.file_name == "" and export.finished_at is not None
    with pytest.raises(ExportNotReady):
        export_open(export=export, member=admin)


def test_an_export_stopped_by_an_error_is_failed_and_leaves_no_file(admin, community, monkeypatch):
    def broken(record, context):
        raise ValueError("a row it could not read")

    monkeypatch.setitem(
        SHEETS,
        "listings",
        SHEETS["listings"].__class__(
            header=SHEETS["listings"].header, records=SHEETS["listings"].records, rows=broken
        ),
    )
    export = export_made(admin, "listings")

    assert export.status == Export.Status.FAILED
    assert "stopped after 0 rows" in export.error and "ValueError" in export.error
    assert list(services.exports_dir().glob("*")) == []


def test_a_finished_export_is_not_run_again(admin):
    export = export_made(admin, "organisations")
    assert export_run_now(export_id=export.pk) == "nothing to do"


# --- Asking, auditing, downloading ----------------------------------------------------


def test_asking_queues_the_task_once_committed_and_is_audited(
    admin, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(member=admin, kind="journal", ip_address="192.0.2.7")

    assert export.status == Export.Status.QUEUED
    task = DBTaskResult.objects.get()
    assert task.task_path == "equitime.exports.tasks.export_run"
    assert task.args_kwargs["kwargs"] == {"export_id": export.pk}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT_REQUESTED)
    assert entry.actor == admin and entry.target == f"exports.export:{export.pk}"
    assert entry.data == {"kind": "journal"} and entry.ip_address == "192.0.2.7"


def test_only_community_administrators_may_ask(db):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        export_request(member=make_member(), kind="members")
    assert not Export.objects.exists()


def test_a_superuser_may_ask(db):
    boss = make_member(display_name="Sue Staff")
    Member.objects.filter(pk=boss.pk).update(is_staff=True, is_superuser=True)
    assert export_request(member=Member.objects.get(pk=boss.pk), kind="members").pk


def test_an_unknown_kind_is_refused(admin):
    with pytest.raises(DomainError) as refused:
        export_request(member=admin, kind="passwords")
    assert refused.value.field == "kind"


def test_at_most_three_waiting_at_once(admin):
    for _ in range(services.MAX_WAITING):
        export_request(member=admin, kind="members")
    with pytest.raises(DomainError) as refused:
        export_request(member=admin, kind="members")
    assert refused.value.code == "too_many_exports"


def test_a_download_is_audited(admin, community):
    export = export_made(admin, "exchanges")

    with export_open(export=export, member=admin, ip_address="192.0.2.8") as handle:
        assert handle.read().decode("utf-8-sig").startswith("exchange id,")

    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT_DOWNLOADED)
    assert entry.actor == admin and entry.target == f"exports.export:{export.pk}"


def test_an_export_not_ready_or_expired_is_not_handed_out(admin):
    waiting = export_made(admin, "members", run=False)
    with pytest.raises(ExportNotReady):
        export_open(export=waiting, member=admin)

    done = export_made(admin, "organisations")
    Export.objects.filter(pk=done.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    done.refresh_from_db()
    with pytest.raises(ExportGone):
        export_open(export=done, member=admin)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT_DOWNLOADED).exists()


# --- Retention and erasure ------------------------------------------------------------


def test_retention_deletes_expired_exports_files_and_rows(admin, settings):
    old = export_made(admin, "members")
    fresh = export_made(admin, "organisations")
    later = timezone.now() + timedelta(days=settings.EQUITIME_RETENTION["exports_days"])
    Export.objects.filter(pk=fresh.pk).update(expires_at=later + timedelta(days=1))
    stray = services.exports_dir() / "9-dead.part"
    stray.write_text("half")
    import os

    os.utime(stray, (0, 0))

    assert list(exports_expired(now=later)) == [old]
    assert export_purge_expired(now=later) == 1

    assert not export_path(old).exists() and not Export.objects.filter(pk=old.pk).exists()
    assert export_path(fresh).exists() and Export.objects.filter(pk=fresh.pk).exists()
    assert not stray.exists()
    assert "operators' exports" in [rule.kind for rule in RULES]


def test_exports_expire_after_the_retention_period(admin, settings):
    settings.EQUITIME_RETENTION = {**settings.EQUITIME_RETENTION, "exports_days": 3}
    export = export_made(admin, "members", run=False)
    assert export.expires_at - export.requested_at == timedelta(days=3)


def test_erasing_a_member_withdraws_the_exports_asked_for_before(admin, community):
    """A file made before an erasure may hold what was erased: no longer handed
    out, and deleted by the next retention run."""
    export = export_made(admin, "members")

    member_erase(member=Member.objects.get(pk=community["receiver"].pk))

    export.refresh_from_db()
    with pytest.raises(ExportGone):
        export_open(export=export, member=admin)
    assert list(exports_expired(now=timezone.now())) == [export]
    after = export_made(admin, "members")
    assert after not in exports_expired(now=timezone.now())
    assert "Former member" in export_path(after).read_text(encoding="utf-8-sig")


def test_erasing_the_administrator_who_asked_keeps_the_operator_record(admin, community):
    """An export is an operator record: it stays, and names "Former member"."""
    export = export_made(admin, "members")

    member_erase(member=Member.objects.get(pk=admin.pk))

    export.refresh_from_db()
    assert export.requested_by_id == admin.pk
    assert export.requested_by.display_name == "Former member"
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT_REQUESTED, actor_id=admin.pk
    ).exists()
