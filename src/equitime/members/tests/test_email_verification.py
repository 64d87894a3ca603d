"""A member may sign in before confirming their address, but trades only after.

- Sign-up through the real allauth page, under an allow-list, and the link
  in the confirmation e-mail;
- the dashboard's notice and its "send the link again" button;
- every page where trading starts answers an unconfirmed member with the
  reason, never a 500;
- each trading service refuses an unconfirmed (or suspended) member and
  creates or moves nothing.
"""

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from equitime.core.errors import DomainError
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange
from equitime.ledger import services as ledger
from equitime.ledger.models import Account, Transfer
from equitime.ledger.tests.factories import earn
from equitime.ledger.verify import verify_ledger
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.members.models import Member, Profile
from equitime.members.rules import member_check_may_trade, member_email_verified
from equitime.skills.models import ImprovementArea, Skill

pytestmark = pytest.mark.django_db

PASSWORD = "quiet lantern harbour 42"
NOTICE = "Confirm your e-mail address to start trading"
RESEND_URL = "/account/email/confirm-again/"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts confirmation e-mails per address in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def nhs_only(settings):
    settings.EQUITIME_ALLOWED_EMAIL_DOMAINS = ["nhs.net", "*.nhs.uk"]


@pytest.fixture
def area(db):
    return ImprovementArea.objects.get(slug="patient-safety")


@pytest.fixture
def skill(db):
    return Skill.objects.get(slug="survival-analysis")


@pytest.fixture
def unconfirmed(make_member):
    return make_member(display_name="Uma Unconfirmed", email_verified=False)


# --- Helpers -------------------------------------------------------------------


def signup_data(**overrides):
    data = {
        "email": "new.colleague@mft.nhs.uk",
        "display_name": "Priya Shah",
        "organisation": "",
        "profession": "Data analyst",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def confirm_link_for(email: str) -> str:
    """The path of the newest confirmation link sent to ``email``."""
    bodies = [str(m.body) for m in mail.outbox if m.to == [email]]
    bodies = [body for body in bodies if CONFIRM_LINK.search(body)]
    assert bodies, f"no confirmation link was sent to {email}"
    link = CONFIRM_LINK.search(bodies[-1])
    assert link
    return link.group(1)


def confirm(member: Member) -> Member:
    EmailAddress.objects.update_or_create(
        user=member, email=member.email, defaults={"verified": True, "primary": True}
    )
    return member


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def listing_fields(area, skill, **overrides):
    fields = {
        "kind": Listing.Kind.OFFER,
        "title": "Survival analysis in R",
        "description": "I can walk you through Kaplan-Meier curves.",
        "improvement_area": area,
        "benefit": "Better evidence on readmissions for the frailty team.",
        "estimated_minutes": 60,
        "format": Format.REMOTE,
        "skills": [skill],
    }
    fields.update(overrides)
    return fields


def state() -> tuple:
    """Everything a refused trade must leave as it was."""
    accounts = tuple(
        Account.objects.order_by("pk").values_list(
            "pk", "posted_debits", "posted_credits", "pending_debits", "pending_credits"
        )
    )
    return (
        Listing.objects.count(),
        Exchange.objects.count(),
        Transfer.objects.count(),
        accounts,
    )


def assert_ledger_whole():
    report = verify_ledger()
    assert report.ok, report.problems


# --- Sign-up under an allow-list, and the confirmation link ---------------------


@pytest.mark.parametrize("email", ["someone@example.org", "x@nhs.uk", "x@evilnhs.net"])
def test_signing_up_from_outside_the_allow_list_is_a_form_error_naming_the_domains(
    client, nhs_only, email
):
    response = client.post(reverse("account_signup"), signup_data(email=email))

    assert response.status_code == 200
    errors = response.context["form"].errors["email"]
    assert any("nhs.net, *.nhs.uk" in error for error in errors)
    assert "invite you" in errors[0]
    assert escape("nhs.net, *.nhs.uk") in response.content.decode()
    assert not Member.objects.exists()
    assert not Profile.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not Account.objects.filter(kind=Account.Kind.MEMBER).exists()
    assert not Transfer.objects.exists()
    assert mail.outbox == []
    assert "_auth_user_id" not in client.session


def test_without_an_allow_list_any_address_may_join(client, settings):
    settings.EQUITIME_ALLOWED_EMAIL_DOMAINS = []

    response = client.post(reverse("account_signup"), signup_data(email="someone@example.org"))

    assert response.status_code == 302
    assert Member.objects.filter(email="someone@example.org").exists()


@pytest.mark.parametrize("email", ["new.colleague@mft.nhs.uk", "New.Colleague@NHS.net"])
def test_an_address_on_the_allow_list_joins_with_two_credits_but_unconfirmed(
    client, nhs_only, area, skill, email
):
    response = client.post(reverse("account_signup"), signup_data(email=email))

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    member = Member.objects.get()
    assert member.email == email.lower()
    assert Account.objects.get(member=member).available == 120
    address = EmailAddress.objects.get(user=member)
    assert (address.email, address.verified, address.primary) == (email.lower(), False, True)
    assert not member_email_verified(member)
    # Signed in, told on the dashboard, and sent a link...
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert NOTICE in dashboard.content.decode()
    assert confirm_link_for(email.lower())
    # ...but not yet trading.
    with pytest.raises(DomainError) as refused:
        listing_create(owner=member, **listing_fields(area, skill))
    assert refused.value.code == "email_unverified"
    assert not Listing.objects.exists()


def test_the_link_in_the_e_mail_confirms_the_address_and_trading_opens(
    client, nhs_only, area, skill
):
    client.post(reverse("account_signup"), signup_data())
    member = Member.objects.get()
    link = confirm_link_for(member.email)

    # Opening the link only asks: a mail scanner that follows links confirms nothing.
    shown = client.get(link)
    assert shown.status_code == 200
    assert member.email in shown.content.decode()
    assert 'method="post"' in shown.content.decode()
    assert not member_email_verified(member)

    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=member).verified is True
    assert member_email_verified(member)
    dashboard = client.get(reverse("dashboard"))
    assert NOTICE not in dashboard.content.decode()
    listing = listing_create(owner=member, **listing_fields(area, skill))
    assert listing.owner == member
    page = client.post(
        reverse("listing_create", args=["request"]),
        {
            "title": "Help designing a run chart",
            "description": "I have six months of falls data and need a run chart.",
            "improvement_area": area.pk,
            "benefit": "Fewer falls on the elderly care wards.",
            "skills": [skill.pk],
            "hours": "1",
            "format": Format.REMOTE,
            "place": "",
            "languages": "",
        },
    )
    assert page.status_code == 302
    assert Listing.objects.filter(owner=member).count() == 2


