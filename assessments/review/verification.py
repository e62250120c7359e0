"""The /verify/<code>/ entry of a certificate (registered with the reports' verification page)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.presentation import labels
from assessments.reports.verification import IssuedFile, VerificationRecord
from assessments.review.models import Certificate
from portal.core.i18n import text_lang

CERTIFICATE_LANGUAGE = "zh-hans"  # certificates are issued in Chinese


def issued_files(certificate: Certificate) -> tuple[IssuedFile, ...]:
    """The original PDF and every PDF stamped with a suspension or revocation, labelled."""
    files = []
    if certificate.pdf_sha256:
        files.append(
            IssuedFile(
                label=_("Certificate PDF (Chinese)"),
                language=CERTIFICATE_LANGUAGE,
                sha256=certificate.pdf_sha256,
            )
        )
    for stamp in certificate.stamped_files.all():
        files.append(
            IssuedFile(
                label=_("Certificate PDF (Chinese) stamped “%(status)s” on %(date)s")
                % {
                    "status": Certificate.Status(stamp.status).label,
                    "date": stamp.since.isoformat(),
                },
                language=CERTIFICATE_LANGUAGE,
                sha256=stamp.sha256,
            )
        )
    return tuple(files)


def resolve(code: str) -> VerificationRecord | None:
    """The public record of the certificate with ``code``; the status is computed today
    ("valid", "suspended", "revoked" or "expired")."""
    certificate = (
        Certificate.objects.select_related(
            "enterprise", "programme__scheme_version__scheme", "application__submission"
        )
        .prefetch_related("stamped_files")
        .filter(verify_code=code)
        .first()
    )
    if certificate is None:
        return None
    version = certificate.programme.scheme_version
    scheme = version.engine_scheme
    lang = text_lang()
    status = certificate.current_status()
    return VerificationRecord(
        kind="certificate",
        code=certificate.verify_code,
        enterprise_name=certificate.enterprise.name,
        title=f"{certificate.recognition} · {certificate.number}",
        scheme=f"{scheme.title.get(lang)} · v{scheme.version}",  # never the internal code
        level_label=labels.level_label_of(certificate, lang),
        date=certificate.valid_from,
        status=status,  # type: ignore[arg-type]
        status_since=certificate.status_since(),
        reason=certificate.status_reason if certificate.is_withdrawn else "",
        valid_until=certificate.valid_until,
        files=issued_files(certificate),
        issuer=certificate.issuer,
        recognition=certificate.recognition,
        number=certificate.number,
    )
