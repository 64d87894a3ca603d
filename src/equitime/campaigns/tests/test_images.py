"""Campaign images: what an upload must be, what is stored (re-encoded, no
metadata, a random name), how it is served, who may upload, what the API
shows, and group sessions joining through the API."""

import zlib
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from equitime.campaigns import images
from equitime.campaigns.models import Campaign, CampaignSession
from equitime.campaigns.tests.factories import (
    administrator,
    ambassador,
    image_bytes,
    image_upload,
)
from equitime.campaigns.tests.factories import campaign as make_campaign
from equitime.campaigns.tests.test_api import API, as_
from equitime.members.tests.factories import make_member
from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea

pytestmark = pytest.mark.django_db
ALT = "Nurses planning a discharge round a table"


def form(**changes):
    today = timezone.now().date()
    return {
        "title": "Inclusion in research",
        "description": "Widen who takes part in research.",
        "improvement_area": ImprovementArea.objects.get(slug="patient-safety").pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
        "target_hours": "40",
    } | changes


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def create(client, **changes):
    client.force_login(administrator())
    return client.post(reverse("campaign_create"), form(**changes))


# --- Uploading -------------------------------------------------------------------------


def test_an_image_is_stored_re_encoded_without_exif_under_a_random_name(client):
    upload = image_upload("JPEG", (2400, 1200), gps=True)
    assert b"SecretCam" in image_bytes("JPEG", (2400, 1200), gps=True)
    response = create(client, image=upload, image_alt=ALT)
    campaign = Campaign.objects.get()
    assert response.url == reverse("campaign_detail", args=[campaign.slug])

    [path] = stored_files()
    assert "IMG_0042" not in path.name and path.suffix == ".jpg"
    data = path.read_bytes()
    assert b"SecretCam" not in data
    stored = Image.open(BytesIO(data))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert stored.size == (images.MAX_WIDTH, images.MAX_WIDTH // 2)
    assert (campaign.image_width, campaign.image_height) == stored.size
    assert campaign.image_alt == ALT


def test_the_image_is_served_with_its_type_nosniff_and_inline(client):
    campaign = make_campaign(image=image_upload("PNG", name="x.png"), image_alt=ALT)
    client.force_login(make_member())
    response = client.get(reverse("campaign_image", args=[campaign.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    assert "max-age" in response["Cache-Control"]
    assert Image.open(BytesIO(b"".join(response.streaming_content))).format == "PNG"

    page = client.get(reverse("campaign_detail", args=[campaign.slug])).content.decode()
    assert f'alt="{ALT}"' in page and 'width="800" height="400"' in page
    assert images.image_url(campaign) in page.replace("&amp;", "&")
    listing = client.get(reverse("campaign_list")).content.decode()
    assert f'alt="{ALT}"' in listing


def test_no_image_is_a_404_and_signing_in_is_needed(client):
    plain = make_campaign()
    with_image = make_campaign(title="Pictured", image=image_upload(), image_alt=ALT)
    url = reverse("campaign_image", args=[with_image.slug])
    assert client.get(url).url.startswith(reverse("account_login"))
    client.force_login(make_member())
    assert client.get(reverse("campaign_image", args=[plain.slug])).status_code == 404
    assert client.get(reverse("campaign_image", args=["no-such"])).status_code == 404


def svg() -> SimpleUploadedFile:
    body = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return SimpleUploadedFile("logo.svg", body, content_type="image/svg+xml")


def gif() -> SimpleUploadedFile:
    return SimpleUploadedFile("a.gif", image_bytes("GIF"), content_type="image/gif")


def text_named_png() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", b"just some words", content_type="image/png")


def corrupt() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", image_bytes("JPEG")[:300], content_type="image/jpeg")


def too_many_bytes() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "big.png", image_bytes("PNG") + b"\0" * images.MAX_IMAGE_BYTES, content_type="image/png"
    )


def too_many_pixels() -> SimpleUploadedFile:
    return image_upload("PNG", (images.MAX_IMAGE_SIDE + 1, 10), name="wide.png")


def bomb() -> SimpleUploadedFile:
    """A small PNG whose header claims 60000 by 60000 pixels (a decompression bomb)."""
    data = bytearray(image_bytes("PNG", (8, 8)))
    # IHDR follows the 8-byte signature: length, type, width, height, ..., CRC.
    data[16:24] = (60000).to_bytes(4, "big") * 2
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return SimpleUploadedFile("bomb.png", bytes(data), content_type="image/png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (svg, "JPEG, PNG or WebP"),
        (gif, "JPEG, PNG or WebP"),
        (text_named_png, "JPEG, PNG or WebP"),
        (corrupt, "could not be read"),
        (too_many_bytes, "too large"),
        (too_many_pixels, "too large"),
        (bomb, "too large"),
    ],
)
def test_a_wrong_image_is_a_form_error_and_nothing_is_stored(client, upload, message):
    response = create(client, image=upload(), image_alt=ALT)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.exists()
    assert stored_files() == []


def test_an_image_needs_its_description(client):
    response = create(client, image=image_upload())
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it" in response.content.decode()
    assert "Choose the image again" in response.content.decode()
    assert not Campaign.objects.exists()
    assert stored_files() == []


def test_a_description_with_patient_data_is_refused(client):
    response = create(client, image=image_upload(), image_alt="Mr Smith, NHS 943 476 5919")
    assert response.status_code == 200
    assert not Campaign.objects.exists()
    assert stored_files() == []


def test_the_form_is_multipart_and_offers_removal_only_when_there_is_an_image(client):
    client.force_login(administrator())
    page = client.get(reverse("campaign_create")).content.decode()
    assert 'enctype="multipart/form-data"' in page and "Remove the image" not in page
    campaign = make_campaign(image=image_upload(), image_alt=ALT)
    page = client.get(reverse("campaign_edit", args=[campaign.slug])).content.decode()
    assert "Remove the image" in page and "Replace the image" in page


def test_replacing_and_removing_delete_the_old_file(client, django_capture_on_commit_callbacks):
    campaign = make_campaign(image=image_upload(), image_alt=ALT)
    [first] = stored_files()
    client.force_login(administrator(display_name="Other Admin"))
    edit = reverse("campaign_edit", args=[campaign.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, form(image=image_upload("PNG", name="new.png"), image_alt=ALT))
    [second] = stored_files()
    assert second != first and second.suffix == ".png"

    # Saving without a new image keeps it and its words.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, form(title="Shorter stays", image_alt=ALT))
    assert stored_files() == [second]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, form(remove_image="on"))
    campaign.refresh_from_db()
    assert not campaign.image and campaign.image_alt == "" and campaign.image_width is None
    assert stored_files() == []


def test_deleting_a_campaign_deletes_its_file(django_capture_on_commit_callbacks):
    campaign = make_campaign(image=image_upload(), image_alt=ALT)
    assert stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        campaign.delete()
    assert stored_files() == []


@pytest.mark.parametrize("who", ["member", "ambassador", "nobody"])
def test_only_administrators_upload(client, who):
    if who != "nobody":
        client.force_login(make_member() if who == "member" else ambassador())
    response = client.post(reverse("campaign_create"), form(image=image_upload(), image_alt=ALT))
    assert response.status_code in (302, 403)
    if who == "nobody":
        assert response.url.startswith(reverse("account_login"))
    assert not Campaign.objects.exists()
    assert stored_files() == []


def test_an_administrator_uploads_a_webp():
    campaign = make_campaign(image=image_upload("WEBP", name="a.webp"), image_alt=ALT)
    assert campaign.image.name.endswith(".webp")
    assert images.content_type(campaign.image.name) == "image/webp"


# --- API -------------------------------------------------------------------------------


def test_the_api_shows_the_image_address_and_description(client):
    campaign = make_campaign(image=image_upload(), image_alt=ALT)
    plain = make_campaign(title="Plain")
    headers = as_(make_member())
    rows = {row["slug"]: row for row in client.get(f"{API}/campaigns", headers=headers).json()}
    assert rows[campaign.slug]["image_url"] == images.image_url(campaign)
    assert rows[campaign.slug]["image_alt"] == ALT
    assert rows[plain.slug]["image_url"] is None and rows[plain.slug]["image_alt"] == ""
    detail = client.get(f"{API}/campaigns/{campaign.slug}", headers=headers).json()
    assert detail["image_alt"] == ALT
    # The address is a page of the site: a signed-in member's browser fetches it.
    client.force_login(make_member())
    assert client.get(detail["image_url"]).status_code == 200


def test_organisers_add_their_group_session_through_the_api_and_take_it_out(client):
    campaign = make_campaign()
    organiser = make_member(display_name="Olu Organiser")
    session = group_session(organiser)
    url = f"{API}/campaigns/{campaign.slug}/sessions"
    body = {"session_id": session.pk}
    refused = client.post(url, body, content_type="application/json", headers=as_(make_member()))
    assert refused.status_code == 403
    joined = client.post(url, body, content_type="application/json", headers=as_(organiser))
    assert joined.status_code == 200
    assert [row["session_id"] for row in joined.json()["sessions"]] == [session.pk]
    again = client.post(url, body, content_type="application/json", headers=as_(organiser))
    assert again.status_code == 409
    missing = client.post(
        url, {"session_id": 999999}, content_type="application/json", headers=as_(organiser)
    )
    assert missing.status_code == 404
    assert client.delete(f"{url}/{session.pk}", headers=as_(make_member())).status_code == 403
    left = client.delete(f"{url}/{session.pk}", headers=as_(organiser))
    assert left.status_code == 200 and left.json()["sessions"] == []
    assert not CampaignSession.objects.exists()
    assert client.delete(f"{url}/{session.pk}", headers=as_(organiser)).status_code == 409
