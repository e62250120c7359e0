import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/dashboard/")


def test_member_sees_profile_and_members(client, owner, enterprise):
    client.force_login(owner)
    html = client.get("/en/dashboard/").content.decode()
    assert enterprise.name in html
    assert enterprise.credit_code in html
    assert "owner-a" in html
    assert "Invite a colleague" in html


def test_dashboard_shows_only_own_enterprise(client, owner, other_enterprise_owner):
    client.force_login(owner)
    html = client.get("/en/dashboard/").content.decode()
    assert other_enterprise_owner.membership.enterprise.name not in html


def test_user_without_enterprise_is_told_how_to_join(client, editor):
    client.force_login(editor)
    response = client.get("/en/dashboard/")
    assert response.status_code == 200
    assert "not linked to an enterprise" in response.content.decode()


def test_dashboard_query_count_is_bounded(client, owner, django_assert_max_num_queries):
    client.force_login(owner)
    with django_assert_max_num_queries(15):
        client.get("/en/dashboard/")