def test_another_members_confirmation_link_does_not_confirm_yours(client, nhs_only, area, skill):
    client.post(reverse("account_signup"), signup_data(email="amina@nhs.net"))
    client.post(reverse("account_logout"))
    client.post(
        reverse("account_signup"), signup_data(email="ben@mft.nhs.uk", display_name="Ben Carter")
    )
    amina = Member.objects.get(email="amina@nhs.net")
    bens_link = confirm_link_for("ben@mft.nhs.uk")
    client.post(reverse("account_logout"))
    client.force_login(amina)

    client.get(bens_link)
    client.post(bens_link)

    # Ben's link is about Ben's address; Amina is signed out rather than mixed up with him.
    assert not member_email_verified(amina)
    assert EmailAddress.objects.get(email="amina@nhs.net").verified is False
    assert "_auth_user_id" not in client.session
    with pytest.raises(DomainError) as refused:
        listing_create(owner=amina, **listing_fields(area, skill))
    assert refused.value.code == "email_unverified"


def test_a_made_up_confirmation_link_confirms_nothing(client, nhs_only):
    client.post(reverse("account_signup"), signup_data())
    member = Member.objects.get()
    link = confirm_link_for(member.email)
    forged = link.rstrip("/")[:-4] + "abcd/"

    response = client.post(forged)

    assert response.status_code == 404
    assert not member_email_verified(member)


def test_a_confirmed_secondary_address_does_not_count(unconfirmed, area, skill):
    EmailAddress.objects.create(
        user=unconfirmed, email="uma.personal@nhs.net", verified=True, primary=False
    )
    EmailAddress.objects.create(user=unconfirmed, email=unconfirmed.email, verified=False)

    with pytest.raises(DomainError) as refused:
        member_check_may_trade(unconfirmed)

    assert refused.value.code == "email_unverified"


# --- The dashboard's notice and the "send again" button -------------------------


def test_the_dashboard_tells_an_unconfirmed_member_and_offers_to_send_the_link_again(
    client, unconfirmed
):
    client.force_login(unconfirmed)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    content = response.content.decode()
    assert NOTICE in content
    assert unconfirmed.email in content
    assert f'action="{RESEND_URL}"' in content
    # At the top: before the figures.
    assert content.index(NOTICE) < content.index('data-testid="available"')


def test_a_confirmed_member_sees_no_notice(client, member):
    client.force_login(member)

    response = client.get(reverse("dashboard"))

    assert NOTICE not in response.content.decode()
    assert RESEND_URL not in response.content.decode()


def test_the_resend_url_is_wired():
    assert reverse("email_confirmation_resend") == RESEND_URL


