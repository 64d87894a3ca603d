"""Each notification's English text turned back into what happened.

Every sentence a notification could say until now is listed here as it was
written then (frozen: later changes to ``notifications.messages`` do not change
what old text meant). A row's text is matched against its kind's sentences, a
placeholder read back as a named group; the first that matches the whole text
gives the variant, and its groups the params. A placeholder that is made from a
stored value when rendered ("hours", "when", "amount"...) keeps the text that
was matched, which ``messages`` shows as it is. A text that matches none (cut
at 300 characters, or written by hand) is kept whole: variant "legacy",
``params = {"text": ...}``, shown verbatim in every language.

Reversed, each row's English text is rendered again from its params.
"""

import re

from django.db import migrations

from equitime.core.units import MINUTES_PER_CREDIT

LEGACY = "legacy"
POOL = "The community pool"
RECORDED = re.compile(r"^(?P<message>.*) \(Recorded by the coordinator (?P<coordinator>.*)\.\)$")
EXCHANGE_KINDS = {
    "exchange_proposed",
    "exchange_accepted",
    "exchange_declined",
    "exchange_delivered",
    "exchange_completed",
    "exchange_disputed",
    "exchange_cancelled",
    "exchange_resolved",
}

# (kind, variant, the English as written, params a match adds)
SENTENCES: list[tuple[str, str, str, dict]] = [
    ("exchange_proposed", "", "%(name)s proposed an exchange: %(title)s", {}),
    ("exchange_accepted", "", "%(name)s accepted the exchange: %(title)s", {}),
    ("exchange_declined", "", "%(name)s declined the exchange: %(title)s", {}),
    # Singular only for exactly one hour: the minutes are known.
    (
        "exchange_delivered",
        "",
        "%(name)s logged 1 hour for: %(title)s. Please confirm or dispute.",
        {"minutes": MINUTES_PER_CREDIT},
    ),
    (
        "exchange_delivered",
        "",
        "%(name)s logged %(hours)s hours for: %(title)s. Please confirm or dispute.",
        {},
    ),
    (
        "exchange_completed",
        "",
        "%(name)s confirmed the exchange: %(title)s. Your credits have arrived.",
        {},
    ),
    (
        "exchange_completed",
        "auto",
        "The exchange %(title)s was confirmed automatically after %(period)s.",
        {},
    ),
    (
        "exchange_completed",
        "auto_partial",
        "The exchange %(title)s was confirmed automatically after %(period)s. "
        "%(posted)s hours moved, the amount held; the other %(unconfirmed)s hours logged "
        "were not confirmed by the receiver.",
        {},
    ),
    (
        "exchange_disputed",
        "",
        "%(name)s disputed the hours for: %(title)s. A moderator will review it.",
        {},
    ),
    ("exchange_cancelled", "", "%(name)s cancelled the exchange: %(title)s", {}),
    ("exchange_resolved", "", "A moderator resolved the dispute about: %(title)s", {}),
    (
        "exchange_resolved",
        "reversed",
        "A moderator reversed the exchange %(title)s; the credits went back. Why: %(reason)s",
        {},
    ),
    ("exchange_message", "", "%(name)s sent a message about: %(title)s", {}),
    ("thanks", "", "%(name)s thanked you for: %(title)s", {}),
    ("donation_received", "pool", POOL + " gave you %(amount)s.", {}),
    ("donation_received", "pool_note", POOL + " gave you %(amount)s, with a note: “%(note)s”", {}),
    ("donation_received", "", "%(name)s gave you %(amount)s.", {}),
    ("donation_received", "note", "%(name)s gave you %(amount)s, with a note: “%(note)s”", {}),
    (
        "listing_expiring",
        "",
        "Your listing “%(title)s” expires on %(date)s. Renew it to keep it open.",
        {},
    ),
    ("listing_moderated", "", "A moderator closed your listing “%(title)s”: %(note)s", {}),
    (
        "report_decided",
        "upheld",
        "Thank you: a moderator agreed with your report and closed “%(title)s”.",
        {},
    ),
    (
        "report_decided",
        "dismissed",
        "A moderator reviewed your report on “%(title)s” and left the listing as it is: %(note)s",
        {},
    ),
    ("session_proposed", "", "%(name)s proposed times to meet for: %(title)s", {}),
    ("session_proposed", "move", "%(name)s proposed new times to move your session: %(title)s", {}),
    ("session_scheduled", "", "%(name)s chose a time for %(title)s: %(when)s", {}),
    ("session_moved", "", "%(name)s moved %(title)s to %(when)s: %(reason)s", {}),
    ("session_moved", "chosen", "%(name)s chose a new time for %(title)s: %(when)s", {}),
    ("session_cancelled", "", "%(name)s cancelled the session for %(title)s: %(reason)s", {}),
    (
        "session_reminder",
        "day_before",
        "Reminder: your session with %(name)s, “%(title)s”, is on %(day)s at %(time)s "
        "%(city)s time (%(offset)s).",
        {},
    ),
    (
        "session_reminder",
        "hour_before",
        "Your session with %(name)s, “%(title)s”, starts soon: %(time)s %(city)s time "
        "(%(offset)s).",
        {},
    ),
    (
        "session_reminder",
        "group_day_before",
        "Reminder: the group session “%(title)s” is on %(day)s at %(time)s %(city)s time "
        "(%(offset)s).",
        {},
    ),
    (
        "session_reminder",
        "group_hour_before",
        "The group session “%(title)s” starts soon: %(time)s %(city)s time (%(offset)s).",
        {},
    ),
    (
        "session_log_hours",
        "",
        "Your session with %(name)s, “%(title)s”, is over: log the hours you gave so that "
        "%(name)s can confirm them.",
        {},
    ),
    ("group_signed_up", "", "%(name)s took a place in %(title)s.", {}),
    ("group_signed_up", "waiting", "%(name)s joined the waiting list for %(title)s.", {}),
    ("group_place", "", "A place came free in %(title)s: it is yours.", {}),
    (
        "group_place",
        "no_credit",
        "A place came free in %(title)s, but it costs %(share)s and you do not have that "
        "available. You stay on the waiting list.",
        {},
    ),
    ("group_cancelled", "", "%(name)s cancelled %(title)s: %(reason)s", {}),
    ("group_attendance", "attended", "%(name)s recorded that you attended %(title)s.", {}),
    (
        "group_attendance",
        "absent",
        "%(name)s recorded that you could not attend %(title)s; any hold on your credits is "
        "released.",
        {},
    ),
    ("welcome", "", "%(name)s welcomed you to Equitime: “%(message)s”", {}),
    ("help_asked", "", "%(name)s asks if you could help: %(title)s", {}),
    (
        "help_accepted",
        "",
        "%(name)s said yes to helping with %(title)s: accept their proposal",
        {},
    ),
    (
        "help_declined",
        "",
        "%(name)s cannot help with %(title)s. You can ask someone else.",
        {},
    ),
    (
        "coordinator_acted",
        "consent",
        "%(name)s recorded your consent for them to act for you on Equitime. You can withdraw "
        "it at any time.",
        {},
    ),
    ("coordinator_acted", "consent_withdrawn", "%(name)s no longer acts for you on Equitime.", {}),
    ("coordinator_acted", "listing", "%(name)s posted a listing for you: %(title)s", {}),
    (
        "coordinator_acted",
        "exchange",
        "%(name)s recorded an exchange for you with %(other)s: %(title)s",
        {},
    ),
    (
        "coordinator_acted",
        "recorded",
        "%(name)s recorded for you on the exchange %(title)s: %(what)s",
        {},
    ),
    (
        "organisation_lead",
        "appointed",
        "You are now a lead of %(organisation)s: you can see its impact figures, and the names "
        "of its members who allow it.",
        {},
    ),
    ("organisation_lead", "removed", "You are no longer a lead of %(organisation)s.", {}),
]

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def pattern(template: str) -> re.Pattern[str]:
    """The template as a regex: each placeholder a named group (a repeat must
    say the same), the rest literal."""
    out, seen, at = [], set(), 0
    for found in _PLACEHOLDER.finditer(template):
        out.append(_literal(template[at : found.start()]))
        name = found.group(1)
        out.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
        at = found.end()
    out.append(_literal(template[at:]))
    return re.compile("^" + "".join(out) + "$", re.DOTALL)


