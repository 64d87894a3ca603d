from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.coordination.models import Consent
from equitime.core.forms import HoursField
from equitime.core.rules import TextRulesFormMixin
from equitime.exchanges.forms import DirectExchangeForm
from equitime.listings.forms import ListingForm
from equitime.listings.models import Listing
from equitime.members.models import Member
from equitime.members.picker import ColleagueField, picker


class ConsentForm(TextRulesFormMixin, forms.Form):
    shared_text_fields = ("note",)

    member = ColleagueField(label=_("Member's name"))
    method = forms.ChoiceField(
        label=_("How did they agree?"),
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("For example: where the signed form is kept. No patient details."),
    )

    def __init__(self, *args: Any, coordinator: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker(self, "member").chooser = coordinator


class CoordinatedListingForm(ListingForm):
    kind = forms.ChoiceField(
        label=_("Offer or request?"),
        choices=Listing.Kind.choices,
        widget=forms.RadioSelect,
        initial=Listing.Kind.OFFER,
    )
    field_order = ["kind"]


class CoordinatedExchangeForm(DirectExchangeForm):
    """The direct-exchange form, worded for a coordinator acting for ``member``."""

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, member=member, **kwargs)
        direction = self.fields["direction"]
        assert isinstance(direction, forms.ChoiceField)
        direction.choices = [
            (self.GAVE, _("%(name)s gave their time") % {"name": member.display_name}),
            (self.RECEIVED, _("The colleague gave their time")),
        ]


class ActForm(forms.Form):
    """What a move for the member may need: hours for logging, a reason for declining."""

    hours = HoursField(label=_("Hours given"), required=False)
    confirm_over_agreed = forms.BooleanField(
        label=_("Yes, they gave this much more than agreed"), required=False
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)
