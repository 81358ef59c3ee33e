"""Uploaded images are checked (bytes, format, pixels) and stored as the picture alone:
no GPS position or other metadata (a second review found both served from /media/)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ImageField
from PIL import Image

from groundswell.core.uploads import MAX_SIDE, WebImageField, name_by_content

GPS_IFD = 0x8825


def test_an_image_is_named_after_its_content_not_its_upload_name() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    upload = SimpleUploadedFile("report of Ana Reyes.pdf", buffer.getvalue())
    cleaned = ImageField().clean(upload)
    renamed = name_by_content(cleaned)
    assert renamed.name.endswith(".png")
    assert "Ana" not in renamed.name


def photo_with_gps() -> bytes:
    """A phone's photo: EXIF with its GPS position, its camera, and a rotation."""
    image = Image.new("RGB", (60, 30), "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: rotate 90° to show
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (41.0, 52.0, 0.0), 3: "W", 4: (87.0, 37.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"Ana's house")
    return buffer.getvalue()


def test_a_photo_is_stored_without_its_gps_position_and_turned_upright() -> None:
    original = photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    cleaned = WebImageField().clean(SimpleUploadedFile("IMG_0042.jpg", original))
    stored = Image.open(cleaned)
    assert stored.format == "JPEG"
    assert not stored.getexif() and "comment" not in stored.info
    assert stored.size == (30, 60)  # the rotation is in the pixels now
    assert cleaned.name.endswith(".jpg") and "IMG" not in cleaned.name


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_every_format_keeps_its_format(fmt: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buffer, fmt)
    cleaned = WebImageField().clean(SimpleUploadedFile("x", buffer.getvalue()))
    assert Image.open(cleaned).format == fmt


def huge_png() -> bytes:
    """12,000 by 12,000 pixels in a small file (one colour compresses to nearly nothing)."""
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000), 0).save(buffer, "PNG")
    return buffer.getvalue()


def test_too_many_pixels_is_refused_before_decoding() -> None:
    data = huge_png()
    assert len(data) < 200_000
    with pytest.raises(ValidationError, match=f"at most {MAX_SIDE}"):
        WebImageField().clean(SimpleUploadedFile("x.png", data))
