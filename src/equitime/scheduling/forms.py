"""The one-to-one session's forms: times are typed on the typist's own clock.

A proposed time is a date, a wall-clock time, a length, and a place or a video
link. The form turns the date and time into an instant with the member's zone
(``core.zones.local_to_utc``), so the hour skipped when the clocks go forward
is an error on the time field, and checks the whole with ``slots.slot_check``
so the refusal sits next to the field it is about.
"""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.core import zones
from equitime.core.errors import DomainError
from equitime.core.rules import TextRulesFormMixin
from equitime.core.units import MINUTES_PER_CREDIT, STEP_MINUTES, hours_text
from equitime.scheduling.services import MAX_PROPOSED_TIMES, REASON_LENGTH
from equitime.scheduling.slots import MAX_SESSION_MINUTES, Slot, slot_check


def _lengths() -> list[tuple[int, str]]:
    return [
        (minutes, hours_text(minutes))
        for minutes in range(STEP_MINUTES, MAX_SESSION_MINUTES + 1, STEP_MINUTES)
    ]


# A slot's field, as the forms name it (row suffix added).
_SLOT_FIELDS = {
    "starts_at": "time",
    "minutes": "length",
    "place": "place",
    "video_url": "video_url",
}


class _SlotRows(TextRulesFormMixin, forms.Form):
    """Rows of date, time, length, place and video link; rows after the first
    may be left empty."""

    rows = 1

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        self.zone = zone
        super().__init__(*args, **kwargs)
        for row in range(1, self.rows + 1):
            self._add_row(row, required=row == 1)
        for name in self.declared_fields:  # after the rows
            self.fields[name] = self.fields.pop(name)

    def _add_row(self, row: int, *, required: bool) -> None:
        suffix = self.suffix(row)
        self.fields[f"date{suffix}"] = forms.DateField(
            label=_("Date"),
            required=required,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        self.fields[f"time{suffix}"] = forms.TimeField(
            label=_("Start time"),
            required=required,
            widget=forms.TimeInput(
                attrs={
                    "type": "time",
                    "step": int(timedelta(minutes=STEP_MINUTES).total_seconds()),
                },
                format="%H:%M",
            ),
        )
        self.fields[f"length{suffix}"] = forms.TypedChoiceField(
            label=_("Length"),
            choices=_lengths,
            coerce=int,
            required=required,
            empty_value=None,
            initial=MINUTES_PER_CREDIT,
        )
        self.fields[f"place{suffix}"] = forms.CharField(
            label=_("Place"),
            required=False,
            max_length=200,
        )
        self.fields[f"video_url{suffix}"] = forms.URLField(
            label=_("Video link"),
            required=False,
            max_length=500,
            assume_scheme="https",
        )

    def suffix(self, row: int) -> str:
        return str(row) if self.rows > 1 else ""

    def slot_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        """Each row's number and its fields, for the template."""
        names = ("date", "time", "length", "place", "video_url")
        return [
            (row, [self[f"{name}{self.suffix(row)}"] for name in names])
            for row in range(1, self.rows + 1)
        ]

    def zone_label(self) -> str:
        return zones.zone_label(self.zone)

    def _row_slot(self, row: int) -> Slot | None:
        suffix = self.suffix(row)
        data = self.cleaned_data
        date, time = data.get(f"date{suffix}"), data.get(f"time{suffix}")
        typed = any(data.get(f"{name}{suffix}") for name in ("date", "time", "place", "video_url"))
        if not typed:
            return None
        if date is None or time is None:
            for name, value in (("date", date), ("time", time)):
                if value is None and f"{name}{suffix}" not in self.errors:
                    self.add_error(f"{name}{suffix}", _("Give the date and the start time."))
            return None
        if any(f"{name}{suffix}" in self.errors for name in _SLOT_FIELDS.values()):
            return None
        try:
            starts_at = zones.local_to_utc(datetime.combine(date, time), self.zone)
        except zones.NonexistentTime as error:
            self.add_error(f"time{suffix}", str(error))
            return None
        try:
            return slot_check(
                Slot(
                    starts_at=starts_at,
                    minutes=data.get(f"length{suffix}") or MINUTES_PER_CREDIT,
                    place=data.get(f"place{suffix}", ""),
                    video_url=data.get(f"video_url{suffix}", ""),
                )
            )
        except DomainError as error:
            field = _SLOT_FIELDS.get(error.field or "", "time")
            self.add_error(f"{field}{suffix}", error.message)
            return None

    def slots(self) -> list[Slot]:
        found = [self._row_slot(row) for row in range(1, self.rows + 1)]
        return [slot for slot in found if slot is not None]


class ProposeTimesForm(_SlotRows):
    """Up to three times for the other party to choose from."""

    rows = MAX_PROPOSED_TIMES
    shared_text_fields = ("place1", "place2", "place3", "reason")

    reason = forms.CharField(
        label=_("A note for your colleague"),
        required=False,
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        slots = self.slots()
        if not slots and not self.errors:
            self.add_error("date1", _("Give at least one time."))
        cleaned["slots"] = slots
        return cleaned


class MoveForm(_SlotRows):
    """The new time, at once, and why."""

    shared_text_fields = ("place", "reason")

    reason = forms.CharField(
        label=_("Why are you moving it?"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your colleague reads this."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        slots = self.slots()
        cleaned["slot"] = slots[0] if slots else None
        return cleaned


# Not "cancel": the exchange page's own cancel form has that prefix, and ids must differ.
CANCEL_PREFIX = "session_cancel"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling?"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your colleague reads this. The exchange itself stays open."),
    )
