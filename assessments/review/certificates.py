"""Certificates: issued on recognition, rendered to PDF, suspended/revoked with a reason, expired
automatically, and verifiable at ``/verify/<code>/``."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.engine.scoring import add_years
from assessments.presentation import labels
from assessments.reports.pdf import qr_svg, render_pdf
from assessments.review import notifications, permissions, tasks
from assessments.review.errors import PermissionRefused, TransitionError
from assessments.review.models import Application, Certificate, ReviewEvent
from portal.accounts.models import User
from portal.core.i18n import django_language

VALID_YEARS = 3


def validity(start: dt.date) -> tuple[dt.date, dt.date]:
    """Three years: from ``start`` to the day before its third anniversary."""
    return start, add_years(start, VALID_YEARS) - dt.timedelta(days=1)


def issue_certificate(application: Application, user: User | None) -> Certificate:
    """Create the certificate of a recognised application (the PDF follows after the commit)."""
    existing = Certificate.objects.filter(application=application).first()
    if existing is not None:
        return existing
    start, until = validity(timezone.localdate())
    scheme = application.submission.scheme_version.engine_scheme
    certificate = Certificate(
        application=application,
        enterprise=application.enterprise,
        programme=application.programme,
        level=application.level,
        # The labels are frozen with the certificate, in both languages.
        level_label_zh=labels.level_label(scheme, application.level, "zh"),
        level_label_en=labels.level_label(scheme, application.level, "en"),
        valid_from=start,
        valid_until=until,
        issued_by=user,
    )
    certificate.number = f"TMP-{certificate.verify_code}"
    certificate.save()
    certificate.number = f"{application.programme.code.upper()}-{start.year}-{certificate.pk:05d}"
    certificate.save(update_fields=["number"])
    ReviewEvent.objects.create(
        application=application,
        actor=user,
        action="certificate_issued",
        from_state=application.state,
        to_state=application.state,
        data={"certificate": certificate.number, "valid_until": until.isoformat()},
    )
    pk = certificate.pk
    transaction.on_commit(lambda: tasks.render_certificate_pdf_task.enqueue(certificate_id=pk))
    return certificate


def verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL.rstrip("/") + f"/verify/{certificate.verify_code}/"


def pdf_bytes(certificate: Certificate, lang: str = "zh") -> bytes:
    """Render the certificate PDF with the reports' typography."""
    url = verify_url(certificate)
    with translation.override(django_language(lang)):
        title = _("Certificate %(number)s") % {"number": certificate.number}
        context = {
            "certificate": certificate,
            "enterprise": certificate.enterprise,
            "programme": certificate.programme,
            "verify_url": url,
            "qr": qr_svg(
                url, label=_("Verification code %(code)s") % {"code": certificate.verify_code}
            ),
        }
        return render_pdf(
            "review/pdf/certificate.html",
            context,
            lang=lang,
            title=title,
            author=_("IP Portal"),
        )


def store_pdf(certificate: Certificate) -> None:
    """Render and store the PDF with its SHA-256."""
    data = pdf_bytes(certificate)
    certificate.pdf.save(f"{certificate.verify_code}.pdf", ContentFile(data), save=False)
    certificate.pdf_sha256 = hashlib.sha256(data).hexdigest()
    certificate.save(update_fields=["pdf", "pdf_sha256"])


def render_certificate_pdf(certificate_id: int) -> bool:
    """Render and store the PDF of a certificate that has none yet (the task's service)."""
    certificate = (
        Certificate.objects.select_related("enterprise", "programme")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or certificate.pdf:
        return False
    store_pdf(certificate)
    return True


def _check_reviewer(certificate: Certificate, user: User) -> None:
    application = certificate.application
    if not permissions.in_scope(user, application):
        raise PermissionRefused(_("This certificate is outside your review scope."))
    if permissions.has_conflict(user, application):
        raise PermissionRefused(
            _("You declared a conflict of interest for this application and cannot act on it.")
        )


STATUS_ACTIONS = {
    # action: (allowed current statuses, new status)
    "suspend": ({Certificate.Status.VALID}, Certificate.Status.SUSPENDED),
    "reinstate": ({Certificate.Status.SUSPENDED}, Certificate.Status.VALID),
    "revoke": (
        {Certificate.Status.VALID, Certificate.Status.SUSPENDED},
        Certificate.Status.REVOKED,
    ),
}


def change_status(certificate: Certificate, action: str, user: User, reason: str) -> Certificate:
    """Suspend, reinstate or revoke a certificate with a reason (recorded in the audit trail)."""
    _check_reviewer(certificate, user)
    if action not in STATUS_ACTIONS:
        raise TransitionError(_("Unknown action."))
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give a reason for this decision."))
    allowed, target = STATUS_ACTIONS[action]
    with transaction.atomic():
        current = Certificate.objects.select_for_update().get(pk=certificate.pk)
        status = current.current_status()
        if status not in allowed:
            raise TransitionError(
                _("A certificate that is “%(status)s” cannot be changed this way.")
                % {"status": Certificate.Status(status).label}
            )
        updated = Certificate.objects.filter(pk=current.pk, status=current.status).update(
            status=target, status_reason=reason, status_changed_at=timezone.now()
        )
        if updated != 1:
            raise TransitionError(
                _("The certificate was changed by someone else; reload the page.")
            )
        event = ReviewEvent.objects.create(
            application=certificate.application,
            actor=user,
            action=f"certificate_{action}",
            from_state=certificate.application.state,
            to_state=certificate.application.state,
            reason=reason,
            data={"certificate": current.number, "from": status, "to": target},
        )
        notifications.state_changed(certificate.application, event)
    certificate.refresh_from_db()
    return certificate


def expire_due(today: dt.date | None = None) -> int:
    """Store "expired" on valid certificates past their validity; returns how many."""
    today = today or timezone.localdate()
    return Certificate.objects.filter(
        status=Certificate.Status.VALID, valid_until__lt=today
    ).update(status=Certificate.Status.EXPIRED, status_changed_at=timezone.now())


def verification_path(certificate: Certificate) -> str:
    """The public verification page of the certificate in the current language."""
    return reverse("verify:detail", args=[certificate.verify_code])
