"""Finding patient-identifiable information in text people share on Equitime.

Equitime is not a clinical system: listings, messages, thanks and reflections
are read by colleagues in other organisations. ``patient_data_found(text)``
looks for the identifiers that most often slip into such text and returns a
short description of the first one it finds (``"an NHS number"``), or None.
It never returns the matched text itself, so an identifier is not copied into
an error message, a log or a screen.

What it finds
-------------

1. **NHS numbers** ("an NHS number"): ten digits written ``9434765919``,
   or 3-3-4 with whatever separators people paste - ``943 476 5919``,
   ``943-476-5919``, ``943.476.5919``, ``943/476/5919``, ``943 - 476 - 5919``,
   mixed ``943 476-5919`` - whose last digit is the modulus-11
   check digit of the first nine (weights 10 down to 2; the check digit is
   11 minus the sum mod 11, where 11 becomes 0 and 10 means the number is
   invalid). A number that fails the check is not flagged, so most phone
   numbers and counts pass. Digits that are part of a longer run (more digits
   joined on, directly or by a single space or hyphen, as in "+44 161 ...")
   are not flagged, nor are placeholders made of one repeated digit
   ("0000000000").
2. **Labelled hospital or NHS numbers** ("a hospital or NHS number"): a label
   such as "hospital number", "hosp no", "MRN", "medical record number",
   "NHS no", "CHI number" or "patient ID" followed by at least five digits
   (an optional letter prefix is allowed: "MRN: RM123456"), or an NHS,
   hospital or CHI label followed by ten digits laid out 3-3-4 with any
   separators. The check digit is not needed here: the label says what the
   number is.
3. **Dates of birth** ("a date of birth"): a full date - ``12/03/1987``,
   ``12-03-87``, ``12.03.1987``, ``1987-03-12``, ``12 March 1987``,
   ``12th Mar 1987``, ``March 12, 1987`` - directly labelled "DOB",
   "D.O.B.", "date of birth", "birth date", "born" or "born on"
   ("DOB: 12/03/1987", "12/03/1987 (DOB)").
4. **Dates next to a name** ("a date of birth next to a name"): a full date in
   the same sentence as, and within 60 characters of, a personal name. A name
   is a title with a capitalised name ("Mrs Smith", "Mr. J. Smith", "Ms Ali",
   "Miss Jones", "Mx Lee"); a lower-case "patient", "service user",
   "resident" or "client" followed by a capitalised name ("the patient John
   Smith"); or a "Name:" / "Patient name:" / "Patient:" label followed by a
   capitalised word.

Every rule reads the text in the normal form of ``core.text``: no-break and
other spaces are spaces, dashes are "-", fullwidth and other scripts' digits
are 0-9, and zero-width characters are gone, so "943\u00a0476\u200b5919" is
found like "943 476 5919".

Limits, chosen to keep false alarms low in improvement text
-----------------------------------------------------------

- "Dr" alone is not a name marker: colleagues are doctors. Nor is "Master"
  ("Master Class"), and a month or weekday is never taken for a name
  ("Miss March 12, 2025"), at the cost of missing "Mrs May".
- "Patient", "Resident" and "Client" with a capital letter start headings and
  programme names ("Patient Safety Week", "Resident Doctors"), so only the
  lower-case word marks a name, and a few words that follow it in such names
  ("patient Experience") are skipped. "Patient:" with a colon is a label.
- A date needs a day, a month and a year. "Tuesday 12 March", "March 1987" or
  "born after 1950" are not dates of birth, and "patients born after
  12/03/1950" describes a cohort, not a person. Dates in the future cannot be
  dates of birth and are ignored, so "Mrs Patel runs the next session on
  12/03/2099" passes.
- A date that follows "on", "from", "until", "for" or a weekday is when
  something happens ("thanks to Mrs Patel for the session on 12/03/2025"),
  not a date of birth, so it is not joined to a nearby name. The flip side:
  "Mrs Smith was admitted on 12/03/2025" passes too; this check looks for
  dates of birth, not for every date about a person. "v1.2.24" is a version.
- Sentences end at ".", "!" or "?" followed by a capital letter, so a
  colleague thanked in one sentence and a session date in the next are not
  joined. Abbreviations such as "Mr." or "Mar." do not end a sentence.
- This is a safety net, not a guarantee: names without a title, addresses,
  postcodes and free-text descriptions of a person are not detected, and
  members are still asked never to write about identifiable patients.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.utils import timezone

from equitime.core.text import normalise

# --- NHS numbers ---------------------------------------------------------------

# What people put between the groups of an NHS number: nothing, spaces, or
# one dot, dash, slash or underscore with spaces either side ("943 - 476").
_SEP = r"(?: {0,2}[.\-/_] {0,2}| {1,3})?"
_SEP_CHAR = r"[ .\-/_,]"
# Ten digits laid out 3-3-4, each separator its own. The lookarounds keep it
# from matching inside a longer run of digits, including runs joined by one
# separator ("+44 161 496 0000", "12 943 ...", "0.9434765919"), or following
# a phone number's "+" or "(0)" ("+44 (0) 943 ...").
_NHS_NUMBER = re.compile(
    rf"(?<!\d)(?<!\d{_SEP_CHAR})(?<!\d{_SEP_CHAR} )(?<!\+)(?<!\(0\))(?<!\(0\) )"
    rf"(\d{{3}}){_SEP}(\d{{3}}){_SEP}(\d{{4}})"
    rf"(?! ?{_SEP_CHAR}?\d)"
)


def nhs_number_is_valid(digits: str) -> bool:
    """True if ``digits`` (ten digits, no separators) passes the modulus-11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def _has_nhs_number(text: str) -> bool:
    for match in _NHS_NUMBER.finditer(text):
        digits = match.group(1) + match.group(2) + match.group(3)
        if len(set(digits)) > 1 and nhs_number_is_valid(digits):
            return True
    return False


