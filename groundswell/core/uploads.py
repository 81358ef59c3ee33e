"""Uploaded images: stored under a fresh name whose extension matches their content."""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.core.files import File

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


FileT = TypeVar("FileT", bound=File)


def name_by_content(upload: FileT) -> FileT:
    """Rename a validated image upload after the format Pillow found in it.

    The uploader's file name is never kept: a PNG named logo.pdf would otherwise be
    served as a PDF, and names can carry personal details.
    """
    image = getattr(upload, "image", None)
    extension = EXTENSIONS.get(getattr(image, "format", "") or "", "bin")
    upload.name = f"{uuid.uuid4().hex}.{extension}"
    return upload
