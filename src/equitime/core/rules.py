"""Checks that keep text within the three rules.

``money_talk(text)`` finds words that ask for or offer money (rule 2: no money
changes hands). It returns the phrase it found, so the refusal can say
exactly what to change.

``check_no_patient_data`` refuses text that could identify a patient or
service user (an NHS number, a date of birth next to a name): Equitime is
not a clinical system. The detection rules live in ``patient_data``.

``check_shared_text`` runs both checks; services call it on every text a
member writes.
"""

import re

from django.utils.translation import gettext as _

from equitime.core.errors import DomainError
from equitime.core.patient_data import patient_data_found

_CURRENCY_SYMBOL = r"[£$€¥₹₦₩₽¢]"
# Only words and codes that mean money in health and care text: "pounds" is a
# birth weight, INR a blood test, CAD and AUD diagnoses.
_CURRENCY_WORD = r"(?:quid|dollars?|euros?|rupees?|naira|shillings?|gbp|usd|eur|bitcoin|btc)"
_PATTERNS = [
    # A currency sign; "$" only with an amount, since a bare "$" is code (df$time).
    re.compile(r"\$\s?\d[\d,.]*|\d[\d,.]*\s?\$|[£€¥₹₦₩₽¢]\s?[\d,.]*"),
    re.compile(rf"\b\d[\d,.]*\s*(?:k\s*)?{_CURRENCY_WORD}(?![-\w])", re.IGNORECASE),
    re.compile(rf"\b{_CURRENCY_WORD}\s*\d[\d,.]*", re.IGNORECASE),
    re.compile(
        # "Direct payments" and "Payment by Results" are care and NHS terms, not asks.
        r"\b(?:fees?|invoice[sd]?|invoicing|(?<!direct\s)payments?(?!\s+by\s+results)|"
        r"pay\s+(?:me|you|us|for)|cash|hourly\s+rate|(?<!bed\s)day\s+rate|honorari(?:um|a)|remunerat\w*|"
        r"reimburs\w*|pay\s*pal|venmo|bank\s+transfer)\b",
        re.IGNORECASE,
    ),
]


# "50 pounds" is money unless the text is about weight (birth weights, babies).
_POUNDS = re.compile(r"\b\d[\d,.]*\s*(?:k\s*)?pounds?\b", re.IGNORECASE)
_WEIGHT = re.compile(r"\b(?:weigh\w*|birth|bab(?:y|ies)|neonat\w*|kg|lbs?|stone)\b", re.IGNORECASE)


def money_talk(text: str) -> str | None:
    """The first phrase in ``text`` that asks for or offers money, or None."""
    text = text or ""
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(0).strip()
    match = _POUNDS.search(text)
    if match and not _WEIGHT.search(text):
        return match.group(0).strip()
    return None


def check_no_money(**texts: str) -> None:
    """Raise a DomainError naming the field and phrase that break rule 2."""
    for field, text in texts.items():
        phrase = money_talk(text)
        if phrase:
            raise DomainError(
                _(
                    "No money changes hands on Equitime: exchanges are paid in time credits "
                    "only, one hour for one credit. Please remove \u201c%(phrase)s\u201d from "
                    "the %(field)s."
                )
                % {"phrase": phrase, "field": field.replace("_", " ")},
                code="money",
            )


def check_no_patient_data(**texts: str) -> None:
    """Raise a DomainError naming the field that holds patient-identifiable data.

    The message says what kind of identifier was found but never repeats it.
    """
    for field, text in texts.items():
        found = patient_data_found(text)
        if found:
            raise DomainError(
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
                    "field": field.replace("_", " "),
                },
                code="patient_data",
            )


def check_shared_text(**texts: str) -> None:
    """Run every check on text members write: no money, no patient data."""
    check_no_money(**texts)
    check_no_patient_data(**texts)