def test_sending_the_link_again_sends_a_working_link(client, unconfirmed, area, skill):
    client.force_login(unconfirmed)

    response = client.post(RESEND_URL)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert flash(response) == [
        f"We sent a new confirmation link to {unconfirmed.email}. Open it to start trading."
    ]
    assert [m.to for m in mail.outbox] == [[unconfirmed.email]]
    link = confirm_link_for(unconfirmed.email)
    assert client.post(link).status_code == 302
    assert member_email_verified(unconfirmed)
    assert listing_create(owner=unconfirmed, **listing_fields(area, skill)).pk


def test_asking_again_at_once_sends_nothing_more_and_says_why(client, unconfirmed):
    client.force_login(unconfirmed)
    client.post(RESEND_URL)

    response = client.post(RESEND_URL, follow=True)

    assert len(mail.outbox) == 1
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    content = response.content.decode()
    assert "a few minutes ago" in content
    assert "spam" in content
    assert response.status_code == 200


def test_the_link_sent_at_sign_up_counts_towards_the_limit(client, nhs_only):
    client.post(reverse("account_signup"), signup_data())
    assert len(mail.outbox) == 1

    response = client.post(RESEND_URL)

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "a few minutes ago" in flash(response)[-1]


def test_a_confirmed_member_is_told_so_and_sent_nothing(client, member):
    client.force_login(member)

    response = client.post(RESEND_URL)

    assert response.status_code == 302
    assert flash(response) == ["Your e-mail address is already confirmed."]
    assert mail.outbox == []


