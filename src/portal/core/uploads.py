"""Uploads are checked by their content, never by their name (DESIGN: errors and bad input)."""

import io
import uuid

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png"}
# The content type stored beside a document, from the extension validate_document_upload gave.
CONTENT_TYPE_OF = {extension: mime for mime, extension in DOCUMENT_TYPES.items()}
MB = 1024 * 1024


def sniff_content_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def validate_document_upload(upload, *, max_bytes: int = 15 * MB) -> str:
    """PDF, JPEG or PNG by content, at most 15 MB. Returns the file extension to store with."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // MB}, code="too_large"
        )
    mime = sniff_content_type(upload)
    if mime not in DOCUMENT_TYPES:
        raise ValidationError(_("Only PDF, JPEG or PNG files are accepted."), code="bad_type")
    if mime != "application/pdf":
        _verify_image(upload)
    return DOCUMENT_TYPES[mime]


# Pixel caps, checked on the header before anything is decoded: a small, well-compressed PNG
# can claim 15000 × 15000 pixels and cost gigabytes once decoded (Pillow only warns below twice
# its own MAX_IMAGE_PIXELS). A document scan of A4 at 600 dpi is 35 megapixels; a profile
# picture is decoded and scaled down on the server, so it is held to a phone photo's size.
DOCUMENT_MAX_PIXELS = 40_000_000
AVATAR_MAX_PIXELS = 16_000_000


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _("The image has too many pixels. Please send one of at most %(megapixels)d million.")
        % {"megapixels": max_pixels // 1_000_000},
        code="too_many_pixels",
    )


def _verify_image(upload, *, max_pixels: int = DOCUMENT_MAX_PIXELS) -> None:
    try:
        upload.seek(0)
        with Image.open(upload) as image:  # reads the header only
            if image.width * image.height > max_pixels:
                raise _too_many_pixels(max_pixels)
            image.verify()  # checks the structure (chunks, checksums) without decoding pixels
        upload.seek(0)
    except Image.DecompressionBombError as exc:  # Pillow's own refusal, far above the caps
        raise _too_many_pixels(max_pixels) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("The image could not be read."), code="bad_image") from exc


def validate_image_upload(upload, *, max_bytes: int = 5 * MB) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // MB}, code="too_large"
        )
    if sniff_content_type(upload) not in IMAGE_TYPES:
        raise ValidationError(_("Only JPEG or PNG images are accepted."), code="bad_type")
    _verify_image(upload, max_pixels=AVATAR_MAX_PIXELS)


def resized_square_png(upload, *, size: int = 256) -> bytes:
    """Profile pictures are re-encoded, which also strips metadata such as GPS positions.
    Only pictures validate_image_upload accepted come here (at most AVATAR_MAX_PIXELS)."""
    upload.seek(0)
    with Image.open(upload) as image:
        if image.width * image.height > AVATAR_MAX_PIXELS:
            raise _too_many_pixels(AVATAR_MAX_PIXELS)
        # A JPEG is decoded at a reduced scale straight away (1/2 to 1/8), close to the size
        # kept: a 16-megapixel photo then costs a few megabytes, not 48.
        image.draft("RGB", (size * 2, size * 2))
        image = image.convert("RGB")
    side = min(image.size)
    left = (image.width - side) // 2
    top = (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side)).resize((size, size))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def private_name(folder: str, extension: str) -> str:
    """Stored names reveal nothing of the person or the original file name."""
    return f"{folder}/{uuid.uuid4().hex}.{extension}"
