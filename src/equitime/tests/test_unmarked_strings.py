"""Every word a person reads is marked for translation (issue 16).

The pages are rendered under a pseudo translation: every string that goes
through gettext (ours, Django's, allauth's, form errors, lazy strings,
{% translate %} and {% blocktranslate %}) comes back wrapped in ⟦…⟧. The
HTML's visible text and the attributes people read (title, aria-label, alt,
placeholder, a button's value ...) are then taken apart: once the marked
parts and the data are taken out, any letter left is English that a Welsh or
Arabic reader would meet untranslated, and the test names the page and the
text.

What members type (names, titles, bios, messages) is not translated. The
demo community is built, and then every text a member typed (``core.rules``:
``GUARDED`` and ``PATIENT_DATA_ONLY``, and the few names copied from them) is
overwritten with a recognisable form, ``xq`` and the row's id: a word
containing ``xq`` is data, and taken out before the check. So no allowlist
of English words: only the languages' own names in the switcher, which are
written in each language on purpose (settings.LANGUAGES), and the brand.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import CharField, TextField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real as _trans_real

from equitime.core import rules

pytestmark = pytest.mark.django_db

OPEN, CLOSE = "⟦", "⟧"
CONTEXT_SEPARATOR = "\x04"


# --- The pseudo translation ----------------------------------------------------------


class PseudoTranslation:
    """Django's translation object for a language, with every message wrapped.

    Whatever else Django asks of it (its language, its plural rule, merging)
    goes to the real one."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    @staticmethod
    def _wrap(message: str) -> str:
        # pgettext sends "context\x04message" and keeps the answer only when
        # the separator is gone: it is.
        return f"{OPEN}{message.rsplit(CONTEXT_SEPARATOR, 1)[-1]}{CLOSE}"

    def gettext(self, message: str) -> str:
        return self._wrap(message)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        return self._wrap(singular if number == 1 else plural)


# Django's translation machinery, whose private parts the stubs do not type.
trans_real: Any = _trans_real


@contextmanager
def pseudo_locale() -> Iterator[None]:
    """Within: every language of ours speaks the pseudo translation."""
    saved = dict(trans_real._translations)
    saved_default = trans_real._default
    saved_active = getattr(trans_real._active, "value", None)
    try:
        for code, _name in settings.LANGUAGES:
            real = trans_real.translation(code)
            trans_real._translations[code] = PseudoTranslation(real)
        trans_real._default = trans_real._translations[settings.LANGUAGE_CODE]
        trans_real._active.value = trans_real._default
        yield
    finally:
        trans_real._translations.clear()
        trans_real._translations.update(saved)
        trans_real._default = saved_default
        if saved_active is None:
            translation.deactivate()
        else:
            trans_real._active.value = saved_active


# --- Reading what a person reads -------------------------------------------------------

# Attributes a person reads or hears: shown on hover, read by a screen reader,
# shown in an empty field, or written on a button.
READ_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder", "aria-description"}
BUTTON_INPUTS = {"submit", "button", "reset"}
DATA = re.compile(r"[^\s⟦⟧]*xq[^\s⟦⟧]*", re.IGNORECASE)
# Links, and the time zones' place names as the tz database has them, with
# their abbreviations: "London (GMT, UTC)" (core.zones.zone_label).
LINK = re.compile(r"(?:https?://|127\.0\.0\.1:|testserver)[^\s⟦⟧<>\"]*")
ZONE = re.compile(r"[\w/.' -]+ \((?:[A-Z]{2,5}|[+-]\d+), UTC(?:[+-]\d{1,2}(?::\d\d)?)?\)")
# Each language's name in itself, as the switcher shows it, and the brand.
NOT_TRANSLATED = sorted(
    [name for _code, name in settings.LANGUAGES] + ["Equitime"], key=len, reverse=True
)
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
LETTER = re.compile(r"[^\W\d_]")
INITIALS = re.compile(r"X{1,2}")


