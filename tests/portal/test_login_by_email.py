"""Sign-in by e-mail address (how registered accounts sign in) or by user name."""

import pytest

from portal.accounts.backends import login_key
from portal.accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
PASSWORD = "Right-password-1"


@pytest.fixture
def person(db):
    return User.objects.create_user("person", "Li.Na@example.com", PASSWORD)


@pytest.mark.parametrize(
    "typed",
    [
        "Li.Na@example.com",
        "li.na@EXAMPLE.com",
        "ｌｉ.ｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        " person\u200b",
    ],
)
def test_e_mail_address_in_any_case_or_width_or_the_user_name_signs_in(client, person, typed):
    response = client.post(LOGIN, {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/en/dashboard/").status_code == 200


def test_a_wrong_password_with_the_address_fails(client, person):
    response = client.post(LOGIN, {"username": "li.na@example.com", "password": "nope"})
    assert response.status_code == 200 and "not correct" in response.content.decode()


def test_spellings_of_one_address_share_one_lockout(client, person, settings):
    spellings = [
        "li.na@example.com",
        "LI.NA@example.com",
        "ｌｉ.ｎａ@example.com",
        "Li.Na@Example.COM",
    ]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        typed = spellings[attempt % len(spellings)]
        client.post(LOGIN, {"username": typed, "password": "wrong"})
    response = client.post(LOGIN, {"username": "Li.Na@example.com", "password": PASSWORD})
    assert response.status_code == 429


def test_the_login_key():
    assert login_key(" Ａ＠Ｂ.cn ") == "a@b.cn"
    assert login_key("MixedCase") == "MixedCase"  # user names keep their case


def test_the_field_says_an_address_works(client):
    assert "E-mail address or user name" in client.get(LOGIN).content.decode()
