"""Backup archive files: private on disk, optionally encrypted with a passphrase.

Archives hold the whole database (sessions, accounts) and private evidence, so they are
written with mode 0600 in a 0700 folder. With ``BACKUP_PASSPHRASE`` set in the environment
they are also encrypted (``cryptography``): a key is derived from the passphrase with scrypt
and a random salt, and the archive is sealed in 1 MiB chunks with AES-256-GCM, each chunk's
nonce carrying its number and a last-chunk flag, so that a wrong passphrase, a changed byte, a
reordered or a truncated file are all refused on restore.

Layout: ``MAGIC`` · salt (16 bytes) · nonce prefix (7 bytes) · chunks (ciphertext + 16-byte
tag each; the header is the associated data of every chunk).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"IP-PORTAL-BACKUP AES-256-GCM v1\n"
SALT_BYTES = 16
PREFIX_BYTES = 7
CHUNK = 1024 * 1024
TAG = 16
PASSPHRASE_VARIABLE = "BACKUP_PASSPHRASE"  # noqa: S105 (the name of the variable)


class BackupError(Exception):
    """An archive that cannot be read: the message says why."""


def passphrase_from_environment() -> str | None:
    return os.environ.get(PASSPHRASE_VARIABLE) or None


def open_private(path: Path) -> BinaryIO:
    """Open ``path`` for writing with mode 0600 (also when it exists), its folder 0700."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def _key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + number.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def _chunks(source: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    """Blocks of ``size`` bytes with a flag for the last one (which may be empty)."""
    block = source.read(size)
    while True:
        following = source.read(size)
        yield block, not following
        if not following:
            return
        block = following


def encrypt_file(source: Path, target: Path, passphrase: str) -> None:
    salt, prefix = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(PREFIX_BYTES)
    header = MAGIC + salt + prefix
    aead = AESGCM(_key(passphrase, salt))
    with open(source, "rb") as plain, open_private(target) as out:
        out.write(header)
        for number, (block, last) in enumerate(_chunks(plain, CHUNK)):
            out.write(aead.encrypt(_nonce(prefix, number, last), block, header))


def decrypt_file(source: Path, target: Path, passphrase: str) -> None:
    with open(source, "rb") as sealed, open_private(target) as out:
        header = sealed.read(len(MAGIC) + SALT_BYTES + PREFIX_BYTES)
        if not header.startswith(MAGIC) or len(header) < len(MAGIC) + SALT_BYTES + PREFIX_BYTES:
            raise BackupError("not an encrypted portal backup")
        salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
        prefix = header[len(MAGIC) + SALT_BYTES :]
        aead = AESGCM(_key(passphrase, salt))
        for number, (block, last) in enumerate(_chunks(sealed, CHUNK + TAG)):
            try:
                out.write(aead.decrypt(_nonce(prefix, number, last), block, header))
            except InvalidTag:
                raise BackupError(
                    "wrong passphrase, or the archive is damaged or incomplete"
                ) from None
