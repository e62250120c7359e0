"""Checking evidence files by their content (magic bytes and container layout), not their name."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", ("pdf",))
PNG = Kind("image/png", ("png",))
JPEG = Kind("image/jpeg", ("jpg", "jpeg"))
GIF = Kind("image/gif", ("gif",))
WEBP = Kind("image/webp", ("webp",))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",))
ODT = Kind("application/vnd.oasis.opendocument.text", ("odt",))
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", ("ods",))
ODP = Kind("application/vnd.oasis.opendocument.presentation", ("odp",))
LEGACY_OFFICE = Kind("application/octet-stream", ("doc", "xls", "ppt"))
LEGACY_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}

ACCEPT = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"


def _zip_kind(data: bytes) -> Kind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
                if any(n.startswith("ppt/") for n in names):
                    return PPTX
                return None
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                for kind in (ODT, ODS, ODP):
                    if mimetype == kind.content_type:
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def sniff(data: bytes) -> Kind | None:
    """The kind of file ``data`` is, judged from its content; None when not accepted."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(OLE_MAGIC):
        return LEGACY_OFFICE
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    name: str


def check_upload(upload) -> CheckedUpload:
    """Validate an uploaded evidence file; raise ValidationError with a translated message."""
    limit = settings.PORTAL_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    content = b"".join(upload.chunks())
    if len(content) > limit:
        raise ValidationError(
            _("The file is too large; the limit is %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = sniff(content)
    if kind is None or extension not in kind.extensions:
        raise ValidationError(
            _(
                "This file type is not accepted. Upload a PDF, an image (PNG, JPEG, GIF, WebP) "
                "or an Office document (Word, Excel, PowerPoint, OpenDocument)."
            )
        )
    content_type = LEGACY_TYPES.get(extension, kind.content_type)
    return CheckedUpload(content, content_type, name)
