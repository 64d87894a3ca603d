"""Coordinators act for members only as the rules say, and everything is audited."""

import pytest

from equitime.audit.models import AuditEntry
from equitime.coordination import services
from equitime.coordination.models import Consent
from equitime.coordination.tests.factories import (
    area,
    consent,
    exchange_fields,
    make_coordinator,
    world,
)
from equitime.core.errors import DomainError, ErrorKind
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, ExchangeEvent, Status
from equitime.ledger.models import Transfer
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Format, Listing
from equitime.members.tests.factories import make_member
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db
Verb = ExchangeEvent.Verb


@pytest.fixture
def w():
    return world()


def listing_fields(**overrides) -> dict:
    return {
        "kind": Listing.Kind.OFFER,
        "title": "Help with moving and handling",
        "description": "Twenty years on the ward; happy to show newer colleagues.",
        "improvement_area": area(),
        "benefit": "Safer transfers for patients.",
        "estimated_minutes": 60,
        "format": Format.IN_PERSON,
    } | overrides


def audit_rows(action) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def refused(call, code: str, kind=ErrorKind.FORBIDDEN) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value.message
    assert caught.value.kind == kind
    return caught.value


# --- Consent ---------------------------------------------------------------------------


def test_recording_consent_is_audited_and_the_member_is_told(w):
    row = Consent.objects.get(coordinator=w.coordinator, member=w.member)
    assert row.is_standing and row.method == Consent.Method.PAPER
    [entry] = audit_rows(AuditEntry.Action.CONSENT_RECORDED)
    assert entry.actor == w.coordinator and entry.target == f"coordination.consent:{row.pk}"
    assert entry.data == {"member": w.member.pk, "method": "paper"}
    told = Notification.objects.get(recipient=w.member, kind="coordinator_acted")
    assert "Carla Coordinator" in told.message and "withdraw" in told.message


def test_only_coordinators_record_consent(w):
    before = Consent.objects.count()
    refused(
        lambda: services.consent_record(
            coordinator=w.stranger, member=w.colleague, method=Consent.Method.PHONE
        ),
        "not_coordinator",
    )
    assert Consent.objects.count() == before


def test_a_coordinator_cannot_consent_for_themselves(w):
    refused(
        lambda: services.consent_record(
            coordinator=w.coordinator, member=w.coordinator, method=Consent.Method.PHONE
        ),
        "own_account",
        ErrorKind.INVALID,
    )


def test_one_standing_consent_per_member(w):
    refused(lambda: consent(w.coordinator, w.member), "consent_exists", ErrorKind.CONFLICT)


def test_consent_notes_follow_the_text_rules(w):
    with pytest.raises(DomainError):
        services.consent_record(
            coordinator=w.coordinator,
            member=w.colleague,
            method=Consent.Method.PHONE,
            note="She'll pay £20 for the help",
        )


def test_the_member_withdraws_and_the_coordinator_can_no_longer_act(w):
    row = Consent.objects.get(member=w.member)
    services.consent_withdraw(consent=row, by=w.member)
    row.refresh_from_db()
    assert row.withdrawn_at is not None and row.withdrawn_by == w.member
    [entry] = audit_rows(AuditEntry.Action.CONSENT_WITHDRAWN)
    assert entry.actor == w.member
    refused(
        lambda: services.coordinated_listing_create(
            coordinator=w.coordinator, member=w.member, **listing_fields()
        ),
        "no_consent",
    )
    assert not Listing.objects.filter(owner=w.member).exists()
    # Withdrawing twice changes nothing more; consent can be given again later.
    services.consent_withdraw(consent=row, by=w.member)
    assert len(audit_rows(AuditEntry.Action.CONSENT_WITHDRAWN)) == 1
    assert consent(w.coordinator, w.member).is_standing


def test_nobody_else_withdraws_a_consent(w):
    row = Consent.objects.get(member=w.member)
    refused(lambda: services.consent_withdraw(consent=row, by=w.stranger), "forbidden")


def test_a_consent_to_one_coordinator_is_not_one_to_another(w):
    other = make_coordinator(display_name="Otto Other")
    refused(
        lambda: services.coordinated_listing_create(
            coordinator=other, member=w.member, **listing_fields()
        ),
        "no_consent",
    )