def _literal(text: str) -> str:
    return re.escape(text)


def _literal_length(template: str) -> int:
    return len(_PLACEHOLDER.sub("", template))


# The most literal sentence first: "confirmed automatically after X. N hours
# moved..." is also "confirmed automatically after (anything)."
_BY_KIND: dict[str, list[tuple[str, re.Pattern[str], dict]]] = {}
for _kind, _variant, _template, _adds in sorted(
    SENTENCES, key=lambda row: -_literal_length(row[2])
):
    _BY_KIND.setdefault(_kind, []).append((_variant, pattern(_template), _adds))


def params_of(kind: str, message: str) -> tuple[str, dict]:
    """(variant, params) for an old English ``message`` of ``kind``; legacy if none fits."""
    coordinator = None
    text = message
    if kind in EXCHANGE_KINDS:
        recorded = RECORDED.match(message)
        if recorded:
            text, coordinator = recorded.group("message"), recorded.group("coordinator")
    for variant, regex, adds in _BY_KIND.get(kind, []):
        # The old text was written on one line: a space before an empty value
        # at the end ("...: %(note)s") was squeezed away.
        found = regex.match(text) or regex.match(text + " ")
        if found is None:
            continue
        params = {**found.groupdict(), **adds}
        if adds.get("minutes"):
            params.pop("hours", None)
        if coordinator is not None:
            params["coordinator"] = coordinator
            variant = f"{variant}_recorded" if variant else "recorded"
        return variant, params
    return LEGACY, {"text": message}


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.only("pk", "kind", "message").order_by("pk")
    changed = []
    for row in rows.iterator(chunk_size=2000):
        row.variant, row.params = params_of(row.kind, row.message)
        changed.append(row)
        if len(changed) >= 2000:
            Notification.objects.bulk_update(changed, ["variant", "params"])
            changed = []
    Notification.objects.bulk_update(changed, ["variant", "params"])


def backwards(apps, schema_editor):
    # Today's English renderer: params written since this migration hold raw
    # values (minutes, instants) that only it turns into words.
    from equitime.notifications.messages import TEXT_LENGTH, render_english

    Notification = apps.get_model("notifications", "Notification")
    changed = []
    for row in Notification.objects.only("pk", "kind", "variant", "params").order_by("pk"):
        row.message = render_english(row.kind, row.variant, row.params or {})[:TEXT_LENGTH]
        changed.append(row)
    Notification.objects.bulk_update(changed, ["message"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0009_params"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
