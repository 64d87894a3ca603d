"""Forms for reporting listings, for the moderators' decisions, and for roles."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from equitime.listings.forms import PATIENT_DATA_WARNING
from equitime.members import roles
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import NOTE_MAX_LENGTH


class ListingFlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this listing?"),
        choices=ListingFlag.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Tell the moderators more"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            "{} {}",
            _("Needed if you chose “something else”. Up to 1,000 characters."),
            PATIENT_DATA_WARNING,
        ),
    )


class FlagDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note on your decision"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "If you close the listing, its owner reads this. If you dismiss the reports, "
            "the members who reported it read it."
        ),
    )


class RoleForm(forms.Form):
    GRANT, REVOKE = "grant", "revoke"

    role = forms.ChoiceField(choices=list(roles.ROLE_LABELS.items()))
    change = forms.ChoiceField(choices=[(GRANT, _("Give")), (REVOKE, _("Take away"))])
