"""Checks that keep text within the three rules.

``money_talk(text)`` finds words that ask for or offer money (rule 2: no money
changes hands). It returns the phrase it found, as the member wrote it, so the
refusal can say exactly what to change. Rule 2 forbids paying for time, not
money as the subject of improvement work: an amount in a text about savings,
budgets, business cases or health economics passes. ``money_unclear(text)``
finds what may be either (a rate in a business case, "paid", "expenses"):
such text is published and a moderator reads it.

``check_no_patient_data`` refuses text that could identify a patient or
service user (an NHS number, a date of birth next to a name): Equitime is
not a clinical system. The detection rules live in ``patient_data``.

``check_shared_text`` runs both checks; services call it on every text a
member writes that someone else reads. Both checks read the text in the
normal form of ``core.text`` (look-alike letters, hidden characters and odd
spaces folded), so "PayPal" in Cyrillic look-alike letters, or with a
zero-width space inside, is still "PayPal".

``GUARDED``, ``PATIENT_DATA_ONLY`` and ``EXEMPT`` (at the end) say, for every
text field of every model, which checks guard it, or why it needs none; a
test walks the models and holds them to that.
"""

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _

from equitime.core.errors import DomainError, ErrorKind
from equitime.core.patient_data import patient_data_found
from equitime.core.text import normalised

_CURRENCY_SYMBOL = r"[£$€¥₹₦₩₽¢]"
# An amount in figures. Amounts and runs of number words are bounded: unbounded,
# a text of "1.1.1..." or "fifty fifty ..." took a second to check.
_AMOUNT = r"\d[\d,.]{0,15}"
# Only words and codes that mean money in health and care text: "pounds" is a
# birth weight, INR a blood test, CAD and AUD diagnoses.
_CURRENCY_WORD = (
    r"(?:quid|dollars?|euros?|rupees?|naira|shillings?|pence|cents?|yen|francs?|pesos?|"
    r"dirhams?|gbp|usd|eur|chf|bitcoin|btc)"
)
# Amounts in words: "fifty", "twenty-five", "a hundred", "two thousand".
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million)"
)
_NUMBER_WORDS = rf"(?:a\s+)?{_NUMBER_WORD}(?:(?:\s+and\s+|[\s-]+){_NUMBER_WORD}){{0,4}}"
# Slang that is money only after an amount: "Bucks" is Buckinghamshire, a
# "grand round" a teaching meeting.
_SLANG_AFTER_AMOUNT = r"(?:bucks|grand(?![\s-]+rounds?\b)|k\s*quid)"
# An amount of money, written in any of the ways above.
_AMOUNTS = [
    # A currency sign; "$" only with an amount, since a bare "$" is code (df$time).
    re.compile(rf"\$\s?{_AMOUNT}|{_AMOUNT}\s?\$|[£€¥₹₦₩₽¢]\s?[\d,.]{{0,15}}"),
    re.compile(rf"\b{_AMOUNT}\s*(?:k\s*)?{_CURRENCY_WORD}(?![-\w])", re.IGNORECASE),
    re.compile(rf"\b{_CURRENCY_WORD}\s*{_AMOUNT}", re.IGNORECASE),
    re.compile(rf"\b{_NUMBER_WORDS}\s+{_CURRENCY_WORD}\b", re.IGNORECASE),
    re.compile(rf"\b(?:{_AMOUNT}\s*|{_NUMBER_WORDS}\s+){_SLANG_AFTER_AMOUNT}\b", re.IGNORECASE),
]

