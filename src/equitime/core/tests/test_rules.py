"""Rule 2, no money changes hands: ``money_talk`` finds asks and offers of money
and leaves ordinary health and care improvement text alone."""

import pytest

from equitime.core.errors import DomainError
from equitime.core.rules import check_no_money, money_talk


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # Currency symbols, with or without an amount.
        ("Coaching session, £20", "£20"),
        ("I can do it for $ 50", "$ 50"),
        ("€30 per session", "€30"),
        ("Costs ¥1000", "¥1000"),
        ("₹500 only", "₹500"),
        ("Price on request: £", "£"),
        # Amounts with a currency word or code, either way round.
        ("I ask 50 pounds for the session", "50 pounds"),
        ("1 pound a minute", "1 pound"),
        ("Twenty quid? No: 20 quid", "20 quid"),
        ("Only 100 dollars", "100 dollars"),
        ("It is 40 euros", "40 euros"),
        ("2,500 rupees", "2,500 rupees"),
        ("1.5k pounds for the report", "1.5k pounds"),
        ("GBP 30 for the analysis", "GBP 30"),
        ("Send 30GBP", "30GBP"),
        ("usd25 per chart", "usd25"),
        ("Charge: 45 EUR", "45 EUR"),
        ("Paid in 0.01 btc", "0.01 btc"),
        # Words that ask for or offer money.
        ("There is a small fee", "fee"),
        ("Fees are waived for students", "Fees"),
        ("I will invoice your department", "invoice"),
        ("Invoiced monthly", "Invoiced"),
        ("Payment after the session", "Payment"),
        ("Please pay me afterwards", "pay me"),
        ("Cash on the day", "Cash"),
        ("My hourly rate is modest", "hourly rate"),
        ("My day rate is fair", "day rate"),
        ("An honorarium would be nice", "honorarium"),
        ("Travel reimbursed", "reimbursed"),
        ("Reimbursement for my time", "Reimbursement"),
        ("Remuneration expected", "Remuneration"),
        ("Send it by PayPal", "PayPal"),
        ("pay pal works too", "pay pal"),
        ("Venmo me", "Venmo"),
        ("By bank transfer, please", "bank transfer"),
    ],
)
def test_money_talk_finds_asks_and_offers_of_money(text, phrase):
    assert money_talk(text) == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Improve discharge for unpaid carers",
        "Save nurse time on rotas",
        "Analysis of 2024 admissions data",
        "Reduce costs of waste in theatres",
        "Cost-effectiveness analysis of a falls prevention programme",
        "Help designing a QI run chart, about 1 hour",
        "Survival analysis in R: Kaplan-Meier curves for 300 patients",
        "Feedback from 30 patients on the discharge lounge",
        "Teach 3 nurses to use SPC charts",
        "Better cashflow forecasting is not our goal; safer wards are",
        "A 15% fall in readmissions within 28 days",
        "EuroQol EQ-5D questionnaire analysis",
        "Mentoring for a new band 7 ward manager",
        "Python script to clean 12,000 rows of audit data",
        "Reduce prescription charges confusion for patients",
        "",
    ],
)
def test_ordinary_improvement_text_passes(text):
    assert money_talk(text) is None


def test_money_talk_accepts_none():
    assert money_talk(None) is None


# Clearly benign health and care text the check must not refuse. Each is
# something a member could well write in a listing, message or thanks.
FALSE_POSITIVES = [
    # Any "$" is caught, even with no amount: R and shell code are everyday
    # text on a platform that trades coding and medical statistics.
    "Survival analysis in R using df$time and df$status",
    "Fix the $PATH in our audit script",
    # INR is the International Normalised Ratio of anticoagulation care.
    "Warfarin clinic: keep the INR 2 to 3",
    # CAD (coronary artery disease) and AUD (alcohol use disorder) are diagnoses.
    "Audit of 200 CAD patients in cardiology",
    "Outcomes for 40 AUD admissions",
    # Weights in pounds are common in maternity and neonatal care.
    "Birth weights under 5 pounds: a neonatal audit",
    # "Direct payments" and "Payment by Results" are social care and NHS terms.
    "Help families use direct payments for social care",
    "Payment by Results coding audit",
    # A rate per bed day is a standard patient safety measure.
    "Falls per 1,000 occupied bed day rate",
    # EuroSCORE is a cardiac surgery risk score.
    "Compare 5 euro-scores across surgeons",
]


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_benign_clinical_and_coding_text_is_not_money_talk(text):
    assert money_talk(text) is None


def test_check_no_money_names_the_field_and_the_phrase():
    with pytest.raises(DomainError) as raised:
        check_no_money(title="Run charts", benefit="Safer wards", place_of_payment="Cash only")

    error = raised.value
    assert error.code == "money"
    assert "one hour for one credit" in error.message
    assert "\u201cCash\u201d from the place of payment" in error.message


def test_check_no_money_reports_the_first_field_that_breaks_the_rule():
    with pytest.raises(DomainError, match="\u201c£5\u201d from the title"):
        check_no_money(title="Stats for £5", description="Invoice to follow")


def test_check_no_money_passes_clean_text():
    check_no_money(title="Run charts", description="", benefit="Safer wards")  # raises nothing
