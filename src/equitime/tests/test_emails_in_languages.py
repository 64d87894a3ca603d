"""Every e-mail is written in its reader's language, whatever language the
worker (or the requester) is in: a member's choice (``Profile.language``);
someone invited, the inviter's; allauth's e-mails, the account holder's
choice, else the page's. A new member keeps the language they joined in.

Day and month names come from Django's own catalogues, so the dates prove the
language before Equitime's catalogues are translated; the rest is compared
with gettext under that language."""

from datetime import UTC, datetime

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from equitime.members import adapters, roles
from equitime.members import services as member_services
from equitime.members.models import Invitation, Member, Profile
from equitime.members.retention import members_dormant_warn
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

PASSWORD = "quiet lantern harbour 42"
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def speaking(member: Member, language: str) -> Member:
    Profile.objects.filter(member=member).update(language=language)
    return Member.objects.select_related("profile").get(pk=member.pk)


def said_in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture
def languages_rendered(monkeypatch):
    """The language active as each of allauth's e-mails is rendered."""
    seen: list[str] = []
    render_mail = adapters.AccountAdapter.render_mail

    def spy(self, template_prefix, email, context, headers=None):
        seen.append(translation.get_language())
        return render_mail(self, template_prefix, email, context, headers)

    monkeypatch.setattr(adapters.AccountAdapter, "render_mail", spy)
    return seen


def test_the_dormant_account_warning_is_in_the_members_language(
    settings, django_capture_on_commit_callbacks
):
    settings.EQUITIME_RETENTION = {
        **settings.EQUITIME_RETENTION,
        "dormant_account_days": 1095,
        "dormant_warning_days": 30,
    }
    member = speaking(make_member(display_name="Dafydd Dormant"), "cy")
    long_ago = datetime(2023, 6, 1, 9, 0, tzinfo=UTC)
    Member.objects.filter(pk=member.pk).update(last_login=long_ago, date_joined=long_ago)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert members_dormant_warn(now=datetime(2026, 12, 6, 20, 0, tzinfo=UTC)) == 1

    [email] = mail.outbox
    assert email.subject == said_in("cy", "Equitime: your account will close unless you sign in")
    assert "5 Ionawr 2027" in email.body  # January, in Welsh
    assert "January" not in email.body


@pytest.mark.parametrize(("language", "when"), [("cy", "8 Rhagfyr 2026"), ("ar", "8 ديسمبر 2026")])
def test_a_security_notice_is_in_the_account_holders_language(
    rf, member, languages_rendered, language, when
):
    holder = speaking(member, language)
    request = rf.get("/")
    context = {
        "user": holder,
        "timestamp": datetime(2026, 12, 8, 14, 0, tzinfo=UTC),
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
    }

    with translation.override("en-gb"), allauth_context.request_context(request):
        get_adapter(request).send_mail("account/email/password_changed", holder.email, context)

    assert languages_rendered == [language]
    [email] = mail.outbox
    assert when in email.body


def test_a_reset_for_a_member_who_has_not_chosen_follows_the_page(
    client, member, languages_rendered
):
    client.cookies[COOKIE] = "cy"
    client.post(reverse("account_reset_password"), {"email": member.email})

    assert languages_rendered == ["cy"]
    assert len(mail.outbox) == 1


def test_a_reset_for_a_member_who_has_chosen_is_in_their_language_whatever_the_page(
    client, member, languages_rendered
):
    speaking(member, "ar")
    client.cookies[COOKIE] = "cy"
    client.post(reverse("account_reset_password"), {"email": member.email})

    assert languages_rendered == ["ar"]


def test_a_reset_for_an_unknown_address_is_in_the_pages_language(client, languages_rendered):
    client.post(
        reverse("account_reset_password"),
        {"email": "nobody@example.org"},
        HTTP_ACCEPT_LANGUAGE="ar",
    )

    assert languages_rendered == ["ar"]


@pytest.mark.parametrize("language", ["cy", "ar"])
def test_a_visitor_who_joins_in_welsh_or_arabic_keeps_that_language(
    client, languages_rendered, language
):
    client.cookies[COOKIE] = language
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.colleague@example.nhs.uk",
            "display_name": "Nia Jones",
            "organisation": "",
            "profession": "Data analyst",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302, response.content
    member = Member.objects.select_related("profile").get(email="new.colleague@example.nhs.uk")
    assert member.profile.language == language
    # The address's confirmation, in that language too.
    assert languages_rendered == [language]


def test_a_visitor_who_joins_in_english_keeps_english(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new.colleague@example.nhs.uk",
            "display_name": "Nia Jones",
            "organisation": "",
            "profession": "Data analyst",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    member = Member.objects.select_related("profile").get(email="new.colleague@example.nhs.uk")
    assert member.profile.language == settings.LANGUAGE_CODE


def test_an_invitation_to_join_is_in_the_inviters_language(
    client, make_member, monkeypatch, django_capture_on_commit_callbacks
):
    admin = member_role_grant(
        member=make_member(display_name="Ada Admin"), role=roles.COMMUNITY_ADMIN, by=None
    )
    speaking(admin, "cy")
    seen: list[str] = []
    render = member_services.render_to_string

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return render(*args, **kwargs)

    monkeypatch.setattr(member_services, "render_to_string", spy)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/invitations/", {"email": "guest@university.example.ac.uk"})
    assert Invitation.objects.count() == 1

    # Sent after the request, where the inviter's language is no longer active.
    with translation.override("en-gb"):
        for callback in callbacks:
            callback()

    assert seen == ["cy"]
    [email] = mail.outbox
    assert email.subject == said_in("cy", "%(name)s invites you to Equitime") % {
        "name": "Ada Admin"
    }