# --- Labelled hospital and NHS numbers ---------------------------------------------

_NUMBER_LABEL = re.compile(
    r"\b(?:"
    r"hosp(?:ital)?\.?\s*(?:number|no\b\.?|num\b\.?|\#)"
    r"|mrn\b|medical\s+records?\s+(?:number|no\b\.?)"
    r"|nhs\s*(?:number|no\b\.?|num\b\.?|\#)"
    r"|chi\s+(?:number|no\b\.?)"
    r"|patient\s+(?:id|identifier)\b"
    r")"
    # "is", ":" or "#" may come between the label and the number.
    r"\s*(?:[:#=\-\u2013]\s*|(?:is|was)\s+)?"
    r"[a-z]{0,3}\d{5,}",
    re.IGNORECASE,
)
# The 3-3-4 form after a label, whatever its check digit ("NHS no: 123 456 7890").
_NUMBER_LABEL_SPACED = re.compile(
    r"\b(?:nhs|hosp(?:ital)?\.?|chi)\s*(?:number|no\b\.?|num\b\.?|\#)"
    r"\s*(?:[:#=\-\u2013]\s*|(?:is|was)\s+)?"
    rf"\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{4}}\b",
    re.IGNORECASE,
)


# --- Dates ---------------------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DATE = re.compile(
    # 12/03/1987, 12-03-87, 12.03.1987 (day first; month first is accepted too).
    r"(?<![\d/.\-])(?<![vV])(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?![\d/\-]|\.\d)"
    # 1987-03-12
    r"|(?<![\d/.\-])(?<![vV])(?P<iy>\d{4})(?P<isep>[/.\-])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})"
    r"(?![\d/\-]|\.\d)"
    # 12 March 1987, 12th of Mar 1987, 12-Mar-1987
    rf"|\b(?P<dd>\d{{1,2}}){_ORDINAL}(?:\s+of)?[\s\-]+(?P<dm>{_MONTH_NAME})[\s\-,]+(?P<dy>{_YEAR})\b"
    # March 12, 1987 and March 12th 1987
    rf"|\b(?P<mm>{_MONTH_NAME})\s+(?P<md>\d{{1,2}}){_ORDINAL},?\s+(?P<my>{_YEAR})\b",
    re.IGNORECASE,
)


def _full_year(year: str) -> int:
    if len(year) == 4:
        return int(year)
    # Two digits: the latest year that is not in the future ("87" is 1987, "05" 2005).
    this_year = timezone.localdate().year
    candidate = this_year - this_year % 100 + int(year)
    return candidate if candidate <= this_year else candidate - 100


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parsed(match: re.Match) -> date | None:
    """The calendar date a ``_DATE`` match stands for, or None if there is none."""
    if match.group("a"):
        year = _full_year(match.group("y"))
        first, second = int(match.group("a")), int(match.group("b"))
        # Day first, as written in the UK; month first if only that makes a date.
        return _real_date(year, second, first) or _real_date(year, first, second)
    if match.group("iy"):
        return _real_date(int(match.group("iy")), int(match.group("im")), int(match.group("id")))
    if match.group("dd"):
        month = _MONTHS[match.group("dm")[:3].lower()]
        return _real_date(int(match.group("dy")), month, int(match.group("dd")))
    month = _MONTHS[match.group("mm")[:3].lower()]
    return _real_date(int(match.group("my")), month, int(match.group("md")))


# A label just before the date ("DOB: ", "date of birth is ", "born on the ") ...
_DOB_BEFORE = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?(?:\s+the)?)"
    r"\s*(?:[:=\-\u2013]\s*|(?:is|was)\s+)?$",
    re.IGNORECASE,
)
# ... or just after it ("12/03/1987 (DOB)").
_DOB_AFTER = re.compile(
    r"^\s*[(\[,\-\u2013]?\s*(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth\b)", re.IGNORECASE
)

