from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.matching.models import NOTE_MAX_LENGTH


class AskForm(forms.Form):
    helper = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("A short note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput,
    )


class AcceptForm(forms.Form):
    message = forms.CharField(
        label=_("A message for them"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput,
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why not (they will see it)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput,
    )


class SuggestionSettingsForm(forms.Form):
    suggestable = forms.BooleanField(
        label=_("Suggest me to colleagues whose requests match my skills"),
        help_text=_(
            "When this is on, people who post a request may see you among those who could "
            "help, with the reasons, and ask you. You can always say no."
        ),
        required=False,
    )
