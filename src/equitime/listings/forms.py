from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.core.forms import HoursField, RequestKeyMixin, Select, choice_field
from equitime.core.rules import TextRulesFormMixin
from equitime.core.units import minutes_to_hours
from equitime.listings.models import Format
from equitime.members.forms import TagsField, skills_field
from equitime.skills.models import ImprovementArea, Skill
from equitime.skills.selectors import skill_choices

PATIENT_DATA_WARNING = _(
    "Never include information that could identify a patient or service user: no names, "
    "NHS numbers, dates of birth, addresses or case details."
)


class ListingForm(TextRulesFormMixin, forms.Form):
    # The listing services check every text; the form asks too, so a refusal
    # shows on its field together with the form's other errors.
    shared_text_fields = ("title", "description", "benefit", "place", "languages")

    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("For example: 'Survival analysis in R' or 'Help designing a run chart'."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=PATIENT_DATA_WARNING,
    )
    improvement_area = forms.ModelChoiceField(
        label=_("Improvement area"),
        queryset=ImprovementArea.objects.all(),
        empty_label=_("Choose the area it serves"),
        widget=Select,
    )
    benefit = forms.CharField(
        label=_("How it helps health and care"),
        max_length=250,
        help_text=_("One sentence. Every activity on Equitime is for health and care improvement."),
    )
    skills = skills_field(
        label=_("Skills"),
        help_text=_("Tick the skills it calls for, so that the right colleagues find it."),
    )
    hours = HoursField(
        label=_("Estimated time (hours)"),
        help_text=_("In quarter-hours. One hour is one credit, whoever gives it."),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=Format.choices, initial=Format.EITHER, widget=Select
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=120,
        required=False,
        help_text=_("For in-person help: a town, site or region."),
    )
    languages = TagsField(
        label=_("Languages"), help_text=_("Separate with commas, e.g. 'English, Urdu'.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "skills").choices = skill_choices()

    def clean_skills(self):
        return list(Skill.objects.filter(pk__in=self.cleaned_data["skills"]))

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["estimated_minutes"] = data.pop("hours")
        data["skills"] = list(data["skills"])
        return data

    @classmethod
    def initial_from(cls, listing) -> dict:
        return {
            "title": listing.title,
            "description": listing.description,
            "improvement_area": listing.improvement_area_id,
            "benefit": listing.benefit,
            "skills": [skill.pk for skill in listing.skills.all()],
            "hours": minutes_to_hours(listing.estimated_minutes),
            "format": listing.format,
            "place": listing.place,
            "languages": listing.languages,
        }


class ProposeForm(TextRulesFormMixin, RequestKeyMixin):
    """Taking up a listing: the form on its page, posted to the exchanges'
    propose view, which starts the exchange. It lives with the page that shows
    it, so listings need nothing of exchanges."""

    shared_text_fields = ("message",)

    hours = HoursField(
        label=_("Hours"), help_text=_("Your estimate, in quarter-hours. It can change later.")
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=PATIENT_DATA_WARNING,
    )
