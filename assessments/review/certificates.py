"""Certificates: issued on recognition, rendered to a signed PDF, suspended/revoked with a
reason, expired automatically, and verifiable at ``/verify/<code>/``.

What a certificate confers comes from its programme (``ProgrammeRecognition`` per level, the
issuing authority, its seal and the validity period) and is frozen on the certificate when it
is issued. Numbers follow one scheme, ``{prefix}-{year}-{code}-{serial}``: the programme's
prefix (the region's abbreviation, e.g. HB), the year of issue, the recognition's code (YS for
优势, SF for 示范) and the certificate's serial in the portal with five digits, e.g.
``HB-2026-YS-00002``.

After a suspension or revocation the firm can only download the PDF stamped with that status
and its date (:func:`download_file`); every file issued for a certificate (the original and
each stamped one) keeps its SHA-256, which the verification page lists.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.engine.scoring import add_years
from assessments.presentation import labels
from assessments.reports.pdf import qr_svg, render_pdf
from assessments.reports.signing import sign_pdf
from assessments.review import notifications, permissions, tasks
from assessments.review.errors import PermissionRefused, TransitionError
from assessments.review.models import (
    Application,
    Certificate,
    Programme,
    ReviewEvent,
    StampedCertificate,
)
from portal.accounts import roles
from portal.accounts.models import User
from portal.core.i18n import django_language
from portal.core.siteurls import absolute_url

logger = logging.getLogger(__name__)

VALID_YEARS = 3  # the default of Programme.validity_years
SEAL_RENDITION = "max-600x600|format-png"


def validity(start: dt.date, years: int = VALID_YEARS) -> tuple[dt.date, dt.date]:
    """``years`` years: from ``start`` to the day before its ``years``-th anniversary."""
    return start, add_years(start, years) - dt.timedelta(days=1)


# The recognition codes of the scheme levels when a programme states no recognition for a level.
DEFAULT_NUMBER_CODES = {"advantage": "YS", "demonstration": "SF"}


def number_code(programme: Programme, level: str) -> str:
    """The recognition's code in certificate numbers: the programme's, else the default of the
    level (YS for 优势, SF for 示范), else the level's first two letters."""
    recognition = programme.recognition_for(level)
    if recognition is not None:
        return recognition.number_code
    if level in DEFAULT_NUMBER_CODES:
        return DEFAULT_NUMBER_CODES[level]
    return "".join(ch for ch in level.upper() if "A" <= ch <= "Z")[:2] or "XX"


def certificate_number(programme: Programme, issued_on: dt.date, level: str, serial: int) -> str:
    """``HB-2026-YS-00002``: prefix, year of issue, recognition code, serial (5 digits)."""
    prefix = programme.number_prefix or "XX"
    return f"{prefix}-{issued_on.year}-{number_code(programme, level)}-{serial:05d}"


def issue_certificate(application: Application, user: User | None) -> Certificate:
    """Create the certificate of a recognised application (the PDF follows after the commit)."""
    existing = Certificate.objects.filter(application=application).first()
    if existing is not None:
        return existing
    programme = application.programme
    start, until = validity(timezone.localdate(), programme.validity_years or VALID_YEARS)
    scheme = application.submission.scheme_version.engine_scheme
    level = application.level
    recognition = programme.recognition_for(level)
    level_zh = labels.level_label(scheme, level, "zh")
    level_en = labels.level_label(scheme, level, "en")
    authority = programme.issuing_authority
    certificate = Certificate(
        application=application,
        enterprise=application.enterprise,
        programme=programme,
        level=level,
        # The labels, the recognition and the issuer are frozen with the certificate.
        level_label_zh=level_zh,
        level_label_en=level_en,
        recognition_zh=recognition.title_zh if recognition else level_zh,
        recognition_en=(recognition.title_en or recognition.title_zh) if recognition else level_en,
        issuer_zh=authority.name_zh if authority else "",
        issuer_en=(authority.name_en or authority.name_zh) if authority else "",
        valid_from=start,
        valid_until=until,
        issued_by=user,
    )
    certificate.number = f"TMP-{certificate.verify_code}"
    certificate.save()
    certificate.number = certificate_number(programme, start, level, certificate.pk)
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
    """The absolute verification address (host: the request, else ``SITE_URL``/the Site)."""
    with translation.override(django_language("zh")):
        path = reverse("verify:detail", args=[certificate.verify_code])
    return absolute_url(path)


