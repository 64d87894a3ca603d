"""Country and time zone are typed, with a few suggestions, and the fields
clean what people type to the codes zoneinfo and the ISO list know."""

import zoneinfo

import pytest
from django import forms

from equitime.core.forms import CountryNameField, SuggestionsInput, TimeZoneField


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("  asia/KOLKATA ", "Asia/Kolkata"),
        ("Kolkata", "Asia/Kolkata"),
        ("london", "Europe/London"),
        ("America/New York", "America/New_York"),
        ("new york", "America/New_York"),
        ("Etc/GMT+5", "Etc/GMT+5"),
        ("etc/gmt-5", "Etc/GMT-5"),
        ("UTC", "UTC"),
    ],
)
def test_a_time_zone_is_cleaned_to_its_iana_name(typed, zone):
    cleaned = TimeZoneField().clean(typed)

    assert cleaned == zone
    assert cleaned in zoneinfo.available_timezones()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Mars/Olympus_Mons", "“Mars/Olympus_Mons” is not a time zone we know."),
        ("Manchester", "“Manchester” is not a time zone we know."),
        ("Buenos Aires", "More than one time zone is called “Buenos Aires”: type one of "),
        ("", "This field is required."),
        ("x" * 65, "Ensure this value has at most 64 characters"),
    ],
)
def test_a_time_zone_nobody_knows_is_refused_with_what_to_type(typed, message):
    with pytest.raises(forms.ValidationError) as refused:
        TimeZoneField().clean(typed)

    assert refused.value.messages[0].startswith(message)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("United Kingdom", "GB"),
        ("uk", "GB"),
        ("Scotland", "GB"),
        ("GB", "GB"),
        ("gbr", "GB"),
        ("the Netherlands", "NL"),
        ("Cote d'Ivoire", "CI"),
        ("Kenya", "KE"),
        ("IN", "IN"),
    ],
)
def test_a_country_is_cleaned_to_its_code(typed, code):
    assert CountryNameField().clean(typed) == code


@pytest.mark.parametrize("typed", ["Narnia", "ZZ", "XYZ"])
def test_a_country_nobody_knows_is_refused(typed):
    with pytest.raises(forms.ValidationError) as refused:
        CountryNameField().clean(typed)

    assert refused.value.messages == [
        f"“{typed}” is not a country we know. Type its name in English, such as Kenya."
    ]


def test_a_very_long_country_is_refused_by_its_length():
    with pytest.raises(forms.ValidationError) as refused:
        CountryNameField().clean("Narnia" * 50)

    assert refused.value.messages == ["Ensure this value has at most 100 characters (it has 300)."]


def test_a_country_is_shown_by_its_name_and_what_was_typed_as_it_was():
    field = CountryNameField()

    assert field.prepare_value("KE") == "Kenya"
    assert field.prepare_value("Narnia") == "Narnia"


def test_the_suggestions_are_a_datalist_of_the_box():
    widget = SuggestionsInput(suggestions=["Europe/London", "Asia/Kolkata <x>"])

    html = widget.render("time_zone", "Europe/London", {"id": "id_time_zone"})

    assert html == (
        '<input type="text" name="time_zone" value="Europe/London" id="id_time_zone"'
        ' list="id_time_zone_suggestions"><datalist id="id_time_zone_suggestions">'
        '<option value="Europe/London"><option value="Asia/Kolkata &lt;x&gt;"></datalist>'
    )