def test_a_coordinator_whose_role_is_taken_away_cannot_act(w):
    from equitime.members import roles
    from equitime.members.models import Member
    from equitime.members.services import member_role_revoke

    member_role_revoke(member=w.coordinator, role=roles.COORDINATOR, by=None)
    former = Member.objects.get(pk=w.coordinator.pk)
    refused(
        lambda: services.coordinated_listing_create(
            coordinator=former, member=w.member, **listing_fields()
        ),
        "not_coordinator",
    )


# --- Listings --------------------------------------------------------------------------


def test_a_listing_posted_for_a_member_is_theirs_and_says_who_posted_it(w):
    listing = services.coordinated_listing_create(
        coordinator=w.coordinator, member=w.member, **listing_fields()
    )
    assert listing.owner == w.member and listing.recorded_by == w.coordinator
    [entry] = audit_rows(AuditEntry.Action.ACTED_FOR_MEMBER)
    assert entry.actor == w.coordinator
    assert entry.target == f"listings.listing:{listing.pk}"
    assert entry.data["member"] == w.member.pk and entry.data["what"] == "listing posted"
    assert Notification.objects.filter(
        recipient=w.member, kind="coordinator_acted", listing=listing
    ).exists()


def test_listings_for_others_are_refused_to_non_coordinators(w):
    refused(
        lambda: services.coordinated_listing_create(
            coordinator=w.colleague, member=w.member, **listing_fields()
        ),
        "not_coordinator",
    )
    assert not Listing.objects.exists()
    assert not audit_rows(AuditEntry.Action.ACTED_FOR_MEMBER)


def test_a_coordinator_does_not_post_for_themselves_through_coordination(w):
    refused(
        lambda: services.coordinated_listing_create(
            coordinator=w.coordinator, member=w.coordinator, **listing_fields()
        ),
        "own_account",
        ErrorKind.INVALID,
    )


# --- Exchanges -------------------------------------------------------------------------


def propose(w, **overrides) -> Exchange:
    return services.coordinated_exchange_propose(
        coordinator=w.coordinator,
        member=w.member,
        other=w.colleague,
        **exchange_fields(**overrides),
    )


def test_the_whole_exchange_recorded_for_a_member_who_gave_an_hour(w):
    """The member gave an hour: the coordinator proposes it and logs the
    hours for her; the colleague accepts and confirms as usual."""
    exchange = propose(w)
    assert exchange.provider == w.member and exchange.receiver == w.colleague
    assert exchange.proposed_by == w.member and exchange.recorded_by == w.coordinator
    proposed = exchange.events.get(verb=Verb.PROPOSE)
    assert proposed.actor == w.member and proposed.recorded_by == w.coordinator
    told_colleague = Notification.objects.get(recipient=w.colleague, kind="exchange_proposed")
    assert "Recorded by the coordinator Carla Coordinator" in told_colleague.message

    exchanges.exchange_accept(exchange=exchange, member=w.colleague)
    services.coordinated_exchange_act(
        coordinator=w.coordinator, member=w.member, exchange=exchange, action="deliver", minutes=60
    )
    delivered = exchange.events.get(verb=Verb.DELIVER)
    assert delivered.actor == w.member and delivered.recorded_by == w.coordinator
    exchanges.exchange_confirm(exchange=exchange, member=w.colleague)
    exchange.refresh_from_db()
    assert exchange.status == Status.COMPLETED
    assert exchange.payment is not None
    assert exchange.payment.amount == 60 and exchange.payment.state == Transfer.State.POSTED
    assert exchange.events.get(verb=Verb.CONFIRM).recorded_by is None
    assert verify_ledger().ok

    acts = audit_rows(AuditEntry.Action.ACTED_FOR_MEMBER)
    assert [entry.data["what"] for entry in acts] == ["exchange proposed", "hours logged"]
    assert {entry.target for entry in acts} == {f"exchanges.exchange:{exchange.pk}"}
    assert Notification.objects.filter(recipient=w.member, kind="coordinator_acted").count() == 3


def test_a_coordinator_accepts_and_confirms_for_a_member_who_received_time(w):
    exchange = exchanges.exchange_propose_direct(
        member=w.colleague, other=w.member, **exchange_fields()
    )
    for action in ("accept",):
        services.coordinated_exchange_act(
            coordinator=w.coordinator, member=w.member, exchange=exchange, action=action
        )
    exchanges.exchange_deliver(exchange=exchange, member=w.colleague, minutes=60)
    done = services.coordinated_exchange_act(
        coordinator=w.coordinator, member=w.member, exchange=exchange, action="confirm"
    )
    assert done.status == Status.COMPLETED and done.completed_by == w.member
    assert done.recorded_by == w.coordinator
    assert verify_ledger().ok


