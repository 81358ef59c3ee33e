"""Uploaded images (logos, petition and campaign images): one field for every form.

Every image is checked in this order, cheapest first: its size in bytes (before Pillow
opens it), that Pillow reads it as a web format, its size in pixels (read from the
header, before anything is decoded: a 140 KB PNG can hold 12,000 by 12,000 pixels, which
would take half a gigabyte to decode and show), and then it is re-encoded: what is
stored is the picture alone, with no EXIF, GPS position, camera serial or comments, turned
the right way up, under a fresh name whose extension matches its content.
"""

from __future__ import annotations

import io
import uuid
import warnings
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
ACCEPT = ",".join(CONTENT_TYPES.values())
MAX_SIDE = 5000  # pixels: a banner or a logo never needs more

FileT = TypeVar("FileT", bound=File[bytes])


def name_by_content(upload: FileT) -> FileT:
    """Rename a validated image upload after the format Pillow found in it.

    The uploader's file name is never kept: a PNG named logo.pdf would otherwise be
    served as a PDF, and names can carry personal details.
    """
    image = getattr(upload, "image", None)
    extension = EXTENSIONS.get(getattr(image, "format", "") or "", "bin")
    upload.name = f"{uuid.uuid4().hex}.{extension}"
    return upload


def reencoded(upload: File[bytes], kind: str) -> InMemoryUploadedFile:
    """The picture of `upload` alone, saved again in its format: metadata (EXIF, GPS,
    XMP, comments, ICC aside) dropped, orientation applied to the pixels."""
    from PIL import ImageOps

    upload.seek(0)
    with Image.open(upload) as source:
        frames = getattr(source, "n_frames", 1)
        if kind == "GIF" and frames > 1:
            image: Image.Image = source  # an animation keeps its frames; GIF has no EXIF
            options: dict[str, Any] = {"save_all": True, "loop": source.info.get("loop", 0)}
        else:
            image = ImageOps.exif_transpose(source) or source
            options = {}
        if kind == "JPEG":
            options.update(quality=90, optimize=True)
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
        elif kind == "PNG":
            options.update(optimize=True)
        elif kind == "WEBP":
            options.update(quality=90)
        icc = source.info.get("icc_profile")
        if kind == "GIF" and frames > 1:
            options["duration"] = source.info.get("duration", 100)
        # Pillow carries a picture's info (EXIF, comments, XMP) into what it saves:
        # only the colour profile goes on, the rest is left behind.
        image.info = {}
        if icc and kind in ("JPEG", "PNG", "WEBP"):
            options["icc_profile"] = icc  # colours, not personal data
        if kind in ("JPEG", "PNG", "WEBP"):
            options["exif"] = b""
        out = io.BytesIO()
        image.save(out, format=kind, **options)
    size = out.tell()
    out.seek(0)
    return InMemoryUploadedFile(
        out,
        field_name=None,
        name=f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}",
        content_type=CONTENT_TYPES[kind],
        size=size,
        charset=None,
    )


class WebImageField(forms.ImageField):
    """A JPEG, PNG, GIF or WebP image within MAX_UPLOAD_BYTES and MAX_SIDE by MAX_SIDE
    pixels, stored re-encoded without its metadata (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def to_python(self, data: Any) -> Any:
        if data and getattr(data, "size", 0) > settings.MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The image is %(size)s; the largest allowed is %(limit)s."),
                code="too_large",
                params={
                    "size": filesizeformat(data.size),
                    "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
                },
            )
        with warnings.catch_warnings():
            # Pillow warns of a "decompression bomb" when it reads a huge header; the
            # pixel check below refuses it with a clearer message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            upload = super().to_python(data)
        if upload is None:
            return None
        image = getattr(upload, "image", None)
        kind = getattr(image, "format", None)
        if image is None or kind not in EXTENSIONS:
            raise ValidationError(
                _("Upload a JPEG, PNG, GIF or WebP image."), code="invalid_image_type"
            )
        width, height = image.size
        if width > MAX_SIDE or height > MAX_SIDE:
            raise ValidationError(
                _(
                    "The image is %(width)s × %(height)s pixels; make it at most "
                    "%(side)s × %(side)s."
                ),
                code="too_many_pixels",
                params={"width": width, "height": height, "side": MAX_SIDE},
            )
        return reencoded(upload, kind)


def image_help() -> str:
    return str(
        _("JPEG, PNG, GIF or WebP, up to %(limit)s.")
        % {"limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}
    )
