"""Every text a member writes that someone else reads goes through the text rules.

``core.rules`` names every text field of every Equitime model as GUARDED (both
checks), PATIENT_DATA_ONLY (money talk may be quoted) or EXEMPT (with the
reason). The first test walks the models and holds that list to the truth; the
second writes money talk and patient data into each guarded field the way the
site does, and expects a refusal; the rest go through the pages and the API
that issue 10 named, as a member would.
"""

import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from equitime.api.models import ApiToken
from equitime.api.services import api_token_create
from equitime.campaigns.services import campaign_create, member_welcome
from equitime.core.errors import DomainError
from equitime.core.rules import EXEMPT, GUARDED, PATIENT_DATA_ONLY
from equitime.credits.forms import DonationForm
from equitime.exchanges import services as exchanges
from equitime.ledger.models import Transfer
from equitime.listings.forms import ListingForm
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create
from equitime.matching.services import help_invitation_ask, help_invitation_decline
from equitime.members import roles
from equitime.members.models import Member
from equitime.members.services import member_role_grant, profile_update
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag, listing_flag_dismiss, member_suspend
from equitime.scheduling import groups
from equitime.scheduling.services import session_propose_times
from equitime.scheduling.slots import Slot
from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db

# Issue 10's example: money and patient data in one profile.
ISSUE_EXAMPLE = "Paypal me £50 cash. NHS number 9434765919, DOB 12/03/1987"
# Each passes the checks on main: spelled-out money, and an NHS number pasted
# with dots (main knew only spaces and hyphens).
MONEY = "Happy to help for fifty pounds"
PATIENT_DATA = "About the man with NHS number 943.476.5919"


# --- The list of fields is complete and true -----------------------------------------


def text_fields():
    for config in apps.get_app_configs():
        if not config.name.startswith("equitime."):
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.CharField | models.TextField | models.JSONField):
                    yield f"{config.label}.{model.__name__}.{field.name}"


def test_every_text_field_is_guarded_or_exempt_with_a_reason():
    fields = set(text_fields())
    declared = [*GUARDED, *PATIENT_DATA_ONLY, *EXEMPT]

    assert fields - set(declared) == set(), "declare these in core.rules"
    assert set(declared) - fields == set(), "these are no longer fields"
    assert len(declared) == len(set(declared)), "a field is declared twice"
    for reasons in (GUARDED, PATIENT_DATA_ONLY, EXEMPT):
        assert all(reason.strip() for reason in reasons.values())


# --- Each guarded field refuses both, written the way the site writes it -------------


@pytest.fixture
def area():
    return ImprovementArea.objects.get(slug="patient-safety")


def offer_by(owner, area, **fields):
    values = {
        "title": "Survival analysis in R",
        "description": "Kaplan-Meier curves, one hour.",
        "benefit": "Better evidence on readmissions.",
        "place": "",
    } | fields
    return listing_create(
        owner=owner,
        kind=Listing.Kind.OFFER,
        improvement_area=area,
        estimated_minutes=60,
        format=Format.REMOTE,
        **values,
    )


class World:
    """Members and an exchange in the state each writer needs, made on demand."""

    def __init__(self, make_member, area):
        self.area = area
        self.provider = make_member(display_name="Pat Provider")
        self.receiver = make_member(display_name="Rae Receiver")
        self.moderator = member_role_grant(
            member=make_member(display_name="Mo Moderator"), role=roles.MODERATOR, by=None
        )
        self.offer = offer_by(self.provider, area)

    def proposed(self):
        return exchanges.exchange_propose_from_listing(
            listing=self.offer, member=self.receiver, minutes=60
        )

    def delivered(self):
        exchange = self.proposed()
        exchanges.exchange_accept(exchange=exchange, member=self.provider)
        return exchanges.exchange_deliver(exchange=exchange, member=self.provider, minutes=60)

    def completed(self):
        exchange = self.delivered()
        return exchanges.exchange_confirm(exchange=exchange, member=self.receiver)

    def flag(self, note=""):
        return listing_flag(
            listing=self.offer,
            member=self.receiver,
            reason=ListingFlag.Reason.OTHER,
            note=note or "Not about improvement.",
        )


def profile(field):
    def write(world, text):
        fields = {field: [text] if field in ("languages", "skills_offered") else text}
        profile_update(member=world.receiver, display_name="Rae Receiver", **fields)

    return write


def form_errors(form, field):
    """A form's refusal, as a service's would be."""
    if not form.is_valid() and field in form.errors:
        raise DomainError(form.errors[field][0], code=form.errors.as_data()[field][0].code)


def write_listing_languages(world, text):
    form = ListingForm(
        {
            "title": "Run charts",
            "description": "One hour.",
            "improvement_area": world.area.pk,
            "benefit": "Safer wards.",
            "hours": "1",
            "format": Format.REMOTE,
            "languages": text,
        }
    )
    form_errors(form, "languages")


