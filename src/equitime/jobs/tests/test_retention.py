"""Retention of every kind of personal data: each goes after its period and
stays before it; a dry run changes nothing; dormant accounts are warned, then
closed with the ledger still valid; the daily job runs once per period.

"Later" is made by applying retention as if on a later day (``now=``), the
way the worker passes its clock, so that rows keep the stamps their services
gave them.
"""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from equitime.api.models import ApiToken, IdempotentRequest
from equitime.api.services import api_token_create, api_token_revoke
from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, ExchangeMessage, Status
from equitime.jobs.models import PeriodicRun
from equitime.jobs.retention import RULES, retention_apply
from equitime.jobs.schedule import SCHEDULE
from equitime.jobs.services import periodic_jobs_run_due
from equitime.ledger.models import Account, Transfer
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Format, Listing
from equitime.listings.search import listing_search
from equitime.listings.services import listing_close, listing_create
from equitime.members.models import Invitation, Member
from equitime.members.retention import members_dormant_to_close
from equitime.members.services import invitation_send, member_role_grant
from equitime.notifications.models import Notification
from equitime.notifications.services import notify
from equitime.notifications.tests.samples import sample
from equitime.privacy.services import ERASED_DOMAIN, FORMER_MEMBER
from equitime.skills.models import ImprovementArea, Skill

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "messages_days": 730,
    "notifications_days": 365,
    "audit_ip_days": 90,
    "dormant_account_days": 1095,
    "dormant_warning_days": 30,
    "closed_listings_days": 365,
    "idempotency_records_days": 2,
    "invitations_days": 90,
    "api_tokens_days": 365,
    "exports_days": 7,
}


def later(days: float):
    return timezone.now() + timedelta(days=days)


def apply(days: float) -> dict[str, int]:
    """Apply every rule as if ``days`` from now; {"kind verb": count}."""
    return {
        f"{outcome.rule.kind} {outcome.rule.verb}": outcome.count
        for outcome in retention_apply(now=later(days))
    }


def set_period(settings, **periods):
    settings.EQUITIME_RETENTION = {**settings.EQUITIME_RETENTION, **periods}


@pytest.fixture
def area():
    return ImprovementArea.objects.get(slug="patient-safety")


def offer_by(owner, area, **fields):
    fields.setdefault("title", "Survival analysis in R")
    fields.setdefault("description", "I can walk you through Kaplan-Meier curves.")
    return listing_create(
        owner=owner,
        kind=Listing.Kind.OFFER,
        improvement_area=area,
        benefit="Better evidence on readmissions for the frailty team.",
        estimated_minutes=60,
        format=Format.REMOTE,
        skills=[Skill.objects.get(slug="survival-analysis")],
        **fields,
    )


# --- The settings -----------------------------------------------------------------------


def test_every_kind_has_a_default_period_and_a_rule(settings):
    assert settings.EQUITIME_RETENTION == DEFAULTS
    kinds = {rule.kind for rule in RULES}
    assert kinds == {
        "messages",
        "exchange reasons and notes",
        "session reasons",
        "notifications",
        "session reminders",
        "calendar invitations",
        "digests sent",
        "audit IP addresses",
        "dormant accounts",
        "closed listings",
        "idempotency records",
        "invitations",
        "API tokens",
        "operators' exports",
        "expired sessions",
    }


@pytest.mark.parametrize("value", [0, -3, None, "90", True])
def test_a_period_that_is_not_a_positive_number_of_days_stops_the_command(settings, value):
    set_period(settings, notifications_days=value)
    with pytest.raises(CommandError, match="notifications_days"):
        call_command("apply_retention", stdout=io.StringIO())


# --- Exchange reasons and notes -----------------------------------------------------------


def test_reasons_and_event_notes_go_with_the_messages_and_the_facts_stay(
    member, other_member, area
):
    declined = exchanges.exchange_propose_from_listing(
        listing=offer_by(member, area), member=other_member, minutes=60, message="Tuesday?"
    )
    exchanges.exchange_decline(exchange=declined, member=member, reason="On leave that week.")
    in_progress = exchanges.exchange_propose_from_listing(
        listing=offer_by(member, area, title="Run charts"),
        member=other_member,
        minutes=30,
        message="Soon?",
    )

    assert apply(729)["exchange reasons and notes blanked"] == 0
    assert Exchange.objects.get(pk=declined.pk).decline_reason == "On leave that week."

    assert apply(731)["exchange reasons and notes blanked"] == 1
    declined = Exchange.objects.get(pk=declined.pk)
    assert declined.decline_reason == ""
    assert not declined.events.exclude(note="").exists()
    assert (declined.status, declined.proposed_minutes, declined.title) == (
        Status.DECLINED,
        60,
        "Survival analysis in R",
    )
    assert declined.events.count() == 2
    assert Exchange.objects.get(pk=in_progress.pk).status == Status.PROPOSED
    assert apply(732)["exchange reasons and notes blanked"] == 0