def test_sending_again_needs_a_post(client, unconfirmed):
    client.force_login(unconfirmed)

    response = client.get(RESEND_URL)

    assert response.status_code == 405
    assert mail.outbox == []


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.post(RESEND_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert mail.outbox == []


# --- Pages where trading starts: the reason, not a 500 ---------------------------


@pytest.fixture
def offer(member, area, skill):
    return listing_create(owner=member, **listing_fields(area, skill))


def refusal_shown(response, member) -> None:
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert "Confirm your e-mail address before you trade" in errors[0]
    assert member.email in errors[0]
    assert escape(errors[0]) in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()


def test_listing_form_tells_an_unconfirmed_member_why(client, unconfirmed, area, skill):
    client.force_login(unconfirmed)
    url = reverse("listing_create", args=["offer"])
    assert client.get(url).status_code == 200
    before = state()

    response = client.post(
        url,
        {
            "title": "Help designing a run chart",
            "description": "I have six months of falls data and need a run chart.",
            "improvement_area": area.pk,
            "benefit": "Fewer falls on the elderly care wards.",
            "skills": [skill.pk],
            "hours": "1.5",
            "format": Format.REMOTE,
            "place": "",
            "languages": "English",
        },
    )

    refusal_shown(response, unconfirmed)
    assert state() == before


def test_take_up_form_tells_an_unconfirmed_member_why(client, unconfirmed, offer):
    client.force_login(unconfirmed)
    url = reverse("exchange_propose", args=[offer.pk])
    assert client.get(url).status_code == 200
    before = state()

    response = client.post(
        url, {"hours": "1", "message": "Could we meet Tuesday?", "request_key": str(uuid.uuid4())}
    )

    refusal_shown(response, unconfirmed)
    assert state() == before


def test_direct_exchange_form_tells_an_unconfirmed_member_why(client, unconfirmed, member, area):
    client.force_login(unconfirmed)
    url = reverse("exchange_direct")
    assert client.get(url).status_code == 200
    before = state()

    response = client.post(
        url,
        {
            "colleague": member.email,
            "direction": "gave",
            "title": "Coaching on a QI project charter",
            "improvement_area": area.pk,
            "benefit": "A clearer aim for the sepsis project.",
            "hours": "1",
            "message": "",
            "request_key": str(uuid.uuid4()),
        },
    )

    refusal_shown(response, unconfirmed)
    assert state() == before


def test_donate_form_tells_an_unconfirmed_member_why(client, unconfirmed, member):
    client.force_login(unconfirmed)
    url = reverse("donate")
    assert client.get(url).status_code == 200
    before = state()

    response = client.post(
        url,
        {
            "recipient": member.email,
            "hours": "1",
            "memo": "",
            "request_key": str(uuid.uuid4()),
        },
    )

    refusal_shown(response, unconfirmed)
    assert state() == before


def test_accept_button_tells_an_unconfirmed_member_why(client, unconfirmed, member, area):
    exchange = exchanges.exchange_propose_direct(
        member=member,
        other=unconfirmed,
        member_gives=True,
        title="Coaching on a QI project charter",
        improvement_area=area,
        benefit="A clearer aim for the sepsis project.",
        minutes=60,
    )
    client.force_login(unconfirmed)
    before = state()

    response = client.post(reverse("exchange_act", args=[exchange.pk, "accept"]), {}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("exchange_detail", args=[exchange.pk])
    assert response.status_code == 200
    content = response.content.decode()
    assert escape("Confirm your e-mail address before you trade") in content
    assert state() == before
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.PROPOSED
    assert exchange.hold is None


# --- The services refuse, and move nothing --------------------------------------


def _prepare(name, actor, colleague, area, skill):
    """What must exist before ``actor`` tries ``name``; returns the attempt."""
    if name == "listing_create":
        return lambda: listing_create(owner=actor, **listing_fields(area, skill))
    if name == "exchange_propose_from_listing":
        offer = listing_create(owner=colleague, **listing_fields(area, skill))
        return lambda: exchanges.exchange_propose_from_listing(
            listing=offer, member=actor, minutes=60, request_key=str(uuid.uuid4())
        )
    if name == "exchange_propose_direct":
        return lambda: exchanges.exchange_propose_direct(
            member=actor,
            other=colleague,
            member_gives=False,
            title="Help with a run chart",
            improvement_area=area,
            benefit="Fewer falls on the elderly care wards.",
            minutes=60,
        )
    if name == "exchange_accept":
        # The colleague offers time; the actor (the receiver) accepts and is held.
        exchange = exchanges.exchange_propose_direct(
            member=colleague,
            other=actor,
            member_gives=True,
            title="Coaching on a QI project charter",
            improvement_area=area,
            benefit="A clearer aim for the sepsis project.",
            minutes=60,
        )
        return lambda: exchanges.exchange_accept(exchange=exchange, member=actor)
    if name == "donation_make":
        earn(actor, 60)  # only credits earned by giving time are given on

        def give():
            # The ledger knows nothing of members: its callers (the donation
            # page and API, tested in ledger/tests) check the donor first.
            member_check_may_trade(actor)
            return ledger.donation_make(
                key=f"test:{uuid.uuid4()}", donor=actor, recipient=colleague, amount=60
            )

        return give
    raise AssertionError(name)


TRADES = [
    "listing_create",
    "exchange_propose_from_listing",
    "exchange_propose_direct",
    "exchange_accept",
    "donation_make",
]


@pytest.mark.parametrize("name", TRADES)
def test_an_unconfirmed_member_is_refused_and_nothing_moves(name, unconfirmed, member, area, skill):
    attempt = _prepare(name, unconfirmed, member, area, skill)
    before = state()

    with pytest.raises(DomainError) as refused:
        attempt()

    assert refused.value.code == "email_unverified"
    assert unconfirmed.email in refused.value.message
    assert state() == before
    assert_ledger_whole()


@pytest.mark.parametrize("name", TRADES)
def test_once_confirmed_the_same_member_may_trade(name, unconfirmed, member, area, skill):
    attempt = _prepare(name, unconfirmed, member, area, skill)
    with pytest.raises(DomainError):
        attempt()
    before = state()

    confirm(unconfirmed)
    done = attempt()

    assert done is not None
    assert state() != before
    assert_ledger_whole()


@pytest.mark.parametrize("name", TRADES)
def test_a_suspended_member_is_refused_and_nothing_moves(name, member, other_member, area, skill):
    attempt = _prepare(name, member, other_member, area, skill)
    Member.objects.filter(pk=member.pk).update(is_active=False)
    member.refresh_from_db()
    before = state()

    with pytest.raises(DomainError) as refused:
        attempt()

    assert refused.value.code == "inactive"
    assert state() == before
    assert_ledger_whole()


def test_a_suspended_member_who_never_confirmed_is_told_about_the_suspension(unconfirmed):
    Member.objects.filter(pk=unconfirmed.pk).update(is_active=False)
    unconfirmed.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        member_check_may_trade(unconfirmed)

    assert refused.value.code == "inactive"


def test_an_unconfirmed_member_may_still_be_proposed_to_and_given_credits(
    unconfirmed, member, area
):
    # Only the member who acts must be confirmed: colleagues can still reach them.
    earn(member, 60)
    gift = ledger.donation_make(
        key=f"test:{uuid.uuid4()}", donor=member, recipient=unconfirmed, amount=60
    )
    exchange = exchanges.exchange_propose_direct(
        member=member,
        other=unconfirmed,
        member_gives=False,
        title="Help with a run chart",
        improvement_area=area,
        benefit="Fewer falls on the elderly care wards.",
        minutes=60,
    )

    assert gift.credit_account.member == unconfirmed
    assert exchange.provider == unconfirmed
    assert_ledger_whole()
