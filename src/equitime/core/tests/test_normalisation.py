"""Both text checks read one normal form (``core.text``), so money talk and
patient data are found however they are typed or pasted; and ordinary health
and care text still passes.

ORDINARY below is the false-positive table: every pattern added to either
check adds here the everyday sentences it could wrongly catch.
"""

import pytest

from equitime.core.errors import DomainError
from equitime.core.patient_data import patient_data_found
from equitime.core.rules import check_shared_text, money_talk
from equitime.core.text import normalise, normalised

NBSP, NNBSP, ZWSP, ZWJ, WJ, SHY, BOM = (
    "\u00a0",
    "\u202f",
    "\u200b",
    "\u200d",
    "\u2060",
    "\u00ad",
    "\ufeff",
)
CYRILLIC_PAYPAL = "\u0420\u0430\u0443\u0420\u0430l"  # Er, a, u, Er, a, then Latin l
GREEK_CASH = "c\u03b1sh"  # Greek alpha


# --- The normal form ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("\uffe150", "£50"),  # fullwidth pound sign
        ("\uff30\uff41\uff59\uff30\uff41\uff4c", "PayPal"),  # fullwidth letters
        ("\U0001d40f\U0001d41a\U0001d432", "Pay"),  # mathematical bold
        (f"Pay{ZWSP}Pal", "PayPal"),
        (f"Pay{ZWJ}P{WJ}a{SHY}l{BOM}", "PayPal"),
        (CYRILLIC_PAYPAL, "PayPal"),
        (GREEK_CASH, "cash"),
        ("P\u00e0ypal", "Paypal"),  # an accent
        ("Pa\u0332y\u0332", "Pay"),  # combining underline
        (f"943{NBSP}476{NNBSP}5919", "943 476 5919"),
        ("943\u2009476\u30005919", "943 476 5919"),  # thin and ideographic spaces
        ("943\t476", "943 476"),
        ("943\u2013476\u2014591\u2212", "943-476-591-"),  # dashes and minus
        ("943\u2044476\uff0f5919", "943/476/5919"),
        ("943\u00b7476", "943.476"),
        ("\u0669\u0664\u0663", "943"),  # Arabic-Indic digits
        ("\uff19\uff14\uff13", "943"),  # fullwidth digits
        ("\u2460 NEWS\u00b2", "1 NEWS2"),
        ("Line one\nLine two", "Line one\nLine two"),  # new lines stay
        ("Plain ASCII text, unchanged.", "Plain ASCII text, unchanged."),
        ("", ""),
    ],
)
def test_the_normal_form(written, read):
    assert normalise(written) == read


def test_none_is_empty():
    assert normalise(None) == ""


def test_a_span_of_the_normal_form_maps_back_to_the_words_as_written():
    found = normalised(f"Send {CYRILLIC_PAYPAL} the \uffe150 now")
    start = found.text.index("PayPal")
    assert found.original(start, start + len("PayPal")) == CYRILLIC_PAYPAL
    start = found.text.index("£50")
    assert found.original(start, start + 3) == "\uffe150"


# --- Money talk, however it is written ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # Disguised: the phrase is quoted as the member wrote it.
        ("Costs \uffe150", "\uffe150"),
        (f"Send it by {CYRILLIC_PAYPAL}", CYRILLIC_PAYPAL),
        (f"Pay{ZWSP}Pal only", f"Pay{ZWSP}Pal"),
        (f"{GREEK_CASH} on the day", GREEK_CASH),
        ("\uff12\uff10 quid", "\uff12\uff10 quid"),
        # Spelled out.
        ("I ask fifty pounds for it", "fifty pounds"),
        ("Twenty-five quid and it is yours", "Twenty-five quid"),
        ("a hundred dollars", "a hundred dollars"),
        ("Two thousand euros for the report", "Two thousand euros"),
        # Colloquial.
        ("50 bucks an hour", "50 bucks"),
        ("ten bucks a go", "ten bucks"),
        ("It costs 2 grand", "2 grand"),
        ("Just a tenner", "tenner"),
        ("A fiver each", "fiver"),
        ("Send me your bank details", "bank details"),
        ("Bank account number please", "Bank account"),
        ("My sort code is below", "sort code"),
        ("IBAN on request", "IBAN"),
        ("Paid by BACS", "BACS"),
        ("Monzo me after", "Monzo"),
        ("Pay via Revolut", "Revolut"),
        ("Zelle works", "Zelle"),
        ("CashApp me", "CashApp"),
        ("Apple Pay is fine", "Apple Pay"),
        ("My Patreon has the details", "Patreon"),
        ("Send me the money first", "Send me the money"),
        ("A wire transfer is fine", "wire transfer"),
    ],
)
def test_money_talk_is_found_however_it_is_written(text, phrase):
    assert money_talk(text) == phrase


def test_a_disguised_phrase_is_named_and_the_member_told_why():
    with pytest.raises(DomainError) as refused:
        check_shared_text(bio=f"Happy to help, {CYRILLIC_PAYPAL} me")
    message = refused.value.message
    assert f"\u201c{CYRILLIC_PAYPAL}\u201d from the bio" in message
    assert "look-alike letters or hidden characters" in message
    # A phrase written plainly gets no such note, nor one with odd spaces or dashes.
    for plain in ("PayPal me", f"fifty{NBSP}pounds", "twenty\u2013five quid"):
        with pytest.raises(DomainError) as refused:
            check_shared_text(bio=plain)
        assert "look-alike" not in refused.value.message


# --- NHS numbers, however they are pasted -------------------------------------------

NHS = "9434765919"  # the NHS Data Dictionary's example; passes the check digit


