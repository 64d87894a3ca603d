from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.core.forms import HoursField, RequestKeyMixin
from equitime.core.rules import TextRulesFormMixin
from equitime.members.models import Member
from equitime.members.picker import ColleagueField, picker


class DonationForm(RequestKeyMixin, TextRulesFormMixin, forms.Form):
    """Give credits to a colleague, or to the community pool (the donate page).
    The donation service checks the note's text rules; asked here too, a
    refusal shows on the note."""

    shared_text_fields = ("memo",)

    recipient = ColleagueField(
        label=_("Colleague's name"),
        required=False,
        help_text=_("Leave empty to give to the community pool, which welcomes new members."),
        self_message=_("You cannot give credits to yourself."),
    )
    hours = HoursField(
        label=_("Credits (hours)"),
        max_value=Decimal("1000"),
        max_digits=6,
        help_text=_("In quarter-hours: 0.25, 0.5, 1, 1.5 ..."),
    )
    memo = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, donor: Member, **kwargs: Any) -> None:
        self.donor = donor
        super().__init__(*args, **kwargs)
        picker(self, "recipient").chooser = donor
