"""The accessibility statement: GOV.UK's model headings, reachable from every page's footer."""

import pytest
from django.urls import reverse

from equitime.core.views import ACCESSIBILITY_LAST_TESTED

pytestmark = pytest.mark.django_db

# The sections of GOV.UK's sample accessibility statement, in its order.
MODEL_HEADINGS = [
    "Accessibility statement for Equitime",
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "How we tested this website",
    "What we",
    "Preparation of this accessibility statement",
]


def page(client) -> str:
    response = client.get("/accessibility/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_statement_follows_the_model_headings_in_order(client):
    text = page(client)
    positions = [text.find(heading) for heading in MODEL_HEADINGS]
    assert -1 not in positions, [
        h for h, p in zip(MODEL_HEADINGS, positions, strict=True) if p == -1
    ]
    assert positions == sorted(positions)


def test_it_states_compliance_known_issues_testing_and_enforcement(client):
    text = page(client)
    assert (
        "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA" in text
    )
    # The API documentation's third-party widget and what fails in it.
    assert "/api/v1/docs" in text and "Swagger UI" in text
    assert "1.4.3" in text and "4.1.2" in text
    assert "axe-core" in text and "keyboard" in text
    assert ACCESSIBILITY_LAST_TESTED.strftime("%-d %B %Y") in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "https://www.equalityadvisoryservice.com/" in text


def test_problems_are_reported_to_the_contact_in_the_settings(client, settings):
    settings.EQUITIME_CONTACT_EMAIL = "equitime.support@leeds-health.example"
    assert 'href="mailto:equitime.support@leeds-health.example"' in page(client)

    settings.EQUITIME_CONTACT_EMAIL = ""
    settings.EQUITIME_DPO_EMAIL = "dpo@leeds-health.example"
    assert 'href="mailto:dpo@leeds-health.example"' in page(client)

    settings.EQUITIME_DPO_EMAIL = ""
    assert "set by the operator of this service" in page(client)


def test_every_page_links_the_statement_and_the_privacy_notice_in_its_footer(client, member):
    for response in (client.get(reverse("home")), client.get(reverse("account_login"))):
        footer = response.content.decode().split('<footer class="site-footer">')[1]
        assert 'href="/accessibility/"' in footer
        assert 'href="/privacy/"' in footer
    client.force_login(member)
    footer = client.get(reverse("dashboard")).content.decode().split("<footer")[1]
    assert 'href="/accessibility/"' in footer