@pytest.mark.parametrize(
    "written",
    [
        "943 476 5919",
        "943-476-5919",
        "943.476.5919",
        "943/476/5919",
        "943_476_5919",
        "943 - 476 - 5919",
        "943 / 476 / 5919",
        "943  476  5919",
        "943 476-5919",  # mixed
        "943.476 5919",
        "943476 5919",
        f"943{NBSP}476{NBSP}5919",
        f"943{NNBSP}476{NNBSP}5919",
        "943\u2013476\u20135919",  # en dashes
        "943\u00b7476\u00b75919",
        f"9{ZWSP}4{ZWSP}3{ZWSP}476{WJ}5919",
        "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19",  # fullwidth
    ],
)
def test_an_nhs_number_is_found_with_any_separators(written):
    assert patient_data_found(f"Please see {written} today") == "an NHS number"


@pytest.mark.parametrize(
    "text",
    [
        "NHS no 943.476.5919",
        "NHS no. 943/476/5919",
        "NHS number: 943 - 476 - 5919",
        "nhs num 943476 5919",
        f"NHS #{NBSP}943.476.5919",
    ],
)
def test_an_nhs_number_after_a_label_is_found(text):
    assert patient_data_found(text) in ("an NHS number", "a hospital or NHS number")


@pytest.mark.parametrize(
    "text",
    [
        "NHS no: 123.456.7890",
        "NHS number 123/456/7890",
        f"nhs no{NBSP}123 456-7890",
    ],
)
def test_a_labelled_number_is_found_whatever_its_check_digit(text):
    assert patient_data_found(text) == "a hospital or NHS number"


@pytest.mark.parametrize(
    "number",
    ["943.476.5910", "943/476/5918", "943 476-5917", f"943{NBSP}476{NBSP}5911"],
)
def test_pasted_numbers_failing_the_check_digit_pass(number):
    assert patient_data_found(f"Ref {number} for the audit") is None


@pytest.mark.parametrize(
    "text",
    [
        "+44 943 476 5919",  # an international phone number
        "+44 (0) 943.476.5919",
        "1.943.476.5919",  # joined to more digits
        "943.476.5919.2",
        "943/476/5919/2",
        "0.9434765919",  # a decimal
    ],
)
def test_nhs_shaped_digits_inside_longer_numbers_pass(text):
    assert patient_data_found(text) is None


def test_a_date_of_birth_is_found_across_odd_spaces_and_dashes():
    assert patient_data_found(f"DOB:{NBSP}12\u201303\u20131987") == "a date of birth"
    assert patient_data_found(f"D{ZWSP}OB 12/03/1987") == "a date of birth"


# --- Ordinary health and care text passes both checks -------------------------------

# The false-positive table. Each sentence is something a member could well
# write; each pattern added to a check adds the sentences it might catch.
ORDINARY = [
    # Numbers and ranges
    "Audit of 50 patients over 3 months",
    "ward 12-14",
    "Wards 12 - 14 and bays 3/4",
    "Falls fell from 14.2 to 9.8 per 1,000 bed days",
    "Run chart of 24 weekly points, 2023-2024",
    "Band 5 to band 7 development, 12 month programme",
    "Sample of 1,200 notes from 3 sites",
    # Phone-like numbers that fail the check digit
    "Call 0161 496 0000",
    "Bleep 4417 or extension 943 476 5910",
    "Ring 020 7946 0958 or 07700 900123",
    "Team line 943.476.5910",
    "Fax 0113/496/0000",
    # Labels without numbers
    "NHS number recording audit",
    "Improve NHS no. completeness on referral letters",
    "Check DOB and NHS number at every handover",
    # "Bank", "pay" and "cash" in their NHS senses
    "bank staff rota",
    "Bank shifts and agency use on ward 12",
    "Staff bank: 40 nurses trained in the new rota tool",
    "we pay attention to the quiet patients",
    "Pay attention to sepsis screening",
    "Agenda for Change pay bands explained for new managers",
    "Cashflow is not our goal; safer wards are",
    # Money words with other meanings in care
    "Grand round on sepsis next week",
    "Two grand rounds a month on deterioration",
    "Bucks Healthcare NHS Trust and Oxford colleagues",
    "Buckinghamshire (Bucks) community teams",
    "Birth weights under five pounds: a neonatal audit",
    "Help patients lose ten pounds safely: a weight management pathway",
    "Quid pro quo: I teach R, you teach QI",
    "Help families use direct payments for social care",
    "Payment by Results coding audit",
    "Cost-effectiveness analysis of a falls prevention programme",
    "Reduce prescription charges confusion for patients",
    "Monthly money advice clinic signposting for carers",
    "Wise use of antibiotics: a stewardship audit",
    "Transfer money saved on agency staff into training",
    "Give money advice to carers at discharge",
    "Banking on teamwork: the nursing bank office rota",
    "Stone and weight recorded for 300 patients; many lost ten pounds",
    "Gold standard referral pathway",
    # Look-alike and spacing that should not change the meaning
    "Caf\u00e9 conversations with the ward team",
    f"12{NBSP}March{NBSP}2026 session on run charts",
    "Survival analysis in R using df$time and df$status",
    "Warfarin clinic: keep the INR 2 to 3",
    "Thanks to Mrs Patel for her session on 12/03/2025",
    "Born in Lagos, trained in Leeds; now leading the sepsis bundle work",
    "Mentoring in Greek and English: \u03ba\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1",
    "Lead nurse, \u041c\u043e\u0441\u043a\u0432\u0430 exchange programme alumni",
    "Project code QI-2025-03-12 for the frailty pathway",
    "Ten-minute huddle at 08:30, bay 4",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_health_and_care_text_passes_both_checks(text):
    assert money_talk(text) is None
    assert patient_data_found(text) is None
    check_shared_text(text=text)
