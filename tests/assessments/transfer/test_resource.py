"""EnterpriseResource used directly, as django-import-export's admin views would use it."""

import pytest
import tablib

from assessments.resources import EnterpriseResource
from portal.accounts.models import Enterprise, Invitation
from tests.assessments.transfer.helpers import EN_HEADERS, good_row
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_resource_export_dataset_is_neutralised():
    EnterpriseFactory(name="+cmd|' /C calc'!A0")
    dataset = EnterpriseResource(lang="en").export()
    assert dataset.headers[1] == "Enterprise name"
    assert dataset[0][1] == "'+cmd|' /C calc'!A0"


def test_resource_imports_a_dataset_with_english_headers(admin_user):
    dataset = tablib.Dataset(good_row(1), good_row(2), headers=EN_HEADERS)
    result = EnterpriseResource().import_data(dataset, dry_run=False, user=admin_user)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Enterprise.objects.count() == 2
    assert set(Invitation.objects.values_list("invited_by", flat=True)) == {admin_user.pk}
