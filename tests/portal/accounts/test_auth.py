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
