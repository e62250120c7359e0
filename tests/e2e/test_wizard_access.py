"""Another enterprise's user gets 404 on every URL of a draft, its evidence and a submission."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.wizard import services
from tests import factories
from tests.assessments.wizard.browser import company_user
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_another_enterprise_gets_404_everywhere(page, live_server, login):
    version = factories.scheme_version("ip-enterprise")
    owner = company_user("e2e-owner")
    enterprise = owner.membership.enterprise
    draft, _ = services.start_assessment(enterprise=enterprise, version=version, user=owner)
    evidence = services.add_evidence(
        draft, "C1", SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"), owner
    )
    submission = factories.make_submission(enterprise, code="gbt29490-2023", user=owner)
    company_user("e2e-stranger")
    login(page, "e2e-stranger", PASSWORD)
    base = f"{live_server.url}/en/assessments"
    for path in (
        f"/{draft.pk}/",
        f"/{draft.pk}/step/general/",
        f"/{draft.pk}/review/",
        f"/{draft.pk}/restore/anything/",
        f"/submissions/{submission.pk}/",
        f"/evidence/{evidence.pk}/",
    ):
        response = page.goto(base + path)
        assert response.status == 404, path
    # the step form cannot be posted either (same 404, nothing saved)
    page.goto(f"{live_server.url}/en/dashboard/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    status = page.evaluate(
        """async ([url, token]) => {
             const body = new URLSearchParams({'wizard-current_step': 'general', 'revision': '0',
               'general-valid_utility_patents': '9', 'csrfmiddlewaretoken': token});
             const r = await fetch(url, {method: 'POST', body, credentials: 'same-origin'});
             return r.status; }""",
        [f"{base}/{draft.pk}/step/general/", token],
    )
    assert status == 404
    draft.refresh_from_db()
    assert "valid_utility_patents" not in draft.answers  # nothing another firm typed was saved
