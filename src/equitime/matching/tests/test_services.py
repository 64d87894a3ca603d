"""Asking colleagues to help: the cap, never twice, accept, decline, withdraw."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from equitime.core.errors import DomainError
from equitime.exchanges.models import Exchange, Status
from equitime.matching import services
from equitime.matching.models import MAX_OPEN_INVITATIONS, HelpInvitation
from equitime.matching.tests.factories import a_request, colleague
from equitime.members.models import Member
from equitime.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def poster():
    return colleague("Pat Poster")


@pytest.fixture
def request_(poster):
    return a_request(poster)


def helpers(n):
    return [colleague(f"Helper {i}", skills=["medical-statistics"]) for i in range(n)]


def coordinator():
    member = colleague("Cora Coordinator")
    permission = Permission.objects.filter(codename="act_for_member").first()
    if permission is None:  # another part of issue 14 adds it; until then, make it
        from django.contrib.contenttypes.models import ContentType

        permission = Permission.objects.create(
            codename="act_for_member",
            name="Can act for a member",
            content_type=ContentType.objects.get_for_model(Member),
        )
    member.user_permissions.add(permission)
    return Member.objects.get(pk=member.pk)


def test_asking_tells_the_helper_with_a_link(request_, poster, django_capture_on_commit_callbacks):
    [helper] = helpers(1)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.help_invitation_ask(
            listing=request_, helper=helper, member=poster, note="You did this for ward 7."
        )
    assert invitation.status == "asked"
    notice = Notification.objects.get(recipient=helper, kind="help_asked")
    assert notice.url == f"/matching/invitations/{invitation.pk}/"
    assert any(f"/matching/invitations/{invitation.pk}/" in m.body for m in mail.outbox)


def test_at_most_three_open_invitations(request_, poster):
    people = helpers(MAX_OPEN_INVITATIONS + 1)
    for helper in people[:MAX_OPEN_INVITATIONS]:
        services.help_invitation_ask(listing=request_, helper=helper, member=poster)
    with pytest.raises(DomainError) as refused:
        services.help_invitation_ask(listing=request_, helper=people[-1], member=poster)
    assert refused.value.code == "too_many_invitations"
    # An answer (or a withdrawal) frees a place.
    first = HelpInvitation.objects.get(helper=people[0])
    services.help_invitation_decline(invitation=first, member=people[0], reason="On leave.")
    services.help_invitation_ask(listing=request_, helper=people[-1], member=poster)


def test_never_twice_the_same_helper(request_, poster):
    [helper] = helpers(1)
    invitation = services.help_invitation_ask(listing=request_, helper=helper, member=poster)
    services.help_invitation_withdraw(invitation=invitation, member=poster)
    with pytest.raises(DomainError) as refused:
        services.help_invitation_ask(listing=request_, helper=helper, member=poster)
    assert refused.value.code == "already_asked"


def test_only_the_poster_or_a_coordinator_asks(request_, poster):
    [helper, stranger] = helpers(2)
    with pytest.raises(DomainError) as refused:
        services.help_invitation_ask(listing=request_, helper=helper, member=stranger)
    assert refused.value.code == "not_poster"
    invitation = services.help_invitation_ask(listing=request_, helper=helper, member=coordinator())
    assert invitation.asked_by.display_name == "Cora Coordinator"


def test_nobody_who_opted_out_or_is_the_poster_can_be_asked(request_, poster):
    [helper] = helpers(1)
    services.suggestion_settings_update(member=helper, suggestable=False)
    with pytest.raises(DomainError) as refused:
        services.help_invitation_ask(listing=request_, helper=helper, member=poster)
    assert refused.value.code == "not_suggestable"
    with pytest.raises(DomainError) as refused:
        services.help_invitation_ask(listing=request_, helper=poster, member=poster)
    assert refused.value.code == "own_request"


def test_a_note_with_money_talk_is_refused(request_, poster):
    [helper] = helpers(1)
    with pytest.raises(DomainError) as refused:
        services.help_invitation_ask(
            listing=request_, helper=helper, member=poster, note="I will pay you £50."
        )
    assert refused.value.field == "note"
    assert not HelpInvitation.objects.exists()


def test_accepting_proposes_an_exchange_with_the_helper_providing(request_, poster):
    [helper] = helpers(1)
    invitation = services.help_invitation_ask(listing=request_, helper=helper, member=poster)
    accepted = services.help_invitation_accept(
        invitation=invitation, member=helper, message="Happy to."
    )
    assert accepted.exchange_id is not None
    exchange = Exchange.objects.get(pk=accepted.exchange_id)
    assert accepted.status == "accepted" and accepted.decided_at is not None
    assert (exchange.provider, exchange.receiver) == (helper, poster)
    assert exchange.status == Status.PROPOSED and exchange.listing == request_
    assert exchange.proposed_minutes == request_.estimated_minutes
    assert Notification.objects.filter(recipient=poster, kind="exchange_proposed").exists()
    assert Notification.objects.filter(recipient=poster, kind="help_accepted").exists()
    # A second click changes nothing and proposes nothing more.
    again = services.help_invitation_accept(invitation=invitation, member=helper)
    assert again.exchange_id == exchange.pk and Exchange.objects.count() == 1


def test_only_the_helper_answers(request_, poster):
    [helper, other] = helpers(2)
    invitation = services.help_invitation_ask(listing=request_, helper=helper, member=poster)
    for move in (services.help_invitation_accept, services.help_invitation_decline):
        with pytest.raises(DomainError) as refused:
            move(invitation=invitation, member=other)
        assert refused.value.code == "not_helper"
    with pytest.raises(DomainError):
        services.help_invitation_accept(invitation=invitation, member=poster)


def test_declining_tells_the_poster_and_closes_it(request_, poster):
    [helper] = helpers(1)
    invitation = services.help_invitation_ask(listing=request_, helper=helper, member=poster)
    declined = services.help_invitation_decline(
        invitation=invitation, member=helper, reason="On nights this month."
    )
    assert declined.status == "declined" and declined.decline_reason == "On nights this month."
    assert Notification.objects.filter(recipient=poster, kind="help_declined").exists()
    with pytest.raises(DomainError) as refused:
        services.help_invitation_accept(invitation=invitation, member=helper)
    assert refused.value.code == "invitation_decided"
    assert not Exchange.objects.exists()


def test_a_withdrawn_invitation_cannot_be_accepted(request_, poster):
    [helper] = helpers(1)
    invitation = services.help_invitation_ask(listing=request_, helper=helper, member=poster)
    services.help_invitation_withdraw(invitation=invitation, member=poster)
    with pytest.raises(DomainError):
        services.help_invitation_accept(invitation=invitation, member=helper)
    with pytest.raises(DomainError) as refused:
        services.help_invitation_withdraw(invitation=invitation, member=helper)
    assert refused.value.code == "not_asker"


def test_a_closed_request_cannot_be_accepted(request_, poster):
    from equitime.listings.services import listing_close

    [helper] = helpers(1)
    invitation = services.help_invitation_ask(listing=request_, helper=helper, member=poster)
    listing_close(listing=request_, member=poster)
    with pytest.raises(DomainError) as refused:
        services.help_invitation_accept(invitation=invitation, member=helper)
    assert refused.value.code == "listing_not_open"
    assert HelpInvitation.objects.get(pk=invitation.pk).status == "asked"
