"""The coordinator's pages and the member's "Who may act for me", by who asks."""

import pytest
from django.urls import reverse

from equitime.audit.models import AuditEntry
from equitime.coordination import services
from equitime.coordination.models import Consent
from equitime.coordination.tests.factories import area, consent, exchange_fields, world
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, Status
from equitime.listings.models import Listing
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def exchange_form(w, **overrides) -> dict:
    return {
        "colleague": w.colleague.display_name,
        "colleague_id": w.colleague.pk,
        "direction": "gave",
        "title": "Moving and handling refresher",
        "improvement_area": area().pk,
        "benefit": "Fewer falls on the ward at night.",
        "hours": "1",
        "message": "",
    } | overrides


def listing_form(**overrides) -> dict:
    return {
        "kind": Listing.Kind.OFFER,
        "title": "Help with moving and handling",
        "description": "Twenty years on the ward; happy to show newer colleagues.",
        "improvement_area": area().pk,
        "benefit": "Safer transfers for patients.",
        "hours": "1",
        "format": "in_person",
        "place": "Ward 7",
        "languages": "English",
    } | overrides


def test_the_coordinators_home_lists_the_members_and_records_consent(client, w):
    client.force_login(w.coordinator)
    page = client.get(reverse("coordination_home"))
    assert page.status_code == 200
    assert "Mary Member" in page.text and "Consent on record" in page.text

    response = client.post(
        reverse("coordination_home"),
        {"member": w.colleague.display_name, "member_id": w.colleague.pk, "method": "phone"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("coordination_member", args=[w.colleague.pk])
    assert Consent.objects.filter(coordinator=w.coordinator, member=w.colleague).exists()


def test_the_menu_shows_coordination_to_coordinators_only(client, w):
    client.force_login(w.coordinator)
    assert reverse("coordination_home") in client.get(reverse("dashboard")).text
    client.force_login(w.member)
    page = client.get(reverse("dashboard")).text
    assert reverse("coordination_home") not in page
    assert reverse("coordination_mine") in page


@pytest.mark.parametrize("who", ["member", "colleague", "stranger"])
def test_non_coordinators_get_403_and_nothing_is_written(client, w, who):
    client.force_login(getattr(w, who))
    listings, exchanges_before = Listing.objects.count(), Exchange.objects.count()
    assert client.get(reverse("coordination_home")).status_code == 403
    member_id = w.member.pk
    assert (
        client.post(reverse("coordination_listing_new", args=[member_id]), listing_form())
    ).status_code == 403
    assert (
        client.post(reverse("coordination_exchange_new", args=[member_id]), exchange_form(w))
    ).status_code == 403
    assert Listing.objects.count() == listings and Exchange.objects.count() == exchanges_before
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACTED_FOR_MEMBER).exists()


def test_logged_out_is_sent_to_sign_in(client, w):
    for url in (
        reverse("coordination_home"),
        reverse("coordination_member", args=[w.member.pk]),
        reverse("coordination_mine"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_coordinator_posts_a_listing_shown_as_posted_for_the_member(client, w):
    client.force_login(w.coordinator)
    response = client.post(reverse("coordination_listing_new", args=[w.member.pk]), listing_form())
    listing = Listing.objects.get(owner=w.member)
    assert response["Location"] == reverse("listing_detail", args=[listing.pk])
    assert listing.recorded_by == w.coordinator
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.ACTED_FOR_MEMBER)
    assert entry.actor == w.coordinator and entry.target == f"listings.listing:{listing.pk}"
    for viewer in (w.member, w.stranger):
        client.force_login(viewer)
        page = client.get(reverse("listing_detail", args=[listing.pk])).text
        assert "Posted by Carla Coordinator (coordinator) for Mary Member" in page


def test_a_coordinator_records_an_exchange_the_member_sees_as_recorded_by_them(client, w):
    client.force_login(w.coordinator)
    response = client.post(
        reverse("coordination_exchange_new", args=[w.member.pk]), exchange_form(w)
    )
    assert response["Location"] == reverse("coordination_member", args=[w.member.pk])
    exchange = Exchange.objects.get(recorded_by=w.coordinator)
    assert exchange.provider == w.member and exchange.receiver == w.colleague
    # The colleague accepts as usual; the coordinator logs the hours for the member.
    exchanges.exchange_accept(exchange=exchange, member=w.colleague)
    member_page = client.get(reverse("coordination_member", args=[w.member.pk])).text
    assert "Log the hours for them" in member_page
    client.post(
        reverse("coordination_exchange_act", args=[w.member.pk, exchange.pk, "deliver"]),
        {"hours": "1"},
    )
    assert Exchange.objects.get(pk=exchange.pk).status == Status.DELIVERED
    exchanges.exchange_confirm(exchange=exchange, member=w.colleague)

    client.force_login(w.member)
    page = client.get(reverse("exchange_detail", args=[exchange.pk])).text
    assert "Carla Coordinator (coordinator) recorded parts of this exchange" in page
    assert page.count("(recorded by Carla Coordinator, coordinator)") == 2  # propose, deliver
    assert "recorded by Carla Coordinator" in client.get(reverse("dashboard")).text
    assert "Recorded by Carla Coordinator" in client.get(reverse("exchange_list")).text
    told = Notification.objects.filter(recipient=w.member, kind="coordinator_acted")
    assert told.count() == 3  # consent, proposal, hours logged
    whats = AuditEntry.objects.filter(action=AuditEntry.Action.ACTED_FOR_MEMBER).values_list(
        "data__what", flat=True
    )
    assert sorted(whats) == ["exchange proposed", "hours logged"]


def test_the_coordinator_cannot_choose_themselves_as_the_colleague(client, w):
    client.force_login(w.coordinator)
    response = client.post(
        reverse("coordination_exchange_new", args=[w.member.pk]),
        exchange_form(w, colleague=w.coordinator.display_name, colleague_id=w.coordinator.pk),
    )
    assert response.status_code in (200, 403)
    assert not Exchange.objects.exists()


def test_after_withdrawal_the_page_says_so_and_acting_is_refused(client, w):
    services.consent_withdraw(consent=Consent.objects.get(member=w.member), by=w.member)
    client.force_login(w.coordinator)
    page = client.get(reverse("coordination_member", args=[w.member.pk]))
    assert page.status_code == 200 and 'data-testid="no-consent"' in page.text
    response = client.post(reverse("coordination_listing_new", args=[w.member.pk]), listing_form())
    assert response.status_code == 403
    assert "consent for you to act for them is not on record" in response.text
    assert not Listing.objects.exists()


def test_never_consented_members_are_not_found(client, w):
    client.force_login(w.coordinator)
    assert client.get(reverse("coordination_member", args=[w.stranger.pk])).status_code == 404
    response = client.post(
        reverse("coordination_listing_new", args=[w.stranger.pk]), listing_form()
    )
    assert response.status_code == 404
    assert not Listing.objects.exists()


def test_a_move_as_the_other_party_is_refused_with_the_reason(client, w):
    exchange = exchanges.exchange_propose_direct(
        member=w.coordinator, other=w.member, **exchange_fields()
    )
    client.force_login(w.coordinator)
    response = client.post(
        reverse("coordination_exchange_act", args=[w.member.pk, exchange.pk, "accept"])
    )
    assert response.status_code == 403
    assert "You are the other member in this exchange" in response.text
    assert Exchange.objects.get(pk=exchange.pk).status == Status.PROPOSED


def test_an_unknown_move_is_not_found(client, w):
    exchange = services.coordinated_exchange_propose(
        coordinator=w.coordinator, member=w.member, other=w.colleague, **exchange_fields()
    )
    client.force_login(w.coordinator)
    url = reverse("coordination_exchange_act", args=[w.member.pk, exchange.pk, "dispute"])
    assert client.post(url).status_code == 404


def test_the_member_sees_and_withdraws_their_consent(client, w):
    client.force_login(w.member)
    page = client.get(reverse("coordination_mine")).text
    assert "Carla Coordinator" in page and "May act for you" in page
    row = Consent.objects.get(member=w.member)
    response = client.post(reverse("coordination_consent_withdraw", args=[row.pk]))
    assert response["Location"] == reverse("coordination_mine")
    row.refresh_from_db()
    assert row.withdrawn_by == w.member
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.CONSENT_WITHDRAWN)
    assert entry.actor == w.member
    assert "Withdrawn" in client.get(reverse("coordination_mine")).text


def test_nobody_else_withdraws_a_members_consent(client, w):
    row = Consent.objects.get(member=w.member)
    client.force_login(w.stranger)
    assert client.post(reverse("coordination_consent_withdraw", args=[row.pk])).status_code == 404
    assert Consent.objects.get(pk=row.pk).is_standing


def test_the_coordinator_may_stop_acting(client, w):
    row = Consent.objects.get(member=w.member)
    client.force_login(w.coordinator)
    client.post(reverse("coordination_consent_withdraw", args=[row.pk]))
    assert not Consent.objects.get(pk=row.pk).is_standing
    told = Notification.objects.filter(recipient=w.member, kind="coordinator_acted").first()
    assert told is not None and "no longer acts for you" in told.message


def test_two_consents_to_two_coordinators_are_independent(client, w):
    from equitime.coordination.tests.factories import make_coordinator

    other = make_coordinator(display_name="Otto Other")
    consent(other, w.member)
    client.force_login(w.member)
    page = client.get(reverse("coordination_mine")).text
    assert "Otto Other" in page and "Carla Coordinator" in page