# --- Notifications ----------------------------------------------------------------------


def test_notifications_go_after_their_period_read_or_not(member):
    for text in ("First", "Second"):
        notify(
            recipient=member,
            kind=Notification.Kind.THANKS,
            **sample("thanks", name=text),
            email=False,
        )
    Notification.objects.filter(params__name="First").update(read_at=timezone.now())

    assert apply(364)["notifications deleted"] == 0
    assert Notification.objects.count() == 2
    assert apply(366)["notifications deleted"] == 2
    assert not Notification.objects.exists()


# --- Audit IP addresses -----------------------------------------------------------------


def test_audit_ip_addresses_are_blanked_after_their_period_and_the_entry_kept(member):
    entry = audit_record(
        action=AuditEntry.Action.DATA_EXPORTED,
        actor=member,
        target=member,
        summary="downloaded their data",
        ip_address="203.0.113.7",
    )

    assert apply(89)["audit IP addresses blanked"] == 0
    entry.refresh_from_db()
    assert entry.ip_address == "203.0.113.7"

    assert apply(91)["audit IP addresses blanked"] == 1
    entry.refresh_from_db()
    assert entry.ip_address is None
    assert (entry.actor, entry.action, entry.summary) == (
        member,
        AuditEntry.Action.DATA_EXPORTED,
        "downloaded their data",
    )
    assert apply(92)["audit IP addresses blanked"] == 0


# --- Closed listings --------------------------------------------------------------------


def test_closed_and_expired_listings_lose_their_text_after_the_period(member, area):
    closed = offer_by(member, area)
    listing_close(listing=closed, member=member)
    expired = offer_by(member, area, title="Run charts")
    Listing.objects.filter(pk=expired.pk).update(
        status=Listing.Status.EXPIRED, expires_at=timezone.now()
    )
    still_open = offer_by(member, area, title="Statistical process control")

    assert apply(364)["closed listings anonymised"] == 0
    assert Listing.objects.filter(description__startswith="I can walk").count() == 3

    assert apply(366)["closed listings anonymised"] == 2
    for listing in (closed, expired):
        listing.refresh_from_db()
        assert (listing.description, listing.benefit, listing.place) == (
            "[removed]",
            "[removed]",
            "",
        )
        assert listing.title == "Removed listing"
    still_open.refresh_from_db()
    assert still_open.description.startswith("I can walk")
    # Their old words no longer find them.
    assert list(listing_search(Listing.objects.all(), "Kaplan")) == [still_open]
    assert apply(400)["closed listings anonymised"] == 0


def test_a_listing_an_exchange_came_from_keeps_its_row_and_the_exchange_its_title(
    member, other_member, area
):
    offer = offer_by(member, area)
    exchange = exchanges.exchange_propose_from_listing(
        listing=offer, member=other_member, minutes=60, message="Tuesday?"
    )
    exchanges.exchange_decline(exchange=exchange, member=member, reason="On leave then.")
    listing_close(listing=offer, member=member)

    assert apply(366)["closed listings anonymised"] == 1
    exchange.refresh_from_db()
    assert exchange.listing_id == offer.pk
    assert exchange.title == "Survival analysis in R"


# --- Idempotency records ----------------------------------------------------------------


def test_idempotency_records_go_after_their_period_never_inside_the_replay_window(member, settings):
    IdempotentRequest.objects.create(member=member, key="k1", fingerprint="f", status_code=201)

    assert apply(1)["idempotency records deleted"] == 0
    assert apply(2.1)["idempotency records deleted"] == 1

    # A replay window longer than the period wins.
    IdempotentRequest.objects.create(member=member, key="k2", fingerprint="f", status_code=201)
    settings.EQUITIME_IDEMPOTENCY_HOURS = 24 * 5
    assert apply(3)["idempotency records deleted"] == 0
    assert apply(5.1)["idempotency records deleted"] == 1


# --- Invitations ------------------------------------------------------------------------