def unmarked(text: str) -> list[str]:
    """What is left of ``text``, line by line, with letters in it, once the
    marked parts (which may run over several lines) and the data are taken out."""
    rest = ZONE.sub(" ", DATA.sub(" ", LINK.sub(" ", text)))
    while True:
        fewer = MARKED.sub(" ", rest)
        if fewer == rest:
            break
        rest = fewer
    for name in NOT_TRANSLATED:
        rest = rest.replace(name, " ")
    lines = [" ".join(line.split()) for line in rest.splitlines()]
    # "X": the initials of a member's name (xq...), in their avatar.
    return [line for line in lines if LETTER.search(line) and not INITIALS.fullmatch(line)]


class ReadText(HTMLParser):
    """What a person reads on a page: the text outside script and style, in
    order (one marked sentence may hold a link, so it runs over several text
    nodes), and the attributes above, each on its own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        found = dict(attrs)
        for name in sorted(READ_ATTRIBUTES):
            if found.get(name):
                self.attributes.append((f"<{tag} {name}>", found[name] or ""))
        kind = (found.get("type") or "").lower()
        if tag == "input" and kind in BUTTON_INPUTS and found.get("value"):
            self.attributes.append((f"<input type={kind} value>", found["value"] or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def problems_in_html(where: str, html: str) -> list[str]:
    reader = ReadText()
    reader.feed(html)
    found = [f"{where}: {left!r}" for left in unmarked("\n".join(reader.texts))]
    for attribute, value in reader.attributes:
        found += [f"{where}: {attribute} {left!r}" for left in unmarked(value)]
    return found


def problems_in_text(where: str, text: str) -> list[str]:
    return [f"{where}: {left!r}" for left in unmarked(text)]


# --- The community, with members' words made recognisable ---------------------------

# Names the code copies from what members typed, shown as they are.
COPIED = [
    "members.Organisation.name",
    "ledger.Account.name",
    "impact.HoursMonth.label",
    "exchanges.ExchangeEvent.note",
    "scheduling.SessionEvent.reason",
]

# A notification's params that are words from what members typed (names,
# titles, notes, reasons) as they were when it was written; the rest are
# instants, minutes and codes the sentence puts into words.
NOT_TYPED_PARAMS = {"starts_at", "expires_at", "verb"}


# The ledger refuses changes to its rows (a trigger): a donation's memo and an
# account's name stay as the demo wrote them, and are taken out by their text.
IMMUTABLE = {"ledger.Transfer.memo", "ledger.Account.name"}


def members_words_recognisable() -> None:
    """Every text a member typed becomes ``xq<field><id>``; e-mail addresses too."""
    for dotted in [*rules.GUARDED, *rules.PATIENT_DATA_ONLY, *COPIED]:
        if dotted in IMMUTABLE:
            continue
        app_label, model_name, field_name = dotted.split(".")
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        marker = f"xq{field_name[:3]}"
        value = Concat(Value(marker), Cast("pk", CharField()))
        if isinstance(field, CharField | TextField):
            model.objects.exclude(**{field_name: ""}).update(**{field_name: value})
    notification = apps.get_model("notifications", "Notification")
    for row in notification.objects.only("pk", "params"):
        params = {
            name: f"xqpar{row.pk}"
            if isinstance(value, str) and name not in NOT_TYPED_PARAMS
            else value
            for name, value in row.params.items()
        }
        notification.objects.filter(pk=row.pk).update(params=params)
    member = apps.get_model("members", "Member")
    member.objects.update(
        email=Concat(Value("xq"), Cast("pk", CharField()), Value("@xq.example")),
        sort_name=Concat(Value("xq"), Cast("pk", CharField())),
        search_name=Concat(Value("xq"), Cast("pk", CharField())),
    )
    apps.get_model("account", "EmailAddress").objects.update(
        email=Concat(Value("xq"), Cast("user_id", CharField()), Value("@xq.example"))
    )
    # Lists of words a member typed: their other skills, the languages they speak.
    for app_label, model_name, field_name in [
        ("members", "Profile", "skills_offered"),
        ("members", "Profile", "languages"),
        ("listings", "Listing", "languages"),
    ]:
        model = apps.get_model(app_label, model_name)
        for row in model.objects.exclude(**{field_name: []}).only("pk", field_name):
            words = [f"xq{field_name[:3]}{n}" for n, _word in enumerate(getattr(row, field_name))]
            model.objects.filter(pk=row.pk).update(**{field_name: words})
    for model_name in ("Session", "ProposedTime"):
        apps.get_model("scheduling", model_name).objects.exclude(video_url="").update(
            video_url=Concat(Value("https://xq.example/"), Cast("pk", CharField()))
        )
    cache.clear()


@pytest.fixture
def community(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Through its command: nothing outside the demo app imports it (demo tests).
    call_command("demo", stdout=io.StringIO())
    members_words_recognisable()


def people() -> dict[str, Any]:
    """The members whose pages are read: a member in an exchange with messages
    and a reflection, a moderator, the administrator, an organisation lead."""
    from equitime.exchanges.models import Exchange
    from equitime.impact.models import OrganisationLead
    from equitime.members.models import Member
    from equitime.members.roles import GROUP_NAMES, MODERATOR

    exchange = (
        Exchange.objects.filter(messages__isnull=False, reflections__isnull=False)
        .select_related("provider", "receiver")
        .order_by("pk")
        .first()
    )
    assert exchange is not None, "the demo has an exchange with messages and a reflection"
    reflection = exchange.reflections.first()
    member = reflection.author if reflection is not None else exchange.provider
    moderator = (
        Member.objects.filter(groups__name=GROUP_NAMES[MODERATOR], is_superuser=False)
        .order_by("pk")
        .first()
    )
    admin = Member.objects.filter(is_superuser=True).order_by("pk").first()
    lead = OrganisationLead.objects.select_related("member").order_by("pk").first()
    return {
        "member": member,
        "exchange": exchange,
        "moderator": moderator or admin,
        "admin": admin,
        "lead": lead.member if lead else admin,
        "organisation": lead.organisation if lead else None,
    }


def pages(who: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """(what the page is, who reads it or None for a visitor, its address)."""
    from equitime.campaigns.models import Campaign
    from equitime.coordination.models import Consent
    from equitime.listings.models import Listing
    from equitime.scheduling.models import Session

    member, exchange = who["member"], who["exchange"]
    own = Listing.objects.filter(owner=member).order_by("pk").first() or exchange.listing
    other = Listing.objects.exclude(owner=member).filter(status="open").order_by("pk").first()
    campaign = Campaign.objects.order_by("pk").first()
    group = Session.objects.filter(kind=Session.Kind.GROUP).order_by("pk").first()
    consent = Consent.objects.select_related("coordinator", "member").order_by("pk").first()
    found = [
        ("home", None, reverse("home")),
        ("sign in", None, reverse("account_login")),
        ("join", None, reverse("account_signup")),
        ("password reset", None, reverse("account_reset_password")),
        ("public impact", None, reverse("impact_public")),
        ("privacy notice", None, reverse("privacy_notice")),
        ("accessibility", None, reverse("accessibility_statement")),
        ("404", None, "/no-such-page/"),
        ("dashboard", member, reverse("dashboard")),
        ("browse", member, reverse("listing_browse")),
        ("listing detail (own)", member, reverse("listing_detail", args=[own.pk])),
        ("new offer", member, reverse("listing_create", args=["offer"])),
        ("new request", member, reverse("listing_create", args=["request"])),
        ("listing edit", member, reverse("listing_edit", args=[own.pk])),
        ("exchanges", member, reverse("exchange_list")),
        ("exchange", member, reverse("exchange_detail", args=[exchange.pk])),
        ("profile", member, reverse("profile_detail", args=[member.pk])),
        ("profile edit", member, reverse("profile_edit")),
        ("members", member, reverse("member_directory")),
        ("notifications", member, reverse("notification_list")),
        ("preferences", member, reverse("notification_preferences")),
        ("calendar", member, reverse("calendar")),
        ("sessions", member, reverse("session_list")),
        ("group sessions", member, reverse("group_session_list")),
        ("campaigns", member, reverse("campaign_list")),
        ("CPD", member, reverse("cpd_record")),
        ("give", member, reverse("donate")),
        ("account security", member, reverse("account_security")),
        ("account privacy", member, reverse("account_privacy")),
        ("API tokens", member, reverse("api_tokens")),
        ("my coordinators", member, reverse("coordination_mine")),
        ("suggestions", member, reverse("suggestion_settings")),
        ("digest", member, reverse("digest")),
        ("403", member, reverse("moderation_queue")),
        ("moderation queue", who["moderator"], reverse("moderation_queue")),
        ("profile (moderator)", who["moderator"], reverse("profile_detail", args=[member.pk])),
        ("impact dashboard", who["admin"], reverse("impact_dashboard")),
        ("impact network", who["admin"], reverse("impact_network")),
        ("impact leads", who["admin"], reverse("impact_leads")),
        ("exports", who["admin"], reverse("export_list")),
        ("invitations", who["admin"], reverse("invitation_list")),
        ("new campaign", who["admin"], reverse("campaign_create")),
        ("session settings", who["admin"], reverse("scheduling_settings")),
        ("coordination", who["admin"], reverse("coordination_home")),
        ("my organisation", who["lead"], reverse("impact_my_organisation")),
    ]
    if other is not None:
        found.append(("listing detail", member, reverse("listing_detail", args=[other.pk])))
        found.append(("propose", member, reverse("exchange_propose", args=[other.pk])))
    if campaign is not None:
        found.append(("campaign", member, reverse("campaign_detail", args=[campaign.slug])))
        found.append(
            ("campaign edit", who["admin"], reverse("campaign_edit", args=[campaign.slug]))
        )
    if group is not None:
        found.append(("group session", member, reverse("group_session_detail", args=[group.pk])))
    if consent is not None:
        found.append(
            (
                "coordinating a member",
                consent.coordinator,
                reverse("coordination_member", args=[consent.member_id]),
            )
        )
    if who["organisation"] is not None:
        found.append(
            (
                "organisation members",
                who["lead"],
                reverse("impact_organisation_members", args=[who["organisation"].pk]),
            )
        )
    return found


def test_every_page_speaks_only_marked_words(client, community):
    who = people()
    problems: list[str] = []
    with pseudo_locale():
        for name, reader, path in pages(who):
            client.logout()
            if reader is not None:
                client.force_login(reader)
            response = client.get(path, follow=True)
            assert response.status_code in {200, 403, 404}, (name, path, response.status_code)
            found = problems_in_html(f"{name} ({path})", response.content.decode())
            problems += found
    assert not problems, "Unmarked text (wrap it in gettext or {% translate %}):\n" + "\n".join(
        sorted(set(problems))
    )


def test_forms_errors_are_marked_too(client, community):
    """A form sent back with errors: Django's and ours."""
    who = people()
    problems: list[str] = []
    with pseudo_locale():
        client.force_login(who["member"])
        for name, path in [
            ("new offer", reverse("listing_create", args=["offer"])),
            ("profile edit", reverse("profile_edit")),
        ]:
            response = client.post(path, {"minutes": "-5", "title": ""})
            problems += problems_in_html(f"{name} with errors", response.content.decode())
        client.logout()
        response = client.post(reverse("account_login"), {"login": "x", "password": "y"})
        problems += problems_in_html("sign in with errors", response.content.decode())
        response = client.post(reverse("account_signup"), {"email": "not an address"})
        problems += problems_in_html("join with errors", response.content.decode())
    assert not problems, "Unmarked text:\n" + "\n".join(sorted(set(problems)))


