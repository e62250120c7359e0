"""The company dashboard's self-assessment panel (registered in ``assessments/wagtail_hooks.py``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from . import selectors, services
from .forms import lang_code
from .results import level_label


def assessments_panel(request: HttpRequest, membership) -> SafeString | None:
    data = selectors.dashboard(membership.enterprise)
    lang = lang_code(get_language())
    schemes = {}
    for sub in data["submissions"]:
        version = schemes.setdefault(sub.scheme_version_id, sub.scheme_version)
        sub.level_label = level_label(version.engine_scheme, sub.level, lang)
    drafts = []
    for draft in data["drafts"]:
        plan = services.plan_for(draft)
        drafts.append((draft, selectors.progress(plan, draft)))
    return render_to_string(
        "assessments/dashboard_panel.html",
        {**data, "drafts": drafts, "membership": membership},
        request=request,
    )
