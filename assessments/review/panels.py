"""The company dashboard's applications panel (registered in ``review/wagtail_hooks.py``)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from assessments.review import eligibility
from assessments.review.certificates import verification_path
from assessments.review.models import Application, Certificate


def applications_panel(request, membership) -> SafeString | None:
    """The firm's applications and certificates on its dashboard."""
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