def test_api_problems_are_marked(client, community):
    from equitime.api.services import api_token_create

    who = people()
    _token, secret = api_token_create(member=who["member"], name="pseudo")
    _token, read_only = api_token_create(member=who["member"], name="reader", read_only=True)
    auth = {"Authorization": f"Bearer {secret}"}
    problems: list[str] = []
    with pseudo_locale():
        answers = [
            ("401", client.get("/api/v1/me")),
            ("404", client.get("/api/v1/members/0", headers=auth)),
            ("404 path", client.get("/api/v1/no-such-thing", headers=auth)),
            (
                "403 read only",
                client.patch(
                    "/api/v1/me",
                    {"bio": "xq"},
                    content_type="application/json",
                    headers={"Authorization": f"Bearer {read_only}"},
                ),
            ),
            (
                "422 schema",
                client.patch(
                    "/api/v1/me", {"display_name": 5}, content_type="application/json", headers=auth
                ),
            ),
            (
                "422 form",
                client.patch(
                    "/api/v1/me", {"country": "ZZ"}, content_type="application/json", headers=auth
                ),
            ),
            ("405", client.delete("/api/v1/me", headers=auth)),
        ]
        for name, response in answers:
            body = response.json()
            assert response.status_code >= 400, (name, body)
            texts = [body["title"], body["detail"]]
            texts += [error["message"] for error in body.get("errors", [])]
            problems += [f"API {name}: {left!r}" for text in texts for left in unmarked(text)]
    assert not problems, "Unmarked text:\n" + "\n".join(problems)