def test_a_coordinator_cannot_be_the_other_party(w):
    refused(
        lambda: services.coordinated_exchange_propose(
            coordinator=w.coordinator,
            member=w.member,
            other=w.coordinator,
            **exchange_fields(),
        ),
        "coordinator_is_party",
    )
    # Nor act for the member in an exchange the coordinator is already in.
    exchange = exchanges.exchange_propose_direct(
        member=w.coordinator, other=w.member, **exchange_fields()
    )
    refused(
        lambda: services.coordinated_exchange_act(
            coordinator=w.coordinator, member=w.member, exchange=exchange, action="accept"
        ),
        "coordinator_is_party",
    )
    assert Exchange.objects.get(pk=exchange.pk).status == Status.PROPOSED


def test_a_coordinator_cannot_act_for_both_parties(w):
    consent(w.coordinator, w.colleague)
    exchange = propose(w)
    refused(
        lambda: services.coordinated_exchange_act(
            coordinator=w.coordinator, member=w.colleague, exchange=exchange, action="accept"
        ),
        "both_sides",
    )
    assert Exchange.objects.get(pk=exchange.pk).status == Status.PROPOSED
    # Another coordinator with the colleague's consent may act for the colleague.
    other = make_coordinator(display_name="Otto Other")
    consent(other, w.colleague)
    accepted = services.coordinated_exchange_act(
        coordinator=other, member=w.colleague, exchange=exchange, action="accept"
    )
    assert accepted.status == Status.ACCEPTED


def test_only_the_members_own_moves_are_made_for_them(w):
    exchange = propose(w)
    # The member proposed, so accepting is the colleague's move, not hers.
    refused(
        lambda: services.coordinated_exchange_act(
            coordinator=w.coordinator, member=w.member, exchange=exchange, action="accept"
        ),
        "forbidden",
    )
    refused(
        lambda: services.coordinated_exchange_act(
            coordinator=w.coordinator, member=w.member, exchange=exchange, action="dispute"
        ),
        "unknown_action",
        ErrorKind.INVALID,
    )


def test_acting_for_someone_not_in_the_exchange_is_refused(w):
    consent(w.coordinator, w.stranger)
    exchange = propose(w)
    refused(
        lambda: services.coordinated_exchange_act(
            coordinator=w.coordinator, member=w.stranger, exchange=exchange, action="cancel"
        ),
        "not_a_party",
    )


def test_exchange_refusals_without_consent_write_nothing(w):
    stranger_exchanges = Exchange.objects.count()
    refused(
        lambda: services.coordinated_exchange_propose(
            coordinator=w.coordinator, member=w.stranger, other=w.colleague, **exchange_fields()
        ),
        "no_consent",
    )
    refused(
        lambda: services.coordinated_exchange_propose(
            coordinator=w.colleague, member=w.member, other=w.stranger, **exchange_fields()
        ),
        "not_coordinator",
    )
    assert Exchange.objects.count() == stranger_exchanges
    assert not audit_rows(AuditEntry.Action.ACTED_FOR_MEMBER)


def test_a_replayed_proposal_makes_one_exchange_and_one_audit_row(w):
    first = propose(w, request_key="form-1")
    again = propose(w, request_key="form-1")
    assert first.pk == again.pk
    assert len(audit_rows(AuditEntry.Action.ACTED_FOR_MEMBER)) == 1


def test_the_members_own_key_is_not_the_coordinators(w):
    own = exchanges.exchange_propose_direct(
        member=w.member, other=w.colleague, request_key="shared", **exchange_fields()
    )
    refused(lambda: propose(w, request_key="shared"), "key_conflict", ErrorKind.CONFLICT)
    assert Exchange.objects.get(pk=own.pk).recorded_by is None


def test_the_member_must_have_the_credits_to_receive(w):
    poor = make_member(display_name="Pat Poor")
    consent(w.coordinator, poor)
    with pytest.raises(DomainError) as caught:
        services.coordinated_exchange_propose(
            coordinator=w.coordinator,
            member=poor,
            other=w.colleague,
            **exchange_fields(member_gives=False, minutes=600),
        )
    assert caught.value.code == "insufficient_credit"
