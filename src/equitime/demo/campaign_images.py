"""The demo's campaign image: "Net zero in clinics" gets a banner drawn with
Pillow when the demo is built (no picture is kept in the repository), uploaded
through the service like an administrator's, with words describing it. A
second run leaves a campaign that has an image as it is."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from equitime.campaigns import services
from equitime.campaigns.models import Campaign
from equitime.core.errors import DomainError
from equitime.core.units import MINUTES_PER_CREDIT
from equitime.members.models import Member

TITLE = "Net zero in clinics"
ALT = "Drawing of a small clinic with solar panels on its roof, under a sun, on green hills."
SIZE = (1200, 400)


def banner() -> SimpleUploadedFile:
    """A simple drawn banner: sky, sun, hills and a clinic with solar panels."""
    image = Image.new("RGB", SIZE, (205, 232, 242))
    draw = ImageDraw.Draw(image)
    draw.ellipse((940, 50, 1060, 170), fill=(250, 204, 80))
    draw.ellipse((-200, 250, 700, 650), fill=(96, 160, 96))
    draw.ellipse((450, 270, 1400, 700), fill=(70, 138, 80))
    draw.rectangle((480, 200, 760, 330), fill=(250, 250, 246))
    draw.polygon([(460, 205), (620, 120), (780, 205)], fill=(44, 82, 110))
    for n in range(4):
        x = 520 + n * 55
        draw.polygon([(x, 190), (x + 40, 168), (x + 55, 176), (x + 15, 198)], fill=(30, 60, 120))
    draw.rectangle((600, 260, 640, 330), fill=(0, 112, 120))
    draw.rectangle((612, 215, 628, 250), fill=(200, 40, 50))
    draw.rectangle((603, 224, 637, 240), fill=(200, 40, 50))
    out = BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("banner.png", out.getvalue(), content_type="image/png")


def demo_campaign_images(admin: Member, skipped: list[str]) -> None:
    campaign = Campaign.objects.filter(title=TITLE).first()
    if campaign is None or campaign.image:
        return
    try:
        services.campaign_update(
            campaign=campaign,
            by=admin,
            title=campaign.title,
            description=campaign.description,
            improvement_area=campaign.improvement_area,
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            target_hours=campaign.target_minutes // MINUTES_PER_CREDIT,
            image=banner(),
            image_alt=ALT,
        )
    except DomainError as error:
        skipped.append(f"campaign image for {TITLE}: {error.message}")
