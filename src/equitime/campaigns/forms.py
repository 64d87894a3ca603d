from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equitime.campaigns.images import MAX_IMAGE_BYTES, MAX_IMAGE_SIDE
from equitime.campaigns.models import IMAGE_ALT_MAX_LENGTH, WELCOME_MAX_LENGTH, Campaign
from equitime.campaigns.services import MAX_TARGET_HOURS
from equitime.skills.models import ImprovementArea


def _image_help() -> str:
    return gettext(
        "A photo or picture as JPEG, PNG or WebP, at most %(mb)s MB and "
        "%(px)s by %(px)s pixels. Where it was taken and other hidden details are removed."
    ) % {"mb": MAX_IMAGE_BYTES // (1024 * 1024), "px": MAX_IMAGE_SIDE}


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
        label=_("First day"),
        # A date input reads and writes ISO dates, whatever the language's format.
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    target_hours = forms.IntegerField(
        label=_("Target in hours"),
        min_value=1,
        max_value=MAX_TARGET_HOURS,
        help_text=_("Hours given in completed exchanges on the campaign's listings."),
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        # Lazy with its numbers: filled in at import, it would stay in English.
        help_text=lazy(_image_help, str)(),
    )
    image_alt = forms.CharField(
        label=_("Describe the image"),
        required=False,
        max_length=IMAGE_ALT_MAX_LENGTH,
        help_text=_(
            "For people who cannot see it: what it shows, in a sentence. "
            "Needed when there is an image."
        ),
    )
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)

    # The campaign's own fields, as the services name them.
    CAMPAIGN_FIELDS = (
        "title",
        "description",
        "improvement_area",
        "starts_on",
        "ends_on",
        "target_hours",
    )

    def __init__(self, *args, campaign: Campaign | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if campaign is None or not campaign.image:
            del self.fields["remove_image"]
        if campaign is not None and campaign.image:
            self.fields["image"].label = _("Replace the image")
        # A plain file input: "Remove the image" is its own checkbox.
        self.fields["image"].widget = forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
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
            "image_alt": campaign.image_alt,
        }


class WelcomeForm(forms.Form):
    message = forms.CharField(
        label=_("Your welcome"),
        max_length=WELCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
