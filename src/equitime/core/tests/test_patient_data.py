"""The patient-data guard: ``patient_data_found`` finds NHS numbers, labelled
hospital numbers and dates of birth next to names, and leaves ordinary health
and care improvement text alone. ``check_no_patient_data`` turns a find into a
refusal that names the field but never repeats the identifier."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from equitime.core.errors import DomainError
from equitime.core.patient_data import patient_data_found
from equitime.core.rules import check_no_patient_data, check_shared_text


def check_digit(nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None if there is none.
    Written out again here so the test does not trust the code it tests."""
    total = sum(int(d) * w for d, w in zip(nine, [10, 9, 8, 7, 6, 5, 4, 3, 2], strict=True))
    digit = 11 - total % 11
    return {11: 0, 10: None}.get(digit, digit)


def valid_nhs_number(nine: str) -> str:
    digit = check_digit(nine)
    assert digit is not None, nine
    return nine + str(digit)


# Known-valid: the NHS Data Dictionary example, plus numbers made by the algorithm.
VALID = ["9434765919", valid_nhs_number("401023213"), valid_nhs_number("485777345")]


def spaced(number: str, sep: str = " ") -> str:
    return f"{number[:3]}{sep}{number[3:6]}{sep}{number[6:]}"


# --- NHS numbers ------------------------------------------------------------------


def test_the_check_digit_helper_agrees_with_the_published_example():
    assert check_digit("943476591") == 9


@pytest.mark.parametrize("number", VALID)
@pytest.mark.parametrize("layout", ["plain", "spaces", "hyphens"])
def test_valid_nhs_numbers_are_found_in_every_layout(number, layout):
    written = {"plain": number, "spaces": spaced(number), "hyphens": spaced(number, "-")}[layout]
    assert patient_data_found(f"Patient {written} was discussed") == "an NHS number"
    assert patient_data_found(written) == "an NHS number"
    assert patient_data_found(f"({written}).") == "an NHS number"


@pytest.mark.parametrize("number", VALID)
def test_numbers_failing_the_check_digit_are_not_found(number):
    for wrong in set("0123456789") - {number[-1]}:
        text = number[:-1] + wrong
        assert patient_data_found(text) is None
        assert patient_data_found(spaced(text)) is None


def test_a_number_whose_check_digit_would_be_ten_is_never_valid():
    nine = next(f"{n:09d}" for n in range(100000000, 100001000) if check_digit(f"{n:09d}") is None)
    for last in "0123456789":
        assert patient_data_found(nine + last) is None


@pytest.mark.parametrize(
    "text",
    [
        "19434765919",  # eleven digits
        "94347659190",
        "Ref 12345 9434765919 0",  # joined to more digits by a space
        "+44 943 476 5919",  # an international phone number
        "943 476 5919 2",
        "943-476-59190",
        "0.9434765919",  # a decimal
        "0000000000",  # a placeholder, though it passes the check
    ],
)
def test_nhs_numbers_inside_longer_digit_runs_or_odd_layouts_are_not_found(text):
    assert patient_data_found(text) is None


@given(st.integers(min_value=0, max_value=9_999_999_999))
def test_any_ten_digits_are_found_exactly_when_the_check_digit_holds(value):
    digits = f"{value:010d}"
    expected = check_digit(digits[:9]) == int(digits[9]) and len(set(digits)) > 1
    assert (patient_data_found(f"No. {digits} here") == "an NHS number") is expected


# --- Labelled hospital and NHS numbers ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hospital number 1234567",
        "hospital no: 0012345",
        "Hosp no. K123456",
        "MRN: RM123456",
        "MRN 88812345",
        "Medical record number 554433",
        "NHS no. 123 456 7890",  # labelled, so found whatever its check digit
        "NHS number: 1234567890",
        "CHI number 0101801234",
        "patient ID 99887766",
    ],
)
def test_labelled_hospital_and_nhs_numbers_are_found(text):
    assert patient_data_found(text) == "a hospital or NHS number"


# --- Dates of birth ------------------------------------------------------------------

DATES = [
    "12/03/1987",
    "12-03-87",
    "12.03.1987",
    "1987-03-12",
    "12 March 1987",
    "12th March 1987",
    "March 12, 1987",
    "12 Mar 1987",
    "3/12/1987",  # month first, US style
]


@pytest.mark.parametrize("when", DATES)
@pytest.mark.parametrize(
    "labelled",
    [
        "DOB {}",
        "DOB: {}",
        "D.O.B. {}",
        "d.o.b - {}",
        "date of birth {}",
        "Date of birth is {}",
        "born {}",
        "Born on {}",
        "{} (DOB)",
    ],
)
def test_a_labelled_date_of_birth_is_found(when, labelled):
    assert patient_data_found(labelled.format(when)) == "a date of birth"


