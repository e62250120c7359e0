"""The enterprise registry's export resource (accounts), as the Django admin and transfer use it."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.accounts.choices import MemberRole
from portal.accounts.models import Invitation
from portal.accounts.resources import EnterpriseResource
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_resource_export_dataset_is_neutralised():
    EnterpriseFactory(name="+cmd|' /C calc'!A0")
    dataset = EnterpriseResource(lang="en").export()
    assert dataset.headers[1] == "Enterprise name"
    assert dataset[0][1] == "'+cmd|' /C calc'!A0"


def test_export_writes_labels_in_the_header_language_and_pending_owner_emails():
    enterprise = EnterpriseFactory(industry="C", size="small")
    Invitation.objects.create(
        enterprise=enterprise,
        email="boss@example.com",
        role=MemberRole.OWNER,
        token_hash=Invitation.new_token()[1],
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    zh = EnterpriseResource().export().dict[0]
    en = EnterpriseResource(lang="en").export().dict[0]
    assert (zh["行业"], zh["企业规模"], zh["负责人邮箱"]) == (
        "C 制造业",
        "小型",
        "boss@example.com",
    )
    assert (en["Industry"], en["Size"]) == ("C Manufacturing", "Small")
