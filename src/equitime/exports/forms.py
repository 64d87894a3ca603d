from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.exports.models import Export


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to export"),
        choices=Export.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what to export."),
            "invalid_choice": _("Choose what to export from the list."),
        },
    )
