"""Public verification of issued documents: one page per code, whatever issued it.

Apps register resolvers ``func(code) -> VerificationRecord | None`` with the Wagtail hook
``RESOLVER_HOOK`` in their ``wagtail_hooks.py``; :func:`resolve` asks them by hook order and
returns the first record found. The reports app registers :func:`submission_record` (result
reports), the review app one for certificates. A record carries only what a third party needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Literal

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from assessments.models import Submission
from assessments.presentation import labels
from portal.core.i18n import text_lang

from .models import ReportFile

Kind = Literal["report", "certificate"]
Status = Literal["valid", "superseded", "revoked", "expired"]

STATUS_LABELS = {
    "valid": _("valid"),
    "superseded": _("superseded by a newer submission"),
    "revoked": _("revoked"),
    "suspended": _("suspended"),
    "expired": _("expired"),
}
KIND_LABELS = {"report": _("Self-assessment result report"), "certificate": _("Certificate")}


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
    valid_until: dt.date | None = None
    sha256: tuple[str, ...] = field(default_factory=tuple)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def matches(self, digest: str) -> bool:
        """Whether ``digest`` (hex SHA-256) is one of the genuine files' digests."""
        return digest.lower() in {d.lower() for d in self.sha256}

    def as_json(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        data["valid_until"] = self.valid_until.isoformat() if self.valid_until else None
        data["sha256"] = list(self.sha256)
        data["status_label"] = self.status_label
        return data


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


def submission_record(code: str) -> VerificationRecord | None:
    """The verification record of the submission (result report) with this code."""
    submission = (
        Submission.objects.select_related("enterprise", "scheme_version__scheme")
        .defer("answers", "scheme_version__definition")
        .filter(verify_code=code)
        .first()
    )
    if submission is None:
        return None
    lang = text_lang()
    scheme = submission.scheme_version.engine_scheme
    if hasattr(submission, "revocation"):
        status: Status = "revoked"
    elif (
        Submission.objects.filter(
            enterprise_id=submission.enterprise_id,
            scheme_version__scheme_id=submission.scheme_version.scheme_id,
            submitted_at__gt=submission.submitted_at,
        )
        .exclude(pk=submission.pk)
        .exists()
    ):
        status = "superseded"
    else:
        status = "valid"
    digests = tuple(
        ReportFile.objects.filter(submission=submission, status=ReportFile.Status.READY)
        .order_by("language")
        .values_list("sha256", flat=True)
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
        sha256=digests,
    )
