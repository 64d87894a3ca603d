from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.campaigns.models import WELCOME_MAX_LENGTH, Campaign
from equitime.campaigns.services import MAX_TARGET_HOURS
from equitime.skills.models import ImprovementArea


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("What the campaign is for"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Everyone can read it: say what members can do to take part."),
    )
    improvement_area = forms.ModelChoiceField(
        label=_("Improvement area"), queryset=ImprovementArea.objects.order_by("name")
    )
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    target_hours = forms.IntegerField(
        label=_("Target in hours"),
        min_value=1,
        max_value=MAX_TARGET_HOURS,
        help_text=_("Hours given in completed exchanges on the campaign's listings."),
    )

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        from equitime.core.units import MINUTES_PER_CREDIT

        return {
            "title": campaign.title,
            "description": campaign.description,
            "improvement_area": campaign.improvement_area_id,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "target_hours": campaign.target_minutes // MINUTES_PER_CREDIT,
        }


class WelcomeForm(forms.Form):
    message = forms.CharField(
        label=_("Your welcome"),
        max_length=WELCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
