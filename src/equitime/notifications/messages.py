"""Every sentence a notification can say, and saying it in the reader's language.

A notification stores what happened, not words: its ``kind``, a ``variant``
where a kind has more than one sentence, and ``params``, the plain values the
sentence needs (names and titles as they were, ids, ISO instants, minutes,
days). It is put into words when it is read (``notification_text``): in the
active language, with dates and times on the active clock. A page activates
the reader's language and zone; an e-mail, the digest or anything else written
to a member away from their own request renders inside
``core.locale.speaking_to(member)``. So a member who reads Welsh is told in
Welsh what a colleague who reads Arabic did.

``SENTENCES`` maps (kind, variant) to its ``Sentence``; a kind with one sentence
has the variant "". The templates are English msgids marked for translation
(``gettext_noop``; plurals through ``ngettext`` at render time), translated
only when shown.

Some placeholders are not stored as such but made from a stored value when the
sentence is rendered (``DERIVED``): ``%(when)s`` from ``starts_at`` (an ISO
instant) on the reader's clock, ``%(hours)s`` from ``minutes``, ``%(amount)s``
from ``amount_minutes``... A value matched back from an old English message
(``migrations/0010``) is stored under the placeholder's own name and shown as
it was.

``notify`` refuses an unknown kind or variant, and params that do not fill the
sentence (one missing, or one it does not use): ``check_params``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, ngettext, ngettext_lazy

from equitime.core import zones
from equitime.core.durations import days_period
from equitime.core.notices import recorded_variant
from equitime.core.units import FRACTION_COUNT, credits_figure, credits_text, plural_count

# A notification's text is one line of at most this many characters: it becomes
# an e-mail subject, and a list row.
TEXT_LENGTH = 300
LEGACY = "legacy"  # a message from before params that matched no sentence: kept as written

Params = Mapping[str, Any]

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Sentence:
    """One thing a notification can say.

    ``text``: the template (an English msgid). ``plural``: its plural msgid
    when the sentence counts something, chosen by ``count`` (a stored param of
    minutes). ``then``: a sentence said after it, in the same params.
    ``recorded``: add that a coordinator keyed it in (param ``coordinator``).
    ``fixed``: placeholders that are words of ours, not the caller's."""

    text: str
    plural: str = ""
    count: str = ""
    then: str = ""
    recorded: bool = False
    fixed: Mapping[str, str] = field(default_factory=dict)

    def templates(self) -> list[str]:
        return [t for t in (self.text, self.plural, self.then) if t]

    def placeholders(self) -> set[str]:
        """The names its templates fill (the coordinator's suffix apart)."""
        names = {name for t in self.templates() for name in _PLACEHOLDER.findall(t)}
        return names - set(self.fixed)

    def stored(self) -> set[str]:
        """The params a new notification of this sentence carries."""
        names = {DERIVED[name][0] if name in DERIVED else name for name in self.placeholders()}
        return (
            names
            | ({self.count} if self.count else set())
            | ({"coordinator"} if self.recorded else set())
        )


# The sentences that count, marked for makemessages as plural entries (a
# plural must be marked in an ngettext call, with its literals), so that Welsh
# and Arabic get all their forms; ``ngettext`` renders them from ``SENTENCES``,
# whose strings a test holds to these.
PLURALS = [
    ngettext_lazy(
        "%(name)s logged %(hours)s hour for: %(title)s. Please confirm or dispute.",
        "%(name)s logged %(hours)s hours for: %(title)s. Please confirm or dispute.",
        "count",
    ),
]

RECORDED = gettext_noop("%(message)s (Recorded by the coordinator %(coordinator)s.)")


# --- Values made when a sentence is rendered -------------------------------------------------


def _instant(value: Any) -> datetime | None:
    """A stored ISO instant (or a datetime not yet stored), aware; else None."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _reader_zone() -> Any:
    return zones.zone_named(getattr(timezone.get_current_timezone(), "key", None))


def _on_clock(format_: str) -> Callable[[Any], str | None]:
    def render(value: Any) -> str | None:
        moment = _instant(value)
        if moment is None:
            return None
        return date_format(timezone.localtime(moment, _reader_zone()), format_)

    return render


def _when(value: Any) -> str | None:
    """ "Tue 10 Mar, 09:00 Toronto (EDT, UTC-4)": the instant on the reader's clock."""
    moment = _instant(value)
    if moment is None:
        return None
    zone = _reader_zone()
    local = timezone.localtime(moment, zone)
    return f"{date_format(local, 'D j M, H:i')} {zones.zone_label(zone, moment)}"


