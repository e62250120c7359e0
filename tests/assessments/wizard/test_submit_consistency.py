"""A draft whose answers break a consistency rule of its scheme version is not submitted."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.models import Assessment, Submission
from assessments.wizard import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        {"patent_apps_3y": 5, "invention_apps_3y": 20},  # R1
        {"founded_on": (dt.date.today() + dt.timedelta(days=400)).isoformat()},  # R3
    ],
)
def test_inconsistent_answers_are_not_ready_and_nothing_is_lost(owner, change):
    version = factories.scheme_version("ip-enterprise", 2)
    enterprise = owner.membership.enterprise
    if "founded_on" in change:  # a firm fact: it comes from the enterprise record
        enterprise.founded_on = dt.date.fromisoformat(change["founded_on"])
        enterprise.save(update_fields=["founded_on"])
    draft, _ = services.start_assessment(enterprise=enterprise, version=version, user=owner)
    answers = {**factories.IP_ENTERPRISE_ANSWERS, **change}
    Assessment.objects.filter(pk=draft.pk).update(answers=answers)
    with pytest.raises(services.NotReady):
        services.submit(draft.pk, enterprise=enterprise, user=owner, language="zh-hans")
    draft.refresh_from_db()
    assert (draft.status, draft.answers) == (Assessment.Status.OPEN, answers)
    assert not Submission.objects.exists()
