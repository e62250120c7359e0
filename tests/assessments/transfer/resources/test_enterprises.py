"""The registry import resource used directly, as django-import-export's admin views would."""

import pytest
import tablib

from assessments.transfer.resources.enterprise_rows import RegistryRows
from assessments.transfer.resources.enterprises import EnterpriseImportResource
from portal.accounts.models import AuditEvent, Enterprise, Invitation
from tests.assessments.transfer.helpers import EN_HEADERS, good_row
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
KEYS = [
    "credit_code",
    "name",
    "region_code",
    "industry",
    "size",
    "founded_on",
    "contact_name",
    "contact_phone",
    "owner_email",
]


def test_resource_imports_a_dataset_with_english_headers(admin_user):
    dataset = tablib.Dataset(good_row(1), good_row(2), headers=EN_HEADERS)
    result = EnterpriseImportResource().import_data(dataset, dry_run=False, user=admin_user)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Enterprise.objects.count() == 2
    assert set(Invitation.objects.values_list("invited_by", flat=True)) == {admin_user.pk}
    imported = AuditEvent.objects.filter(action="enterprise.imported")
    assert sorted(e.detail["row"] for e in imported) == [2, 3]


def test_rows_are_checked_without_queries_once_the_file_is_loaded(
    django_assert_num_queries,
):
    existing = EnterpriseFactory()
    rows = [dict(zip(KEYS, good_row(i), strict=True)) for i in range(3)]
    rows[1]["credit_code"] = existing.credit_code
    rows[2]["contact_phone"] = " 139 0000 2222 "
    checker = RegistryRows()
    checker.load(row["credit_code"] for row in rows)
    with django_assert_num_queries(0):
        results = [checker.clean(row, number) for number, row in enumerate(rows, start=2)]
    assert results[0][1] == {}
    assert results[1][1] == {
        "credit_code": ["An enterprise with this credit code is already registered."]
    }
    values, errors = results[2]
    assert errors == {} and values["contact_phone"] == "13900002222"
    assert (values["industry"], values["size"], str(values["founded_on"])) == (
        "C",
        "small",
        "2016-03-01",
    )
