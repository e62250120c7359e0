import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation

from portal.accounts import services
from portal.accounts.choices import MemberRole
from portal.accounts.models import AuditEvent, Enterprise, Invitation, Membership, User
from tests.factories import EnterpriseFactory, company_user

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


def test_an_address_with_an_account_signs_in_to_accept(client, owner, enterprise, send_invite):
    path = send_invite(client, owner, "Known@Example.com")
    User.objects.create_user("known", "known@example.com", "x-Strong-pass-1")
    page = client.get(path)
    assert page.status_code == 200
    assert "Sign in with it to accept" in page.content.decode()
    response = client.post(
        path,
        {
            "username": "second",
            "password1": "Another-long-pass-9",
            "password2": "Another-long-pass-9",
        },
    )
    assert response.status_code == 200  # the same page, no second account and no error
    assert not User.objects.filter(username="second").exists()


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


def test_owner_invitations_in_bulk_are_mailed_once_committed(
    admin_user, django_capture_on_commit_callbacks
):
    enterprises = [EnterpriseFactory(name=f"批量企业{i}") for i in range(3)]
    invites = [
        services.OwnerInvite(enterprises[0], "boss0@example.com"),
        services.OwnerInvite(enterprises[1]),
        services.OwnerInvite(enterprises[2], "boss2@example.com"),
    ]
    with translation.override("en"), django_capture_on_commit_callbacks() as callbacks:
        sent = services.invite_owners(invites, actor=admin_user, base_url="https://portal.example")
        assert mail.outbox == []  # nothing is mailed before the commit
    assert [s.invitation.enterprise for s in sent] == enterprises
    assert all(s.invitation.role == MemberRole.OWNER for s in sent)
    assert all(s.invitation.invited_by == admin_user for s in sent)
    # For the owners: links in the portal's default language (no /en/), whoever imports.
    assert sent[1].accept_url.startswith("https://portal.example/accounts/invitations/")
    token = sent[1].accept_url.rstrip("/").rsplit("/", 1)[-1]
    assert Invitation.objects.get(token_hash=Invitation.hash_token(token)).status == "pending"
    assert AuditEvent.objects.filter(action="owner.invited").count() == 3
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["boss0@example.com"], ["boss2@example.com"]]
    assert "批量企业0" in mail.outbox[0].subject and sent[0].accept_url in mail.outbox[0].body


def test_owner_invitations_rolled_back_are_never_mailed(django_capture_on_commit_callbacks):
    enterprise = EnterpriseFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.invite_owners(
            [services.OwnerInvite(enterprise, "boss@example.com")], actor=None, base_url=""
        )
        raise RuntimeError("the import failed")
    assert not Invitation.objects.exists() and mail.outbox == []


# --- Counted under a lock, and mail that cannot fail on a header --------------------------------


def test_the_service_refuses_a_second_pending_invitation(owner, enterprise):
    """The form checks first; the service checks again under a lock (two tabs, two owners)."""
    services.invite(actor=owner, enterprise=enterprise, email="c@example.com", base_url="http://x")
    with translation.override("en"), pytest.raises(services.InvitationError, match="still pending"):
        services.invite(
            actor=owner, enterprise=enterprise, email="C@example.com", base_url="http://x"
        )
    assert Invitation.objects.pending().count() == 1


def test_a_line_break_in_a_stored_name_does_not_break_the_invitation_mail(
    client, owner, enterprise
):
    """Names are single-line now, but older rows may hold CR/LF: the subject stays one line."""
    Enterprise.objects.filter(pk=enterprise.pk).update(name="甲公司\r\nBcc: victim@example.com")
    client.force_login(owner)
    response = client.post("/en/dashboard/members/invite/", {"email": "c@example.com"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject.endswith("甲公司 Bcc: victim@example.com on IP Portal")
    assert message.recipients() == ["c@example.com"]


def test_unsent_invitation_is_withdrawn_so_a_retry_works(client, owner, settings):
    client.force_login(owner)
    settings.EMAIL_BACKEND = "tests.portal.test_invitations.FailingBackend"
    response = client.post("/en/dashboard/members/invite/", {"email": "c@example.com"})
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert not Invitation.objects.pending().exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post("/en/dashboard/members/invite/", {"email": "c@example.com"})
    assert response.status_code == 302
    assert Invitation.objects.pending().count() == 1
    assert mail.outbox[-1].to == ["c@example.com"]


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")


def _in_threads(*calls):
    """Run each callable in its own thread and connection, all released at once."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_invitations_to_one_address_make_one(owner, enterprise):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (PostgreSQL)")
    second_owner = company_user(enterprise, username="owner-2")
    for n in range(5):
        email = f"c{n}@example.com"
        outcomes = _in_threads(
            *(
                lambda actor=actor, email=email: services.invite(
                    actor=actor, enterprise=enterprise, email=email, base_url="http://x"
                )
                for actor in (owner, second_owner)
            )
        )
        assert outcomes == ["InvitationError", "ok"]
        assert Invitation.objects.pending().filter(email=email).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_owners_removing_each_other_at_once_leave_one(enterprise):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (PostgreSQL)")
    for n in range(5):
        one = company_user(enterprise, username=f"owner-one-{n}")
        two = company_user(enterprise, username=f"owner-two-{n}")
        Membership.objects.filter(enterprise=enterprise).exclude(user__in=[one, two]).delete()
        outcomes = _in_threads(
            lambda one=one, two=two: services.remove_member(actor=one, membership=two.membership),
            lambda one=one, two=two: services.remove_member(actor=two, membership=one.membership),
        )
        assert outcomes in (["PermissionDenied", "ok"], ["ValidationError", "ok"])
        assert Membership.objects.filter(enterprise=enterprise, role="owner").count() == 1
