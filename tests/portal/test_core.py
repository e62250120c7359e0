import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portal.accounts.models import Enterprise, Membership, User

ROOT = Path(__file__).resolve().parents[2]


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_chinese_is_default_and_english_is_prefixed(client, db):
    zh = client.get("/accounts/login/")
    en = client.get("/en/accounts/login/")
    assert 'lang="zh-Hans"' in zh.content.decode() and "登录" in zh.content.decode()
    assert 'lang="en"' in en.content.decode() and "Sign in" in en.content.decode()


def test_language_switcher_on_every_page(client, db):
    html = client.get("/en/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="zh-hans"' in html
    assert '<input type="hidden" name="next" value="/accounts/login/">' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302


def test_load_demo_is_idempotent_and_prints_accounts(db, capsys, settings):
    settings.DEBUG = True
    call_command("load_demo")
    counts = (Enterprise.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("load_demo")
    assert (Enterprise.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    out = capsys.readouterr().out
    for username in ("demo-company", "demo-reviewer", "demo-editor", "demo-admin"):
        assert username in out
        assert User.objects.get(username=username).check_password("changeme")
    membership = Membership.objects.get(user__username="demo-company")
    assert membership.is_owner and membership.enterprise.name == "孝感示范科技有限公司"


def test_load_demo_refuses_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")


def run_manage(*args, env_extra):
    drop = ("DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the browser tests set the last
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


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run_manage("check", env_extra={"DEBUG": "0", "DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


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