@pytest.mark.parametrize("when", DATES)
@pytest.mark.parametrize(
    "named",
    [
        "Mrs Smith {} has asked for help",
        "Mr. John Smith, {}, lives alone",
        "Ms Ali ({})",
        "{} Miss O'Brien",
        "Mx J. Lee {}",
        "We saw the patient John Smith, {}, twice",
        "a service user called Ali, {}",
        "the resident Mrs Khan {}",
        "Name: Jo Bloggs, {}",
        "Patient name: jo bloggs\n{}",
        "Mrs Smith-Jones has diabetes and is frail and lives alone, {}",
    ],
)
def test_a_date_next_to_a_name_is_found(when, named):
    assert patient_data_found(named.format(when)) == "a date of birth next to a name"


@pytest.mark.parametrize(
    "text",
    [
        # A name and a date, but the date is when something happens.
        "Thanks to Mrs Patel for her session on 12/03/2025",
        "Mrs Patel runs the next session on Tuesday 12 March 2024",
        # A future date cannot be a date of birth.
        "Mrs Patel will teach it, 12/03/2099",
        "DOB 12/03/2099",
        # Different sentences, or too far apart.
        "Thanks Mrs Patel! The ward audit was 12/03/2024.",
        "Mrs Patel" + " and the rest of the team worked very hard on this," * 2 + " 12/03/2024",
        # Not a real date.
        "Mrs Smith 31/02/1987",
        # A doctor is a colleague; a capitalised "Patient" starts a programme name.
        "Dr Patel 12/03/1987",
        "Patient Safety Congress 12/03/2024",
        "Resident Doctors forum 12/03/2024",
        "the patient Experience survey 12/03/2024",
        # A month is not a name.
        "Miss March 12, 2024 at your peril",
        # A version number is not a date.
        "v1.2.24 of the app, Mr Smith",
        # A cohort, not a person.
        "patients born after 12/03/1950",
    ],
)
def test_names_and_dates_that_are_not_a_date_of_birth_pass(text):
    assert patient_data_found(text) is None


# --- Ordinary improvement text -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Audit of 2024 admissions",
        "Analysis of 2024 admissions",
        "Ward round on 12/03/2025",
        "audit of 12/03/2025 ward round",
        "Meet Tuesday 12 March",
        "Call 0161 496 0000",
        "Call 020 7946 0958 or 07700 900123",
        "Reduce falls by 15% in 2025",
        "Survival analysis of 1,234 patients born after 1950",
        "Dr Okafor can teach run charts; next cohort starts 12 March 2026",
        "Improve DOB recording; audit on 12/03/2025",
        "MRN errors fell by 40% in 2025",
        "The NHS no longer funds 12345 beds in the region",
        "Patient Safety Week, 12 March 2025",
        "Patient experience scores rose from 3.2 to 4.1 between 2019 and 2024",
        "1234567890 reasons to learn R",  # ten digits, but not a valid NHS number
        "Project code QI-2025-03-12 for the frailty pathway",
        "We reviewed 9,434 records from 2015-2020 for the NEWS2 audit",
        "Mrs Okafor coached me on driver diagrams. Brilliant!",
        "Born in Lagos, trained in Leeds; now leading the sepsis bundle work",
        "Birth weight audit: babies born 2020-2023 weighed 3.2 kg on average",
    ],
)
def test_ordinary_improvement_text_passes(text):
    assert patient_data_found(text) is None


def test_empty_text_passes():
    assert patient_data_found("") is None
    assert patient_data_found(None) is None


# --- The refusal ----------------------------------------------------------------------


def test_the_refusal_names_the_field_and_what_was_found_but_not_the_number():
    with pytest.raises(DomainError) as refused:
        check_no_patient_data(title="Run charts", description="For patient 943 476 5919")
    assert refused.value.code == "patient_data"
    message = refused.value.message
    assert "an NHS number in the description" in message
    assert "Please remove the NHS number from the description" in message
    assert "could identify a patient or service user" in message
    assert "secure systems" in message
    assert "5919" not in message


def test_the_refusal_speaks_of_the_field_in_words():
    with pytest.raises(DomainError, match="date of birth next to a name from the dispute reason"):
        check_no_patient_data(dispute_reason="Mrs Smith, 12/03/1987")


def test_clean_text_is_not_refused():
    check_no_patient_data(title="Run charts", description="One hour, remote", benefit="")
    check_shared_text(title="Run charts", description="One hour, remote")


def test_shared_text_check_runs_the_money_check_then_the_patient_data_check():
    with pytest.raises(DomainError) as refused:
        check_shared_text(description="MRN 1234567, fee £20")
    assert refused.value.code == "money"
    with pytest.raises(DomainError) as refused:
        check_shared_text(title="Run charts", description="MRN 1234567")
    assert refused.value.code == "patient_data"
