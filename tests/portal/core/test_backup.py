"""Backup and restore of the embedded database and media, run as a real deployment would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="exercises the embedded SQLite default")
def test_backup_then_restore_brings_back_database_and_media(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(DATA_DIR=str(tmp_path / "data"), MEDIA_ROOT=str(tmp_path / "media"), DEBUG="1")
    manage("migrate", "--noinput", "-v0", env=env)
    manage(
        "shell",
        "-c",
        "from portal.accounts.models import User; User.objects.create_user('kept', 'k@example.com', 'x')",
        env=env,
    )
    (tmp_path / "media" / "private").mkdir(parents=True)
    (tmp_path / "media" / "private" / "evidence.pdf").write_bytes(b"%PDF-1.4 evidence")
    archive = tmp_path / "backup.tar.gz"
    manage("backup", "-o", str(archive), env=env)

    # Lose data after the backup ...
    manage(
        "shell",
        "-c",
        "from portal.accounts.models import User; User.objects.all().delete(); User.objects.create_user('later', 'l@example.com', 'x')",
        env=env,
    )
    (tmp_path / "media" / "private" / "evidence.pdf").unlink()

    # ... and get it back.
    manage("restore", str(archive), "--yes", env=env)
    out = manage(
        "shell",
        "-c",
        "from portal.accounts.models import User; print(sorted(User.objects.values_list('username', flat=True)))",
        env=env,
    )
    assert out.strip().splitlines()[-1] == "['kept']"
    assert (tmp_path / "media" / "private" / "evidence.pdf").read_bytes() == b"%PDF-1.4 evidence"
