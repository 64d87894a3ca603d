"""Campaign images: what an upload must be, and what is stored.

An upload is decoded by Pillow, never trusted by its name or its declared
type: only JPEG, PNG and WebP are opened, at most ``MAX_IMAGE_BYTES`` and
``MAX_IMAGE_SIDE`` pixels a side (checked before the pixels are decoded, so a
decompression bomb is refused, not unpacked). What is stored is a new file
Pillow writes from the pixels alone: no EXIF (which may hold where a photo
was taken), no text chunks, no colour profile; turned upright; at most
``MAX_WIDTH`` wide; under a random name. Every refusal is a ``DomainError`` on
the ``image`` field.
"""

import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from equitime.core.errors import DomainError, ErrorKind

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4000
# Wide enough for the campaign page on a large screen.
MAX_WIDTH = 1600

# Pillow's format name: (stored file's extension, Content-Type).
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
CONTENT_TYPES = dict(FORMATS.values())


@dataclass(frozen=True)
class PreparedImage:
    name: str
    file: ContentFile
    width: int
    height: int


def _invalid(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, field="image", kind=ErrorKind.INVALID)


def _wrong_type() -> DomainError:
    return _invalid(_("Choose a photo or picture saved as JPEG, PNG or WebP."), "image_wrong_type")


def _too_large() -> DomainError:
    return _invalid(
        _("This image is too large: choose one of at most %(mb)s MB and %(px)s by %(px)s pixels.")
        % {"mb": MAX_IMAGE_BYTES // (1024 * 1024), "px": MAX_IMAGE_SIDE},
        "image_too_large",
    )


def prepare_image(upload) -> PreparedImage:
    """Check an uploaded file and return the image to store in its place."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise _too_large()
    upload.seek(0)
    data = upload.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise _too_large()
    with warnings.catch_warnings():
        # Pillow only warns below twice its pixel limit; here that is a refusal too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image: Image.Image = Image.open(BytesIO(data), formats=list(FORMATS))
            if image.format not in FORMATS:
                raise _wrong_type()
            if image.width > MAX_IMAGE_SIDE or image.height > MAX_IMAGE_SIDE:
                raise _too_large()
            source_format = image.format
            image.load()
            image = ImageOps.exif_transpose(image) or image
        except UnidentifiedImageError:
            raise _wrong_type() from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_large() from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError):
            raise _invalid(
                _("This image could not be read: it may be damaged. Save it again and retry."),
                "image_corrupt",
            ) from None
    if image.width > MAX_WIDTH:
        height = max(1, round(image.height * MAX_WIDTH / image.width))
        image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    extension, _content_type = FORMATS[source_format]
    out = BytesIO()
    # Saved without exif=, icc_profile= or pnginfo=: none of the upload's metadata goes on.
    if source_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True)
    elif source_format == "PNG":
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "WEBP", quality=85)
    name = f"{secrets.token_hex(16)}.{extension}"
    return PreparedImage(
        name=name,
        file=ContentFile(out.getvalue(), name=name),
        width=image.width,
        height=image.height,
    )


def image_url(campaign) -> str | None:
    """Where members' browsers fetch the campaign's image; the file's random
    name rides along, so a replaced image is fetched afresh despite caching."""
    if not campaign.image:
        return None
    version = campaign.image.name.rsplit("/", 1)[-1].split(".", 1)[0]
    return reverse("campaign_image", kwargs={"slug": campaign.slug}) + f"?v={version}"


def content_type(name: str) -> str:
    """The Content-Type of a stored image, from the extension we gave it."""
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
