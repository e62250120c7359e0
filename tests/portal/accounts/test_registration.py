import pytest
from django.urls import reverse

from portal.accounts.models import AuditEvent, Enterprise, Membership, User
from tests.factories import EnterpriseFactory, valid_credit_code

pytestmark = pytest.mark.django_db

URL = "/en/accounts/register/"


def form_data(**overrides):
    data = {
        "account-username": "newfirm",
        "account-email": "newfirm@example.com",
        "account-password1": "a-long-Passphrase-42",
        "account-password2": "a-long-Passphrase-42",
        "enterprise-name": "湖北新创科技有限公司",
        "enterprise-credit_code": valid_credit_code(),
        "enterprise-region": "420100",
        "enterprise-industry": "C",
        "enterprise-size": "small",
        "enterprise-founded_on": "2018-03-01",
        "enterprise-contact_name": "王芳",
        "enterprise-contact_phone": "027-87654321",
    }
    data.update(overrides)
    return data


def test_form_is_labelled_in_chinese_by_default(client):
    response = client.get("/accounts/register/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码" in html
    assert 'lang="zh-Hans"' in html


def test_successful_registration_creates_owner_and_logs_in(client):
    data = form_data()
    response = client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == "/en/dashboard/"
    enterprise = Enterprise.objects.get(credit_code=data["enterprise-credit_code"])
    assert not enterprise.needs_verification
    membership = Membership.objects.get(enterprise=enterprise)
    assert membership.user.username == "newfirm" and membership.is_owner
    assert membership.user.groups.filter(name="Enterprise owners").exists()
    assert AuditEvent.objects.filter(action="enterprise.registered", enterprise=enterprise).exists()
    dashboard = client.get("/en/dashboard/")
    assert "湖北新创科技有限公司" in dashboard.content.decode()


def test_lower_case_code_with_spaces_is_normalised(client):
    code = valid_credit_code()
    messy = " ".join([code[:6].lower(), code[6:12], code[12:].lower()])
    client.post(URL, form_data(**{"enterprise-credit_code": messy}))
    assert Enterprise.objects.filter(credit_code=code).exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111000060003734", "A unified social credit code has 18 characters; you entered 16."),
        ("9111000060003734IL", "The letters I, O, Z, S and V never occur"),
        ("91110000600037341M", "the check character) does not match the code; it should be L"),
    ],
)
def test_each_code_problem_has_its_own_error_and_loses_no_input(client, code, message):
    response = client.post(URL, form_data(**{"enterprise-credit_code": code}))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "湖北新创科技有限公司" in html  # the rest of the input is kept
    assert not User.objects.filter(username="newfirm").exists()


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
        URL, form_data(**{"enterprise-credit_code": code, "enterprise-code_is_genuine": "on"})
    )
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.needs_verification and enterprise.code_check_failed


def test_override_cannot_excuse_a_forbidden_letter(client):
    response = client.post(
        URL,
        form_data(
            **{"enterprise-credit_code": "9111000060003734IL", "enterprise-code_is_genuine": "on"}
        ),
    )
    assert response.status_code == 200
    assert not Enterprise.objects.filter(credit_code="9111000060003734IL").exists()


def test_second_registration_with_same_code_is_refused(client):
    existing = EnterpriseFactory()
    response = client.post(URL, form_data(**{"enterprise-credit_code": existing.credit_code}))
    assert response.status_code == 200
    assert "already registered. Ask its owner to invite you" in response.content.decode()
    assert Enterprise.objects.filter(credit_code=existing.credit_code).count() == 1


def test_duplicate_email_is_refused(client):
    client.post(URL, form_data())
    client.post(reverse("accounts:logout"))
    response = client.post(
        URL, form_data(**{"account-username": "second", "account-email": "NEWFIRM@example.com"})
    )
    assert "already exists" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("enterprise-founded_on", "2999-01-01", "cannot be in the future"),
        ("enterprise-contact_phone", "12345", "Enter a mobile number"),
        ("enterprise-region", "999999", "Select a valid choice"),
        ("enterprise-industry", "Z", "Select a valid choice"),
    ],
)
def test_field_validation(client, field, value, message):
    response = client.post(URL, form_data(**{field: value}))
    assert message in response.content.decode()
    assert not Enterprise.objects.exists()


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
