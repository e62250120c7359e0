import re

import pytest
from django.core import mail

from portal.accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


@pytest.fixture
def person(db):
    return User.objects.create_user("person", "person@example.com", "Right-password-1")


def test_login_and_logout(client, person):
    response = client.post(LOGIN, {"username": "person", "password": "Right-password-1"})
    assert response.status_code == 302
    assert client.get("/en/dashboard/").status_code == 200
    client.post("/en/accounts/logout/")
    assert client.get("/en/dashboard/").status_code == 302


def test_wrong_password_gets_a_clear_message(client, person):
    response = client.post(LOGIN, {"username": "person", "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_lockout_after_repeated_failures(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "person", "password": "wrong"})
    response = client.post(LOGIN, {"username": "person", "password": "Right-password-1"})
    assert response.status_code == 429
    assert "blocked for 15 minutes" in response.content.decode()
    # still locked even with the right password
    assert client.get("/en/dashboard/").status_code == 302


def test_account_locks_after_failures_from_many_addresses(client, person, settings):
    """Spread over addresses, guesses stay under the per-address limit but hit the account cap."""
    settings.ACCOUNT_LOCKOUT_FAILURES = 8
    for n in range(8):  # 4 addresses x 2 guesses: no address reaches its limit of 5
        address = f"10.0.0.{n % 4}"
        response = client.post(
            LOGIN, {"username": "person", "password": "wrong"}, REMOTE_ADDR=address
        )
        assert response.status_code == 200
    fresh = client.post(
        LOGIN, {"username": "person", "password": "Right-password-1"}, REMOTE_ADDR="10.9.9.9"
    )
    assert fresh.status_code == 429
    assert "from several addresses" in fresh.content.decode()
    assert client.get("/en/dashboard/").status_code == 302
    # Other accounts are not affected.
    User.objects.create_user("other", "other@example.com", "Other-password-1")
    ok = client.post(
        LOGIN, {"username": "other", "password": "Other-password-1"}, REMOTE_ADDR="10.0.0.1"
    )
    assert ok.status_code == 302


def test_account_lock_ends_after_the_window(client, person, settings):
    from axes.models import AccessFailureLog
    from django.utils import timezone

    settings.ACCOUNT_LOCKOUT_FAILURES = 3
    for n in range(3):
        client.post(LOGIN, {"username": "person", "password": "x"}, REMOTE_ADDR=f"10.1.0.{n}")
    login = {"username": "person", "password": "Right-password-1"}
    assert client.post(LOGIN, login, REMOTE_ADDR="10.1.1.1").status_code == 429
    AccessFailureLog.objects.update(attempt_time=timezone.now() - settings.ACCOUNT_LOCKOUT_WINDOW)
    assert client.post(LOGIN, login, REMOTE_ADDR="10.1.1.1").status_code == 302


def test_an_over_long_user_name_is_a_form_error_not_a_server_error(client, db):
    from axes.models import AccessAttempt, AccessFailureLog

    response = client.post(LOGIN, {"username": "u" * 256, "password": "x"})
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()


def test_lockout_message_in_chinese(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/accounts/login/", {"username": "person", "password": "wrong"})
    assert response.status_code == 429
    assert "分钟" in response.content.decode()


def test_password_reset_by_email(client, person):
    client.post("/en/accounts/password/reset/", {"email": "person@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Brand-new-pass-77", "new_password2": "Brand-new-pass-77"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Brand-new-pass-77")


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change(client, person):
    client.force_login(person)
    response = client.post(
        "/en/accounts/password/change/",
        {
            "old_password": "Right-password-1",
            "new_password1": "Changed-pass-2024",
            "new_password2": "Changed-pass-2024",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Changed-pass-2024")


def test_after_login_sends_roles_to_their_workspace(client, owner, editor):
    client.force_login(owner)
    assert client.get("/en/accounts/welcome/")["Location"] == "/en/dashboard/"
    client.force_login(editor)
    assert client.get("/en/accounts/welcome/")["Location"] == "/admin/"


# --- Idle timeout for staff sessions --------------------------------------------------------


def _idle_for(client, seconds: int) -> None:
    from portal.accounts.idle import LAST_SEEN_KEY

    session = client.session
    session[LAST_SEEN_KEY] = session[LAST_SEEN_KEY] - seconds
    session.save()


@pytest.mark.parametrize("role", ["reviewer", "editor", "admin"])
def test_staff_sessions_end_after_two_idle_hours(client, role, editor, admin_user):
    from tests import factories

    user = {"reviewer": lambda: factories.reviewer(["420000"]), "editor": lambda: editor}.get(
        role, lambda: admin_user
    )()
    client.force_login(user)
    assert client.get("/en/accounts/password/change/").status_code == 200
    _idle_for(client, 2 * 60 * 60 - 120)  # nearly two hours: still signed in, and refreshed
    assert client.get("/en/accounts/password/change/").status_code == 200
    _idle_for(client, 2 * 60 * 60 + 1)
    response = client.get("/en/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/accounts/password/change/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "without activity" in page or "没有操作" in page


def test_company_sessions_have_no_idle_timeout(client, owner):
    from portal.accounts.idle import LAST_SEEN_KEY

    client.force_login(owner)
    assert LAST_SEEN_KEY not in client.session
    assert client.get("/en/dashboard/").status_code == 200
