"""Every service that stores text members write refuses patient-identifiable
information, with code "patient_data", and stores nothing."""

import pytest

from equitime.core.errors import DomainError
from equitime.exchanges import services
from equitime.exchanges.models import Exchange, ExchangeMessage, Reflection, Status, Thanks
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create, listing_update
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db

NHS_NUMBER = "943 476 5919"


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    assert error.value.code == "patient_data"
    assert "could identify a patient or service user" in error.value.message
    assert NHS_NUMBER not in error.value.message
    return error.value


# --- Listings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("title", f"Run chart for {NHS_NUMBER}"),
        ("description", f"The patient is NHS {NHS_NUMBER}; help me chart her obs."),
        ("benefit", "Safer care for Mrs Smith, 12/03/1987"),
        ("place", "Ward 7, bed of MRN 1234567"),
    ],
)
def test_listing_create_refuses_patient_data_and_creates_nothing(provider, field, text):
    fields = {
        "title": "Run charts",
        "description": "One hour on QI run charts.",
        "benefit": "Earlier sight of deterioration on the ward.",
        "place": "Leeds General Infirmary",
        field: text,
    }
    error = refused(
        listing_create,
        owner=provider,
        kind=Listing.Kind.REQUEST,
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        estimated_minutes=60,
        format=Format.IN_PERSON,
        **fields,
    )
    assert f"from the {field}" in error.message
    assert not Listing.objects.exists()


def test_listing_update_refuses_patient_data_and_changes_nothing(offer, provider):
    error = refused(
        listing_update,
        listing=offer,
        member=provider,
        description=f"Now about patient {NHS_NUMBER}",
    )
    assert "from the description" in error.message
    offer.refresh_from_db()
    assert NHS_NUMBER not in offer.description


# --- Exchanges -----------------------------------------------------------------------


def test_a_proposal_message_with_patient_data_is_refused(offer, receiver):
    refused(
        services.exchange_propose_from_listing,
        listing=offer,
        member=receiver,
        minutes=60,
        message=f"It is about {NHS_NUMBER}",
    )
    assert not Exchange.objects.exists()


def test_exchange_message_post_refuses_patient_data(proposed, provider):
    error = refused(
        services.exchange_message_post,
        exchange=proposed,
        member=provider,
        body="Can we look at Mr. John Smith's notes? DOB 12/03/1987.",
    )
    assert "date of birth in the message" in error.message
    assert not ExchangeMessage.objects.filter(exchange=proposed).exists()


@pytest.mark.parametrize(
    ("message", "impact", "field"),
    [
        (f"Thanks for the help with {NHS_NUMBER}", "", "thanks"),
        ("Thank you!", "Mrs Smith, 12/03/1987, went home a day sooner", "impact"),
    ],
)
def test_thanks_give_refuses_patient_data(completed, receiver, message, impact, field):
    error = refused(
        services.thanks_give, exchange=completed, member=receiver, message=message, impact=impact
    )
    assert f"from the {field}" in error.message
    assert not Thanks.objects.exists()


def test_reflection_save_refuses_patient_data_and_keeps_the_old_reflection(proposed, provider):
    services.reflection_save(exchange=proposed, member=provider, text="First thoughts")
    error = refused(
        services.reflection_save,
        exchange=proposed,
        member=provider,
        text="Hospital number 1234567 was the tricky case",
    )
    assert "hospital or NHS number in the reflection" in error.message
    assert Reflection.objects.get().text == "First thoughts"


def test_decline_cancel_and_dispute_reasons_are_checked(proposed, provider, receiver):
    refused(
        services.exchange_decline,
        exchange=proposed,
        member=provider,
        reason=f"I cannot discuss {NHS_NUMBER}",
    )
    refused(
        services.exchange_cancel,
        exchange=proposed,
        member=receiver,
        reason=f"Wrong patient: {NHS_NUMBER}",
    )
    services.exchange_accept(exchange=proposed, member=provider)
    services.exchange_deliver(exchange=proposed, member=provider, minutes=60)
    refused(
        services.exchange_dispute,
        exchange=proposed,
        member=receiver,
        reason=f"We only covered {NHS_NUMBER}",
    )
    proposed.refresh_from_db()
    assert proposed.status == Status.DELIVERED


def test_ordinary_text_still_goes_through(completed, provider, receiver):
    services.exchange_message_post(
        exchange=completed, member=provider, body="Call 0161 496 0000 on Tuesday 12 March"
    )
    services.thanks_give(
        exchange=completed,
        member=receiver,
        message="Thanks to Mrs Patel for her session on 12/03/2025",
        impact="Falls down 15% on ward 7 in 2025",
    )
    services.reflection_save(
        exchange=completed, member=provider, text="Survival analysis of 1,234 patients"
    )
