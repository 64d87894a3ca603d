"""A member's language: the switcher's view and the services that keep it
(``profile_language_set``, ``profile_update``) take only a language Equitime
speaks, or "" for the browser's."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages

from equitime.core.errors import DomainError
from equitime.members.models import Profile
from equitime.members.services import profile_language_set, profile_update

pytestmark = pytest.mark.django_db


def language_of(member) -> str:
    return Profile.objects.get(member=member).language


def test_the_switcher_keeps_a_members_choice_and_sets_the_cookie(client, member):
    client.force_login(member)

    response = client.post("/language/", {"language": "ar", "next": "/listings/"})

    assert response.status_code == 302 and response["Location"] == "/listings/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert language_of(member) == "ar"


def test_the_switcher_refuses_a_language_it_does_not_speak(client, member):
    client.force_login(member)

    response = client.post("/language/", {"language": "fr", "next": "/listings/"})

    assert response.status_code == 302 and response["Location"] == "/listings/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert language_of(member) == ""
    [message] = get_messages(response.wsgi_request)
    assert str(message) == "Please choose one of the languages listed."


def test_the_switcher_goes_back_only_to_this_site(client):
    response = client.post("/language/", {"language": "cy", "next": "https://elsewhere.example"})

    assert response["Location"] == "/"


def test_the_switcher_takes_only_a_post(client):
    assert client.get("/language/?language=cy").status_code == 405


@pytest.mark.parametrize("language", ["fr", "en", "xx-pseudo"])
def test_the_services_refuse_a_language_equitime_does_not_speak(member, language):
    with pytest.raises(DomainError) as refused:
        profile_language_set(member=member, language=language)
    assert refused.value.field == "language"

    with pytest.raises(DomainError) as refused:
        profile_update(member=member, display_name=member.display_name, language=language)
    assert refused.value.field == "language"
    assert language_of(member) == ""


@pytest.mark.parametrize("language", ["", "en-gb", "cy", "ar"])
def test_the_services_keep_a_language_equitime_speaks(member, language):
    profile_update(member=member, display_name=member.display_name, language=language)

    assert language_of(member) == language
