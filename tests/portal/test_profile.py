"""The owner corrects the enterprise's record; what a reviewer must verify is flagged."""

import pytest

from portal.accounts.choices import MemberRole
from portal.accounts.credit_code import code_check_character, org_check_character
from portal.accounts.models import AuditEvent, Enterprise, Region
from tests.factories import EnterpriseFactory, company_user, reviewer

pytestmark = pytest.mark.django_db

URL = "/en/dashboard/profile/"
FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHJKLMNPQRTUWXY",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ",
)


def code_for(head8: str, body: str = "MA4F0K3P") -> str:
    first17 = head8 + body + org_check_character(body)
    return first17 + code_check_character(first17)


def data_of(enterprise: Enterprise, **overrides) -> dict:
    data = {
        "enterprise-name": enterprise.name,
        "enterprise-credit_code": enterprise.credit_code,
        "enterprise-region": enterprise.region_id,
        "enterprise-industry": enterprise.industry,
        "enterprise-size": enterprise.size,
        "enterprise-founded_on": enterprise.founded_on.isoformat(),
        "enterprise-contact_name": enterprise.contact_name,
        "enterprise-contact_phone": enterprise.contact_phone,
    }
    data.update({f"enterprise-{k}": v for k, v in overrides.items()})
    return data


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def test_the_owner_sees_the_record_and_a_link_from_the_dashboard(signed_in, enterprise):
    assert 'href="/en/dashboard/profile/"' in signed_in.get("/en/dashboard/").content.decode()
    html = signed_in.get(URL).content.decode()
    assert enterprise.credit_code in html and enterprise.name in html


def test_members_and_people_without_an_enterprise_get_404(client, enterprise):
    client.force_login(company_user(enterprise, role=MemberRole.MEMBER))
    assert client.get(URL).status_code == 404
    client.force_login(reviewer())
    assert client.get(URL).status_code == 404


def test_a_plain_edit_saves_without_flagging(signed_in, enterprise):
    response = signed_in.post(URL, data_of(enterprise, contact_phone="１３９ ００００ ２２２２"))
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.contact_phone == "13900002222" and not enterprise.needs_verification
    assert AuditEvent.objects.filter(action="enterprise.updated", enterprise=enterprise).exists()


def test_the_same_code_typed_in_full_width_characters_is_accepted_unchanged(signed_in, enterprise):
    typed = enterprise.credit_code.translate(FULL_WIDTH)
    assert signed_in.post(URL, data_of(enterprise, credit_code=typed)).status_code == 302
    enterprise.refresh_from_db()
    assert not enterprise.needs_verification


def test_a_new_genuine_code_in_full_width_is_accepted_and_verified_by_a_reviewer(
    signed_in, enterprise
):
    new = code_for("91420900", "MA4F0K4P")
    response = signed_in.post(
        URL, data_of(enterprise, credit_code="　" + new.translate(FULL_WIDTH))
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.credit_code == new and enterprise.needs_verification
    assert enterprise.verification_reasons[0]["code"] == "code_changed"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (code_for("91990100"), "(990100) are not an administrative division code"),
        (code_for("92420900"), "(type 92), not to an enterprise"),
        (code_for("93420900"), "farmers&#x27; professional cooperative (type 93)"),
    ],
)
def test_impossible_regions_and_non_enterprise_types_are_refused(
    signed_in, enterprise, code, message
):
    response = signed_in.post(URL, data_of(enterprise, credit_code=code))
    assert response.status_code == 200
    assert message in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.credit_code != code


def test_another_enterprises_code_is_refused(signed_in, enterprise):
    other = EnterpriseFactory()
    response = signed_in.post(URL, data_of(enterprise, credit_code=other.credit_code))
    assert "Another enterprise is registered with this credit code" in response.content.decode()


def test_moving_to_another_region_is_allowed_and_flagged(signed_in, enterprise):
    response = signed_in.post(URL, data_of(enterprise, region="420100"))  # code says 孝感市
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.region_id == "420100" and enterprise.needs_verification
    (reason,) = enterprise.verification_reasons
    assert reason["code"] == "region_mismatch" and reason["division"] == "420900"
    # the firm sees why on its dashboard
    assert (
        "differs from the region of the credit code"
        in signed_in.get("/en/dashboard/").content.decode()
    )


def test_a_region_that_agrees_with_the_code_is_not_flagged(signed_in):
    county = EnterpriseFactory(
        credit_code=code_for("91420902"), region=Region.objects.get(code="420100")
    )
    client = signed_in
    client.force_login(company_user(county, username="county-owner"))
    assert client.post(URL, data_of(county, region="420900")).status_code == 302
    county.refresh_from_db()
    assert county.region_id == "420900" and not county.needs_verification


def test_an_overridden_code_need_not_be_declared_again_for_other_edits(client):
    flagged = EnterpriseFactory(
        credit_code="91350211M0000XUF46",
        region=Region.objects.get(code="350200"),
        code_check_failed=True,
    )
    client.force_login(company_user(flagged, username="early-owner"))
    response = client.post(URL, data_of(flagged, contact_name="李四"))
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.contact_name == "李四" and flagged.code_check_failed


def test_verifying_clears_the_reasons(signed_in, enterprise):
    signed_in.post(URL, data_of(enterprise, region="420100"))
    hubei = reviewer(["420000"])
    signed_in.force_login(hubei)
    assert (
        "differs from the region" in signed_in.get("/en/accounts/verifications/").content.decode()
    )
    signed_in.post(f"/en/accounts/verifications/{enterprise.pk}/verify/")
    enterprise.refresh_from_db()
    assert not enterprise.needs_verification and enterprise.verification_reasons == []
    event = AuditEvent.objects.get(action="enterprise.verified", enterprise=enterprise)
    assert event.detail["reasons"][0]["code"] == "region_mismatch"