# Words that pay or ask to be paid, whatever the text is about: refused.
_PAYMENT = re.compile(
    r"\b(?:pay\s+(?:me|you|us)|pay\s+for\s+(?:my|your|our)\s+(?:time|help|work|services?)|"
    r"for\s+my\s+time|(?:my|our|hourly|sessional)\s+rates?|(?<!bed\s)day\s+rate|"
    r"charge\s+(?:me|you|us)|pay\s*pal|venmo|bank\s+transfer|"
    # Gift cards and shop vouchers are money by another name; a "Healthy Start
    # voucher" or an optical voucher is help patients are entitled to.
    r"gift\s*(?:cards?|vouchers?|certificates?|tokens?)|e-?gift\s*cards?|"
    r"(?:amazon|itunes|apple|google\s+play|steam|love2shop|one4all|high\s+street|shopping|"
    r"supermarket|tesco|sainsbury'?s|asda|boots|starbucks|costa|john\s+lewis|m\s*&\s*s)"
    r"\s+(?:e-?)?(?:vouchers?|cards?)|"
    r"(?:give|send|buy|get)\s+(?:you|me|them)\s+(?:a\s+)?vouchers?|"
    # Where money would go: payment apps, bank details. A "bank" alone is
    # the NHS staff bank ("bank shifts", "bank staff rota").
    r"monzo|revolut|zelle|skrill|western\s+union|cash\s*app|apple\s+pay|google\s+pay|"
    # "Kofi" is a name; the tip jar is written "Ko-fi".
    r"g\s?pay|patreon|ko-fi|gofundme|tenners?|fivers?|"
    r"bank(?:ing)?\s+(?:details|account|acc(?:oun)?t?\s+(?:details|number|no)|info(?:rmation)?)|"
    r"sort\s+code|iban|bacs|swift\s+code|wire\s+(?:me|transfer)|money\s+transfer|"
    # "Transfer money between budgets" is how services are funded.
    r"(?:send|wire)\s+(?:me\s+|us\s+)?(?:the\s+|some\s+)?money)\b",
    re.IGNORECASE,
)

# Words that are payment in a listing ("a small fee", "cash on the day") but
# also the subject of finance work ("cut agency fees", "cash-releasing
# savings"): refused, unless the text is about money as a subject, when a
# moderator reads it instead.
_PAYMENT_OR_SUBJECT = re.compile(
    # "Direct payments" and "Payment by Results" are care and NHS terms, not asks.
    r"\b(?:fees?|invoice[sd]?|invoicing|(?<!direct\s)payments?(?!\s+by\s+results)|"
    r"cash|honorari(?:um|a)|remunerat\w*|reimburs\w*)\b",
    re.IGNORECASE,
)

# Words that say the text is about money as the subject of improvement work:
# health economics, budgets, business cases, savings. "Costs" alone is a price.
_SUBJECT = re.compile(
    r"\b(?:savings?|budget\w*|business\s+cases?|qalys?|icers?|daly|"
    r"cost[-\s]+(?:effective\w*|benefit|utility|per|of|savings?|improvement|pressures?|"
    r"avoid\w*|reduction|impact|analysis|analyses)|costs\s+of|costings?|"
    r"fund(?:ing|ed|s)?|grants?|invest\w*|roi|return\s+on\s+investment|spend\w*|spent|"
    r"deficits?|income|revenue|tariffs?|efficienc\w*|economic\w*|finance|financial\w*|"
    r"annual\w*|per\s+(?:year|annum|patient|admission|bed\s+day|episode|qaly|head)|"
    r"a\s+year|procurement|contract\s+value|net\s+present|value\s+for\s+money|"
    r"millions?|billions?|bn|waste)\b",
    re.IGNORECASE,
)

# After an amount: a rate for someone's time or work ("£30/hour", "$50 a session").
_RATE_AFTER = re.compile(
    r"\s*(?:/|per\b|an?\b|each\b|every\b)\s*(?:hours?|hr|h|minutes?|mins?|sessions?|days?|"
    r"visits?|consultations?|calls?|meetings?|lessons?|classes?|charts?|reports?|analys[ie]s)\b",
    re.IGNORECASE,
)
# Before an amount: "for £50" is a price, unless money is sought for a project.
_FOR_BEFORE = re.compile(r"\bfor\s*$", re.IGNORECASE)
_SOUGHT_BEFORE = re.compile(
    r"\b(?:appl(?:y|ied|ying)|bid(?:ding)?|ask(?:ed|ing)|fund(?:ing|ed)?|grants?|budget)"
    r"\s+for\s*$",
    re.IGNORECASE,
)

# Words that may be payment but need a person to read them: published, and
# put in the moderation queue.
_UNCLEAR = re.compile(
    r"\b(?:paid|pay\s+for|expenses|compensat(?:e|ed|ion)|stipend|"
    # Healthy Start, optical and NHS vouchers are help patients are entitled to.
    r"(?<!start\s)(?<!optical\s)(?<!nhs\s)vouchers?|"
    r"price[sd]?|pricing|(?<!value\sfor\s)money)\b",
    re.IGNORECASE,
)

