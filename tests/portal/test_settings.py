"""portal/settings.py is safe by default: production unless development is asked for, no key in
the repository, no directories created by importing it, every setting declared."""

from __future__ import annotations

import ast
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import global_settings

from portal.core.secret_key import KEY_FILE, development_secret_key

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra):
    # The test process runs tests.settings in development mode: its children start clean.
    drop = ("DATABASE_URL", "DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")
    drop += ("DJANGO_ALLOW_ASYNC_UNSAFE",)  # set by the browser tests
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_with_production_environment(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DEBUG": "0",
            "SECRET_KEY": "x7!k2#Lq9@vB4$wN8^zT1&mR6*pY3(cF5)hJ0_sD-eG+aU=iO~",
            "ALLOWED_HOSTS": "ip-portal.example.cn",
            "DATA_DIR": str(tmp_path),
            "CACHE_URL": "redis://127.0.0.1:6379/1",  # checked, not connected to
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!k2#Lq9@vB4$wN8^zT1&mR6*pY3(cF5)hJ0_sD-eG+aU=iO~",
    "ALLOWED_HOSTS": "ip-portal.example.cn",
}


@pytest.mark.parametrize(
    ("extra", "warned"),
    [
        ({}, True),  # the worker count is unknown: production runs several
        ({"WEB_CONCURRENCY": "4"}, True),
        ({"WEB_CONCURRENCY": "1"}, False),
        ({"REDIS_URL": "redis://127.0.0.1:6379/1", "WEB_CONCURRENCY": "4"}, False),
    ],
)
def test_deploy_check_warns_about_a_per_process_cache(tmp_path, extra, warned):
    env = {**PRODUCTION, "DATA_DIR": str(tmp_path), "CACHE_URL": "", "REDIS_URL": "", **extra}
    env.setdefault("WEB_CONCURRENCY", "")
    result = run_manage("check", "--deploy", env_extra=env)
    assert ("portal.W002" in result.stdout + result.stderr) is warned, result.stdout


def test_healthz_is_exempt_from_the_https_redirect(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    page = client.get("/en/accounts/login/")
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/en/accounts/login/"


def test_production_over_plain_http_for_a_load_test(tmp_path):
    """DEBUG=0 with the redirect, secure cookies and the proxy header switched off apart."""
    show = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "bool(s.SECURE_PROXY_SSL_HEADER))"
    )
    env = {**PRODUCTION, "DATA_DIR": str(tmp_path)}
    default = run_manage("shell", "-c", show, env_extra=env)
    assert default.stdout.split()[-5:] == ["False", "True", "True", "True", "True"], default.stderr
    plain = run_manage(
        "shell",
        "-c",
        show,
        env_extra={
            **env,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "BEHIND_TLS_PROXY": "0",
        },
    )
    assert plain.stdout.split()[-5:] == ["False", "False", "False", "False", "False"], plain.stderr
    only_redirect_off = run_manage(
        "shell", "-c", show, env_extra={**env, "SECURE_SSL_REDIRECT": "0"}
    )
    assert only_redirect_off.stdout.split()[-5:] == ["False", "False", "True", "True", "True"]


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run_manage("check", env_extra={"DEBUG": "0", "DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_without_debug_the_portal_is_in_production_mode(tmp_path):
    """No DEBUG variable at all: production, so no key means no start."""
    result = run_manage("check", env_extra={"DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert not (tmp_path / KEY_FILE).exists()


def test_development_generates_a_private_key_once_and_reuses_it(tmp_path):
    first = development_secret_key(tmp_path)
    path = tmp_path / KEY_FILE
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert development_secret_key(tmp_path) == first
    assert development_secret_key(tmp_path / "other") != first


def test_importing_the_settings_creates_no_directory(tmp_path):
    data = tmp_path / "missing" / "data"
    code = "from django.conf import settings; print(settings.DEBUG, len(settings.SECRET_KEY) > 40)"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="1", DATA_DIR=str(data))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "True"], result.stderr
    assert not (tmp_path / "missing").exists()
    # The system check says what is missing, and how to create it.
    check = run_manage("check", env_extra={"DEBUG": "1", "DATA_DIR": str(data)})
    assert check.returncode == 0, check.stderr
    assert "portal.W003" in check.stderr and "migrate" in check.stderr
    # (Django's cache checks then open the file cache of job progress, which makes its folder.)


def _settings_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for folder in ("portal", "assessments", "cms"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or path.name == "settings.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "settings"
                    and re.fullmatch(r"[A-Z][A-Z0-9_]+", node.attr)
                ):
                    names.add(node.attr)
                if (  # getattr(settings, "NAME", default) counts too: the default hides nothing
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "getattr"
                    and len(node.args) >= 2
                    and isinstance(node.args[0], ast.Name)
                    and node.args[0].id == "settings"
                    and isinstance(node.args[1], ast.Constant)
                ):
                    names.add(node.args[1].value)
    return names


def test_every_setting_the_code_reads_is_declared():
    known = _declared() | set(dir(global_settings))
    missing = sorted(_settings_read_by_the_code() - known)
    assert not missing, f"settings read but not declared in portal/settings.py: {missing}"
    assert {"REPORTS_VERIFY_RATE", "TRANSFER_MAX_ROWS", "SITE_URL"} <= _settings_read_by_the_code()


def _declared() -> set[str]:
    tree = ast.parse((ROOT / "portal" / "settings.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if isinstance(target, ast.Name) and target.id.isupper():
                names.add(target.id)
    return names