def group_session_with(field):
    """A group session created with ``text`` as its title, description, benefit or place."""

    def write(world, text):
        if field == "place":
            slot = Slot(starts_at=timezone.now() + timedelta(days=7), minutes=60, place=text)
            group_session(world.provider, slot=slot)
        else:
            group_session(world.provider, **{field: text})

    return write


def cancel_group_session(world, text):
    groups.group_session_cancel(
        session=group_session(world.provider), member=world.provider, reason=text
    )


def write_campaign(field):
    """A campaign an administrator creates with ``text`` as its title, description
    or image description."""

    def write(world, text):
        from equitime.campaigns.tests.factories import administrator, image_upload

        fields = {
            "title": "Net zero in clinics",
            "description": "Greener clinics.",
            "image": image_upload(),
            "image_alt": "A clinic roof covered in solar panels",
        }
        campaign_create(
            by=administrator(),
            improvement_area=world.area,
            starts_on=timezone.now().date(),
            ends_on=timezone.now().date() + timedelta(days=30),
            target_hours=10,
            **(fields | {field: text}),
        )

    return write


def write_welcome(world, text):
    from equitime.campaigns.tests.factories import ambassador

    member_welcome(member=world.receiver, ambassador=ambassador(), message=text)


def a_help_request(world):
    return listing_create(
        owner=world.receiver,
        kind=Listing.Kind.REQUEST,
        title="Help with a run chart",
        description="Six months of falls data.",
        improvement_area=world.area,
        benefit="Fewer falls.",
        estimated_minutes=60,
        format=Format.REMOTE,
    )


def ask_to_help(world, text):
    help_invitation_ask(
        listing=a_help_request(world), helper=world.provider, member=world.receiver, note=text
    )


def decline_to_help(world, text):
    invitation = help_invitation_ask(
        listing=a_help_request(world), helper=world.provider, member=world.receiver
    )
    help_invitation_decline(invitation=invitation, member=world.provider, reason=text)


def write_consent_note(world, text):
    from equitime.coordination.models import Consent
    from equitime.coordination.services import consent_record
    from equitime.members import roles
    from equitime.members.models import Member
    from equitime.members.services import member_role_grant

    member_role_grant(member=world.provider, role=roles.COORDINATOR, by=None)
    coordinator = Member.objects.get(pk=world.provider.pk)
    consent_record(
        coordinator=coordinator, member=world.receiver, method=Consent.Method.PAPER, note=text
    )


def write_memo(world, text):
    data = {"recipient": "", "hours": "1", "memo": text, "request_key": str(uuid.uuid4())}
    form_errors(DonationForm(data, donor=world.receiver), "memo")