@pytest.fixture
def inviter(make_member):
    admin = make_member(display_name="Ada Admin")
    member_role_grant(member=admin, role="community_admin", by=None)
    return Member.objects.get(pk=admin.pk)


def test_invitations_go_after_they_lapse_and_the_period_passes(inviter):
    pending, _ = invitation_send(email="locum@agency.example.com", by=inviter)
    withdrawn, _ = invitation_send(email="bank@agency.example.com", by=inviter)
    Invitation.objects.filter(pk=withdrawn.pk).update(revoked_at=timezone.now())
    # Invitations last 14 days: the pending one lapses then.

    assert apply(89)["invitations deleted"] == 0
    assert apply(91)["invitations deleted"] == 1
    assert list(Invitation.objects.all()) == [pending]
    assert apply(14 + 89)["invitations deleted"] == 0
    assert apply(14 + 91)["invitations deleted"] == 1
    assert not Invitation.objects.exists()


# --- API tokens -------------------------------------------------------------------------


def test_revoked_and_expired_api_tokens_go_after_the_period(member):
    revoked, _ = api_token_create(member=member, name="Old script")
    api_token_revoke(token=revoked, member=member)
    expiring, _ = api_token_create(member=member, name="Audit", expires_at=later(10))
    forever, _ = api_token_create(member=member, name="Rota")

    assert apply(364)["API tokens deleted"] == 0
    assert apply(366)["API tokens deleted"] == 1
    assert set(ApiToken.objects.all()) == {expiring, forever}
    assert apply(10 + 364)["API tokens deleted"] == 0
    assert apply(10 + 366)["API tokens deleted"] == 1
    assert list(ApiToken.objects.all()) == [forever]


# --- Dormant accounts -------------------------------------------------------------------

WARN_AT = 1095 - 30  # days after the last sign-in


@pytest.fixture
def dormant(make_member):
    """A member who signed in once, today, and never again."""
    member = make_member(display_name="Dora Dormant")
    Member.objects.filter(pk=member.pk).update(last_login=timezone.now())
    return Member.objects.get(pk=member.pk)


