"""Checks that keep text within the three rules.

``money_talk(text)`` finds words that ask for or offer money (rule 2: no money
changes hands). It returns the phrase it found, as the member wrote it, so the
refusal can say exactly what to change.

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
_CURRENCY_WORD = r"(?:quid|dollars?|euros?|rupees?|naira|shillings?|gbp|usd|eur|bitcoin|btc)"
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
_PATTERNS = [
    # A currency sign; "$" only with an amount, since a bare "$" is code (df$time).
    re.compile(rf"\$\s?{_AMOUNT}|{_AMOUNT}\s?\$|[£€¥₹₦₩₽¢]\s?[\d,.]{{0,15}}"),
    re.compile(rf"\b{_AMOUNT}\s*(?:k\s*)?{_CURRENCY_WORD}(?![-\w])", re.IGNORECASE),
    re.compile(rf"\b{_CURRENCY_WORD}\s*{_AMOUNT}", re.IGNORECASE),
    re.compile(rf"\b{_NUMBER_WORDS}\s+{_CURRENCY_WORD}\b", re.IGNORECASE),
    re.compile(rf"\b(?:{_AMOUNT}\s*|{_NUMBER_WORDS}\s+){_SLANG_AFTER_AMOUNT}\b", re.IGNORECASE),
    re.compile(
        # "Direct payments" and "Payment by Results" are care and NHS terms, not asks.
        r"\b(?:fees?|invoice[sd]?|invoicing|(?<!direct\s)payments?(?!\s+by\s+results)|"
        r"pay\s+(?:me|you|us|for)|cash|hourly\s+rate|(?<!bed\s)day\s+rate|honorari(?:um|a)|remunerat\w*|"
        r"reimburs\w*|pay\s*pal|venmo|bank\s+transfer)\b",
        re.IGNORECASE,
    ),
    re.compile(
        # Where money would go: payment apps, bank details. A "bank" alone is
        # the NHS staff bank ("bank shifts", "bank staff rota").
        r"\b(?:monzo|revolut|zelle|cash\s*app|apple\s+pay|google\s+pay|g\s?pay|patreon|"
        r"ko-?fi|gofundme|tenners?|fivers?|"
        r"bank(?:ing)?\s+(?:details|account|acc(?:oun)?t?\s+(?:details|number|no)|info(?:rmation)?)|"
        r"sort\s+code|iban|bacs|swift\s+code|wire\s+(?:me|transfer)|money\s+transfer|"
        # "Transfer money between budgets" is how services are funded.
        r"(?:send|wire)\s+(?:me\s+|us\s+)?(?:the\s+|some\s+)?money)\b",
        re.IGNORECASE,
    ),
]


# "50 pounds" is money unless the text is about weight (birth weights, babies).
_POUNDS = re.compile(rf"\b(?:{_AMOUNT}\s*(?:k\s*)?|{_NUMBER_WORDS}\s+)pounds?\b", re.IGNORECASE)
_WEIGHT = re.compile(
    r"\b(?:weigh\w*|birth|bab(?:y|ies)|neonat\w*|kg|lbs?|stone|lost|lose|losing|gain\w*)\b",
    re.IGNORECASE,
)


def _money_match(text: str) -> tuple[int, int] | None:
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return match.span()
    match = _POUNDS.search(text)
    if match and not _WEIGHT.search(text):
        return match.span()
    return None


def money_talk(text: str | None) -> str | None:
    """The first phrase in ``text`` that asks for or offers money, as written, or None."""
    found = normalised(text)
    span = _money_match(found.text)
    if span is None:
        return None
    return found.original(*span).strip() or found.text[slice(*span)].strip()


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
                "only, one hour for one credit. Please remove \u201c%(phrase)s\u201d from "
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
    "api.ApiToken.name": "api.services.api_token_create",
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
}

PATIENT_DATA_ONLY = {
    "moderation.ListingFlag.note": "a report of money talk has to be able to quote it",
    "moderation.ListingFlag.decision_note": "a moderator's decision may quote the money talk",
    "exchanges.Reflection.text": "private to its author: money talk harms nobody there",
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
    "audit.AuditEntry.target": "written by the code",
    "audit.AuditEntry.summary": "written by the code",
    "audit.AuditEntry.data": "written by the code, for staff",
    "notifications.Notification.kind": "chosen from a fixed list",
    "notifications.Notification.message": "written by the code from checked names and titles",
    "notifications.Notification.url": "a link the code builds",
    "notifications.Notification.email_error": "the mail server's answer, for staff",
    "moderation.ListingFlag.reason": "chosen from a fixed list",
    "moderation.ListingFlag.status": "chosen from a fixed list",
    "exchanges.Exchange.request_key": "a client's opaque key, never shown to anyone",
    "exchanges.Exchange.format": "chosen from a fixed list",
    "exchanges.Exchange.status": "chosen from a fixed list",
    "exchanges.ExchangeEvent.verb": "chosen from a fixed list",
    "exchanges.ExchangeEvent.from_status": "chosen from a fixed list",
    "exchanges.ExchangeEvent.to_status": "chosen from a fixed list",
    "exchanges.ExchangeEvent.note": "a copy of a reason or note checked where it is written",
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
}
