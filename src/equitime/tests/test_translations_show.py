"""The real catalogues, seen where members read them: a Welsh reader reads
Welsh and an Arabic reader Arabic, not the English with the right markup.

The other language tests compute what a reader should see through gettext
under the reader's language, so they hold whatever the translators write;
these say that what they wrote is there (a sentence known to be translated
differs from its English), in pages, a notification read by two readers, an
e-mail, the API and the taxonomy."""

import re

import pytest
from django.core import mail
from django.utils import translation

from equitime.api.services import api_token_create
from equitime.core.locale import speaking_to
from equitime.members.models import Profile
from equitime.notifications.models import Notification
from equitime.notifications.services import notify
from equitime.skills.models import Skill

pytestmark = pytest.mark.django_db

ARABIC = re.compile("[\u0600-\u06ff]")
RULE = "Every activity is for health and care improvement."
WELSH_RULE = "Mae pob gweithgaredd er mwyn gwella iechyd a gofal."


def reading(member, language):
    Profile.objects.filter(member=member).update(language=language)
    member.refresh_from_db()
    member.profile.refresh_from_db()
    return member


def test_a_visitor_who_chooses_welsh_reads_welsh(client):
    response = client.post("/language/", {"language": "cy", "next": "/"}, follow=True)

    page = response.content.decode()
    assert '<html lang="cy" dir="ltr">' in page
    assert WELSH_RULE in page
    assert RULE not in page


def test_a_visitor_who_chooses_arabic_reads_arabic_right_to_left(client):
    response = client.post("/language/", {"language": "ar", "next": "/"}, follow=True)

    page = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert RULE not in page
    with translation.override("ar"):
        assert translation.gettext(RULE) in page
    assert ARABIC.search(page)


def test_a_member_reads_in_the_language_of_their_profile_whatever_the_browser(client, member):
    reading(member, "cy")
    client.force_login(member)

    page = client.get("/dashboard/", headers={"Accept-Language": "ar"}).content.decode()

    assert '<html lang="cy"' in page
    assert WELSH_RULE in page


def test_one_notification_reads_in_each_readers_language(make_member):
    welsh = reading(make_member(display_name="Siân Jones"), "cy")
    arabic = reading(make_member(display_name="Layla Haddad"), "ar")
    told = notify(
        recipient=arabic,
        kind="thanks",
        params={"name": welsh.display_name, "title": "Run charts"},
        email=False,
    )
    english = "Siân Jones thanked you for: Run charts"

    with speaking_to(arabic):
        in_arabic = Notification.objects.get(pk=told.pk).message
    with speaking_to(welsh):
        in_welsh = Notification.objects.get(pk=told.pk).message

    assert in_arabic != english and ARABIC.search(in_arabic)
    assert "Siân Jones" in in_arabic and "Run charts" in in_arabic
    assert in_welsh != english and not ARABIC.search(in_welsh)
    assert "Siân Jones" in in_welsh


def test_a_welsh_readers_email_is_in_welsh(make_member, django_capture_on_commit_callbacks):
    reader = reading(make_member(display_name="Gwen"), "cy")
    params = {"name": "Ben", "title": "Run charts"}

    # Sent from an English request: the reader's language wins.
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        notify(recipient=reader, kind="exchange_message", params=params)

    [email] = mail.outbox
    assert "sent a message" not in email.subject
    with translation.override("cy"):
        assert translation.gettext("%(name)s sent a message about: %(title)s") % params in (
            email.subject
        )


def test_an_api_problem_is_in_the_callers_language(client, member):
    reading(member, "ar")
    _token, secret = api_token_create(member=member, name="tests")

    problem = client.get(
        "/api/v1/exchanges/999999", headers={"Authorization": f"Bearer {secret}"}
    ).json()

    assert problem["title"] != "Not Found" and ARABIC.search(problem["title"])
    assert ARABIC.search(problem["detail"])


@pytest.mark.parametrize("language", ["cy", "ar"])
def test_the_taxonomy_is_translated(language):
    skill = Skill.objects.get(name="Survival analysis")

    with translation.override(language):
        label = skill.label

    assert label != "Survival analysis"
    assert skill.name == "Survival analysis"  # stored, searched and sent by the API as it is