# "50 pounds" is money unless the text is about weight (birth weights, babies).
_POUNDS = re.compile(rf"\b(?:{_AMOUNT}\s*(?:k\s*)?|{_NUMBER_WORDS}\s+)pounds?\b", re.IGNORECASE)
_WEIGHT = re.compile(
    r"\b(?:weigh\w*|birth|bab(?:y|ies)|neonat\w*|kg|lbs?|stone|lost|lose|losing|gain\w*)\b",
    re.IGNORECASE,
)

PAYMENT = "payment"  # an offer or a request of payment: refused
UNCLEAR = "unclear"  # may be payment: published, and a moderator reads it


def _amounts(text: str):
    """Every amount of money in ``text``, as spans, in the order the patterns are tried."""
    spans = [match.span() for pattern in _AMOUNTS for match in pattern.finditer(text)]
    if not _WEIGHT.search(text):
        spans += [match.span() for match in _POUNDS.finditer(text)]
    return spans


def _money_reading(text: str) -> tuple[str, tuple[int, int]] | None:
    """How ``text`` (in normal form) speaks of money: (PAYMENT or UNCLEAR, span), or None
    when it does not, or speaks of money only as the subject of the work."""
    about_money = _SUBJECT.search(text) is not None
    unclear = None
    for start, end in _amounts(text):
        before = text[max(0, start - 40) : start]
        priced = _FOR_BEFORE.search(before) and not _SOUGHT_BEFORE.search(before)
        if priced or not about_money:
            return PAYMENT, (start, end)
        rate = _RATE_AFTER.match(text, end)
        if unclear is None and rate:
            unclear = (start, rate.end())
    payment = _PAYMENT.search(text)
    soft = _PAYMENT_OR_SUBJECT.search(text)
    if soft and about_money:
        unclear = unclear or soft.span()
    elif soft and not (payment and payment.start() <= soft.start()):
        payment = soft
    if payment:
        return PAYMENT, payment.span()
    if unclear is None:
        match = _UNCLEAR.search(text)
        unclear = match.span() if match else None
    return (UNCLEAR, unclear) if unclear else None


def _as_written(found, span: tuple[int, int]) -> str:
    return found.original(*span).strip() or found.text[slice(*span)].strip()


def money_talk(text: str | None) -> str | None:
    """The first phrase in ``text`` that asks for or offers money, as written, or None.

    Money as the subject of the work ("a business case showing £50,000 annual
    savings", "cost per QALY") is not money talk; see ``money_unclear``."""
    found = normalised(text)
    reading = _money_reading(found.text)
    if reading is None or reading[0] != PAYMENT:
        return None
    return _as_written(found, reading[1])


def money_unclear(text: str) -> str | None:
    """The phrase in ``text`` that may be payment, as written, when it is not
    plainly one: the text is published and a moderator reads it. None otherwise."""
    found = normalised(text)
    reading = _money_reading(found.text)
    if reading is None or reading[0] != UNCLEAR:
        return None
    return _as_written(found, reading[1])


def _disguised(phrase: str) -> bool:
    """True if ``phrase`` reads differently once normalised: look-alike letters,
    hidden characters, fullwidth signs. Odd spaces and dashes do not count:
    they hide nothing."""
    plain = "".join(
        " " if char.isspace() else "-" if unicodedata.category(char) == "Pd" else char
        for char in phrase
    )
    return normalised(plain).text != plain


class TextRuleError(DomainError):
    """What a member wrote breaks a text rule; ``field`` says which text."""

    kind = ErrorKind.INVALID

    def __init__(self, message: str, *, code: str, field: str) -> None:
        super().__init__(message, code=code, field=field)


def _field_words(field: str) -> str:
    return field.replace("_", " ")


# Surnames that are also money words: "Sam Cash", "Jo Fee". In a name with
# no figures they are a person, not payment talk; a handle or an amount
# ("PayPal me", "Cash App", "£50") is still refused.
_SURNAMES = re.compile(r"\b(?:cash(?!\s*app)|fees?)\b", re.IGNORECASE)


def _money_in(field: str, text: str) -> str | None:
    phrase = money_talk(text)
    if (
        phrase
        and field == "display_name"
        and _SURNAMES.fullmatch(phrase)
        and not any(char.isdigit() for char in normalised(text).text)
    ):
        return money_talk(_SURNAMES.sub(" ", text))
    return phrase


