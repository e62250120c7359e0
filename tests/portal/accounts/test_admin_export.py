"""The Django admin exports the enterprise registry with the registry's columns, safely."""

import re

import pytest

from tests.factories import EnterpriseFactory, company_user

pytestmark = pytest.mark.django_db
URL = "/django-admin/accounts/enterprise/export/"


def test_admin_exports_csv_with_formula_cells_neutralised(client, admin_user):
    EnterpriseFactory(name="=HYPERLINK(1)有限公司")
    client.force_login(admin_user)
    form = client.get(URL).content.decode()
    fields = re.findall(r'name="(enterpriseresource_[a-z_]+)"', form)
    formats = dict(
        (label, value) for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]+)', form)
    )
    assert set(formats) == {"xlsx", "csv"}
    data = {"format": formats["csv"], "resource": "0", **{f: "on" for f in fields}}
    response = client.post(URL, data)
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)有限公司" in body
    assert "统一社会信用代码" in body.splitlines()[0]


def test_company_users_cannot_export(client, enterprise):
    client.force_login(company_user(enterprise, username="not-staff"))
    response = client.get(URL)
    assert response.status_code == 302 and "/django-admin/login/" in response["Location"]
