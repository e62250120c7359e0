"""The development secret key: random, generated into ``DATA_DIR`` on first run and reused.

Imported by the settings (so it must not import Django). Production sets ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

KEY_FILE = "secret_key"


def development_secret_key(data_dir: Path) -> str:
    """The key stored in ``data_dir/secret_key`` (created with mode 0600 when missing).

    When ``data_dir`` does not exist yet (a fresh clone before ``migrate``), a random key is
    returned for this process only: the settings create no directories.
    """
    path = Path(data_dir) / KEY_FILE
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    key = secrets.token_urlsafe(50)
    if not path.parent.is_dir():
        return key
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process is writing it: use theirs
        for _ in range(50):
            written = path.read_text(encoding="ascii").strip()
            if written:
                return written
            time.sleep(0.01)
        return key
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