def _city(value: Any) -> str | None:
    return zones.zone_city(_reader_zone()) if _instant(value) else None


def _offset(value: Any) -> str | None:
    moment = _instant(value)
    return zones.zone_offset_label(_reader_zone(), moment) if moment else None


def _minutes(render: Callable[[int], str]) -> Callable[[Any], str | None]:
    def rendered(value: Any) -> str | None:
        return render(value) if isinstance(value, int) and not isinstance(value, bool) else None

    return rendered


def _days(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return days_period(value)
    return None


def _verb(value: Any) -> str | None:
    from equitime.exchanges.models import ExchangeEvent  # above exchanges; read lazily

    if value in ExchangeEvent.Verb.values:
        return str(ExchangeEvent.Verb(value).label)
    return None


def _date(value: Any) -> str | None:
    moment = _instant(value)
    if moment is not None:
        return date_format(timezone.localtime(moment, _reader_zone()), "j F Y")
    try:
        return date_format(date.fromisoformat(value), "j F Y") if isinstance(value, str) else None
    except ValueError:
        return None


# placeholder -> (the param it is made from, how)
DERIVED: dict[str, tuple[str, Callable[[Any], str | None]]] = {
    "when": ("starts_at", _when),
    "day": ("starts_at", _on_clock("l j F")),
    "time": ("starts_at", _on_clock("H:i")),
    "city": ("starts_at", _city),
    "offset": ("starts_at", _offset),
    "date": ("expires_at", _date),
    "hours": ("minutes", _minutes(credits_figure)),
    "posted": ("posted_minutes", _minutes(credits_figure)),
    "unconfirmed": ("unconfirmed_minutes", _minutes(credits_figure)),
    "amount": ("amount_minutes", _minutes(credits_text)),
    "share": ("share_minutes", _minutes(credits_text)),
    "period": ("days", _days),
    "what": ("verb", _verb),
}


# --- The sentences ---------------------------------------------------------------------------

_EXCHANGE: dict[tuple[str, str], Sentence] = {
    ("exchange_proposed", ""): Sentence(gettext_noop("%(name)s proposed an exchange: %(title)s")),
    ("exchange_accepted", ""): Sentence(gettext_noop("%(name)s accepted the exchange: %(title)s")),
    ("exchange_declined", ""): Sentence(gettext_noop("%(name)s declined the exchange: %(title)s")),
    # Counted: its forms are marked as one plural entry (``PLURALS``), not here.
    ("exchange_delivered", ""): Sentence(
        "%(name)s logged %(hours)s hour for: %(title)s. Please confirm or dispute.",
        plural="%(name)s logged %(hours)s hours for: %(title)s. Please confirm or dispute.",
        count="minutes",
    ),
    ("exchange_completed", ""): Sentence(
        gettext_noop("%(name)s confirmed the exchange: %(title)s. Your credits have arrived.")
    ),
    ("exchange_completed", "auto"): Sentence(
        gettext_noop("The exchange %(title)s was confirmed automatically after %(period)s.")
    ),
    ("exchange_completed", "auto_partial"): Sentence(
        gettext_noop("The exchange %(title)s was confirmed automatically after %(period)s."),
        then=gettext_noop(
            "%(posted)s hours moved, the amount held; the other %(unconfirmed)s hours logged "
            "were not confirmed by the receiver."
        ),
    ),
    ("exchange_disputed", ""): Sentence(
        gettext_noop("%(name)s disputed the hours for: %(title)s. A moderator will review it.")
    ),
    ("exchange_cancelled", ""): Sentence(
        gettext_noop("%(name)s cancelled the exchange: %(title)s")
    ),
    ("exchange_resolved", ""): Sentence(
        gettext_noop("A moderator resolved the dispute about: %(title)s")
    ),
    ("exchange_resolved", "reversed"): Sentence(
        gettext_noop(
            "A moderator reversed the exchange %(title)s; the credits went back. Why: %(reason)s"
        )
    ),
}


SENTENCES: dict[tuple[str, str], Sentence] = {
    **_EXCHANGE,
    # The same, keyed in by a coordinator for their colleague.
    **{
        (kind, recorded_variant(variant)): Sentence(
            sentence.text, sentence.plural, sentence.count, sentence.then, recorded=True
        )
        for (kind, variant), sentence in _EXCHANGE.items()
    },
    ("exchange_message", ""): Sentence(gettext_noop("%(name)s sent a message about: %(title)s")),
    ("thanks", ""): Sentence(gettext_noop("%(name)s thanked you for: %(title)s")),
    ("donation_received", ""): Sentence(gettext_noop("%(name)s gave you %(amount)s.")),
    ("donation_received", "note"): Sentence(
        gettext_noop("%(name)s gave you %(amount)s, with a note: “%(note)s”")
    ),
    ("donation_received", "pool"): Sentence(
        gettext_noop("%(name)s gave you %(amount)s."),
        fixed={"name": gettext_noop("The community pool")},
    ),
    ("donation_received", "pool_note"): Sentence(
        gettext_noop("%(name)s gave you %(amount)s, with a note: “%(note)s”"),
        fixed={"name": gettext_noop("The community pool")},
    ),
    ("listing_expiring", ""): Sentence(
        gettext_noop("Your listing “%(title)s” expires on %(date)s. Renew it to keep it open.")
    ),
    ("listing_moderated", ""): Sentence(
        gettext_noop("A moderator closed your listing “%(title)s”: %(note)s")
    ),
    ("report_decided", "upheld"): Sentence(
        gettext_noop("Thank you: a moderator agreed with your report and closed “%(title)s”.")
    ),
    ("report_decided", "dismissed"): Sentence(
        gettext_noop(
            "A moderator reviewed your report on “%(title)s” and left the "
            "listing as it is: %(note)s"
        )
    ),
    ("session_proposed", ""): Sentence(
        gettext_noop("%(name)s proposed times to meet for: %(title)s")
    ),
    ("session_proposed", "move"): Sentence(
        gettext_noop("%(name)s proposed new times to move your session: %(title)s")
    ),
    ("session_scheduled", ""): Sentence(
        gettext_noop("%(name)s chose a time for %(title)s: %(when)s")
    ),
    ("session_moved", ""): Sentence(
        gettext_noop("%(name)s moved %(title)s to %(when)s: %(reason)s")
    ),
    ("session_moved", "chosen"): Sentence(
        gettext_noop("%(name)s chose a new time for %(title)s: %(when)s")
    ),
    ("session_cancelled", ""): Sentence(
        gettext_noop("%(name)s cancelled the session for %(title)s: %(reason)s")
    ),
    ("session_reminder", "day_before"): Sentence(
        gettext_noop(
            "Reminder: your session with %(name)s, “%(title)s”, is on %(day)s "
            "at %(time)s %(city)s time (%(offset)s)."
        )
    ),
    ("session_reminder", "hour_before"): Sentence(
        gettext_noop(
            "Your session with %(name)s, “%(title)s”, starts soon: "
            "%(time)s %(city)s time (%(offset)s)."
        )
    ),
    ("session_reminder", "group_day_before"): Sentence(
        gettext_noop(
            "Reminder: the group session “%(title)s” is on %(day)s "
            "at %(time)s %(city)s time (%(offset)s)."
        )
    ),
    ("session_reminder", "group_hour_before"): Sentence(
        gettext_noop(
            "The group session “%(title)s” starts soon: %(time)s %(city)s time (%(offset)s)."
        )
    ),
    ("session_log_hours", ""): Sentence(
        gettext_noop(
            "Your session with %(name)s, “%(title)s”, is over: log the hours you "
            "gave so that %(name)s can confirm them."
        )
    ),
    ("group_signed_up", ""): Sentence(gettext_noop("%(name)s took a place in %(title)s.")),
    ("group_signed_up", "waiting"): Sentence(
        gettext_noop("%(name)s joined the waiting list for %(title)s.")
    ),
    ("group_place", ""): Sentence(gettext_noop("A place came free in %(title)s: it is yours.")),
    ("group_place", "no_credit"): Sentence(
        gettext_noop(
            "A place came free in %(title)s, but it costs %(share)s and you do not "
            "have that available. You stay on the waiting list."
        )
    ),
    ("group_cancelled", ""): Sentence(gettext_noop("%(name)s cancelled %(title)s: %(reason)s")),
    ("group_attendance", "attended"): Sentence(
        gettext_noop("%(name)s recorded that you attended %(title)s.")
    ),
    ("group_attendance", "absent"): Sentence(
        gettext_noop(
            "%(name)s recorded that you could not attend %(title)s; "
            "any hold on your credits is released."
        )
    ),
    ("welcome", ""): Sentence(gettext_noop("%(name)s welcomed you to Equitime: “%(message)s”")),
    ("help_asked", ""): Sentence(gettext_noop("%(name)s asks if you could help: %(title)s")),
    ("help_accepted", ""): Sentence(
        gettext_noop("%(name)s said yes to helping with %(title)s: accept their proposal")
    ),
    ("help_declined", ""): Sentence(
        gettext_noop("%(name)s cannot help with %(title)s. You can ask someone else.")
    ),
    ("coordinator_acted", "consent"): Sentence(
        gettext_noop(
            "%(name)s recorded your consent for them to act for you on Equitime. "
            "You can withdraw it at any time."
        )
    ),
    ("coordinator_acted", "consent_withdrawn"): Sentence(
        gettext_noop("%(name)s no longer acts for you on Equitime.")
    ),
    ("coordinator_acted", "listing"): Sentence(
        gettext_noop("%(name)s posted a listing for you: %(title)s")
    ),
    ("coordinator_acted", "exchange"): Sentence(
        gettext_noop("%(name)s recorded an exchange for you with %(other)s: %(title)s")
    ),
    ("coordinator_acted", "recorded"): Sentence(
        gettext_noop("%(name)s recorded for you on the exchange %(title)s: %(what)s")
    ),
    ("organisation_lead", "appointed"): Sentence(
        gettext_noop(
            "You are now a lead of %(organisation)s: you can see its impact figures, "
            "and the names of its members who allow it."
        )
    ),
    ("organisation_lead", "removed"): Sentence(
        gettext_noop("You are no longer a lead of %(organisation)s.")
    ),
}


def variants_of(kind: str) -> list[str]:
    return [variant for k, variant in SENTENCES if k == kind]


# --- Checking and rendering ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A param as JSON keeps it: instants as ISO text in UTC."""
    if isinstance(value, datetime):
        moment = value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    # A lazy translation or a model would be stored as the writer's words.
    raise TypeError(f"A notification's params are plain values, not {type(value).__name__}")


def check_params(kind: str, variant: str, params: Params) -> dict[str, Any]:
    """The params as stored, or ValueError: an unknown kind or variant, or
    params that do not fill its sentence (one missing or one too many)."""
    if variant == LEGACY:
        raise ValueError("A legacy notification is only ever made by the migration")
    sentence = SENTENCES.get((kind, variant))
    if sentence is None:
        known = variants_of(kind)
        if not known:
            raise ValueError(f"Unknown notification kind: {kind!r}")
        raise ValueError(f"Unknown variant {variant!r} of {kind!r}; known: {known}")
    plain = {str(name): _plain(value) for name, value in params.items()}
    wanted = sentence.stored()
    missing, extra = sorted(wanted - set(plain)), sorted(set(plain) - wanted)
    if missing or extra:
        raise ValueError(
            f"The params of {kind!r}/{variant!r} do not fill its sentence: "
            f"missing {missing}, not used {extra}"
        )
    return plain


def _values(sentence: Sentence, params: Params) -> dict[str, Any]:
    values: dict[str, Any] = {name: gettext(text) for name, text in sentence.fixed.items()}
    for name in sentence.placeholders():
        source, render = DERIVED.get(name, (name, None))
        made = render(params.get(source)) if render is not None else None
        if made is not None:
            values[name] = made
        elif name in params:
            values[name] = params[name]  # as stored, or as matched back from old text
        else:
            values[name] = ""
    return values


def _count(sentence: Sentence, params: Params) -> int:
    minutes = params.get(sentence.count)
    if isinstance(minutes, int):
        return plural_count(minutes)
    return FRACTION_COUNT  # matched back from an old plural message: "other"


def one_line(text: str) -> str:
    """One line, at most ``TEXT_LENGTH`` characters: a newline is refused in an
    e-mail subject."""
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LENGTH else text[: TEXT_LENGTH - 1] + "…"


def render(kind: str, variant: str, params: Params) -> str:
    """The sentence in the active language, its dates on the active clock."""
    if variant == LEGACY:
        return one_line(str(params.get("text", "")))
    sentence = SENTENCES.get((kind, variant))
    if sentence is None:  # a kind retired since: say what is left
        return one_line(str(params.get("text", "")))
    values = _values(sentence, params)
    if sentence.plural:
        text = ngettext(sentence.text, sentence.plural, _count(sentence, params)) % values
    else:
        text = gettext(sentence.text) % values
    if sentence.then:
        text = f"{text} {gettext(sentence.then) % values}"
    if sentence.recorded:
        text = gettext(RECORDED) % {"message": text, "coordinator": params.get("coordinator", "")}
    return one_line(text)


def render_english(kind: str, variant: str, params: Params) -> str:
    with translation.override(None):
        return render(kind, variant, params)


def notification_text(notification: Any) -> str:
    """What ``notification`` says, in the active language."""
    return render(notification.kind, notification.variant, notification.params or {})
