"""The company dashboard's self-assessment panel (registered in ``assessments/wagtail_hooks.py``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from . import selectors, services


def assessments_panel(request: HttpRequest, membership) -> SafeString | None:
    data = selectors.dashboard(membership.enterprise)
    drafts = []
    for draft, retired in data["drafts"]:
        plan = services.plan_for(draft)
        drafts.append((draft, selectors.progress(plan, draft), retired))
    return render_to_string(
        "assessments/dashboard_panel.html",
        {**data, "drafts": drafts, "membership": membership},
        request=request,
    )
