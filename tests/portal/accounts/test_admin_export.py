"""The Django admin no longer exports the registry inside the request: the enterprise list links
to /transfer/, where exports run as background jobs with progress."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.factories import EnterpriseFactory, UserFactory, company_user

pytestmark = pytest.mark.django_db
CHANGELIST = "/django-admin/accounts/enterprise/"


def test_admin_export_is_gone_and_the_list_links_to_the_transfer_pages(client, admin_user):
    EnterpriseFactory()
    client.force_login(admin_user)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{reverse("transfer:index")}"' in html
    assert "/export/" not in html
    with pytest.raises(NoReverseMatch):
        reverse("admin:accounts_enterprise_export")
    response = client.get(CHANGELIST + "export/")
    # The admin reads "export" as an object id: no export view, no file.
    assert response.status_code in (302, 404)
    assert "attachment" not in response.get("Content-Disposition", "")


def test_staff_without_the_transfer_role_see_no_link(client):
    staff = UserFactory(username="staff-only", is_staff=True, is_superuser=False)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_enterprise"))
    client.force_login(staff)
    html = client.get(CHANGELIST).content.decode()
    assert reverse("transfer:index") not in html


def test_company_users_cannot_open_the_admin_list(client, enterprise):
    client.force_login(company_user(enterprise, username="not-staff"))
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/django-admin/login/" in response["Location"]
