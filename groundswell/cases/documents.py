"""A case's documents: checked (type by their first bytes, size), encrypted with the
case's data key, stored under PRIVATE_ROOT/cases/ (only Groundswell's account reads it)
with a random name; read back only by a view that asked the case's access rule."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from groundswell.cases import audit, crypto, vault
from groundswell.cases.models import Case, Document
from groundswell.core.private import private_storage

if TYPE_CHECKING:
    from groundswell.accounts.models import User

# What a document may be, told by its first bytes (never by its name or the browser's
# word): the content type it is served with.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
ACCEPT = "application/pdf,image/jpeg,image/png"
NAME_FIELD = vault.DOCUMENT_NAME_FIELD  # what a document's sealed name is bound to


def storage() -> Any:
    return private_storage(settings.PRIVATE_ROOT / "cases")


def max_bytes() -> int:
    return int(settings.CASES_DOCUMENT_MAX_MB) * 1024 * 1024


def check(upload: Any) -> tuple[bytes, str]:
    """The upload's bytes and content type, or ValidationError saying what is wrong."""
    if upload.size > max_bytes():
        raise ValidationError(
            _("This file is %(size)s; a document may be at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes())},
            code="too_big",
        )
    data = upload.read(max_bytes() + 1)
    if not data:
        raise ValidationError(_("This file is empty."), code="empty")
    for start, content_type in SIGNATURES:
        if data.startswith(start):
            return data, content_type
    raise ValidationError(_("A document must be a PDF, JPEG or PNG file."), code="wrong_type")


def add_document(case: Case, *, name: str, data: bytes, content_type: str, by: User) -> Document:
    """Store a checked document, encrypted; the file is written before its row, so a
    crash between leaves at most an unreadable orphan, never a row without its file."""
    key = vault.data_key(case, create=True)
    stored_as = f"{case.pk}/{uuid.uuid4().hex}"
    saved = storage().save(stored_as, ContentFile(crypto.encrypt_bytes(key, data, case.pk)))
    with transaction.atomic():
        document = Document.objects.create(
            case=case,
            name=crypto.encrypt(key, name[:200] or "document", case.pk, NAME_FIELD),
            content_type=content_type,
            size=len(data),
            stored_as=saved,
            uploaded_by=by,
        )
        audit.record(case, "document", by=by, detail=content_type)
    return document


def read_document(document: Document, *, by: User) -> tuple[str, bytes]:
    """The document's name and content in clear; the read is audited."""
    case = document.case
    key = vault.data_key(case)
    with storage().open(document.stored_as, "rb") as stored:
        data = crypto.decrypt_bytes(key, stored.read(), case.pk)
    audit.record(case, "document_read", by=by, detail=str(document.pk))
    return crypto.decrypt(key, document.name, case.pk, NAME_FIELD), data


def names(case: Case, documents: list[Document]) -> list[tuple[Document, str]]:
    if not documents:
        return []
    key = vault.data_key(case)
    return [(doc, crypto.decrypt(key, doc.name, case.pk, NAME_FIELD)) for doc in documents]


def remove_files(stored: list[str]) -> None:
    """Delete the files of a deleted case's documents (after its deletion commits; the
    data key is gone already, so a file left behind cannot be read)."""
    files = storage()
    for name in stored:
        files.delete(name)
