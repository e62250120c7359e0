import pytest

from assessments.wizard import services
from tests import factories


@pytest.fixture
def ip_version(db):
    return factories.scheme_version("ip-enterprise")


@pytest.fixture
def gbt_version(db):
    return factories.scheme_version("gbt29490-2023")


@pytest.fixture
def member_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def draft(owner, ip_version):
    assessment, _ = services.start_assessment(
        enterprise=owner.membership.enterprise, version=ip_version, user=owner
    )
    return assessment
