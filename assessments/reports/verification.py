"""Public verification of issued documents: one page per code, whatever issued it.

Apps register resolvers ``func(code) -> VerificationRecord | None`` with the Wagtail hook
``RESOLVER_HOOK`` in their ``wagtail_hooks.py``; :func:`resolve` asks them by hook order and
returns the first record found. The reports app registers :func:`submission_record` (result
reports), the review app one for certificates. A record carries only what a third party needs.

A record says one thing: its ``status`` (``valid``, ``suspended``, ``revoked``, ``expired`` for
certificates; ``valid``, ``superseded``, ``revoked`` for self-assessment reports, which are
always marked as self-declared and unreviewed), the day that status began and, for a
suspension or revocation, the reason. :func:`check_upload` compares an uploaded file with every
file issued for the code (SHA-256) and validates its digital signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import hooks

from assessments.models import Submission
from assessments.presentation import labels
from portal.core.i18n import text_lang

from .models import ReportFile
from .signing import SignatureCheck, check_signature

Kind = Literal["report", "certificate"]
Status = Literal["valid", "superseded", "suspended", "revoked", "expired"]

STATUS_LABELS = {
    "valid": gettext_lazy("Valid"),
    "superseded": gettext_lazy("Superseded by a newer self-assessment"),
    "suspended": gettext_lazy("Suspended"),
    "revoked": gettext_lazy("Revoked"),
    "expired": pgettext_lazy("certificate status", "Expired"),
}
KIND_LABELS = {
    "report": gettext_lazy("Self-assessment result report"),
    "certificate": gettext_lazy("Certificate"),
}
LANGUAGE_LABELS = {
    ReportFile.Language.ZH: gettext_lazy("Chinese"),
    ReportFile.Language.EN: gettext_lazy("English"),
}


@dataclass(frozen=True)
class IssuedFile:
    """One PDF issued for a code: what it is, its language and its SHA-256."""

    label: str
    language: str
    sha256: str


@dataclass(frozen=True)
class VerificationRecord:
    """What the public verification page shows for one code."""

    kind: Kind
    code: str
    enterprise_name: str
    title: str
    scheme: str
    level_label: str
    date: dt.date
    status: Status
    status_since: dt.date | None = None
    reason: str = ""
    valid_until: dt.date | None = None
    files: tuple[IssuedFile, ...] = field(default_factory=tuple)
    # Certificates: what is conferred, by whom, and the certificate number.
    issuer: str = ""
    recognition: str = ""
    number: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def self_declared(self) -> bool:
        """A self-assessment report: filled in by the enterprise itself, never reviewed."""
        return self.kind == "report"

    @property
    def issued_on(self) -> dt.date:
        return self.date

    @property
    def sha256(self) -> tuple[str, ...]:
        return tuple(f.sha256 for f in self.files)

    def matching_file(self, digest: str) -> IssuedFile | None:
        """The issued file whose SHA-256 is ``digest`` (hex), if any."""
        digest = digest.lower()
        return next((f for f in self.files if f.sha256.lower() == digest), None)

    def matches(self, digest: str) -> bool:
        """Whether ``digest`` (hex SHA-256) is one of the genuine files' digests."""
        return self.matching_file(digest) is not None

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "code": self.code,
            "status": self.status,
            "status_label": self.status_label,
            "status_since": self.status_since.isoformat() if self.status_since else None,
            "reason": self.reason or None,
            "self_declared": self.self_declared,
            "enterprise_name": self.enterprise_name,
            "title": self.title,
            "number": self.number or None,
            "issuer": self.issuer or None,
            "recognition": self.recognition or None,
            "scheme": self.scheme,
            "level_label": self.level_label,
            "issued_on": self.issued_on.isoformat(),
            "date": self.date.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "files": [
                {"label": f.label, "language": f.language, "sha256": f.sha256} for f in self.files
            ],
            "sha256": list(self.sha256),
        }


@dataclass(frozen=True)
class UploadCheck:
    """An uploaded file compared with the files issued for a code.

    ``outcome``: ``genuine`` (byte-identical to an issued file and the document is valid),
    ``genuine_but_withdrawn`` (identical, but the document is no longer valid: suspended,
    revoked, expired or superseded) or ``not_genuine``; ``signature`` what pyHanko says of the
    file's digital signature.
    """

    sha256: str
    outcome: Literal["genuine", "genuine_but_withdrawn", "not_genuine"]
    matched: IssuedFile | None
    signature: SignatureCheck

    @property
    def genuine(self) -> bool:
        return self.matched is not None


def check_upload(record: VerificationRecord, data: bytes) -> UploadCheck:
    """Compare ``data`` with the files issued for ``record`` and validate its signature."""
    digest = hashlib.sha256(data).hexdigest()
    matched = record.matching_file(digest)
    if matched is None:
        outcome = "not_genuine"
    elif record.status == "valid":
        outcome = "genuine"
    else:
        outcome = "genuine_but_withdrawn"
    return UploadCheck(
        sha256=digest, outcome=outcome, matched=matched, signature=check_signature(data)
    )


Resolver = Callable[[str], VerificationRecord | None]
RESOLVER_HOOK = "verification_resolver"


def resolve(code: str) -> VerificationRecord | None:
    """The record for ``code`` from the first resolver that knows it, else None."""
    func: Resolver
    for func in hooks.get_hooks(RESOLVER_HOOK):
        record = func(code)
        if record is not None:
            return record
    return None


def report_file_label(language: str) -> str:
    lang = LANGUAGE_LABELS.get(language, language)
    return _("Result report PDF (%(language)s)") % {"language": lang}


def submission_record(code: str) -> VerificationRecord | None:
    """The verification record of the submission (result report) with this code."""
    submission = (
        Submission.objects.select_related("enterprise", "scheme_version__scheme", "revocation")
        .defer("answers", "scheme_version__definition")
        .filter(verify_code=code)
        .first()
    )
    if submission is None:
        return None
    lang = text_lang()
    scheme = submission.scheme_version.engine_scheme
    status: Status = "valid"
    since: dt.date | None = submission.assessed_on
    reason = ""
    revocation = getattr(submission, "revocation", None)
    if revocation is not None:
        status, since, reason = (
            "revoked",
            timezone.localdate(revocation.revoked_at),
            revocation.reason,
        )
    else:
        newer = (
            Submission.objects.filter(
                enterprise_id=submission.enterprise_id,
                scheme_version__scheme_id=submission.scheme_version.scheme_id,
                submitted_at__gt=submission.submitted_at,
            )
            .exclude(pk=submission.pk)
            .order_by("submitted_at")
            .values_list("submitted_at", flat=True)
            .first()
        )
        if newer is not None:
            status, since = "superseded", timezone.localdate(newer)
    files = tuple(
        IssuedFile(label=report_file_label(language), language=language, sha256=digest)
        for language, digest in ReportFile.objects.filter(
            submission=submission, status=ReportFile.Status.READY
        )
        .order_by("-language")  # zh-hans first
        .values_list("language", "sha256")
    )
    return VerificationRecord(
        kind="report",
        code=submission.verify_code,
        enterprise_name=submission.enterprise.name,
        title=str(KIND_LABELS["report"]),
        scheme=f"{scheme.title.get(lang)} · v{scheme.version}",  # never the internal code
        level_label=labels.level_label(scheme, submission.level, lang),
        date=submission.assessed_on,
        status=status,
        status_since=since,
        reason=reason,
        files=files,
    )