def test_emails_are_marked(client, community, django_capture_on_commit_callbacks):
    from equitime.digest.selectors import digest_build, week_preview
    from equitime.digest.services import digest_email, digest_subject
    from equitime.members.services import invitation_send
    from equitime.scheduling.invitations import invitation_email
    from equitime.scheduling.models import Session

    who = people()
    problems: list[str] = []
    session = (
        Session.objects.filter(starts_at__isnull=False, exchange__isnull=False)
        .select_related("exchange__provider")
        .order_by("pk")
        .first()
    )
    with pseudo_locale():
        messages: list[tuple[str, Any]] = []
        digest = digest_build(member=who["member"], week=week_preview(timezone.now()))
        problems += [f"digest subject: {left!r}" for left in unmarked(digest_subject(digest))]
        messages.append(("digest", digest_email(digest)))
        if session is not None and session.exchange is not None:
            recipient = session.exchange.provider
            messages.append(
                (
                    "calendar invitation",
                    invitation_email(session, recipient=recipient, cancel=False),
                )
            )
            messages.append(
                ("calendar cancel", invitation_email(session, recipient=recipient, cancel=True))
            )
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            invitation_send(email="xqnew@xq.example", by=who["admin"])
        client.post(reverse("account_reset_password"), {"email": who["member"].email})
        messages += [(f"e-mail {m.subject!r}", m) for m in mail.outbox]
        for name, message in messages:
            problems += [f"{name} subject: {left!r}" for left in unmarked(str(message.subject))]
            problems += problems_in_text(f"{name} (text)", str(message.body))
            for content, kind in getattr(message, "alternatives", []):
                if kind == "text/html":
                    problems += problems_in_html(f"{name} (HTML)", content)
    assert messages
    assert not problems, "Unmarked text:\n" + "\n".join(sorted(set(problems)))


