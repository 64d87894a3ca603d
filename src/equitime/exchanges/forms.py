from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.core.forms import HoursField, RequestKeyMixin, Select
from equitime.core.rules import TextRulesFormMixin
from equitime.listings.forms import PATIENT_DATA_WARNING
from equitime.members.models import Member
from equitime.members.picker import ColleagueField, picker
from equitime.skills.models import ImprovementArea


class DirectExchangeForm(TextRulesFormMixin, RequestKeyMixin):
    GAVE, RECEIVED = "gave", "received"
    shared_text_fields = ("title", "benefit", "message")

    colleague = ColleagueField(label=_("Colleague's name"))
    direction = forms.ChoiceField(
        label=_("Who gives the time?"),
        choices=[(GAVE, _("I give my time")), (RECEIVED, _("My colleague gives their time"))],
        widget=forms.RadioSelect,
        initial=GAVE,
    )
    title = forms.CharField(label=_("What was it?"), max_length=120)
    improvement_area = forms.ModelChoiceField(
        label=_("Improvement area"),
        queryset=ImprovementArea.objects.all(),
        empty_label=_("Choose the area it served"),
        widget=Select,
    )
    benefit = forms.CharField(label=_("How it helps health and care"), max_length=250)
    hours = HoursField(label=_("Hours"))
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PATIENT_DATA_WARNING,
    )

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        self.member = member
        super().__init__(*args, **kwargs)
        picker(self, "colleague").chooser = member


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeliverForm(forms.Form):
    hours = HoursField(label=_("Hours you gave"), help_text=_("In quarter-hours."))
    confirm_over_agreed = forms.BooleanField(
        label=_("Yes, I gave this much more than agreed"),
        required=False,
        help_text=_(
            "Needed only when you log more than twice the agreed time, or more than "
            "two hours over it."
        ),
    )


class MessageForm(TextRulesFormMixin, forms.Form):
    shared_text_fields = ("body",)

    body = forms.CharField(
        label=_("Message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PATIENT_DATA_WARNING,
    )


class ThanksForm(TextRulesFormMixin, forms.Form):
    shared_text_fields = ("message", "impact")

    message = forms.CharField(
        label=_("Your thanks"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    impact = forms.CharField(
        label=_("Impact on health and care"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed, or will change, because of this exchange?"),
    )
    show_on_profile = forms.BooleanField(
        label=_("Show my thanks on their profile"), required=False, initial=True
    )


# Standards a reflective account often names, offered as suggestions (a
# datalist): the four domains of the GMC's Good Medical Practice (2024) and
# the four themes of the NMC Code. A member may write any other.
STANDARDS_SUGGESTED = (
    _("GMC Good Medical Practice: Knowledge, skills and development"),
    _("GMC Good Medical Practice: Patients, partnerships and communication"),
    _("GMC Good Medical Practice: Colleagues, culture and safety"),
    _("GMC Good Medical Practice: Trust and professionalism"),
    _("NMC Code: Prioritise people"),
    _("NMC Code: Practise effectively"),
    _("NMC Code: Preserve safety"),
    _("NMC Code: Promote professionalism and trust"),
)
STANDARDS_LIST_ID = "reflection-standards"


class ReflectionForm(forms.Form):
    """A reflective account, in the four parts appraisal and revalidation ask for."""

    standards_suggested = STANDARDS_SUGGESTED
    standards_list_id = STANDARDS_LIST_ID

    text = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only you can see your reflection. It goes into your CPD record for appraisal "
            "and revalidation. Never name or describe a patient."
        ),
    )
    learned = forms.CharField(
        label=_("What I learned"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    practice_change = forms.CharField(
        label=_("How it changed, or will change, my practice"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    standards = forms.CharField(
        label=_("Standards it relates to"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"list": STANDARDS_LIST_ID, "autocomplete": "off"}),
        help_text=_(
            "For example “NMC Code: Practise effectively” or “GMC Good Medical Practice: "
            "Colleagues, culture and safety”. Choose a suggestion or write your own."
        ),
    )


class ResolveForm(forms.Form):
    POST, VOID = "post", "void"

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (POST, _("Move credits for the hours below")),
            (VOID, _("Close without moving credits")),
        ],
        widget=forms.RadioSelect,
    )
    hours = HoursField(label=_("Hours to move"), required=False)
    note = forms.CharField(
        label=_("Explanation to both members"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is None:  # a clean() may change cleaned_data in place and return None
            data = self.cleaned_data
        if data.get("outcome") == self.POST and not data.get("hours"):
            self.add_error("hours", _("Enter the hours to move."))
        return data
