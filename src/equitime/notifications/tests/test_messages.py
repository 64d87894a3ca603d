"""Notifications store what happened and are put into words for each reader:
in their language, with dates on their clock (``notifications.messages``)."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from equitime.core.locale import speaking_to
from equitime.core.units import MINUTES_PER_CREDIT
from equitime.core.zones import zone_named
from equitime.exchanges import services as exchanges
from equitime.exchanges.tests.factories import exchange_at
from equitime.listings.tests.factories import listing as make_listing
from equitime.members.models import Profile
from equitime.notifications import messages
from equitime.notifications.messages import LEGACY, SENTENCES, check_params, render
from equitime.notifications.models import Notification
from equitime.notifications.services import notify
from equitime.notifications.tests.samples import VALUES, sample

pytestmark = pytest.mark.django_db

KEYS = sorted(SENTENCES)


def test_every_kind_has_a_sentence_and_every_sentence_a_kind():
    assert {kind for kind, _variant in SENTENCES} == set(Notification.Kind.values)


@pytest.mark.parametrize(("kind", "variant"), KEYS, ids=[f"{k}-{v or 'one'}" for k, v in KEYS])
def test_each_sentence_is_said_with_its_params(member, kind, variant):
    told = sample(kind, variant)
    notification = notify(recipient=member, kind=kind, email=False, **told)
    notification.refresh_from_db()

    text = notification.message
    assert "%(" not in text and text == " ".join(text.split())
    for name, value in told["params"].items():
        if name in {"name", "title", "organisation", "reason", "note", "message", "other"}:
            assert value in text, name
    for language in ("cy", "ar"):
        with translation.override(language):
            assert "%(" not in notification.message


def test_the_sentences_are_marked_english_msgids():
    """What translators are given is what a notification says in English."""
    told = sample("exchange_accepted")
    with translation.override("en-gb"):
        assert render("exchange_accepted", "", told["params"]) == (
            "Ben Lee accepted the exchange: Run charts"
        )


@pytest.mark.parametrize(
    ("kind", "variant", "params", "error"),
    [
        ("exchange_acepted", "", {}, "Unknown notification kind"),
        ("exchange_accepted", "upheld", {"name": "B", "title": "T"}, "Unknown variant"),
        ("exchange_accepted", "", {"name": "B"}, "missing \\['title'\\]"),
        ("exchange_accepted", "", {"name": "B", "title": "T", "hours": 2}, "not used"),
        ("exchange_delivered", "", {"name": "B", "title": "T", "hours": "2"}, "missing"),
        ("thanks", LEGACY, {"text": "Hello"}, "legacy"),
    ],
    ids=["kind", "variant", "missing", "extra", "raw-not-words", "legacy"],
)
def test_params_that_do_not_fill_the_sentence_are_refused(member, kind, variant, params, error):
    with pytest.raises(ValueError, match=error):
        notify(recipient=member, kind=kind, variant=variant, params=params)

    assert not Notification.objects.exists()


def test_the_counted_sentences_are_the_plural_entries_marked():
    counted = [sentence for sentence in SENTENCES.values() if sentence.plural]
    with translation.override(None):
        marked = {
            mark % {"count": n, "name": "%(name)s", "hours": "%(hours)s", "title": "%(title)s"}
            for mark in messages.PLURALS
            for n in (1, 2)
        }
    assert {text for sentence in counted for text in (sentence.text, sentence.plural)} == marked


def test_params_are_plain_values_and_instants_are_stored_as_iso():
    stored = check_params(
        "session_scheduled",
        "",
        {"name": "B", "title": "T", "starts_at": datetime(2026, 3, 10, 14, tzinfo=UTC)},
    )
    assert stored["starts_at"] == "2026-03-10T14:00:00+00:00"
    with pytest.raises(TypeError):
        check_params("thanks", "", {"name": gettext, "title": "T"})


def test_a_time_is_written_on_the_readers_clock():
    params = {"name": "Rob", "title": "QI", "starts_at": "2026-03-11T14:00:00+00:00"}
    with timezone.override(zone_named("Europe/London")):
        assert render("session_scheduled", "", params).endswith(
            "Wed 11 Mar, 14:00 London (GMT, UTC)"
        )
    with timezone.override(zone_named("America/Toronto")):
        assert render("session_scheduled", "", params).endswith(
            "Wed 11 Mar, 10:00 Toronto (EDT, UTC\u22124)"
        )


def test_hours_are_written_by_the_units_and_their_plural_chosen_by_them():
    one = {"name": "B", "title": "T", "minutes": MINUTES_PER_CREDIT}
    more = {"name": "B", "title": "T", "minutes": 3 * MINUTES_PER_CREDIT // 2}
    assert render("exchange_delivered", "", one).startswith("B logged 1 hour for: T.")
    assert render("exchange_delivered", "", more).startswith("B logged 1.5 hours for: T.")


def test_a_legacy_notification_is_shown_as_it_was_written(member):
    notification = Notification.objects.create(
        recipient=member, kind="thanks", variant=LEGACY, params={"text": "Old words"}
    )
    with translation.override("cy"):
        assert notification.message == "Old words"


def _reading(member, language):
    Profile.objects.filter(member=member).update(language=language)
    member.profile.refresh_from_db()
    return member


def test_a_welsh_readers_act_is_told_to_an_arabic_reader_in_arabic(make_member):
    welsh = _reading(make_member(display_name="Siân Jones"), "cy")
    arabic = _reading(make_member(display_name="Layla Haddad"), "ar")
    exchange = exchange_at("accepted", listing=make_listing(welsh), receiver=arabic)

    with speaking_to(welsh):  # the actor's request speaks Welsh
        exchanges.exchange_message_post(exchange=exchange, member=welsh, body="Dydd Mawrth?")

    told = Notification.objects.get(recipient=arabic, kind="exchange_message")
    assert told.params == {"name": "Siân Jones", "title": exchange.title}
    with translation.override("ar"):
        expected = gettext("%(name)s sent a message about: %(title)s") % {
            "name": "Siân Jones",
            "title": exchange.title,
        }
    with speaking_to(arabic):
        assert told.message == expected
    with translation.override("en-gb"):
        assert told.message == f"Siân Jones sent a message about: {exchange.title}"


@pytest.mark.parametrize("language", ["cy", "ar"])
def test_the_email_is_written_in_the_recipients_language(
    make_member, language, django_capture_on_commit_callbacks
):
    reader = _reading(make_member(display_name="Reader"), language)
    params = {"name": "Ben", "title": "Run charts", "minutes": 2 * MINUTES_PER_CREDIT}

    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        notify(recipient=reader, kind="exchange_delivered", params=params)

    with translation.override(language):
        sentence = ngettext(
            "%(name)s logged %(hours)s hour for: %(title)s. Please confirm or dispute.",
            "%(name)s logged %(hours)s hours for: %(title)s. Please confirm or dispute.",
            2,
        ) % {**params, "hours": "2"}
        subject = gettext("Equitime: %(name)s") % {"name": sentence}
    [email] = mail.outbox
    assert email.subject == subject
    assert sentence in email.body


def test_the_sample_values_name_every_param_a_sentence_stores():
    stored = {name for sentence in SENTENCES.values() for name in sentence.stored()}
    assert stored <= set(VALUES)
    assert set(messages.DERIVED) & stored == set()
