"""Images are checked on their header before anything is decoded (issue 8: a 218 KB PNG of
15000 × 15000 gave a 500, a 97 KB one cost 750 MB)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from portal.core.uploads import (
    AVATAR_MAX_PIXELS,
    resized_square_png,
    validate_document_upload,
    validate_image_upload,
)
from tests.factories import MemberFactory


def _png(width: int, height: int) -> bytes:
    # One bit per pixel, all black: 15000 × 15000 compresses to a few tens of kilobytes.
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _png(15000, 15000)


@pytest.fixture
def decodes(monkeypatch):
    """Counts pixel decodes (ImageFile.load); the header is read without one."""
    calls = []
    original = ImageFile.ImageFile.load

    def load(self):
        calls.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return calls


@pytest.mark.django_db
def test_a_15000_by_15000_picture_is_a_form_error_and_never_decoded(client, bomb, decodes):
    assert len(bomb) < 300_000
    member = MemberFactory()
    client.force_login(member)
    upload = SimpleUploadedFile("me.png", bomb, content_type="image/png")
    response = client.post("/accounts/settings/avatar/", {"avatar": upload})
    assert response.status_code == 400
    assert response.context["avatar_form"].errors["avatar"] == [
        "ภาพมีจำนวนพิกเซลมากเกินไป กรุณาส่งภาพที่มีไม่เกิน 16 ล้านพิกเซล"
    ]
    assert decodes == []
    member.refresh_from_db()
    assert not member.avatar


def test_a_15000_by_15000_document_image_is_refused_without_decoding(bomb, decodes):
    upload = SimpleUploadedFile("scan.png", bomb, content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        validate_document_upload(upload)
    assert refused.value.code == "too_many_pixels"
    assert decodes == []


def test_a_document_image_within_the_cap_is_accepted_and_not_decoded(decodes):
    upload = SimpleUploadedFile("scan.png", _png(4960, 7016), content_type="image/png")  # A4
    assert validate_document_upload(upload) == "png"
    assert decodes == []


def test_an_avatar_just_above_the_cap_is_refused_on_its_header(decodes):
    side = int(AVATAR_MAX_PIXELS**0.5) + 1
    upload = SimpleUploadedFile("me.png", _png(side, side))
    with pytest.raises(ValidationError) as refused:
        validate_image_upload(upload)
    assert refused.value.code == "too_many_pixels"
    # and the service's re-encoding does not decode it either, should a caller skip the form
    with pytest.raises(ValidationError):
        resized_square_png(upload)
    assert decodes == []


def test_a_large_jpeg_avatar_is_decoded_at_a_reduced_scale(decodes):
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), "white").save(buffer, format="JPEG")
    png = resized_square_png(SimpleUploadedFile("me.jpg", buffer.getvalue()))
    assert Image.open(io.BytesIO(png)).size == (256, 256)
    assert set(decodes) == {(1000, 750)}  # the draft decode: a quarter of each side