# --- The check itself ---------------------------------------------------------------------


def test_the_check_finds_english_outside_the_markers():
    assert unmarked("⟦Sign in⟧") == []
    assert unmarked("⟦Hello ⟦xq12⟧⟧ xq3") == []
    assert unmarked("12 ⟦hours⟧ · 3") == []
    assert unmarked("⟦Sign in⟧ or join") == ["or join"]
    page = '<p>⟦Already a member? <a href="/">⟦Sign in⟧</a>⟧</p><p>Cymraeg</p>'
    assert problems_in_html("p", page) == []
    page = '<button title="Close">⟦x⟧</button><script>var a</script><p>Hi</p>'
    assert problems_in_html("p", page) == ["p: 'Hi'", "p: <button title> 'Close'"]


def test_the_pseudo_translation_reaches_django_and_lazy_strings():
    from django.core.validators import EmailValidator
    from django.utils.translation import gettext_lazy, ngettext, pgettext

    lazy = gettext_lazy("Sign in")
    with pseudo_locale():
        assert str(lazy) == "⟦Sign in⟧"
        assert pgettext("month name", "May") == "⟦May⟧"
        assert ngettext("%(n)s hour", "%(n)s hours", 2) == "⟦%(n)s hours⟧"
        assert str(EmailValidator.message) == "⟦Enter a valid email address.⟧"
    assert str(lazy) == "Sign in"
