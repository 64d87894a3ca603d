"""The demo's members with varied notification preferences, and a digest that
can be previewed for every demo member."""

import io

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from equitime.demo.preferences import PREFERENCES
from equitime.members import roles
from equitime.members.models import Member
from equitime.notifications.models import NotificationPreferences
from equitime.notifications.preferences import member_wants_digest, member_wants_email

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_has_varied_preferences_and_every_digest_can_be_previewed():
    call_command("demo", stdout=io.StringIO())
    assert NotificationPreferences.objects.count() == len(PREFERENCES)
    with_digest_off = NotificationPreferences.objects.filter(digest=False)
    assert with_digest_off.count() >= 2
    assert any(
        not member_wants_email(p.member, "exchange_message")
        for p in NotificationPreferences.objects.all()
    )
    assert NotificationPreferences.objects.exclude(followed_areas=None).exists()

    admin = next(m for m in Member.objects.all() if roles.COMMUNITY_ADMIN in roles.member_roles(m))
    client = Client()
    client.force_login(admin)
    for member in Member.objects.filter(is_active=True):
        response = client.get(reverse("digest_preview", kwargs={"member_id": member.pk}))
        assert response.status_code == 200, member.email
    amina = Member.objects.get(email__startswith="amina.okafor")
    page = client.get(reverse("digest_preview", kwargs={"member_id": amina.pk})).text
    assert "What waits for you" in page

    call_command("demo", stdout=io.StringIO())  # a second run changes nothing
    assert NotificationPreferences.objects.count() == len(PREFERENCES)
    turned_off = with_digest_off.first()
    assert turned_off is not None
    assert not member_wants_digest(turned_off.member)
