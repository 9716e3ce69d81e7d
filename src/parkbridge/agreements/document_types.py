"""Which files may be attached to an agreement: checked by extension and by their first bytes.

The extension alone proves nothing (a program renamed to "contract.pdf" still has a .pdf
name), so the content must start the way a file of that type starts ("magic numbers"). Office
Open XML and OpenDocument files are ZIP archives; for them the archive's entries tell a DOCX
from an XLSX, an ODT or any other ZIP file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (DOC, XLS, PPT)
PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
HEAD_BYTES = 1024


@dataclass(frozen=True)
class DocumentType:
    label: str
    extensions: tuple[str, ...]
    content_type: str


PDF = DocumentType("PDF", (".pdf",), "application/pdf")
DOCX = DocumentType(
    "DOCX",
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
DOC = DocumentType("DOC", (".doc",), "application/msword")
ODT = DocumentType("ODT", (".odt",), "application/vnd.oasis.opendocument.text")
XLSX = DocumentType(
    "XLSX", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
PNG = DocumentType("PNG", (".png",), "image/png")
JPEG = DocumentType("JPEG", (".jpg", ".jpeg"), "image/jpeg")

DOCUMENT_TYPES = (PDF, DOCX, DOC, ODT, XLSX, PNG, JPEG)
TYPE_BY_EXTENSION = {
    extension: document_type
    for document_type in DOCUMENT_TYPES
    for extension in document_type.extensions
}
ALLOWED_LABELS = ", ".join(document_type.label for document_type in DOCUMENT_TYPES)
ACCEPT_ATTRIBUTE = ",".join(TYPE_BY_EXTENSION)


def _zip_document_type(file: IO[bytes]) -> DocumentType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                if archive.read("mimetype").strip() == ODT_MIMETYPE:
                    return ODT
                return None
            if "[Content_Types].xml" not in names:
                return None
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    return None


def sniff_document_type(file: Any) -> DocumentType | None:
    """The allowed type the file's content is, judged from its bytes; None for anything else."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    found: DocumentType | None = None
    if head.startswith(PNG_MAGIC):
        found = PNG
    elif head.startswith(JPEG_MAGIC):
        found = JPEG
    elif head.startswith(OLE2_MAGIC):
        found = DOC
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n\x00").startswith(PDF_MAGIC):
        # Some generators put a byte-order mark or blank lines before the header.
        found = PDF
    elif head.startswith(ZIP_MAGIC):
        found = _zip_document_type(file)
        file.seek(0)
    return found


def max_upload_bytes(limit_mb: float) -> int:
    return int(limit_mb * 1024 * 1024)


def check_document_file(file: Any, *, limit_mb: float) -> DocumentType:
    """The file's type, or a ValidationError (on "file") that says what is wrong with it."""
    name = str(getattr(file, "name", "") or "")
    extension = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    declared = TYPE_BY_EXTENSION.get(extension)
    if declared is None:
        raise ValidationError(
            {
                "file": _(
                    "Files of this type (%(extension)s) are not accepted. "
                    "Upload one of: %(allowed)s."
                )
                % {"extension": extension or _("no extension"), "allowed": ALLOWED_LABELS}
            }
        )
    size = file.size
    if not size:
        raise ValidationError({"file": _("The file is empty.")})
    if size > max_upload_bytes(limit_mb):
        raise ValidationError(
            {
                "file": _("The file is %(size).1f MB; files may be at most %(limit)s MB.")
                % {"size": size / 1024 / 1024, "limit": f"{limit_mb:g}"}
            }
        )
    found = sniff_document_type(file)
    if found is None:
        raise ValidationError(
            {
                "file": _(
                    "The name ends in %(extension)s, but the content is not a %(label)s file. "
                    "The file may be damaged or renamed from another type."
                )
                % {"extension": extension, "label": declared.label}
            }
        )
    if found != declared:
        raise ValidationError(
            {
                "file": _(
                    "The name ends in %(extension)s, but the content is a %(found)s file. "
                    "Rename it to end in %(right)s, or upload the right file."
                )
                % {"extension": extension, "found": found.label, "right": found.extensions[0]}
            }
        )
    return found
