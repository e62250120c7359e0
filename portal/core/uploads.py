"""The one check of uploaded files: :func:`check_upload`.

A file is accepted when it is not too big, not empty, its name ends with an extension of one of
the accepted kinds, and its content — judged by magic bytes and container layout, never by the
name or the browser's content type — is that kind. A renamed program, PDF or image is refused.
The accepted kinds come as an :class:`Accept` policy: :data:`EVIDENCE` (documents and images
attached to answers), :data:`SPREADSHEETS` (registry imports) and :data:`PDF_FILES`.

Only the first 64 KB are read (and, for ZIP-based formats, the archive's directory), so a large
import is not loaded into memory by the check.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import cached_property
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

HEAD_BYTES = 64 * 1024
MAX_NAME_CHARS = 200
# A ZIP package whose parts unpack to more than this is refused (a "zip bomb").
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Signatures of binary files that are never text (programs, archives), besides the kinds below.
_BINARY_MAGIC = (b"MZ", b"\x7fELF", b"Rar!", b"\x1f\x8b", b"7z\xbc\xaf", b"PK\x03\x04")
# Text never holds NUL or other C0 control bytes apart from tab, line feed and carriage return.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class FileKind:
    code: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("pdf", "application/pdf", ("pdf",))
PNG = FileKind("png", "image/png", ("png",))
JPEG = FileKind("jpeg", "image/jpeg", ("jpg", "jpeg"))
GIF = FileKind("gif", "image/gif", ("gif",))
WEBP = FileKind("webp", "image/webp", ("webp",))
DOCX = FileKind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
XLSX = FileKind(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)
)
PPTX = FileKind(
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ("pptx",),
)
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", ("odt",))
ODS = FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", ("ods",))
ODP = FileKind("odp", "application/vnd.oasis.opendocument.presentation", ("odp",))
# Word 97, Excel 97 and PowerPoint 97 files share one container (OLE); the extension tells.
LEGACY_OFFICE = FileKind("ole", "application/octet-stream", ("doc", "xls", "ppt"))
LEGACY_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
CSV = FileKind("csv", "text/csv", ("csv",))


@dataclass(frozen=True)
class Accept:
    """The kinds a form accepts and what to tell the user when a file is not one of them.

    ``refused``: the name's extension is not accepted (or, without ``renamed``, the content is
    not what the name says); ``renamed``: the extension is accepted but the content is not that
    kind (``%(format)s`` is the extension in capitals).
    """

    kinds: tuple[FileKind, ...]
    refused: Promise
    renamed: Promise | None = None

    @property
    def extensions(self) -> frozenset[str]:
        return frozenset(e for kind in self.kinds for e in kind.extensions)

    @property
    def html_accept(self) -> str:
        """The ``accept`` attribute of a file input: ".pdf,.png,…"."""
        return ",".join(f".{e}" for kind in self.kinds for e in kind.extensions)


EVIDENCE = Accept(
    (PDF, PNG, JPEG, GIF, WEBP, LEGACY_OFFICE, DOCX, XLSX, PPTX, ODT, ODS, ODP),
    refused=_(
        "This file type is not accepted. Upload a PDF, an image (PNG, JPEG, GIF, WebP) "
        "or an Office document (Word, Excel, PowerPoint, OpenDocument)."
    ),
)
SPREADSHEETS = Accept(
    (XLSX, CSV),
    refused=_("Only .xlsx (Excel) and .csv files can be imported; save the sheet in one of them."),
    renamed=_(
        "The file's content is not a real %(format)s file (was it renamed?). "
        "Open it in Excel and save it as .xlsx or .csv."
    ),
)
PDF_FILES = Accept((PDF,), refused=_("This is not a PDF file."))


class UploadRefused(ValidationError):
    """The file was refused; ``str()`` is the translated message for the user."""

    def __str__(self) -> str:
        return str(self.messages[0])


@dataclass
class CheckedUpload:
    """An accepted file: its safe name, kind and content type (by content), and size."""

    file: IO[bytes]
    name: str
    kind: FileKind
    content_type: str
    size: int

    @cached_property
    def content(self) -> bytes:
        self.file.seek(0)
        return self.file.read()


def _zip_kind(fileobj: IO[bytes]) -> FileKind | None:
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                return None
            if "[Content_Types].xml" in names:
                if "xl/workbook.xml" in names:
                    return XLSX
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("ppt/") for n in names):
                    return PPTX
                return None
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                for kind in (ODT, ODS, ODP):
                    if mimetype == kind.content_type:
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        fileobj.seek(0)
    return None


def _is_text(head: bytes) -> bool:
    """Text in UTF-8 or GB 18030 (the head may end inside a multi-byte character)."""
    if head.startswith(_BINARY_MAGIC) or _CONTROL_BYTES.search(head):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        for cut in range(4):
            try:
                (head[: len(head) - cut] if cut else head).decode(encoding)
            except UnicodeDecodeError:
                continue
            return True
    return False


def sniff(head: bytes, fileobj: IO[bytes] | None = None) -> FileKind | None:
    """The kind of file whose first bytes are ``head`` (``fileobj``: the whole file, for ZIP
    packages); None when it is none of the known kinds."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(OLE_MAGIC):
        return LEGACY_OFFICE
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(fileobj if fileobj is not None else io.BytesIO(head))
    if _is_text(head):
        return CSV
    return None


def _size(fileobj: IO[bytes]) -> int:
    size = getattr(fileobj, "size", None)
    if size is not None:
        return size
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    return size


def check_upload(
    upload: IO[bytes],
    accept: Accept,
    *,
    limit: int,
    name: str | None = None,
    size: int | None = None,
) -> CheckedUpload:
    """Check an uploaded file (a Django ``UploadedFile`` or any seekable binary file) against
    ``accept`` and the ``limit`` in bytes; raise :class:`UploadRefused` with a translated
    message. ``name`` and ``size`` default to the upload's own."""
    size = _size(upload) if size is None else size
    if size > limit:
        raise UploadRefused(
            gettext("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise UploadRefused(gettext("The file is empty."))
    name = str(name if name is not None else getattr(upload, "name", "") or "file")
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:MAX_NAME_CHARS]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in accept.extensions:
        raise UploadRefused(str(accept.refused))
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = sniff(head, upload)
    if kind not in accept.kinds or extension not in kind.extensions:
        if accept.renamed is None:
            raise UploadRefused(str(accept.refused))
        raise UploadRefused(str(accept.renamed) % {"format": extension.upper()})
    content_type = LEGACY_TYPES.get(extension, kind.content_type)
    return CheckedUpload(upload, name, kind, content_type, size)
