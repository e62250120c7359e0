"""The /verify/<code>/ entry of a certificate (registered with the reports' verification page)."""

from __future__ import annotations

from assessments.presentation import labels
from assessments.reports.verification import VerificationRecord
from assessments.review.models import Certificate
from portal.core.i18n import text_lang


def resolve(code: str) -> VerificationRecord | None:
    """The public record of the certificate with ``code``; the status is computed today
    ("valid", "suspended", "revoked" or "expired")."""
    certificate = (
        Certificate.objects.select_related(
            "enterprise", "programme__scheme_version__scheme", "application__submission"
        )
        .filter(verify_code=code)
        .first()
    )
    if certificate is None:
        return None
    version = certificate.programme.scheme_version
    scheme = version.engine_scheme
    lang = text_lang()
    return VerificationRecord(
        kind="certificate",
        code=certificate.verify_code,
        enterprise_name=certificate.enterprise.name,
        title=f"{certificate.programme.title} · {certificate.number}",
        scheme=f"{scheme.title.get(lang)} · v{scheme.version}",  # never the internal code
        level_label=labels.level_label_of(certificate, lang),
        date=certificate.valid_from,
        status=certificate.current_status(),  # type: ignore[arg-type]
        valid_until=certificate.valid_until,
        sha256=(certificate.pdf_sha256,) if certificate.pdf_sha256 else (),
    )