def seal_data_uri(programme: Programme) -> str:
    """The programme's seal as a PNG ``data:`` URI (the PDF renderer fetches nothing else)."""
    if programme.seal_id is None:
        return ""
    try:
        rendition = programme.seal.get_rendition(SEAL_RENDITION)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except Exception:  # a missing image file must not stop a certificate
        logger.exception("seal of programme %s cannot be read", programme.pk)
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def stamp_for(certificate: Certificate) -> dict | None:
    """The status stamp of a suspended or revoked certificate (label, date, reason)."""
    if not certificate.is_withdrawn:
        return None
    return {
        "status": certificate.status,
        "label": Certificate.Status(certificate.status).label,
        "since": certificate.status_since(),
        "reason": certificate.status_reason,
    }


def pdf_bytes(certificate: Certificate, lang: str = "zh", *, stamped: bool = False) -> bytes:
    """Render the certificate PDF with the reports' typography and sign it.

    ``stamped``: print the current suspension or revocation across it (with date and reason).
    """
    url = verify_url(certificate)
    with translation.override(django_language(lang)):
        title = _("Certificate %(number)s") % {"number": certificate.number}
        context = {
            "certificate": certificate,
            "enterprise": certificate.enterprise,
            "programme": certificate.programme,
            "seal": seal_data_uri(certificate.programme),
            "stamp": stamp_for(certificate) if stamped else None,
            "verify_url": url,
            "qr": qr_svg(
                url, label=_("Verification code %(code)s") % {"code": certificate.verify_code}
            ),
        }
        data = render_pdf(
            "review/pdf/certificate.html",
            context,
            lang=lang,
            title=title,
            author=certificate.issuer or _("IP Portal"),
        )
        return sign_pdf(
            data,
            reason=_("Certificate %(number)s") % {"number": certificate.number},
            location=certificate.issuer,
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


def stamped_file(certificate: Certificate) -> StampedCertificate:
    """The PDF stamped with the certificate's current suspension or revocation (rendered and
    stored on first request)."""
    since = certificate.status_since()
    existing = StampedCertificate.objects.filter(
        certificate=certificate, status=certificate.status, since=since
    ).first()
    if existing is not None:
        return existing
    data = pdf_bytes(certificate, stamped=True)
    stamp = StampedCertificate(
        certificate=certificate,
        status=certificate.status,
        since=since,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    stamp.pdf.save("stamped.pdf", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            stamp.save()
    except IntegrityError:  # another request stored it meanwhile
        stamp.pdf.delete(save=False)
        return StampedCertificate.objects.get(
            certificate=certificate, status=certificate.status, since=since
        )
    return stamp


def download_file(certificate: Certificate) -> tuple[FieldFile, str]:
    """The file the firm (or a reviewer) may download and its name: the stamped PDF once the
    certificate is suspended or revoked, else the original (rendered now if the background
    task has not done it yet)."""
    if certificate.is_withdrawn:
        stamp = stamped_file(certificate)
        return stamp.pdf, f"{certificate.number}-{certificate.status}.pdf"
    if not certificate.pdf:
        store_pdf(certificate)
    return certificate.pdf, f"{certificate.number}.pdf"


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
    """Suspend, reinstate or revoke a certificate with a reason (recorded in the audit trail).
    Only a lead reviewer whose regions cover the enterprise may."""
    _check_reviewer(certificate, user)
    if not roles.is_lead(user):
        raise PermissionRefused(
            _("Only a lead reviewer may suspend, reinstate or revoke a certificate.")
        )
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
