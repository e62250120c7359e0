import pytest
from django.core.management import CommandError, call_command

from portal.accounts.models import Enterprise, Membership, User


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"max-age=0", "no-cache", "no-store"} <= cache_control


def test_chinese_is_default_and_english_is_prefixed(client, db):
    zh = client.get("/accounts/login/")
    en = client.get("/en/accounts/login/")
    assert 'lang="zh-Hans"' in zh.content.decode() and "登录" in zh.content.decode()
    assert 'lang="en"' in en.content.decode() and "Sign in" in en.content.decode()


def test_language_switcher_on_every_page(client, db):
    html = client.get("/en/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="zh-hans"' in html
    assert '<input type="hidden" name="next" value="/en/accounts/login/">' in html
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/en/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


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


def test_harfbuzz_check_warns_when_the_library_is_missing(monkeypatch):
    from portal.core import checks

    monkeypatch.setattr(checks.ctypes.util, "find_library", lambda name: "libharfbuzz-subset.so.0")
    assert checks.check_harfbuzz_subset(None) == []
    monkeypatch.setattr(checks.ctypes.util, "find_library", lambda name: None)
    messages = checks.check_harfbuzz_subset(None)
    assert [m.id for m in messages] == ["portal.W001"]
    assert "libharfbuzz-subset0" in messages[0].hint