def check_no_money(**texts: str) -> None:
    """Raise a TextRuleError naming the field and phrase that break rule 2."""
    for field, text in texts.items():
        phrase = _money_in(field, text)
        if phrase:
            message = _(
                "No money changes hands on Equitime: exchanges are paid in time credits "
                "only, one hour for one credit. Please remove “%(phrase)s” from "
                "the %(field)s."
            ) % {"phrase": phrase, "field": _field_words(field)}
            if _disguised(phrase):
                message += " " + _(
                    "It is written with look-alike letters or hidden characters, which are "
                    "read as the letters they look like."
                )
            raise TextRuleError(message, code="money", field=field)


def check_no_patient_data(**texts: str) -> None:
    """Raise a TextRuleError naming the field that holds patient-identifiable data.

    The message says what kind of identifier was found but never repeats it.
    """
    for field, text in texts.items():
        found = patient_data_found(text)
        if found:
            raise TextRuleError(
                _(
                    "There seems to be %(found)s in the %(field)s. Equitime must never hold "
                    "information that could identify a patient or service user, not even in a "
                    "private note: it is not a secure clinical system. Please remove the "
                    "%(what)s from the %(field)s. If you need to discuss a case, use your "
                    "organisation's secure systems."
                )
                % {
                    "found": found,
                    "what": found.removeprefix("an ").removeprefix("a "),
                    "field": _field_words(field),
                },
                code="patient_data",
                field=field,
            )


def check_shared_text(**texts: str) -> None:
    """Run every check on text members write: no money, no patient data."""
    check_no_money(**texts)
    check_no_patient_data(**texts)


def tags_text(tags) -> str:
    """A list of tags ("R", "survival analysis") as one text to check."""
    if isinstance(tags, (list, tuple)):
        return ", ".join(str(tag) for tag in tags)
    return tags or ""


if TYPE_CHECKING:
    # What the mixin is mixed into (it goes before forms.Form).
    _FormBase = forms.Form
else:
    _FormBase = object


class TextRulesFormMixin(_FormBase):
    """Shows a text rule's refusal on the field it is about, before any service runs.

    ``shared_text_fields`` get both checks (someone else reads them);
    ``private_text_fields`` only the patient-data check (money talk may be
    quoted, as in a report about it). Put the mixin before ``forms.Form``.
    The services run the same checks; this only puts the message in its place.
    """

    shared_text_fields: tuple[str, ...] = ()
    private_text_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned is None:  # a clean() may change cleaned_data in place and return None
            cleaned = self.cleaned_data
        for names, check in (
            (self.shared_text_fields, check_shared_text),
            (self.private_text_fields, check_no_patient_data),
        ):
            for name in names:
                if name not in cleaned or name in self.errors:
                    continue
                try:
                    check(**{name: tags_text(cleaned[name])})
                except TextRuleError as error:
                    self.add_error(name, forms.ValidationError(error.message, code=error.code))
        return cleaned


# --- Which checks guard which text ------------------------------------------------------
#
# Every CharField, TextField and JSONField of every Equitime model is named in
# exactly one of these (tests/test_text_rules_everywhere.py walks the
# models). A field someone else reads and a member writes is GUARDED; one where
# money talk must be quotable is PATIENT_DATA_ONLY; anything else is EXEMPT,
# with the reason.

