import pytest

from portal.accounts.models import AuditEvent, Region
from tests.factories import EnterpriseFactory, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged():
    return EnterpriseFactory(needs_verification=True, code_check_failed=True)


def test_reviewer_in_scope_verifies(client, flagged):
    hubei = reviewer(["420000"])
    client.force_login(hubei)
    assert flagged.name in client.get("/en/accounts/verifications/").content.decode()
    client.post(f"/en/accounts/verifications/{flagged.pk}/verify/")
    flagged.refresh_from_db()
    assert not flagged.needs_verification and flagged.verified_by == hubei
    assert AuditEvent.objects.filter(action="enterprise.verified", enterprise=flagged).exists()


def test_reviewer_out_of_scope_cannot_see_or_verify(client, flagged):
    client.force_login(reviewer(["440000"]))
    assert flagged.name not in client.get("/en/accounts/verifications/").content.decode()
    assert client.post(f"/en/accounts/verifications/{flagged.pk}/verify/").status_code == 404
    flagged.refresh_from_db()
    assert flagged.needs_verification


def test_company_users_get_404(client, owner, flagged):
    client.force_login(owner)
    assert client.get("/en/accounts/verifications/").status_code == 404
    assert client.post(f"/en/accounts/verifications/{flagged.pk}/verify/").status_code == 404


def test_city_scope_covers_only_that_city(client):
    xiaogan = EnterpriseFactory(needs_verification=True)
    wuhan = EnterpriseFactory(needs_verification=True, region=Region.objects.get(code="420100"))
    client.force_login(reviewer(["420900"]))
    html = client.get("/en/accounts/verifications/").content.decode()
    assert xiaogan.name in html and wuhan.name not in html
