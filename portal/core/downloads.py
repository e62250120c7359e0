"""The one way private files leave the portal: :func:`protected_file_response`.

Evidence, result reports, certificates and exports are served only through views that check
who is asking; the response then makes sure the browser neither renders nor keeps the file:

* ``Content-Disposition: attachment`` with a safe file name (saved, never shown inline);
* ``Content-Security-Policy: default-src 'none'; sandbox`` (should a browser render it anyway,
  nothing in it runs or loads);
* ``X-Content-Type-Options: nosniff`` (the declared type is the type);
* ``Cache-Control: private, no-store`` (no copy in shared or browser caches).
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from typing import IO

from django.core.files import File
from django.http import FileResponse

CSP = "default-src 'none'; sandbox"
MAX_NAME_CHARS = 150
# Path separators, quotes, and characters that mean something in headers or to a shell.
_UNSAFE = re.compile(r'[\\/:*?"<>|;\x00-\x1f\x7f]+')


def safe_filename(name: str, default: str = "download") -> str:
    """``name`` without any directory, control or header-breaking characters, at most
    ``MAX_NAME_CHARS`` long with its extension kept; ``default`` when nothing is left."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" ._")
    if not name:
        return default
    if len(name) > MAX_NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_NAME_CHARS - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_NAME_CHARS]
    return name


def protected_file_response(
    file: File | IO[bytes], *, filename: str, content_type: str | None = None
) -> FileResponse:
    """A private file as a download (see the module's description of the headers).

    ``file`` is a model's ``FieldFile`` (opened here) or an open binary file object;
    ``content_type`` defaults to the type guessed from ``filename``.
    """
    name = safe_filename(filename)
    if isinstance(file, File):
        file = file.open("rb")
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(file, as_attachment=True, filename=name, content_type=content_type)
    response["Content-Security-Policy"] = CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
