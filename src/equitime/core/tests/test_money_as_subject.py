"""Rule 2 forbids paying for time, not talking about money as the subject of
improvement work (issue 12 §4). Health economics, budgets, business cases and
savings pass; offers and requests of payment are refused; what may be either
is published and read by a moderator."""

import pytest

from equitime.core.rules import money_talk, money_unclear

# Money as the subject of health and care improvement: published as written.
SUBJECT = [
    "Business case showing £50,000 annual savings",
    "The cost per QALY is £20,000, under the NICE threshold",
    "Help me write a business case for a £120k falls prevention service",
    "Cost-effectiveness analysis: ICER of £18,500 per QALY gained",
    "Our ward budget is £1.2m and we overspent by £40,000 last year",
    "Agency spend fell from £300k to £120k after the rota redesign",
    "Model the savings: 200 fewer bed days at £350 per bed day",
    "We applied for £25,000 of charity funding for a carers' hub",
    "A grant of $40,000 funds the community health worker pilot",
    "The falls programme saved an estimated £2 million a year",
    "Review our CIP: the efficiency target is £3.5m this year",
    "Budget impact model for a new diabetes pathway",
    "Return on investment of social prescribing, about £2.30 per £1 spent",
    "Teach health economics to junior doctors",
    "Help with a Markov model of cost-effectiveness",
    "Explain how the national tariff pays for a hip replacement",
    "Gender pay gap audit for our nursing workforce",
    "Improve how we pay unpaid carers' allowances advice",
    "Value for money review of our outpatient transformation",
    "Each avoidable admission costs the system about £2,000 per patient",
    "Procurement savings of €60,000 across three hospitals",
    "Deficit reduction plan: £4m of savings without cutting posts",
    "Write a funding bid for €15,000 from the innovation fund",
    "Training on budget setting for new band 7 managers",
    "Annual spend on incontinence pads is £90,000; reduce waste",
    "Estimate the financial impact of virtual wards",
    "Help families use direct payments for social care",
    "Payment by Results coding audit",
    "Healthy Start vouchers: help families apply",
    "Birth weights under 5 pounds: a neonatal audit",
    "Survival analysis in R using df$time and df$status",
    "Mentoring a new finance business partner in the trust",
    "Economic evaluation alongside a randomised trial",
    "Reduce prescription charges confusion for patients",
    "Bank shifts rota redesign for the staff bank",
    "Help estimating the savings of a discharge to assess model",
    "Cost of a fall with hip fracture: roughly £14,000 per patient",
    "Invest $10,000 in telehealth and measure the return on investment",
    "Warfarin clinic: keep the INR 2 to 3",
    "Income from private patients funds our research nurse",
    "Kofi Mensah, charge nurse, leads our falls audit",
    "Saving £12,000 a year by switching to reusable tourniquets",
    "Apply for £5,000 of charity funding for a garden",
]

# Offers and requests of payment: refused, with the phrase quoted.
PAYMENT = [
    ("I can do your audit for £30/hour", "£30"),
    ("£30/hour, flexible times", "£30"),
    ("Paid via PayPal after the session", "PayPal"),
    ("Invoice me when it is done", "Invoice"),
    ("An Amazon voucher would be a nice thanks", "Amazon voucher"),
    ("Pay me in cash, please", "Pay me"),
    ("$50 for a QI chart", "$50"),
    ("A fee of 20 euros per session", "20 euros"),
    ("Coaching session, £20", "£20"),
    ("Statistics help, 40 euros", "40 euros"),
    ("I charge 25 quid an hour", "25 quid"),
    ("My hourly rate is £45", "£45"),
    ("My rate is reasonable", "My rate"),
    ("Cash on the day", "Cash"),
    ("Happy to help, a small fee covers my travel", "fee"),
    ("Gift card accepted as thanks", "Gift card"),
    ("Send me a Love2shop voucher", "Love2shop voucher"),
    ("I'll give you a voucher for your help", "give you a voucher"),
    ("Please transfer by bank transfer", "bank transfer"),
    ("Monzo me afterwards", "Monzo"),
    ("Cash App: $nurse_amy", "Cash App"),
    ("Revolut or Venmo both fine", "Revolut"),
    ("My sort code is on request", "sort code"),
    ("I'll write your business case for £500", "£500"),
    ("Will analyse your savings data for £200", "£200"),
    ("Honorarium of £100 expected", "£100"),
    ("Expect an invoice from my company", "invoice"),
    ("Reimbursement for my time", "Reimbursement"),
    ("Pay for my time with a coffee card", "Pay for my time"),
    ("I can charge you less than a consultant", "charge you"),
    ("100 dollars per chart", "100 dollars"),
    ("usd25 per chart", "usd25"),
    ("Twenty pounds a session", "Twenty pounds"),
    ("One hundred rupees per visit", "One hundred rupees"),
    ("Payment up front", "Payment"),
    ("Ko-fi link in my bio", "Ko-fi"),
    ("Tenner for the template", "Tenner"),
    ("€15 each session", "€15"),
    ("Remuneration: to be agreed", "Remuneration"),
    ("Starbucks card as thanks", "Starbucks card"),
    ("Send 30GBP", "30GBP"),
    ("Price: 50 bucks", "50 bucks"),
    ("Happy to do it, my day rate is £300", "£300"),
    ("50 pence a minute, like a phone line", "50 pence"),
    ("200 francs for the workshop", "200 francs"),
    ("Western Union is fine for me", "Western Union"),
]

# May be payment, may be the subject: published, and a moderator reads it.
UNCLEAR = [
    ("Agency nurses cost £60 per hour: help us build the business case", "£60 per hour"),
    ("Is this a paid piece of work?", "paid"),
    ("Travel expenses covered", "expenses"),
    ("What do you think of the price?", "price"),
    ("A voucher for your team", "voucher"),
    ("Reduce invoice processing time in finance", "invoice"),
    ("Cash-releasing savings of £80,000 from reduced readmissions", "Cash"),
    ("Cut agency fees: build the business case for a staff bank", "fees"),
]


@pytest.mark.parametrize("text", SUBJECT)
def test_money_as_the_subject_of_improvement_work_passes(text):
    assert money_talk(text) is None
    assert money_unclear(text) is None


@pytest.mark.parametrize(("text", "phrase"), PAYMENT)
def test_offers_and_requests_of_payment_are_refused(text, phrase):
    assert money_talk(text) == phrase


@pytest.mark.parametrize(("text", "phrase"), UNCLEAR)
def test_what_may_be_either_is_published_for_a_moderator_to_read(text, phrase):
    assert money_talk(text) is None
    assert money_unclear(text) == phrase


def test_the_tables_are_big_enough():
    assert len(SUBJECT) >= 40
    assert len(PAYMENT) >= 40
