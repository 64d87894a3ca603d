"""The checkbox picker: a fieldset of checkboxes per group, a summary of what is
chosen, and a filter box the script shows; escaped like the selects."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from equitime.core.forms import CheckboxGroups

CHOICES = [
    ("Therapies <AHP>", [(1, "Physiotherapy"), (2, 'Art "therapy" & more')]),
    ("Data", [(3, "SQL"), (4, "Python")]),
]


class PickForm(forms.Form):
    skills = forms.TypedMultipleChoiceField(
        label="Skills you offer",
        coerce=int,
        required=False,
        choices=CHOICES,
        help_text="Tick each one.",
        widget=CheckboxGroups(filter_label="Filter skills"),
    )


def drawn(form: forms.Form) -> str:
    return render_to_string("includes/form_fields.html", {"form": form})


def test_a_fieldset_per_group_with_its_name_as_legend_inside_the_fields_fieldset():
    html = drawn(PickForm())

    assert re.search(
        r'<fieldset class="field" aria-describedby="id_skills_helptext">\s*'
        r'<legend class="field__legend">Skills you offer',
        html,
    )
    assert html.count('<fieldset class="picker__group" data-picker-group>') == 2
    assert "<legend>Therapies &lt;AHP&gt;</legend>" in html
    assert "<legend>Data</legend>" in html
    assert (
        '<input type="checkbox" name="skills" value="3" id="id_skills_1_0">'
        ' <label for="id_skills_1_0">SQL</label>'
    ) in html
    assert "Art &quot;therapy&quot; &amp; more" in html
    assert "<script" not in html


def test_the_filter_box_is_hidden_until_the_script_shows_it_and_is_never_posted():
    html = str(PickForm()["skills"])

    filter_box = re.search(
        r'<div class="picker__filter" data-picker-filter hidden>(.*?)</div>', html
    )
    assert filter_box is not None
    assert '<label for="id_skills_filter">Filter skills</label>' in filter_box.group(1)
    field = re.search(r"<input [^>]*id=\"id_skills_filter\"[^>]*>", filter_box.group(1))
    assert field is not None and "name=" not in field.group(0)
    assert 'aria-controls="id_skills_groups"' in field.group(0)
    # Whoever reaches the box hears what is chosen so far.
    assert 'aria-describedby="id_skills_summary"' in field.group(0)
    assert '<p class="picker__summary" id="id_skills_summary" data-picker-summary>' in html
    assert '<p class="picker__status" role="status" data-picker-status></p>' in filter_box.group(1)
    assert 'data-total="4"' in html
    assert str(PickForm().media) == ('<script src="/static/equitime/picker.js" defer></script>')


def test_what_is_chosen_is_ticked_and_summed_up():
    form = PickForm({"skills": ["1", "4"]})
    assert form.is_valid()

    html = str(form["skills"])

    assert re.findall(r'value="(\d)" id="[^"]+" checked', html) == ["1", "4"]
    assert "2 chosen: Physiotherapy, Python." in html
    assert "None chosen yet." in str(PickForm()["skills"])


@pytest.mark.parametrize("bad", [["99"], ["one"]])
def test_a_bad_choice_is_an_error_inside_the_fieldset(bad):
    form = PickForm({"skills": bad})

    assert not form.is_valid()
    html = drawn(form)

    error = re.search(
        r'<fieldset class="field field--error".*?<p class="field-error">(.*?)</p>', html, re.S
    )
    assert error is not None
    assert "Select a valid choice." in error.group(1)
    # The error summary links to the first checkbox, not to nowhere.
    assert '<a href="#id_skills_0_0">Skills you offer:' in html
    assert 'aria-invalid="true"' in html
