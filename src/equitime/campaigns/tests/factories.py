"""Campaign test data: ``campaign``, made through the service by a community
administrator, and ``image_upload``, an uploaded image made with Pillow."""

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from equitime.campaigns.services import campaign_create
from equitime.members import roles
from equitime.members.services import member_role_grant
from equitime.members.tests.factories import make_member
from equitime.skills.models import ImprovementArea


def administrator(**fields):
    fields.setdefault("display_name", "Ada Admin")
    return member_role_grant(member=make_member(**fields), role=roles.COMMUNITY_ADMIN, by=None)


def ambassador(**fields):
    fields.setdefault("display_name", "Amal Ambassador")
    return member_role_grant(member=make_member(**fields), role=roles.AMBASSADOR, by=None)


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (800, 400), *, gps: bool = False
) -> bytes:
    """A plain coloured picture; ``gps`` puts a place and a camera in its EXIF."""
    image = Image.new("RGB", size, (30, 110, 160))
    out = BytesIO()
    extra = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "SecretCam"  # Make
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
        extra["exif"] = exif
    image.save(out, fmt, **extra)
    return out.getvalue()


def image_upload(
    fmt: str = "JPEG",
    size: tuple[int, int] = (800, 400),
    *,
    name: str = "IMG_0042 home.jpg",
    gps: bool = False,
) -> SimpleUploadedFile:
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(fmt, "image/" + fmt.lower())
    return SimpleUploadedFile(name, image_bytes(fmt, size, gps=gps), content_type=content_type)


def campaign(
    *,
    by=None,
    title: str = "Reducing length of stay",
    target_hours: int = 100,
    starts_in_days: int = -10,
    days: int = 60,
    area: str = "patient-safety",
    image=None,
    image_alt: str = "",
):
    today = timezone.now().date()
    starts_on = today + timedelta(days=starts_in_days)
    return campaign_create(
        by=by or administrator(),
        title=title,
        description="Fewer days in hospital: discharge planning, frailty, flow.",
        improvement_area=ImprovementArea.objects.get(slug=area),
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days),
        target_hours=target_hours,
        image=image,
        image_alt=image_alt,
    )