# A date that follows "on", "from", "until" or a weekday is when something
# happens (a session, a meeting), not when someone was born.
_EVENT_BEFORE = re.compile(
    r"\b(?:(?:on|from|until|till|since|by|before|after|between|during|at|for)(?:\s+the)?"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day,?)\s+$",
    re.IGNORECASE,
)


# --- Names ---------------------------------------------------------------------------

# A capitalised name: "Smith", "O'Brien", "McDonald", "Smith-Jones"; not an
# acronym ("NEWS2", "PROMs"), a month or a weekday.
_NOT_A_NAME = (
    r"(?!(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tues?(?:day)?"
    r"|wed(?:nesday)?|thu(?:rs?)?(?:day)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b)"
)
_NAME_WORD = _NOT_A_NAME + r"[A-Z](?:[a-z]|['\u2019][A-Z])[A-Za-z'\u2019\-]*"
_INITIALS = r"(?:[A-Z]\.?[^\S\n]+){0,2}"
# Words that follow a lower-case "patient", "resident" ... in programme names.
_NOT_AFTER_PERSON_WORD = (
    r"(?!(?i:safety|experience|flow|leaders?|partners?|voices?|council|panel|forum|group|"
    r"champions?|representatives?|involvement|engagement|participation|reported|outcomes?|"
    r"doctors?|physicians?|services?|relations|advice|liaison|information|support|portal|"
    r"day|week|month|year)\b)"
)
_GAP = r"[^\S\n]+"  # spaces within a line: a name does not run across lines
_NAME = re.compile(
    # Mrs Smith, Mr. J. Smith, Ms Ali, Miss Jones, Mx Lee ("Dr" is left out on purpose).
    rf"\b(?:Mrs|Mr|Ms|Miss|Mx)\.?{_GAP}{_INITIALS}{_NAME_WORD}"
    # the patient John Smith, a service user called Ali, the resident, Mrs Khan
    rf"|\b(?:patient|service{_GAP}user|resident|client)[^\S\n]*[,:]?{_GAP}"
    rf"(?:(?:called|named){_GAP})?{_NOT_AFTER_PERSON_WORD}{_INITIALS}{_NAME_WORD}"
    # "Name: Jo Bloggs" or "Patient: Jo Bloggs" opening a line or clause.
    rf"|(?:^|(?<=[\n;,.(]))\s*(?:[Nn]ame|NAME|[Pp]atient|PATIENT)[^\S\n]*:[^\S\n]*{_NAME_WORD}"
)
# "Patient name: ...", "Surname: ..." in any case, wherever they stand.
_NAME_LABEL = re.compile(
    r"\b(?:patient|client|resident|service\s+user|full|first|last|given|family|sur|fore)"
    rf"[^\S\n]*name[^\S\n]*:[^\S\n]*{_NAME_WORD}",
    flags=re.IGNORECASE,
)

_NEAR = 60  # characters between a name and a date for them to belong together
# A sentence ends at . ! or ? followed by a capital; "Mr." and "Mar." are
# inside the name and date matches, so they never sit between the two.
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z])")


def _name_spans(text: str) -> list[tuple[int, int]]:
    spans = [match.span() for match in _NAME.finditer(text)]
    spans += [match.span() for match in _NAME_LABEL.finditer(text)]
    return spans


def _near(text: str, date_span: tuple[int, int], name_span: tuple[int, int]) -> bool:
    (date_start, date_end), (name_start, name_end) = date_span, name_span
    if name_end <= date_start:
        between = text[name_end:date_start]
    elif date_end <= name_start:
        between = text[date_end:name_start]
    else:
        between = ""
    return len(between) <= _NEAR and not _SENTENCE_END.search(between)


def _dates_of_birth(text: str) -> str | None:
    latest = timezone.localdate() + timedelta(days=1)  # a day's grace for time zones
    names = None
    found = None
    for match in _DATE.finditer(text):
        when = _parsed(match)
        if when is None or when > latest:
            continue  # not a real date, or in the future: not a date of birth
        start, end = match.span()
        if _DOB_BEFORE.search(text[max(0, start - 30) : start]) or _DOB_AFTER.search(
            text[end : end + 20]
        ):
            return "a date of birth"
        if found is None and not _EVENT_BEFORE.search(text[max(0, start - 30) : start]):
            if names is None:
                names = _name_spans(text)
            if any(_near(text, (start, end), name) for name in names):
                found = "a date of birth next to a name"
    return found


# --- The check -----------------------------------------------------------------------


def patient_data_found(text: str | None) -> str | None:
    """A short description of patient-identifiable information in ``text``, or None.

    The description reads after "contains": "an NHS number", "a hospital or
    NHS number", "a date of birth" or "a date of birth next to a name". See the
    module docstring for the rules and their limits.
    """
    text = normalise(text)
    if _has_nhs_number(text):
        return "an NHS number"
    if _NUMBER_LABEL.search(text) or _NUMBER_LABEL_SPACED.search(text):
        return "a hospital or NHS number"
    return _dates_of_birth(text)