WRITERS = {
    "campaigns.Campaign.title": write_campaign("title"),
    "campaigns.Campaign.description": write_campaign("description"),
    "campaigns.Campaign.image_alt": write_campaign("image_alt"),
    "campaigns.Welcome.message": write_welcome,
    "api.ApiToken.name": lambda w, t: api_token_create(member=w.receiver, name=t),
    "coordination.Consent.note": write_consent_note,
    "exchanges.Exchange.title": lambda w, t: exchanges.exchange_propose_direct(
        member=w.receiver,
        other=w.provider,
        member_gives=False,
        title=t,
        improvement_area=w.area,
        benefit="Safer wards.",
        minutes=60,
    ),
    "exchanges.Exchange.benefit": lambda w, t: exchanges.exchange_propose_direct(
        member=w.receiver,
        other=w.provider,
        member_gives=False,
        title="Run charts",
        improvement_area=w.area,
        benefit=t,
        minutes=60,
    ),
    "exchanges.Exchange.decline_reason": lambda w, t: exchanges.exchange_decline(
        exchange=w.proposed(), member=w.provider, reason=t
    ),
    "exchanges.Exchange.dispute_reason": lambda w, t: exchanges.exchange_dispute(
        exchange=w.delivered(), member=w.receiver, reason=t
    ),
    "exchanges.Exchange.reversal_reason": lambda w, t: exchanges.exchange_reverse(
        exchange=w.completed(), moderator=w.moderator, reason=t
    ),
    "exchanges.Exchange.resolution_note": lambda w, t: exchanges.exchange_resolve(
        exchange=exchanges.exchange_dispute(
            exchange=w.delivered(), member=w.receiver, reason="The hours are wrong."
        ),
        moderator=w.moderator,
        minutes=None,
        note=t,
    ),
    "exchanges.ExchangeMessage.body": lambda w, t: exchanges.exchange_message_post(
        exchange=w.proposed(), member=w.receiver, body=t
    ),
    "exchanges.Thanks.message": lambda w, t: exchanges.thanks_give(
        exchange=w.completed(), member=w.receiver, message=t
    ),
    "exchanges.Thanks.impact": lambda w, t: exchanges.thanks_give(
        exchange=w.completed(), member=w.receiver, message="Thank you!", impact=t
    ),
    "exchanges.Reflection.text": lambda w, t: exchanges.reflection_save(
        exchange=w.proposed(), member=w.receiver, text=t
    ),
    "exchanges.Reflection.learned": lambda w, t: exchanges.reflection_save(
        exchange=w.proposed(), member=w.receiver, text="A teaching session.", learned=t
    ),
    "exchanges.Reflection.practice_change": lambda w, t: exchanges.reflection_save(
        exchange=w.proposed(), member=w.receiver, text="A teaching session.", practice_change=t
    ),
    "exchanges.Reflection.standards": lambda w, t: exchanges.reflection_save(
        exchange=w.proposed(), member=w.receiver, text="A teaching session.", standards=t
    ),
    "ledger.Transfer.memo": write_memo,
    "listings.Listing.title": lambda w, t: offer_by(w.provider, w.area, title=t),
    "listings.Listing.description": lambda w, t: offer_by(w.provider, w.area, description=t),
    "listings.Listing.benefit": lambda w, t: offer_by(w.provider, w.area, benefit=t),
    "listings.Listing.place": lambda w, t: offer_by(w.provider, w.area, place=t),
    "listings.Listing.languages": write_listing_languages,
    "members.Member.display_name": lambda w, t: profile_update(member=w.receiver, display_name=t),
    "members.Member.suspension_reason": lambda w, t: member_suspend(
        member=w.receiver, by=w.moderator, reason=t
    ),
    "members.Profile.profession": profile("profession"),
    "members.Profile.division": profile("division"),
    "members.Profile.bio": profile("bio"),
    "members.Profile.availability": profile("availability"),
    "members.Profile.skills_offered": profile("skills_offered"),
    "members.Profile.languages": profile("languages"),
    "moderation.ListingFlag.note": lambda w, t: w.flag(note=t),
    "moderation.ListingFlag.decision_note": lambda w, t: listing_flag_dismiss(
        flag=w.flag(), moderator=w.moderator, note=t
    ),
    "scheduling.Session.title": group_session_with("title"),
    "scheduling.Session.description": group_session_with("description"),
    "scheduling.Session.benefit": group_session_with("benefit"),
    "scheduling.Session.place": group_session_with("place"),
    "scheduling.Session.cancel_reason": cancel_group_session,
    "matching.HelpInvitation.note": ask_to_help,
    "matching.HelpInvitation.decline_reason": decline_to_help,
    "scheduling.ProposedTime.place": lambda w, t: session_propose_times(
        exchange=w.proposed(),
        member=w.receiver,
        slots=[Slot(starts_at=timezone.now() + timedelta(days=7), minutes=60, place=t)],
    ),
}


def test_every_guarded_field_has_a_writer_here():
    assert set(WRITERS) == set(GUARDED) | set(PATIENT_DATA_ONLY)


def refusal(field, world, text) -> str | None:
    try:
        WRITERS[field](world, text)
    except DomainError as error:
        return error.code
    return None


@pytest.mark.parametrize("field", sorted(GUARDED))
def test_a_guarded_field_refuses_money_talk_and_patient_data(field, make_member, area):
    assert refusal(field, World(make_member, area), MONEY) == "money"
    assert refusal(field, World(make_member, area), PATIENT_DATA) == "patient_data"


@pytest.mark.parametrize("field", sorted(PATIENT_DATA_ONLY))
def test_a_patient_data_only_field_refuses_patient_data_and_may_quote_money(
    field, make_member, area
):
    assert refusal(field, World(make_member, area), PATIENT_DATA) == "patient_data"
    assert refusal(field, World(make_member, area), MONEY) is None


# --- Through the pages and the API ---------------------------------------------------

ME = "/api/v1/me"


def bearer(member):
    _, secret = api_token_create(member=member, name="tests")
    return {"Authorization": f"Bearer {secret}"}


def test_patch_me_with_the_issue_example_is_refused_and_changes_nothing(client, member):
    response = client.patch(
        ME, {"bio": ISSUE_EXAMPLE}, content_type="application/json", headers=bearer(member)
    )

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_fields"
    (error,) = body["errors"]
    assert error["field"] == "bio"
    assert "\u201c£50\u201d" in error["message"] and "one credit" in error["message"]
    member.profile.refresh_from_db()
    assert member.profile.bio == ""


