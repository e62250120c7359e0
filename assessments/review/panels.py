"""Hooks into other apps: the company dashboard panel and the /verify/<code>/ resolver."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

log = logging.getLogger(__name__)


def applications_panel(request, membership) -> SafeString | None:
    """The firm's applications and certificates on its dashboard."""
    from assessments.review import eligibility
    from assessments.review.certificates import verification_path
    from assessments.review.models import Application, Certificate

    enterprise = membership.enterprise
    applications = list(
        Application.objects.filter(enterprise=enterprise)
        .select_related("programme")
        .order_by("-created_at")[:5]
    )
    certificates = [
        (c, verification_path(c))
        for c in Certificate.objects.filter(enterprise=enterprise)
        .select_related("programme")
        .order_by("-issued_at")
    ]
    open_count = eligibility.open_programmes().count()
    return render_to_string(
        "applications/panel.html",
        {
            "applications": applications,
            "certificates": certificates,
            "open_count": open_count,
        },
        request=request,
    )


def register() -> None:
    from portal.accounts.dashboard import register_panel

    register_panel(applications_panel)
    try:
        from assessments.reports.verification import register_resolver
    except ImportError:
        log.debug("assessments.reports.verification is not available; certificates not verifiable")
        return
    from assessments.review.verification import resolve

    register_resolver(resolve)
