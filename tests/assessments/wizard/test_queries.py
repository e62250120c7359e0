"""Every wizard GET and POST stays under a fixed query bound, whatever the number of items."""

from __future__ import annotations

import copy
import json

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import engine
from assessments.schemes import services as scheme_services
from assessments.wizard import services
from tests import factories

from .helpers import step_post

pytestmark = pytest.mark.django_db

GET_BOUND = 10
POST_BOUND = 12
RESULTS_BOUND = 15  # the evidence list per item, the improvement plan, the peer benchmark
PANEL_BOUND = 4


def big_scheme_version():
    """gbt29490-2023 with every section four times as long (about 180 items)."""
    definition = json.loads(
        engine.dumps(engine.scheme_to_dict(engine.builtin_scheme("gbt29490-2023")))
    )
    definition["code"] = "gbt-big"
    for section in definition["sections"]:
        extra = []
        for n in range(1, 4):
            for item in section["items"]:
                clone = copy.deepcopy(item)
                clone["code"] = f"{item['code']}-x{n}"
                extra.append(clone)
        section["items"] += extra
    version = scheme_services.create_version(definition)
    return scheme_services.publish(version, user=None)


@pytest.mark.parametrize("code", ["ip-enterprise", "gbt29490-2023", "big"])
def test_step_get_and_post_query_bounds(
    client, owner, code, django_assert_max_num_queries, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    version = big_scheme_version() if code == "big" else factories.scheme_version(code)
    enterprise = owner.membership.enterprise
    draft, _ = services.start_assessment(enterprise=enterprise, version=version, user=owner)
    plan = services.plan_for(draft)
    answers = (
        factories.IP_ENTERPRISE_ANSWERS
        if code == "ip-enterprise"
        else {
            f.key: ("full" if f.kind == "conformity" else True) for f in plan.fields_by_key.values()
        }
    )
    # a few saved steps and evidence files, so the pages have something to show
    for spec in plan.steps[:3]:
        draft.refresh_from_db()
        services.save_step(
            draft,
            step=spec,
            raw={},
            step_answers={k: answers[k] for k in spec.keys if k in answers},
            current_step=spec.key,
            base_revision=draft.revision,
            user=owner,
        )
    client.force_login(owner)
    largest = max(plan.steps, key=lambda s: len(s.fields))
    url = reverse("wizard:step", args=[draft.pk, largest.key])
    client.get(url)  # warm the per-process scheme cache
    with django_assert_max_num_queries(GET_BOUND):
        assert client.get(url).status_code == 200
    draft.refresh_from_db()
    for action in ("next", "save", "exit"):
        draft.refresh_from_db()
        data = step_post(draft, largest.key, answers, wizard_action=action)
        with django_assert_max_num_queries(POST_BOUND):
            assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    back = step_post(draft, largest.key, answers, wizard_goto_step=plan.steps[0].key)
    with django_assert_max_num_queries(POST_BOUND):
        assert client.post(url, back).status_code == 302
    with django_assert_max_num_queries(GET_BOUND):
        assert client.get(reverse("wizard:review", args=[draft.pk])).status_code == 200


def test_results_and_dashboard_query_bounds(client, owner, django_assert_max_num_queries):
    enterprise = owner.membership.enterprise
    factories.make_submission(enterprise, code="gbt29490-2023", user=owner)
    latest = factories.make_submission(enterprise, code="gbt29490-2023", user=owner)
    client.force_login(owner)
    url = reverse("wizard:results", args=[latest.pk])
    client.get(url)
    with django_assert_max_num_queries(RESULTS_BOUND):
        assert client.get(url).status_code == 200


def test_dashboard_panel_query_bound(rf, owner, draft, django_assert_max_num_queries):
    from assessments.wizard.panels import assessments_panel

    enterprise = owner.membership.enterprise
    for _ in range(3):
        factories.make_submission(enterprise, code="gbt29490-2013", user=owner)
    request = rf.get("/dashboard/")
    request.user = owner
    membership = owner.membership
    with translation.override("zh-hans"), django_assert_max_num_queries(PANEL_BOUND):
        html = assessments_panel(request, membership)
    assert "继续填写" in html  # "Resume" the draft