GUARDED = {
    # Both checks, on pages and in the API, by the service named.
    "campaigns.Campaign.title": "campaigns.services (campaign_create, campaign_update)",
    "campaigns.Campaign.description": "campaigns.services (campaign_create, campaign_update)",
    "campaigns.Campaign.image_alt": "campaigns.services (campaign_create, campaign_update)",
    "campaigns.Welcome.message": "campaigns.services.member_welcome",
    "api.ApiToken.name": "api.services.api_token_create",
    # The member acted for reads it under "Who may act for me".
    "coordination.Consent.note": "coordination.services.consent_record",
    "exchanges.Exchange.title": "exchanges.services (propose, direct exchange)",
    "exchanges.Exchange.benefit": "exchanges.services (propose, direct exchange)",
    "exchanges.Exchange.decline_reason": "exchanges.services.exchange_decline",
    "exchanges.Exchange.dispute_reason": "exchanges.services.exchange_dispute",
    "exchanges.Exchange.reversal_reason": "exchanges.services.exchange_reverse",
    "exchanges.ExchangeMessage.body": "exchanges.services.exchange_message_send",
    "exchanges.Thanks.message": "exchanges.services.thanks_give",
    "exchanges.Thanks.impact": "exchanges.services.thanks_give",
    "ledger.Transfer.memo": "ledger.services.donation_make",
    "listings.Listing.title": "listings.services",
    "listings.Listing.description": "listings.services",
    "listings.Listing.benefit": "listings.services",
    "listings.Listing.place": "listings.services",
    "listings.Listing.languages": "listings.services",
    "members.Member.display_name": "members.services.profile_update, SignupDetailsForm",
    "members.Profile.profession": "members.services.profile_update, SignupDetailsForm",
    "members.Profile.division": "members.services.profile_update",
    "members.Profile.bio": "members.services.profile_update",
    "members.Profile.availability": "members.services.profile_update",
    "members.Profile.skills_offered": "members.services.profile_update",
    "members.Profile.languages": "members.services.profile_update",
    # One-to-one sessions take the exchange's checked title.
    "scheduling.Session.title": "scheduling.groups.group_session_create",
    "scheduling.Session.description": "scheduling.groups.group_session_create",
    "scheduling.Session.benefit": "scheduling.groups.group_session_create",
    "scheduling.Session.place": (
        "scheduling.groups.group_session_create; one-to-one: scheduling.services "
        "(session_choose_time, session_move)"
    ),
    "scheduling.Session.cancel_reason": (
        "scheduling.groups.group_session_cancel; one-to-one: scheduling.services.session_cancel"
    ),
    "scheduling.ProposedTime.place": ("scheduling.services (session_propose_times, session_move)"),
    "matching.HelpInvitation.note": "matching.services.help_invitation_ask",
    "matching.HelpInvitation.decline_reason": "matching.services.help_invitation_decline",
}

PATIENT_DATA_ONLY = {
    "moderation.ListingFlag.note": "a report of money talk has to be able to quote it",
    "moderation.ListingFlag.decision_note": "a moderator's decision may quote the money talk",
    "exchanges.Reflection.text": "private to its author: money talk harms nobody there",
    "exchanges.Reflection.learned": "private to its author, as its text",
    "exchanges.Reflection.practice_change": "private to its author, as its text",
    "exchanges.Reflection.standards": "private to its author, as its text",
    "members.Member.suspension_reason": "a suspension for money talk may quote it",
    "exchanges.Exchange.resolution_note": "a moderator's decision on a dispute may quote it",
}

