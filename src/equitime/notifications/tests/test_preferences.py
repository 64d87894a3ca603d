"""Notification preferences: the defaults, the page, the API, and every kind of
e-mail respecting the member's choice."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from equitime.api.services import api_token_create
from equitime.notifications.models import Notification, NotificationPreferences
from equitime.notifications.preferences import (
    EMAILED_BY_DEFAULT,
    GROUPS,
    member_wants_email,
    preferences_of,
)
from equitime.notifications.services import notification_preferences_set, notify
from equitime.notifications.tasks import notification_email
from equitime.notifications.tests.samples import sample
from equitime.skills.models import ImprovementArea, Skill

pytestmark = pytest.mark.django_db

KINDS = Notification.Kind.values


def a_notification(member, kind) -> Notification:
    # email=False: the task is run by hand below, once.
    return notify(recipient=member, kind=kind, **sample(kind), email=False)


# --- Defaults and groups --------------------------------------------------------------


def test_every_kind_is_in_exactly_one_group_of_the_page():
    grouped = [kind for _title, kinds in GROUPS for kind in kinds]
    assert sorted(grouped) == sorted(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_without_a_row_each_kind_follows_its_default(member, kind):
    assert member_wants_email(member, kind) is (kind in EMAILED_BY_DEFAULT)
    assert not NotificationPreferences.objects.filter(member=member).exists()


def test_only_choices_that_differ_from_the_defaults_are_kept(member):
    notification_preferences_set(
        member=member, emails={"thanks": True, "exchange_proposed": True, "session_moved": False}
    )
    assert preferences_of(member).email_choices == {"session_moved": False, "thanks": True}


def test_an_unknown_kind_is_refused(member):
    from equitime.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        notification_preferences_set(member=member, emails={"newsletter": True})
    assert refused.value.field == "emails"


# --- Every kind of notification e-mail ------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_turned_off_is_not_emailed_and_nothing_is_stamped(member, kind):
    notification_preferences_set(member=member, emails={kind: False})
    notification = a_notification(member, kind)

    result = notification_email.call(notification_id=notification.pk)

    assert result == "not wanted"
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None and notification.email_attempts == 0


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_turned_on_is_emailed_with_one_click_unsubscribe(member, kind):
    notification_preferences_set(member=member, emails={kind: True})
    notification = a_notification(member, kind)

    assert notification_email.call(notification_id=notification.pk) == "sent"

    [email] = mail.outbox
    assert email.to == [member.email]
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "/notifications/preferences/" in email.body
    assert "/unsubscribe/" in email.body


@pytest.mark.parametrize("kind", KINDS)
def test_with_no_choice_each_kind_is_emailed_as_its_default_says(member, kind):
    notification = a_notification(member, kind)
    result = notification_email.call(notification_id=notification.pk)
    assert (result == "sent") is (kind in EMAILED_BY_DEFAULT)
    assert len(mail.outbox) == (1 if kind in EMAILED_BY_DEFAULT else 0)


def test_the_choice_is_read_when_the_email_goes_not_when_it_was_queued(member):
    notification = a_notification(member, Notification.Kind.EXCHANGE_PROPOSED)
    notification_preferences_set(member=member, emails={"exchange_proposed": False})
    assert notification_email.call(notification_id=notification.pk) == "not wanted"


def test_the_notification_still_appears_in_the_app(client, member):
    notification_preferences_set(member=member, emails=dict.fromkeys(KINDS, False))
    notify(recipient=member, kind="exchange_proposed", **sample("exchange_proposed", name="Ben"))
    client.force_login(member)
    assert "Ben proposed an exchange" in client.get(reverse("notification_list")).text


# --- The page --------------------------------------------------------------------------


def test_the_page_shows_grouped_labelled_checkboxes_with_the_defaults(client, member):
    client.force_login(member)
    page = client.get(reverse("notification_preferences")).text
    for title, _kinds in GROUPS:
        assert f'<legend class="field__legend">{title}</legend>' in page
    assert 'id="id_email_exchange_proposed" checked' in page
    assert 'id="id_email_thanks" checked' not in page
    assert '<label for="id_email_thanks">Thanks received</label>' in page
    assert 'id="id_digest" checked' in page


def test_saving_the_page_keeps_each_choice(client, member):
    client.force_login(member)
    area = ImprovementArea.objects.get(slug="patient-safety")
    skill = Skill.objects.all()[0]
    response = client.post(
        reverse("notification_preferences"),
        {
            "email_thanks": "on",
            "email_exchange_proposed": "on",
            "followed_areas": [area.pk],
            "followed_skills": [skill.pk],
        },
    )
    assert response.status_code == 302
    preferences = preferences_of(member)
    assert preferences.digest is False  # left unticked
    assert member_wants_email(member, "thanks")
    assert member_wants_email(member, "exchange_proposed")
    assert not member_wants_email(member, "exchange_accepted")
    assert list(preferences.followed_areas.all()) == [area]
    assert list(preferences.followed_skills.all()) == [skill]


def test_the_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("notification_preferences"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_menu_and_the_notifications_page_link_to_it(client, member):
    client.force_login(member)
    page = client.get(reverse("notification_list")).text
    assert page.count(reverse("notification_preferences")) >= 2


# --- The API ---------------------------------------------------------------------------


def api(member, method, body=None, *, read_only=False):
    from django.test import Client

    _token, secret = api_token_create(member=member, name="test", read_only=read_only)
    return Client().generic(
        method,
        "/api/v1/notifications/preferences",
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_the_api_reads_the_defaults(member):
    answer = api(member, "GET").json()
    assert answer["digest"] is True
    assert answer["emails"]["exchange_proposed"] is True
    assert answer["emails"]["thanks"] is False
    assert set(answer["emails"]) == set(KINDS)
    assert answer["followed_skills"] == [] and answer["followed_areas"] == []


def test_the_api_changes_only_what_is_sent(member):
    area = ImprovementArea.objects.get(slug="patient-safety")
    response = api(
        member, "PUT", {"emails": {"thanks": True}, "digest": False, "followed_areas": [area.pk]}
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["emails"]["thanks"] is True
    assert answer["emails"]["exchange_proposed"] is True
    assert answer["digest"] is False
    assert answer["followed_areas"] == [area.pk]


@pytest.mark.parametrize(
    "body",
    [
        {"emails": {"newsletter": True}},
        {"emails": {"thanks": "yes"}},
        {"digest": 0},
        {"followed_areas": [999999]},
        {"followed_skills": [1, -7, 2**70]},
    ],
)
def test_the_api_refuses_what_it_cannot_read_and_changes_nothing(member, body):
    response = api(member, "PUT", body)
    assert response.status_code == 422, response.content
    assert not NotificationPreferences.objects.filter(member=member).exists()


def test_the_api_needs_a_token():
    from django.test import Client

    assert Client().get("/api/v1/notifications/preferences").status_code == 401
