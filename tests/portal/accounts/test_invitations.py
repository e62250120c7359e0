import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from portal.accounts import services
from portal.accounts.models import Invitation, Membership, User
from tests.factories import company_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_invite(django_capture_on_commit_callbacks):
    """Invite by e-mail as ``owner``; returns the accept path from the e-mail."""

    def send(client, owner, email="colleague@example.com"):
        client.force_login(owner)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/en/dashboard/members/invite/", {"email": email})
        assert response.status_code == 302
        body = mail.outbox[-1].body
        url = next(line.strip() for line in body.splitlines() if "/accounts/invitations/" in line)
        client.logout()
        return url.split("testserver", 1)[1]

    return send


def test_owner_invites_and_new_colleague_registers(client, owner, enterprise, send_invite):
    path = send_invite(client, owner)
    assert mail.outbox[-1].to == ["colleague@example.com"]
    response = client.get(path)
    assert enterprise.name in response.content.decode()
    response = client.post(
        path,
        {
            "username": "colleague",
            "password1": "Another-long-pass-9",
            "password2": "Another-long-pass-9",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="colleague")
    assert user.email == "colleague@example.com"
    assert Membership.objects.get(user=user).enterprise == enterprise
    # the link cannot be used twice
    assert client.get(path).status_code == 410


def test_signed_in_user_without_enterprise_accepts(client, owner, enterprise, send_invite):
    path = send_invite(client, owner, "loner@example.com")
    loner = User.objects.create_user("loner", "loner@example.com", "x-Strong-pass-1")
    client.force_login(loner)
    assert client.post(path).status_code == 302
    assert loner.membership.enterprise == enterprise


def test_member_of_another_enterprise_cannot_accept(
    client, owner, other_enterprise_owner, send_invite
):
    path = send_invite(client, owner, "b@example.com")
    client.force_login(other_enterprise_owner)
    client.post(path)
    assert other_enterprise_owner.membership.enterprise != owner.membership.enterprise
    assert Invitation.objects.get(email="b@example.com").accepted_at is None


def test_expired_invitation(client, owner, send_invite):
    path = send_invite(client, owner)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(path)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_unknown_token_is_404(client, db):
    assert client.get("/en/accounts/invitations/not-a-token/").status_code == 404


def test_revoked_invitation(client, owner, send_invite):
    path = send_invite(client, owner)
    invitation = Invitation.objects.get()
    client.force_login(owner)
    client.post(f"/en/dashboard/invitations/{invitation.pk}/revoke/")
    client.logout()
    assert client.get(path).status_code == 410


def test_only_owner_invites(client, enterprise):
    member = company_user(enterprise, role="member", username="plain-member")
    client.force_login(member)
    assert (
        client.post("/en/dashboard/members/invite/", {"email": "x@example.com"}).status_code == 403
    )
    assert not Invitation.objects.exists()


def test_duplicate_pending_invitation_is_refused(client, owner, send_invite):
    send_invite(client, owner)
    client.force_login(owner)
    response = client.post("/en/dashboard/members/invite/", {"email": "colleague@example.com"})
    assert response.status_code == 400
    assert "still pending" in response.content.decode()


def test_owner_removes_member_but_not_last_owner(client, owner, enterprise):
    member = company_user(enterprise, role="member", username="to-remove")
    client.force_login(owner)
    client.post(f"/en/dashboard/members/{member.membership.pk}/remove/")
    assert not Membership.objects.filter(user=member).exists()
    assert not member.groups.exists()
    with pytest.raises(Exception, match="at least one owner"):
        services.remove_member(actor=owner, membership=owner.membership)


def test_removing_another_enterprises_member_is_404(client, owner, other_enterprise_owner):
    client.force_login(owner)
    response = client.post(f"/en/dashboard/members/{other_enterprise_owner.membership.pk}/remove/")
    assert response.status_code == 404
    assert Membership.objects.filter(user=other_enterprise_owner).exists()


def test_revoking_another_enterprises_invitation_is_404(
    client, owner, other_enterprise_owner, send_invite
):
    send_invite(client, other_enterprise_owner, "z@example.com")
    invitation = Invitation.objects.get()
    client.force_login(owner)
    assert client.post(f"/en/dashboard/invitations/{invitation.pk}/revoke/").status_code == 404
    assert Invitation.objects.get().revoked_at is None
