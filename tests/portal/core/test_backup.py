"""Backup and restore of the embedded database and media, run as a real deployment would."""

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def manage(*args, env, ok=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout
    assert result.returncode != 0, result.stdout
    return result.stderr


PASSPHRASE = "correct horse battery staple 凭证"


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="exercises the embedded SQLite default")
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_backup_then_restore_brings_back_database_and_media(tmp_path, encrypted):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BACKUP_PASSPHRASE")}
    env.update(DATA_DIR=str(tmp_path / "data"), MEDIA_ROOT=str(tmp_path / "media"), DEBUG="1")
    if encrypted:
        env["BACKUP_PASSPHRASE"] = PASSPHRASE
    manage("migrate", "--noinput", "-v0", env=env)
    manage(
        "shell",
        "-c",
        "from portal.accounts.models import User; User.objects.create_user('kept', 'k@example.com', 'x')",
        env=env,
    )
    (tmp_path / "media" / "private").mkdir(parents=True)
    (tmp_path / "media" / "private" / "evidence.pdf").write_bytes(b"%PDF-1.4 evidence")
    if encrypted:  # into the default folder, which is private too
        manage("backup", env=env)
        folder = tmp_path / "data" / "backups"
        (archive,) = folder.iterdir()
        assert archive.name.endswith(".tar.gz.enc")
        assert folder.stat().st_mode & 0o777 == 0o700
    else:
        archive = tmp_path / "backup.tar.gz"
        manage("backup", "-o", str(archive), env=env)
    assert archive.stat().st_mode & 0o777 == 0o600  # sessions and private evidence inside
    data = archive.read_bytes()
    assert data.startswith(b"IP-PORTAL-BACKUP") is encrypted
    assert (b"evidence.pdf" in gzip.decompress(data)) if not encrypted else True

    # Lose data after the backup ...
    manage(
        "shell",
        "-c",
        "from portal.accounts.models import User; User.objects.all().delete(); User.objects.create_user('later', 'l@example.com', 'x')",
        env=env,
    )
    (tmp_path / "media" / "private" / "evidence.pdf").unlink()

    # ... and get it back (an encrypted archive only with its passphrase).
    if encrypted:
        without = {k: v for k, v in env.items() if k != "BACKUP_PASSPHRASE"}
        assert "set BACKUP_PASSPHRASE" in manage(
            "restore", str(archive), "--yes", env=without, ok=False
        )
        wrong = {**env, "BACKUP_PASSPHRASE": "wrong"}
        assert "wrong passphrase" in manage("restore", str(archive), "--yes", env=wrong, ok=False)
    manage("restore", str(archive), "--yes", env=env)
    out = manage(
        "shell",
        "-c",
        "from portal.accounts.models import User; print(sorted(User.objects.values_list('username', flat=True)))",
        env=env,
    )
    assert out.strip().splitlines()[-1] == "['kept']"
    assert (tmp_path / "media" / "private" / "evidence.pdf").read_bytes() == b"%PDF-1.4 evidence"


def test_encryption_refuses_tampered_reordered_and_truncated_archives(tmp_path):
    from portal.core import backups

    plain = tmp_path / "plain"
    plain.write_bytes(os.urandom(backups.CHUNK * 2 + 123))
    sealed = tmp_path / "sealed"
    backups.encrypt_file(plain, sealed, PASSPHRASE)
    assert backups.is_encrypted(sealed)
    out = tmp_path / "out"
    backups.decrypt_file(sealed, out, PASSPHRASE)
    assert out.read_bytes() == plain.read_bytes()
    assert out.stat().st_mode & 0o777 == 0o600

    data = bytearray(sealed.read_bytes())
    header = len(backups.MAGIC) + backups.SALT_BYTES + backups.PREFIX_BYTES
    block = backups.CHUNK + backups.TAG
    chunks = [bytes(data[i : i + block]) for i in range(header, len(data), block)]
    flipped = bytearray(data)
    flipped[header + 10] ^= 1
    variants = {
        "flipped": bytes(flipped),
        "reordered": bytes(data[:header]) + chunks[1] + chunks[0] + chunks[2],
        "truncated": bytes(data[:header]) + chunks[0] + chunks[1],
        "empty": bytes(data[:header]),
    }
    for name, variant in variants.items():
        path = tmp_path / name
        path.write_bytes(variant)
        with pytest.raises(backups.BackupError, match="wrong passphrase"):
            backups.decrypt_file(path, tmp_path / f"{name}.out", PASSPHRASE)
    with pytest.raises(backups.BackupError):
        backups.decrypt_file(sealed, tmp_path / "wrong.out", "not it")
