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


def _verify_image(upload) -> Image.Image:
    try:
        upload.seek(0)
        image = Image.open(upload)
        image.verify()
        upload.seek(0)
        return Image.open(upload)
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("The image could not be read."), code="bad_image") from exc


def validate_image_upload(upload, *, max_bytes: int = 5 * MB) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // MB}, code="too_large"
        )
    if sniff_content_type(upload) not in IMAGE_TYPES:
        raise ValidationError(_("Only JPEG or PNG images are accepted."), code="bad_type")
    _verify_image(upload)


def resized_square_png(upload, *, size: int = 256) -> bytes:
    """Profile pictures are re-encoded, which also strips metadata such as GPS positions."""
    upload.seek(0)
    image = Image.open(upload)
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
