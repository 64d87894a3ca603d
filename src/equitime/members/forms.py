from django import forms
from django.conf import settings
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from equitime.core.forms import (
    CheckboxGroups,
    CountryNameField,
    Select,
    SuggestionsInput,
    TimeZoneField,
    choice_field,
)
from equitime.core.rules import TextRulesFormMixin
from equitime.members.models import Organisation, Profile
from equitime.members.selectors import organisation_countries
from equitime.members.services import PROFILE_FIELDS
from equitime.skills.models import Skill
from equitime.skills.selectors import skill_choices


def split_tags(text: str) -> list[str]:
    """'R, survival analysis,  R' -> ['R', 'survival analysis']: trimmed, no repeats."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        tag = " ".join(raw.split())[:50]
        if tag and tag.lower() not in seen:
            seen[tag.lower()] = tag
    return list(seen.values())


class TagsField(forms.CharField):
    """A comma-separated list of short free-text tags."""

    def __init__(self, *, max_tags: int = 20, **kwargs):
        self.max_tags = max_tags
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def clean(self, value):
        tags = split_tags(super().clean(value) or "")
        if len(tags) > self.max_tags:
            raise forms.ValidationError(
                _("Name at most %(n)s, separated by commas.") % {"n": self.max_tags}
            )
        return tags


def organisation_field() -> forms.ModelChoiceField:
    """The organisation select, one definition for sign-up and the profile,
    so that it reads the same on both: label, order, help and empty choice."""
    return forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by(Lower("name"), "country", "pk"),
        required=False,
        empty_label=_("Not listed, or choose later"),
        widget=Select,
        help_text=_(
            "Where you work. Not in the list yet? Leave this for now, and choose it on your "
            "profile once it has been added."
        ),
    )


def skills_field(*, label, help_text) -> forms.TypedMultipleChoiceField:
    """Skills from the taxonomy, ticked in a list grouped by category with a
    filter box (``core.forms.CheckboxGroups``); the form sets the choices."""
    return forms.TypedMultipleChoiceField(
        label=label,
        coerce=int,
        required=False,
        widget=CheckboxGroups(filter_label=_("Filter skills")),
        help_text=help_text,
    )


# Offered first for the time zone, after the community's own and the member's:
# where the community's members mostly are, then the world's busiest zones.
COMMON_TIME_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Amsterdam",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Warsaw",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Manila",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/St_Johns",
    "America/Halifax",
    "America/Toronto",
    "America/Winnipeg",
    "America/Edmonton",
    "America/Vancouver",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "UTC",
)


def _first_unique(values) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


class SignupDetailsForm(TextRulesFormMixin, forms.Form):
    """Extra fields on allauth's sign-up form. The member, their profile,
    account and welcome gift are created by the adapter through
    ``services.member_join``."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        help_text=_("As colleagues will see it, e.g. 'Dr Amina Okafor'."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = organisation_field()
    profession = forms.CharField(
        label=_("Profession"),
        max_length=100,
        required=False,
        help_text=_("For example: nurse, data analyst, GP, social worker."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )

    field_order = ["display_name", "email", "organisation", "profession", "password1", "password2"]
    shared_text_fields = ("display_name", "profession")

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name

    def signup(self, request, user):
        """Nothing left to do: the adapter saved everything in one transaction."""


class ProfileForm(TextRulesFormMixin, forms.ModelForm):
    display_name = forms.CharField(label=_("Your name"), max_length=100)
    organisation = organisation_field()
    # Typed with suggestions, not chosen from selects of 600 zones and 250
    # countries that every profile page would carry.
    country = CountryNameField(
        label=_("Country"),
        help_text=_("The country you work in. Type its name, such as Kenya or United Kingdom."),
    )
    time_zone = TimeZoneField(
        label=_("Time zone"),
        help_text=_(
            "Colleagues see it on your profile when arranging a time. Type your region and the "
            "nearest city with its own time zone, such as Europe/London or Asia/Kolkata; the "
            "city alone will do."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of Equitime"),
        choices=[("", _("As my browser asks")), *settings.LANGUAGES],
        required=False,
        help_text=_("Pages, e-mails, the weekly digest and notifications come in this language."),
    )
    skills = skills_field(
        label=_("Skills you offer"),
        help_text=_("Tick each one you could help a colleague with."),
    )
    skills_offered = TagsField(
        label=_("Other skills"),
        help_text=_("Anything not in the list, separated by commas."),
    )
    languages = TagsField(
        label=_("Languages you work in"),
        help_text=_("Separate with commas, e.g. 'English, Welsh'."),
    )

    class Meta:
        model = Profile
        fields = PROFILE_FIELDS
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "availability": _("For example: 'Tuesday afternoons, one hour a week'."),
            "bio": _("A few lines about your work and what you would like to improve."),
            "named_to_organisation_leads": _(
                "Your organisation's leads may see your name beside your hours in its impact "
                "report. If you leave this off, your hours are counted only in one total with "
                "the colleagues who keep their names to themselves."
            ),
        }

    field_order = ["display_name", *Meta.fields]
    # Everything here that colleagues read and the member writes in their own words.
    shared_text_fields = (
        "display_name",
        "profession",
        "division",
        "languages",
        "skills_offered",
        "availability",
        "bio",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "skills").choices = skill_choices()
        if self.instance.pk and not self.is_bound:
            self.initial["skills"] = [skill.pk for skill in self.instance.skills.all()]
        zone = self.fields["time_zone"].widget
        if isinstance(zone, SuggestionsInput):
            zone.suggestions = _first_unique(
                [settings.TIME_ZONE, self.instance.time_zone, *COMMON_TIME_ZONES]
            )
        country = self.fields["country"].widget
        if isinstance(country, SuggestionsInput):
            others = sorted(organisation_countries(), key=lambda code: str(countries.name(code)))
            codes = _first_unique([str(self.instance.country), *others])
            country.suggestions = [str(countries.name(code)) for code in codes]

    def clean_skills(self):
        return list(Skill.objects.filter(pk__in=self.cleaned_data["skills"]))

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class SuspendForm(TextRulesFormMixin, forms.Form):
    """A moderator's reason for suspending a member: drawn on the member's profile,
    posted to the moderation page that calls ``moderation.services.member_suspend``."""

    private_text_fields = ("reason",)

    reason = forms.CharField(
        label=_("Why are you suspending this member?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Moderators see this on the profile, and it is kept in the audit log."),
    )


class LanguageForm(forms.Form):
    """The language switcher's one choice (``language_views``)."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
