import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from portal.accounts import registration
from portal.accounts.credit_code import code_check_character, org_check_character
from portal.accounts.models import AuditEvent, Enterprise, Membership, PendingRegistration, User
from tests.factories import EnterpriseFactory, company_user, reviewer, valid_credit_code

pytestmark = pytest.mark.django_db

URL = "/en/accounts/register/"
SENT = "/en/accounts/register/sent/"
PASSWORD = "a-long-Passphrase-42"
FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHJKLMNPQRTUWXY",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ",
)


@pytest.fixture(autouse=True)
def _mail_at_commit(monkeypatch):
    """The test's transaction never commits: send what the commit would send, at once."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def form_data(**overrides):
    data = {
        "account-email": "newfirm@example.com",
        "enterprise-name": "湖北新创科技有限公司",
        "enterprise-credit_code": valid_credit_code(),
        "enterprise-region": "420900",
        "enterprise-industry": "C",
        "enterprise-size": "small",
        "enterprise-founded_on": "2018-03-01",
        "enterprise-contact_name": "王芳",
        "enterprise-contact_phone": "027-87654321",
    }
    data.update(overrides)
    return data


def code_for(head8: str, body: str = "MA4F0K3P") -> str:
    first17 = head8 + body + org_check_character(body)
    return first17 + code_check_character(first17)


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/register/confirm/\S+/", message.body).group(0)


def confirm(client, message, password=PASSWORD):
    path = link_in(message).split("://", 1)[1].split("/", 1)[1]
    return client.post("/" + path, {"password1": password, "password2": password})


def test_form_is_labelled_in_chinese_by_default(client):
    response = client.get("/accounts/register/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码" in html
    assert 'lang="zh-Hans"' in html


def test_registration_sends_a_link_and_creates_nothing_until_it_is_followed(client):
    data = form_data()
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == SENT
    assert not User.objects.exists() and not Enterprise.objects.exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["newfirm@example.com"]
    assert data["enterprise-credit_code"] in mail.outbox[0].body

    page = client.get(link_in(mail.outbox[0]))
    assert page.status_code == 200
    assert "湖北新创科技有限公司" in page.content.decode()  # shown before anything is created
    assert not User.objects.exists()

    response = confirm(client, mail.outbox[0])
    assert response.status_code == 302 and response["Location"] == "/en/dashboard/"
    enterprise = Enterprise.objects.get(credit_code=data["enterprise-credit_code"])
    assert not enterprise.needs_verification
    membership = Membership.objects.get(enterprise=enterprise)
    assert membership.user.email == "newfirm@example.com" and membership.is_owner
    assert membership.user.check_password(PASSWORD)
    assert membership.user.groups.filter(name="Enterprise owners").exists()
    assert AuditEvent.objects.filter(action="enterprise.registered", enterprise=enterprise).exists()
    assert "湖北新创科技有限公司" in client.get("/en/dashboard/").content.decode()
    assert not PendingRegistration.objects.exists()


def test_the_new_account_signs_in_with_its_e_mail_address(client):
    client.post(URL, form_data(**{"account-email": "Wang.Fang@Example.com"}))
    confirm(client, mail.outbox[0])
    client.post(reverse("accounts:logout"))
    response = client.post(
        "/en/accounts/login/", {"username": "ｗａｎｇ.ｆａｎｇ@example.COM", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/en/dashboard/").status_code == 200


def test_a_link_works_once(client):
    client.post(URL, form_data())
    confirm(client, mail.outbox[0])
    client.post(reverse("accounts:logout"))
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert User.objects.count() == 1


def test_a_tampered_or_expired_link_is_refused(client, settings):
    client.post(URL, form_data())
    link = link_in(mail.outbox[0])
    assert client.get(link[:-3] + "xx/").status_code == 410
    settings.REGISTRATION_CONFIRM_HOURS = 0
    assert client.get(link).status_code == 410
    assert registration.pending_from_token("not-a-token") is None


def test_registering_again_replaces_the_pending_registration_and_its_link(client):
    client.post(URL, form_data())
    client.post(URL, form_data(**{"enterprise-name": "另一个名称有限公司"}))
    assert PendingRegistration.objects.count() == 1
    assert client.get(link_in(mail.outbox[0])).status_code == 410
    assert "另一个名称有限公司" in client.get(link_in(mail.outbox[1])).content.decode()


def test_the_link_can_be_sent_again(client):
    client.post(URL, form_data())
    response = client.post("/en/accounts/register/resend/", {"email": "NEWFIRM@example.com"})
    assert response.status_code == 302 and response["Location"] == SENT
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["newfirm@example.com"]
    confirm(client, mail.outbox[1])
    assert User.objects.filter(email="newfirm@example.com").exists()


def test_resend_answers_the_same_for_an_unknown_address(client):
    response = client.post("/en/accounts/register/resend/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == SENT
    assert mail.outbox == []


def test_lower_case_code_with_spaces_is_normalised(client):
    code = valid_credit_code()
    messy = " ".join([code[:6].lower(), code[6:12], code[12:].lower()])
    client.post(URL, form_data(**{"enterprise-credit_code": messy}))
    confirm(client, mail.outbox[0])
    assert Enterprise.objects.filter(credit_code=code).exists()


def test_a_genuine_code_typed_in_full_width_characters_is_accepted(client):
    code = valid_credit_code()
    typed = "\u3000" + code[:8].translate(FULL_WIDTH) + "－" + code[8:].translate(FULL_WIDTH)
    response = client.post(
        URL,
        form_data(
            **{
                "enterprise-credit_code": typed,
                "enterprise-contact_phone": "０２７－８７６５４３２１",
                "account-email": "ｆｕｌｌ＠ｅｘａｍｐｌｅ．ｃｏｍ",
            }
        ),
    )
    assert response.status_code == 302
    confirm(client, mail.outbox[0])
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.contact_phone == "027-87654321"
    assert enterprise.memberships.get().user.email == "full@example.com"


def test_the_registered_name_keeps_its_full_width_brackets(client):
    client.post(
        URL, form_data(**{"enterprise-name": "\u3000湖北新创科技有限公司（孝感分公司）\u200b"})
    )
    confirm(client, mail.outbox[0])
    assert Enterprise.objects.get().name == "湖北新创科技有限公司（孝感分公司）"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111000060003734", "A unified social credit code has 18 characters; you entered 16."),
        ("9111000060003734IL", "The letters I, O, Z, S and V never occur"),
        ("91110000600037341M", "The last character (the check character) does not match"),
        (code_for("91990100"), "Characters 3–8 (990100) are not an administrative division code"),
        (code_for("92420900"), "individual business (sole trader) (type 92), not to an enterprise"),
        (code_for("11420900"), "government organ (type 11), not to an enterprise"),
        (code_for("51420900"), "social organisation (type 51), not to an enterprise"),
        (code_for("94420900"), "The first two characters (94) are not an entity type"),
    ],
)
def test_each_code_problem_has_its_own_error_and_loses_no_input(client, code, message):
    response = client.post(URL, form_data(**{"enterprise-credit_code": code}))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "湖北新创科技有限公司" in html  # the rest of the input is kept
    assert mail.outbox == [] and not PendingRegistration.objects.exists()


@pytest.mark.parametrize("code", [code_for("91990100"), code_for("92420900")])
def test_impossible_region_and_non_enterprise_types_cannot_be_overridden(client, code):
    response = client.post(
        URL, form_data(**{"enterprise-credit_code": code, "enterprise-code_is_genuine": "on"})
    )
    assert response.status_code == 200 and not PendingRegistration.objects.exists()


def test_the_check_character_message_does_not_hand_out_the_correct_character(client):
    code = valid_credit_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    for prefix in ("/en", ""):
        response = client.post(
            f"{prefix}/accounts/register/", form_data(**{"enterprise-credit_code": wrong})
        )
        html = response.content.decode()
        errors = re.findall(r'class="error-message"[^>]*>([^<]*)<', html)
        assert errors and not any(code[-1] in error for error in errors), errors
        assert code not in html


def test_chinese_error_message(client):
    response = client.post(
        "/accounts/register/", form_data(**{"enterprise-credit_code": "91110000600037341M"})
    )
    assert "校验码" in response.content.decode()


def test_check_failure_offers_override_and_flags_enterprise(client):
    code = "91350211M0000XUF46"  # genuinely issued early code whose check fails
    response = client.post(URL, form_data(**{"enterprise-credit_code": code}))
    assert response.status_code == 200
    assert "My code is genuine" in response.content.decode()
    response = client.post(
        URL,
        form_data(
            **{
                "enterprise-credit_code": code,
                "enterprise-code_is_genuine": "on",
                "enterprise-region": "350200",
            }
        ),
    )
    assert response.status_code == 302
    confirm(client, mail.outbox[0])
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.needs_verification and enterprise.code_check_failed
    assert enterprise.verification_reasons == [{"code": "code_check"}]


def test_an_unlisted_division_can_be_declared_genuine_and_the_message_says_so(client):
    code = code_for("91330199")  # Zhejiang exists; 330199 is not a listed division
    response = client.post(URL, form_data(**{"enterprise-credit_code": code}))
    html = response.content.decode()
    assert "abolished, renamed or created since the list was made" in html
    assert "My code is genuine" in html
    client.post(
        URL,
        form_data(
            **{
                "enterprise-credit_code": code,
                "enterprise-code_is_genuine": "on",
                "enterprise-region": "330100",
            }
        ),
    )
    confirm(client, mail.outbox[0])
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.needs_verification and not enterprise.code_check_failed
    assert enterprise.verification_reasons == [{"code": "region_unknown", "division": "330199"}]


def test_override_cannot_excuse_a_forbidden_letter(client):
    response = client.post(
        URL,
        form_data(
            **{"enterprise-credit_code": "9111000060003734IL", "enterprise-code_is_genuine": "on"}
        ),
    )
    assert response.status_code == 200
    assert not PendingRegistration.objects.exists()


# --- Region from the code ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("division", "region"),
    [("420900", "420900"), ("420902", "420900"), ("330106", "330100"), ("110108", "110108")],
)
def test_the_region_defaults_from_the_code(client, division, region):
    code = code_for("91" + division)
    client.post(URL, form_data(**{"enterprise-credit_code": code, "enterprise-region": ""}))
    confirm(client, mail.outbox[0])
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.region_id == region and not enterprise.needs_verification


def test_a_region_that_cannot_be_read_from_the_code_must_be_chosen(client):
    code = code_for("91420000")  # registered by the provincial authority: any city of Hubei
    response = client.post(
        URL, form_data(**{"enterprise-credit_code": code, "enterprise-region": ""})
    )
    assert "Choose the region" in response.content.decode()
    client.post(URL, form_data(**{"enterprise-credit_code": code, "enterprise-region": "420100"}))
    confirm(client, mail.outbox[0])
    assert not Enterprise.objects.get(credit_code=code).needs_verification


def test_a_region_other_than_the_codes_is_allowed_but_flagged(client):
    code = code_for("91330106")  # 杭州市西湖区
    response = client.post(URL, form_data(**{"enterprise-credit_code": code}))  # region: 孝感市
    assert response.status_code == 302
    confirm(client, mail.outbox[0])
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.region_id == "420900"
    assert enterprise.needs_verification and not enterprise.code_check_failed
    (reason,) = enterprise.verification_reasons
    assert reason["code"] == "region_mismatch" and reason["division"] == "330106"
    assert reason["division_name"] == "浙江省杭州市西湖区" and reason["region"] == "420900"


def test_the_verification_queue_shows_the_reason(client):
    code = code_for("91420100")  # 武汉市, registered as 孝感市
    client.post(URL, form_data(**{"enterprise-credit_code": code}))
    confirm(client, mail.outbox[0])
    client.post(reverse("accounts:logout"))
    client.force_login(reviewer(["420000"]))
    html = client.get("/en/accounts/verifications/").content.decode()
    assert "differs from the region of the credit code (420100 湖北省武汉市)" in html


# --- Nothing tells who exists --------------------------------------------------------------


def _answer(client, data):
    response = client.post(URL, data)
    page = client.get(SENT).content.decode()
    return response.status_code, response.get("Location"), re.sub(r'value="[^"]{64}"', "", page)


def test_new_and_existing_addresses_and_codes_get_the_same_answer(client):
    existing_owner = company_user(email="owner@example.com")
    existing = existing_owner.membership.enterprise
    new = _answer(client, form_data())
    same_address = _answer(client, form_data(**{"account-email": "OWNER@example.com"}))
    same_code = _answer(
        client,
        form_data(
            **{"account-email": "other@example.com", "enterprise-credit_code": existing.credit_code}
        ),
    )
    assert new == same_address == same_code
    assert new[:2] == (302, SENT)
    assert Enterprise.objects.count() == 1 and User.objects.count() == 1


def test_an_existing_address_is_told_someone_tried_to_register_with_it(client):
    company_user(email="owner@example.com")
    client.post(URL, form_data(**{"account-email": "Owner@Example.com"}))
    (message,) = mail.outbox
    assert message.to == ["owner@example.com"]
    assert "tried to register" in message.subject
    assert "/en/accounts/password/reset/" in message.body
    assert "/accounts/register/confirm/" not in message.body
    assert not PendingRegistration.objects.exists()


def test_an_existing_code_tells_the_owners_and_the_regions_reviewers(client):
    owner = company_user(email="owner@example.com")
    enterprise = owner.membership.enterprise  # 孝感市
    hubei = reviewer(["420000"], email="hubei@example.com")
    reviewer(["440000"], email="guangdong@example.com")
    client.post(
        URL,
        form_data(
            **{
                "account-email": "newcomer@example.com",
                "enterprise-credit_code": enterprise.credit_code,
            }
        ),
    )
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"newcomer@example.com", "owner@example.com", hubei.email}
    to_registrant = by_recipient["newcomer@example.com"].body
    assert "already registered" in to_registrant and "invite you" in to_registrant
    assert "newcomer@example.com" in by_recipient["owner@example.com"].body
    assert enterprise.name in by_recipient[hubei.email].body
    assert Enterprise.objects.count() == 1 and not PendingRegistration.objects.exists()
    assert AuditEvent.objects.filter(action="registration.duplicate_code", enterprise=enterprise)


def test_a_code_registered_while_the_link_waited_creates_no_second_enterprise(client):
    data = form_data()
    client.post(URL, data)
    EnterpriseFactory(credit_code=data["enterprise-credit_code"])
    response = confirm(client, mail.outbox[0])
    assert response.status_code == 302
    assert Enterprise.objects.count() == 1 and not User.objects.exists()
    assert any("invite you" in m.body for m in mail.outbox[1:])


def test_the_register_post_is_rate_limited_per_address(client, settings):
    settings.REGISTRATION_RATE = (2, 3600)
    for _ in range(2):
        assert client.post(URL, form_data()).status_code == 302
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert (
        client.post("/en/accounts/register/resend/", {"email": "x@example.com"}).status_code == 429
    )
    other = client_from("10.0.0.9")
    assert other.post(URL, form_data()).status_code == 302


def client_from(address):
    from django.test import Client

    return Client(REMOTE_ADDR=address)


# --- The rest of the form ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("enterprise-founded_on", "2999-01-01", "cannot be in the future"),
        ("enterprise-contact_phone", "12345", "Enter a mobile number"),
        ("enterprise-region", "999999", "Select a valid choice"),
        ("enterprise-industry", "Z", "Select a valid choice"),
        ("account-email", "not-an-address", "Enter a valid email address"),
    ],
)
def test_field_validation(client, field, value, message):
    response = client.post(URL, form_data(**{field: value}))
    assert message in response.content.decode()
    assert not PendingRegistration.objects.exists()


def test_error_summary_links_to_fields(client):
    response = client.post(URL, form_data(**{"enterprise-name": ""}))
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_enterprise-name"' in html


def test_region_select_groups_cities_by_province(client):
    html = client.get(URL).content.decode()
    assert '<optgroup label="Hubei">' in html
    assert '<option value="420900">Xiaogan</option>' in html


def test_signed_in_user_is_sent_to_dashboard(client, owner):
    client.force_login(owner)
    response = client.get(URL)
    assert response.status_code == 302


def test_confirmation_mail_is_in_the_registrants_language(client):
    client.post("/accounts/register/", form_data())
    with translation.override("zh-hans"):
        assert "确认" in mail.outbox[0].subject
    assert "/accounts/register/confirm/" in mail.outbox[0].body
    assert "/en/" not in mail.outbox[0].body


@pytest.mark.parametrize("field", ["enterprise-name", "enterprise-contact_name"])
@pytest.mark.parametrize("value", ["甲公司\r\nBcc: x@example.com", "甲\n公司", "甲\u2028公司"])
def test_names_are_single_line(client, field, value):
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    assert "Enter this on one line: line breaks are not allowed." in response.content.decode()
    assert not Enterprise.objects.exists() and not User.objects.exists()