EXEMPT = {
    "api.ApiToken.prefix": "made by the code from the secret",
    "api.ApiToken.token_hash": "made by the code from the secret",
    "api.IdempotentRequest.key": "a client's opaque key, never shown to anyone",
    "api.IdempotentRequest.fingerprint": "a hash made by the code",
    "api.IdempotentRequest.response_body": "a copy of an answer built from checked fields",
    "api.IdempotentRequest.path": "the request's path, shown only to the member who sent it",
    "api.IdempotentRequest.resource_url": "a link the code builds",
    "audit.AuditEntry.action": "chosen from a fixed list",
    "impact.HoursMonth.dimension": "chosen from a fixed list",
    "impact.HoursMonth.key": "written by the code: an id, a kind, a checked profession",
    "impact.HoursMonth.label": "a profession copied from profiles, checked there (profile_update)",
    "coordination.Consent.method": "chosen from a fixed list",
    "audit.AuditEntry.target": "written by the code",
    "audit.AuditEntry.summary": "written by the code",
    "audit.AuditEntry.data": "written by the code, for staff",
    "notifications.Notification.kind": "chosen from a fixed list",
    "notifications.Notification.variant": "chosen from a fixed list (notifications.messages)",
    "notifications.Notification.params": (
        "values the code takes from checked names, titles and notes, ids, instants and minutes"
    ),
    "notifications.Notification.url": "a link the code builds",
    "notifications.Notification.email_error": "the mail server's answer, for staff",
    "notifications.NotificationPreferences.email_choices": "kinds from a fixed list, true or false",
    "digest.DigestSend.status": "chosen from a fixed list",
    "exports.Export.kind": "chosen from a fixed list",
    "exports.Export.status": "chosen from a fixed list",
    "exports.Export.file_name": "a random name made by the code",
    "exports.Export.error": "written by the code, for operators",
    "moderation.ListingFlag.reason": "chosen from a fixed list",
    "moderation.ListingFlag.status": "chosen from a fixed list",
    "exchanges.Exchange.request_key": "a client's opaque key, never shown to anyone",
    "exchanges.Exchange.format": "chosen from a fixed list",
    "exchanges.Exchange.status": "chosen from a fixed list",
    "exchanges.ExchangeEvent.verb": "chosen from a fixed list",
    "exchanges.ExchangeEvent.from_status": "chosen from a fixed list",
    "exchanges.ExchangeEvent.to_status": "chosen from a fixed list",
    "exchanges.ExchangeEvent.note": "a copy of a reason or note checked where it is written",
    "members.Member.sort_name": "made by the code from the display name",
    "members.Member.search_name": "made by the code from the display name",
    "jobs.PeriodicRun.job": "written by the code",
    "jobs.PeriodicRun.worker": "written by the code",
    "jobs.PeriodicRun.outcome": "chosen from a fixed list",
    "jobs.PeriodicRun.summary": "written by the code",
    "ledger.Account.kind": "chosen from a fixed list",
    "ledger.Account.code": "written by the code",
    "ledger.Account.name": "written by the code from the checked display name",
    "ledger.Transfer.key": "an idempotency key made by the code",
    "ledger.Transfer.kind": "chosen from a fixed list",
    "ledger.Transfer.state": "chosen from a fixed list",
    "listings.Listing.kind": "chosen from a fixed list",
    "listings.Listing.format": "chosen from a fixed list",
    "listings.Listing.status": "chosen from a fixed list",
    "members.Member.email": "an e-mail address, checked as one",
    "members.Member.password": "a password hash",
    "members.Organisation.name": "made by staff, chosen by members from a list",
    "members.Organisation.kind": "chosen from a fixed list",
    "members.Organisation.country": "chosen from the list of countries",
    "members.Profile.country": "chosen from the list of countries",
    "members.Profile.time_zone": "chosen from a fixed list",
    "members.Profile.language": "chosen from settings.LANGUAGES",
    "members.Profile.preference": "chosen from a fixed list",
    "members.Invitation.email": "an e-mail address, checked as one",
    "members.Invitation.token_hash": "a hash made by the code",
    "skills.SkillCategory.name": "the taxonomy, made by staff",
    "skills.SkillCategory.slug": "the taxonomy, made by staff",
    "skills.Skill.name": "the taxonomy, made by staff",
    "skills.Skill.slug": "the taxonomy, made by staff",
    "skills.ImprovementArea.name": "the taxonomy, made by staff",
    "skills.ImprovementArea.slug": "the taxonomy, made by staff",
    "skills.ImprovementArea.description": "the taxonomy, made by staff",
    "scheduling.Session.kind": "chosen from a fixed list",
    "scheduling.Session.status": "chosen from a fixed list",
    "scheduling.Session.credit_policy": "chosen from a fixed list",
    # A meeting link is pasted, not written. ``slot_check`` takes https links
    # only and refuses money talk in them ("paypal.me"); the patient-data check
    # is not run, since a ten-digit Zoom meeting number reads as an NHS number.
    "scheduling.Session.video_url": "a meeting link: https, no money talk (slots.slot_check)",
    "scheduling.ProposedTime.video_url": (
        "a meeting link: https, no money talk (slots.slot_check)"
    ),
    "scheduling.ProposedTime.status": "chosen from a fixed list",
    "scheduling.SessionEvent.verb": "chosen from a fixed list",
    "scheduling.SessionEvent.reason": "a copy of a reason checked where it is written",
    "scheduling.Seat.status": "chosen from a fixed list",
    "scheduling.Reminder.kind": "chosen from a fixed list",
    "scheduling.SchedulingSettings.group_credit_policy": "chosen from a fixed list",
    "scheduling.CalendarSettings.feed_token": "a secret made by the code",
    "scheduling.CalendarInvitation.error": "the mail server's answer, kept by the code",
    "campaigns.Campaign.slug": "made by the code from the checked title",
    "matching.HelpInvitation.status": "chosen from a fixed list",
}
