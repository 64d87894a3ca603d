"""The group sessions' forms: a session typed in the organiser's own clock,
attendance, cancelling, the list's filter and the community's credit policy."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equitime.core.forms import FilterForm, HoursField, Select, choice_field
from equitime.core.rules import TextRulesFormMixin
from equitime.core.units import minutes_to_hours
from equitime.core.zones import NonexistentTime, local_to_utc, zone_label
from equitime.scheduling.groups import MAX_CAPACITY, MIN_CAPACITY
from equitime.scheduling.models import CreditPolicy, SchedulingSettings, Seat
from equitime.scheduling.slots import MAX_SESSION_MINUTES
from equitime.skills.models import ImprovementArea
from equitime.skills.selectors import taxonomy


class GroupSessionForm(TextRulesFormMixin, forms.Form):
    """What, when (a date and a time on the organiser's clock), how long, how
    many places and where."""

    shared_text_fields = ("title", "description", "benefit", "place")

    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("What you will cover"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    improvement_area = forms.ModelChoiceField(
        label=_("Improvement area"),
        queryset=ImprovementArea.objects.all(),
        empty_label=_("Choose the area it serves"),
        widget=Select,
    )
    benefit = forms.CharField(label=_("How it helps health and care"), max_length=250)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    hours = HoursField(label=_("Length (hours)"), max_value=minutes_to_hours(MAX_SESSION_MINUTES))
    capacity = forms.IntegerField(
        label=_("Places"), min_value=MIN_CAPACITY, max_value=MAX_CAPACITY, initial=8
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=200,
        help_text=_("A room and site, or leave empty for a video call."),
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("A Teams, Zoom or Meet link starting with https://"),
    )

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        self.zone = zone
        super().__init__(*args, **kwargs)
        self.fields["time"].help_text = _("On your clock: %(zone)s") % {
            "zone": zone_label(zone, timezone.now())
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, at = data.get("date"), data.get("time")
        if day is not None and at is not None:
            try:
                data["starts_at"] = local_to_utc(datetime.combine(day, at), self.zone)
            except NonexistentTime as error:
                self.add_error("time", str(error))
        return data


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Who attended?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick everyone who came. Those left unticked pay nothing."),
    )

    def __init__(self, *args: Any, seats: list[Seat], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "attended").choices = [
            (str(seat.member_id), seat.member.display_name) for seat in seats
        ]


class CancelForm(TextRulesFormMixin, forms.Form):
    shared_text_fields = ("reason",)

    reason = forms.CharField(
        label=_("Why are you cancelling?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Everyone who signed up reads this."),
    )


class GroupFilterForm(FilterForm):
    area = forms.ChoiceField(label=_("Improvement area"), required=False, widget=Select)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "area").choices = [("", _("Any area")), *taxonomy().areas]


class SchedulingSettingsForm(forms.ModelForm):
    class Meta:
        model = SchedulingSettings
        fields = ["group_credit_policy"]
        widgets = {"group_credit_policy": forms.RadioSelect}
        help_texts = {
            "group_credit_policy": _(
                "Applies to group sessions created from now on; sessions already "
                "created keep the policy they were created with."
            )
        }

    def clean_group_credit_policy(self) -> str:
        value = self.cleaned_data["group_credit_policy"]
        return str(CreditPolicy(value))
