"""A reflection is a reflective account in four parts (issue 15): what
happened, what I learned, how it changed my practice, which standards. The
page and the API save all four; only "what happened" is required, and every
part is refused if it holds patient data."""

from typing import Any

import pytest
from django.urls import reverse

from equitime.core.errors import DomainError
from equitime.exchanges import services
from equitime.exchanges.forms import STANDARDS_SUGGESTED
from equitime.exchanges.models import Reflection
from equitime.exchanges.tests.test_api import Api

pytestmark = pytest.mark.django_db
PATIENT = "The man with NHS number 943 476 5919 taught me this."


def test_the_exchange_page_offers_the_four_parts_and_saves_them(client, completed, provider):
    client.force_login(provider)
    page = client.get(reverse("exchange_detail", args=[completed.pk])).content.decode()
    for label in ("What happened", "What I learned", "How it changed", "Standards it relates to"):
        assert label in page
    assert 'list="reflection-standards"' in page
    assert str(STANDARDS_SUGGESTED[5]) in page  # NMC Code: Practise effectively
    assert reverse("cpd_record") in page

    response = client.post(
        reverse("exchange_act", args=[completed.pk, "reflect"]),
        {
            "reflect-text": "Taught survival analysis to a ward pharmacist.",
            "reflect-learned": "Start from their question, not the method.",
            "reflect-practice_change": "I now send a one-page primer first.",
            "reflect-standards": "GMC Good Medical Practice: Knowledge, skills and development",
        },
    )

    assert response.status_code == 302
    saved = Reflection.objects.get(author=provider)
    assert saved.learned == "Start from their question, not the method."
    assert saved.practice_change == "I now send a one-page primer first."
    assert saved.standards.startswith("GMC Good Medical Practice")
    page = client.get(reverse("exchange_detail", args=[completed.pk])).content.decode()
    assert "I now send a one-page primer first." in page


def test_what_happened_is_required_and_the_rest_optional(completed, provider):
    with pytest.raises(DomainError):
        services.reflection_save(exchange=completed, member=provider, text="  ", learned="x")
    saved = services.reflection_save(exchange=completed, member=provider, text="An hour.")
    assert (saved.learned, saved.practice_change, saved.standards) == ("", "", "")


@pytest.mark.parametrize("part", ["learned", "practice_change", "standards"])
def test_each_part_refuses_patient_data(completed, provider, part):
    parts: dict[str, Any] = {part: PATIENT}
    with pytest.raises(DomainError) as refused:
        services.reflection_save(exchange=completed, member=provider, text="An hour.", **parts)
    assert refused.value.code == "patient_data"
    assert not Reflection.objects.exists()


def test_the_api_writes_and_reads_the_whole_account(completed, provider, settings):
    settings.EQUITIME_API_WRITE_RATE_PER_TOKEN = "10000/m"
    api = Api(provider)
    response = api.put(
        f"/{completed.pk}/reflection",
        {
            "text": "Taught survival analysis.",
            "learned": "Start from their question.",
            "practice_change": "A primer first.",
            "standards": "NMC Code: Practise effectively",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["practice_change"] == "A primer first."
    mine = api.get(f"/{completed.pk}").json()["my_reflection"]
    assert mine["standards"] == "NMC Code: Practise effectively"
    # PUT replaces the account: a part left out is saved empty.
    api.put(f"/{completed.pk}/reflection", {"text": "Taught survival analysis."})
    assert Reflection.objects.get().learned == ""
