"""The preferences page's form: a checkbox per kind of notification, grouped
as ``preferences.GROUPS`` groups them, the weekly digest, and what to follow."""

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from equitime.core.forms import choice_field
from equitime.members.forms import skills_field
from equitime.notifications.models import Notification, NotificationPreferences
from equitime.notifications.preferences import GROUPS, email_wanted
from equitime.skills.models import ImprovementArea
from equitime.skills.selectors import skill_choices


def kind_field_name(kind: str) -> str:
    return f"email_{kind}"


class PreferencesForm(forms.Form):
    digest = forms.BooleanField(
        label=_("Send me the weekly digest"),
        required=False,
        help_text=_(
            "On Monday mornings: what waits for you, new offers in what you follow, "
            "and what the community achieved. Nothing is sent in a week with nothing for you."
        ),
    )
    followed_skills = skills_field(
        label=_("Skills you follow, besides those on your profile"),
        help_text=_("New offers in these skills, and in your profile's skills, reach your digest."),
    )
    followed_areas = forms.TypedMultipleChoiceField(
        label=_("Improvement areas you follow"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("New offers for these areas reach your digest."),
    )

    def __init__(self, data=None, *, preferences: NotificationPreferences) -> None:
        initial: dict[str, object] = {
            "digest": preferences.digest,
            "followed_skills": [],
            "followed_areas": [],
        }
        if preferences.pk:
            initial["followed_skills"] = list(
                preferences.followed_skills.values_list("pk", flat=True)
            )
            initial["followed_areas"] = list(
                preferences.followed_areas.values_list("pk", flat=True)
            )
        for kind in Notification.Kind.values:
            initial[kind_field_name(kind)] = email_wanted(preferences, kind)
        super().__init__(data, initial=initial)
        labels = dict(Notification.Kind.choices)
        for kind in Notification.Kind.values:
            self.fields[kind_field_name(kind)] = forms.BooleanField(
                label=labels[kind], required=False
            )
        choice_field(self, "followed_skills").choices = skill_choices()
        # The areas by their label: the taxonomy's names read in the reader's language.
        choice_field(self, "followed_areas").choices = [
            (area.pk, area.label) for area in ImprovementArea.objects.order_by("position", "name")
        ]

    def kind_groups(self) -> list[tuple[str | Promise, list[forms.BoundField]]]:
        """The checkboxes per kind, in the page's groups."""
        return [(title, [self[kind_field_name(kind)] for kind in kinds]) for title, kinds in GROUPS]

    def emails(self) -> dict[str, bool]:
        return {
            kind: bool(self.cleaned_data.get(kind_field_name(kind)))
            for kind in Notification.Kind.values
        }