@pytest.mark.parametrize(
    ("field", "value", "code_words"),
    [
        ("display_name", "Amina, Monzo me", "No money changes hands"),
        ("availability", "Tuesdays, 50 bucks an hour", "No money changes hands"),
        ("skills_offered", ["Stats", "bank details on request"], "No money changes hands"),
        ("division", "Ward 9, NHS no 943 476 5919", "NHS number"),
        ("profession", "Nurse \u2013 DOB 12/03/1987", "date of birth"),
    ],
)
def test_patch_me_refuses_each_profile_text_with_its_field(
    client, member, field, value, code_words
):
    response = client.patch(
        ME, {field: value}, content_type="application/json", headers=bearer(member)
    )

    assert response.status_code == 422, response.content
    (error,) = response.json()["errors"]
    assert error["field"] == field
    assert code_words in error["message"]
    assert "9434765919" not in error["message"]


def test_patch_me_with_ordinary_text_still_saves(client, member):
    bio = "Audit of 50 patients over 3 months; bank staff rota lead on ward 12-14."
    response = client.patch(
        ME, {"bio": bio}, content_type="application/json", headers=bearer(member)
    )

    assert response.status_code == 200, response.content
    assert response.json()["bio"] == bio


def test_the_profile_page_shows_the_refusal_on_the_field(client, member):
    client.force_login(member)

    response = client.post(
        reverse("profile_edit"),
        {
            "display_name": "Amina Okafor",
            "country": "GB",
            "time_zone": "Europe/London",
            "preference": "either",
            "bio": "Patient\u00a0943\u00a0476\u00a05919 needs a visit",
        },
    )

    assert response.status_code == 200
    (message,) = response.context["form"].errors["bio"]
    assert "There seems to be an NHS number in the bio" in message
    assert "Please remove the NHS number" in message
    member.profile.refresh_from_db()
    assert member.profile.bio == ""


def test_sign_up_refuses_money_talk_in_the_name(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.colleague@example.nhs.uk",
            "display_name": "Priya \u2014 PayPal me",
            "organisation": "",
            "profession": "Data analyst",
            "password1": "quiet lantern harbour 42",
            "password2": "quiet lantern harbour 42",
        },
    )

    assert response.status_code == 200
    assert "PayPal" in response.context["form"].errors["display_name"][0]
    assert not Member.objects.filter(email="new.colleague@example.nhs.uk").exists()


def test_the_donation_api_refuses_a_memo_with_money_talk(client, member, other_member):
    response = client.post(
        "/api/v1/transfers/donations",
        {"member_id": other_member.pk, "minutes": 60, "memo": "for the \uffe150 you lent me"},
        content_type="application/json",
        headers={**bearer(member), "Idempotency-Key": "gift-1"},
    )

    assert response.status_code == 422, response.content
    (error,) = response.json()["errors"]
    assert error["field"] == "memo"
    # Quoted as written (a fullwidth pound sign), with a word on why it was caught.
    assert "\u201c\uffe150\u201d" in error["message"]
    assert "look-alike letters or hidden characters" in error["message"]
    assert not Transfer.objects.filter(kind=Transfer.Kind.DONATION).exists()


def test_the_donate_page_refuses_patient_data_in_the_note(client, member):
    client.force_login(member)

    response = client.post(
        reverse("donate"),
        {
            "recipient": "",
            "hours": "1",
            "memo": "For looking after NHS no 943/476/5919",
            "request_key": str(uuid.uuid4()),
        },
    )

    assert "NHS number" in response.context["form"].errors["memo"][0]
    assert not Transfer.objects.filter(kind=Transfer.Kind.DONATION).exists()


def test_the_tokens_page_refuses_a_token_name_with_money_talk(client, member):
    client.force_login(member)

    response = client.post(
        "/account/api-tokens/", {"name": "Re\u200bvolut payouts", "expiry": "30"}
    )

    message = response.context["form"].errors["name"][0]
    assert "look-alike letters or hidden characters" in message
    assert not ApiToken.objects.filter(member=member).exists()


def test_the_suspension_api_refuses_patient_data_in_the_reason(client, member, make_member):
    moderator = member_role_grant(
        member=make_member(display_name="Mo Moderator"), role=roles.MODERATOR, by=None
    )

    response = client.post(
        f"/api/v1/members/{member.pk}/suspend",
        {"reason": "Posted the DOB 12.03.1987 of a patient"},
        content_type="application/json",
        headers=bearer(moderator),
    )

    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "reason"
    member.refresh_from_db()
    assert member.suspended_at is None


@pytest.mark.parametrize("name", ["Sam Cash", "Jo Fee", "Dr Priya Fees"])
def test_a_surname_that_is_a_money_word_is_a_name(member, name):
    profile_update(member=member, display_name=name)
    member.refresh_from_db()
    assert member.display_name == name


@pytest.mark.parametrize("name", ["Sam Cash 50", "PayPal me Sam", "Jo £50", "Cash app Jo"])
def test_a_name_with_a_handle_or_an_amount_is_still_refused(member, name):
    with pytest.raises(DomainError) as refusal:
        profile_update(member=member, display_name=name)
    assert refusal.value.code == "money"