def test_a_dormant_member_is_warned_by_email_then_closed_and_the_ledger_verifies(
    dormant, other_member, area, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Credits held for an accepted exchange, and their own balance, at closing.
    offer = offer_by(other_member, area)
    exchange = exchanges.exchange_propose_from_listing(
        listing=offer, member=dormant, minutes=60, message="Could we meet?"
    )
    exchanges.exchange_accept(exchange=exchange, member=other_member)
    assert Account.objects.get(member=dormant).pending_debits == 60
    Member.objects.filter(pk=other_member.pk).update(last_login=later(WARN_AT))  # still active

    assert apply(WARN_AT - 1)["dormant accounts warned"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert apply(WARN_AT + 1)["dormant accounts warned"] == 1
    [email] = mail.outbox
    assert email.to == [dormant.email]
    assert "sign in" in email.body.lower()
    assert "closed after 3 years" in email.body  # 1095 days, as people say it
    # Warned once, not every day.
    assert apply(WARN_AT + 2)["dormant accounts warned"] == 0
    # Not closed before the warning has had its full period.
    assert apply(WARN_AT + 29)["dormant accounts closed"] == 0
    assert Member.objects.get(pk=dormant.pk).is_active

    assert apply(WARN_AT + 31)["dormant accounts closed"] == 1

    gone = Member.objects.get(pk=dormant.pk)
    assert (gone.display_name, gone.is_active) == (FORMER_MEMBER, False)
    assert gone.email.endswith(f"@{ERASED_DOMAIN}")
    assert Exchange.objects.get(pk=exchange.pk).status == Status.CANCELLED
    account = Account.objects.get(member=gone)
    assert account.closed_at is not None
    assert (account.balance, account.held) == (0, 0)
    assert Transfer.objects.filter(kind=Transfer.Kind.CLOSING, debit_account=account).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MEMBER_ERASED)
    assert entry.actor is None
    assert "dormant" in entry.summary
    report = verify_ledger()
    assert report.ok, report.problems
    # Closed once.
    assert apply(WARN_AT + 40)["dormant accounts closed"] == 0


def test_signing_in_after_the_warning_keeps_the_account(dormant):
    assert apply(WARN_AT + 1)["dormant accounts warned"] == 1
    Member.objects.filter(pk=dormant.pk).update(last_login=later(WARN_AT + 5))

    assert apply(WARN_AT + 31)["dormant accounts closed"] == 0
    assert apply(WARN_AT + 400)["dormant accounts closed"] == 0
    assert Member.objects.get(pk=dormant.pk).is_active
    # Dormant again from that sign-in: warned again, then closed.
    assert apply(WARN_AT + 5 + WARN_AT + 1)["dormant accounts warned"] == 1
    assert apply(WARN_AT + 5 + WARN_AT + 31)["dormant accounts closed"] == 1


def test_no_account_is_closed_without_a_warning(dormant):
    # A run on the closing day itself warns first; closing waits the warning period.
    outcome = apply(1095 + 10)
    assert (outcome["dormant accounts closed"], outcome["dormant accounts warned"]) == (0, 1)
    assert Member.objects.get(pk=dormant.pk).is_active
    assert apply(1095 + 41)["dormant accounts closed"] == 1


def test_a_member_who_never_signed_in_counts_from_joining(make_member):
    member = make_member(display_name="Never Signed In")
    assert member.last_login is None
    assert apply(WARN_AT + 1)["dormant accounts warned"] == 1


def test_staff_and_members_with_hours_waiting_are_not_closed(
    dormant, make_member, other_member, area
):
    staff = make_member(display_name="Stan Staff")
    Member.objects.filter(pk=staff.pk).update(is_staff=True)
    offer = offer_by(other_member, area)
    exchange = exchanges.exchange_propose_from_listing(
        listing=offer, member=dormant, minutes=60, message="Could we meet?"
    )
    exchanges.exchange_accept(exchange=exchange, member=other_member)
    exchanges.exchange_deliver(exchange=exchange, member=other_member, minutes=60)
    # The other member and the staff member stay active (other_member is dormant too).
    Member.objects.filter(pk=other_member.pk).update(last_login=later(WARN_AT))

    assert apply(WARN_AT + 1)["dormant accounts warned"] == 1
    assert apply(WARN_AT + 31)["dormant accounts closed"] == 0
    assert Member.objects.get(pk=dormant.pk).is_active
    assert Member.objects.get(pk=staff.pk).is_active
    # Still due: the next run tries again once the hours are confirmed.
    assert list(members_dormant_to_close(now=later(WARN_AT + 31))) == [dormant]


# --- The command ------------------------------------------------------------------------


@pytest.fixture
def one_of_each(dormant, other_member, inviter, area):
    """Something due in every kind, as of ``later(1200)``."""
    offer = offer_by(other_member, area)
    exchange = exchanges.exchange_propose_from_listing(
        listing=offer, member=inviter, minutes=60, message="Could we meet?"
    )
    exchanges.exchange_decline(exchange=exchange, member=other_member, reason="Away.")
    listing_close(listing=offer, member=other_member)
    notify(recipient=other_member, kind=Notification.Kind.THANKS, **sample("thanks"), email=False)
    audit_record(action=AuditEntry.Action.SIGN_IN_FAILED, summary="x", ip_address="198.51.100.1")
    IdempotentRequest.objects.create(member=other_member, key="k", fingerprint="f")
    invitation_send(email="locum@agency.example.com", by=inviter)
    token, _ = api_token_create(member=other_member, name="Old")
    api_token_revoke(token=token, member=other_member)


def snapshot() -> dict:
    return {
        "messages": list(ExchangeMessage.objects.values_list("pk", "body")),
        "notifications": Notification.objects.count(),
        "ips": list(AuditEntry.objects.values_list("pk", "ip_address")),
        "audit": AuditEntry.objects.count(),
        "listings": list(Listing.objects.values_list("pk", "title", "description")),
        "idempotency": IdempotentRequest.objects.count(),
        "invitations": Invitation.objects.count(),
        "tokens": ApiToken.objects.count(),
        "members": list(
            Member.objects.values_list("pk", "email", "is_active", "dormancy_warned_at")
        ),
        "transfers": Transfer.objects.count(),
    }


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_dry_run_counts_every_kind_and_changes_nothing(one_of_each, monkeypatch):
    frozen = later(1200)
    monkeypatch.setattr("django.utils.timezone.now", lambda: frozen)
    before = snapshot()

    text = run("--dry-run")

    assert snapshot() == before
    assert "Dry run: nothing was changed." in text
    for line in (
        "messages: 1 would be deleted",
        f"notifications: {Notification.objects.count()} would be deleted",
        "audit IP addresses: 1 would be blanked",
        "dormant accounts: 0 would be closed",
        "closed listings: 1 would be anonymised",
        "idempotency records: 1 would be deleted",
        "invitations: 1 would be deleted",
        "API tokens: 1 would be deleted",
    ):
        assert line in text, text
    assert "dormant accounts: " in text and " would be warned" in text
    assert "messages 730 days" in text


def test_the_command_applies_every_kind_and_says_how_many(one_of_each, monkeypatch):
    frozen = later(1200)
    monkeypatch.setattr("django.utils.timezone.now", lambda: frozen)

    text = run()

    assert "messages: 1 deleted" in text
    assert "notifications: 3 deleted" in text  # the proposal's, the decline's, the thanks
    assert "closed listings: 1 anonymised" in text
    assert "API tokens: 1 deleted" in text
    assert not ExchangeMessage.objects.exists()
    assert not AuditEntry.objects.filter(ip_address__isnull=False).exists()
    assert not Invitation.objects.exists()
    # A second run finds nothing left but the dormant members' warnings already sent.
    again = run()
    assert "messages: 0 deleted" in again and "dormant accounts: 0 warned" in again


def test_one_broken_rule_does_not_stop_the_others(one_of_each, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("equitime.notifications.retention.notifications_expired", broken)
    frozen = later(1200)
    monkeypatch.setattr("django.utils.timezone.now", lambda: frozen)

    out = io.StringIO()
    with pytest.raises(CommandError, match="failed"):
        call_command("apply_retention", stdout=out)
    assert "notifications: failed: RuntimeError: disk full" in out.getvalue()
    assert "API tokens: 1 deleted" in out.getvalue()
    assert not ApiToken.objects.exists()


# --- The daily job ----------------------------------------------------------------------


def test_the_schedule_runs_retention_daily_and_no_separate_message_purge():
    jobs = {job.name: job for job in SCHEDULE}
    assert jobs["apply_retention"].every == timedelta(days=1)
    assert "purge_messages" not in jobs


def test_the_job_runs_once_per_day_however_often_workers_look(one_of_each):
    job = next(job for job in SCHEDULE if job.name == "apply_retention")
    now = later(1200)

    [first] = periodic_jobs_run_due(worker="a", now=now, schedule=(job,))
    assert periodic_jobs_run_due(worker="b", now=now + timedelta(hours=1), schedule=(job,)) == []
    assert first.outcome == PeriodicRun.Outcome.SUCCEEDED, first.summary
    assert "messages: 1 deleted" in first.summary
    assert "notifications: 3 deleted" in first.summary
    [second] = periodic_jobs_run_due(worker="b", now=now + timedelta(days=1), schedule=(job,))
    assert "messages: 0 deleted" in second.summary
    assert PeriodicRun.objects.filter(job="apply_retention").count() == 2


# --- What members are told --------------------------------------------------------------


def test_the_privacy_notice_states_every_period_from_the_settings(client, settings):
    set_period(settings, notifications_days=123, audit_ip_days=45, api_tokens_days=77)
    page = client.get(reverse("privacy_notice")).content.decode()

    for key in {**DEFAULTS, "notifications_days": 123, "audit_ip_days": 45}:
        kind = key.removesuffix("_days")
        assert f'data-retention="{kind}"' in page, kind
    # Said in months where whole months say it (123 days is 4 months, near
    # enough), in days where they would not (77 days is not 3 months).
    assert "4 months: deleted this long after they were sent" in page
    assert "45 days: blanked" in page
    assert "77 days: deleted this long after they stopped working" in page


def test_a_closed_members_tokens_go_at_the_next_run(member):
    from equitime.privacy.services import member_erase

    token, _ = api_token_create(member=member, name="Ward rota script")
    member_erase(member=member)

    assert apply(0)["API tokens deleted"] == 1
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_expired_sessions_go_and_live_ones_stay(client, member):
    from django.contrib.sessions.models import Session

    client.force_login(member)
    [session] = Session.objects.all()

    assert apply(0)["expired sessions deleted"] == 0
    assert apply(0.6)["expired sessions deleted"] == 1  # 12 hours at most
    assert not Session.objects.filter(pk=session.pk).exists()


def test_many_dormant_members_are_closed_in_one_run(make_member):
    members = [make_member(display_name=f"Dormant {n}") for n in range(5)]

    assert apply(WARN_AT + 1)["dormant accounts warned"] == 5
    assert apply(WARN_AT + 31)["dormant accounts closed"] == 5

    assert not Member.objects.filter(pk__in=[m.pk for m in members], is_active=True).exists()
    report = verify_ledger()
    assert report.ok, report.problems
