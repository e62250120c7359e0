"""The dossier of an application: one ZIP with everything a bureau keeps of the case.

::

    README.txt                       what each part is
    manifest.json                    every part with its size and SHA-256
    report/submission-<id>-<lang>.pdf  the frozen answers (the PDF result report) of the current
                                     submission and of every earlier one in a resubmission
    evidence/<submission>/<item>-<name>  the evidence files of each submission
    materials/<code>-<date>-<name>   the required materials, every version the firm sent
    reconsideration/<name>           evidence sent with a request for reconsideration
    objections/objections.csv        objections lodged during the public notice, with answers
    objections/<id>-<name>           their evidence
    reviews/items.csv                per item: engine and reviewed points, decisions and reasons,
                                     messages to the firm, internal notes (flagged internal)
    reviews/experts.csv              the expert panel: each expert's score, spread, consensus
    reviews/materials.csv            the formal check of the materials
    decisions.csv                    the state changes with their reasons and overrides
    audit-trail.csv                  every event, internal ones flagged
    certificate/<number>.pdf         the certificate, once recognised

:func:`write_dossier` writes one; :func:`export_dossiers` writes those of a filtered queue into
one ZIP (one folder per application) for a background job with progress
(``assessments.transfer.jobs``, kind ``export_dossiers``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import Evidence, Submission
from assessments.presentation import labels, numbers
from assessments.reports.services import build_report_file, request_report
from assessments.review import certificates, panel, services
from assessments.review.items import item_rows
from assessments.review.models import (
    Application,
    ApplicationFile,
    Certificate,
    ReviewEvent,
)
from assessments.review.templatetags.review_tags import event_label
from assessments.transfer.applications import applications_for_export
from portal.core.downloads import safe_filename
from portal.core.i18n import django_language, text_lang

Progress = Callable[[int, int], None]


def dossier_name(application: Application) -> str:
    return safe_filename(
        f"dossier-{application.programme.code}-{application.enterprise.credit_code}-"
        f"{application.pk}.zip"
    )


class _Zip:
    """A ZIP being written, with the manifest of its parts."""

    def __init__(self, archive: zipfile.ZipFile, prefix: str = "") -> None:
        self.archive = archive
        self.prefix = prefix
        self.parts: list[dict[str, Any]] = []
        self.names: set[str] = set()

    def _name(self, name: str) -> str:
        folder, _sep, leaf = name.rpartition("/")
        leaf = safe_filename(leaf)
        candidate = f"{folder}/{leaf}" if folder else leaf
        stem, dot, ext = leaf.rpartition(".")
        n = 2
        while candidate in self.names:
            alt = f"{stem}-{n}.{ext}" if dot else f"{leaf}-{n}"
            candidate = f"{folder}/{alt}" if folder else alt
            n += 1
        self.names.add(candidate)
        return candidate

    def add(self, name: str, data: bytes) -> None:
        name = self._name(name)
        self.archive.writestr(self.prefix + name, data)
        self.parts.append(
            {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        )

    def add_file(self, name: str, fieldfile) -> None:
        try:
            with fieldfile.open("rb") as fh:
                data = fh.read()
        except (FileNotFoundError, OSError, ValueError):
            return  # a file missing from storage is left out (the manifest shows what is in)
        self.add(name, data)


def _csv(rows: Iterable[Iterable[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if v is None else _safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe_cell(value: Any) -> str:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _actor(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _submissions(application: Application) -> list[Submission]:
    ids = [application.original_submission_id]
    for event in application.events.filter(action="resubmit").order_by("created_at", "pk"):
        for key in ("previous_submission", "submission"):
            value = event.data.get(key)
            if value and value not in ids:
                ids.append(value)
    if application.submission_id not in ids:
        ids.append(application.submission_id)
    found = {
        s.pk: s
        for s in Submission.objects.filter(pk__in=ids).select_related(
            "enterprise", "scheme_version__scheme"
        )
    }
    return [found[i] for i in ids if i in found]


def _report_pdf(submission: Submission, lang: str) -> bytes | None:
    report = request_report(submission, django_language(lang))
    if not report.is_ready:
        report = build_report_file(report.pk)
    if report is None or not report.is_ready:
        return None
    with report.file.open("rb") as fh:
        return fh.read()


def _item_rows(application: Application, lang: str) -> list[list[Any]]:
    submission = application.submission
    scheme = submission.scheme_version.engine_scheme
    reviews = {r.item_code: r for r in application.item_reviews.all()}
    try:
        adjusted = services.adjusted_result(application)
    except Exception:  # a stale override must not stop the dossier
        adjusted = None
    rows = item_rows(scheme, submission.answers, submission.result, lang, adjusted, reviews)
    out = [
        [
            _("Item"),
            _("Firm's answer"),
            _("Engine points"),
            _("Reviewed points"),
            _("Decision"),
            _("Reason for the decision"),
            _("Message to the firm"),
            _("Internal note (internal)"),
            _("Reopened for the firm"),
        ]
    ]
    for row in rows:
        answer = "; ".join(f"{a.label}: {a.text}" for a in row.answers)
        out.append(
            [
                f"{row.reference} {row.text}",
                answer,
                row.points if row.kind == "item" else "",
                row.adjusted if row.kind == "item" else "",
                row.decision_label,
                row.decision_reason,
                row.message,
                row.note,
                _("yes") if row.reopened else "",
            ]
        )
    return out


def _expert_rows(application: Application, lang: str) -> list[list[Any]]:
    scheme = application.submission.scheme_version.engine_scheme
    out = [
        [
            _("Expert"),
            _("Declared no conflict of interest"),
            _("Submitted"),
            _("Total"),
            _("Bonus"),
            _("Level"),
            _("Internal note (internal)"),
        ]
    ]
    seats = panel.seats(application)
    for seat in seats:
        out.append(
            [
                _actor(seat.expert),
                _when(seat.no_conflict_declared_at),
                _when(seat.submitted_at),
                numbers.points(seat.total),
                numbers.points(seat.bonus),
                labels.level_label(scheme, seat.level, lang) if seat.level else "",
                seat.note,
            ]
        )
    totals = [s.total for s in seats if s.total is not None]
    if len(totals) >= 2:
        out.append([_("Spread"), "", "", numbers.points(max(totals) - min(totals)), "", "", ""])
    if application.consensus_at:
        out.append(
            [
                _("Consensus"),
                "",
                _when(application.consensus_at),
                numbers.points(application.reviewed_total),
                numbers.points(application.reviewed_bonus),
                labels.level_label(scheme, application.reviewed_level, lang),
                application.consensus_reason,
            ]
        )
    return out


def _material_rows(application: Application) -> list[list[Any]]:
    checks = {c.material_id: c for c in application.material_checks.select_related("checked_by")}
    out = [[_("Material"), _("Required"), _("File"), _("Result"), _("Reason"), _("Checked by")]]
    files = {}
    for f in application.files.filter(kind=ApplicationFile.Kind.MATERIAL).order_by("uploaded_at"):
        files[f.material_id] = f
    for material in application.programme.materials.all():
        check = checks.get(material.pk)
        file = files.get(material.pk)
        out.append(
            [
                material.title,
                _("yes") if material.required else _("no"),
                file.original_name if file else "",
                check.get_status_display() if check else "",
                check.reason if check else "",
                _actor(check.checked_by) if check else "",
            ]
        )
    return out


def _event_rows(events: Iterable[ReviewEvent], decisions_only: bool) -> list[list[Any]]:
    header = [
        _("Time"),
        _("What happened"),
        _("From"),
        _("To"),
        _("By"),
        _("Reason or message"),
    ]
    if decisions_only:
        header.append(_("Override reason"))
    else:
        header += [_("Internal"), _("Details")]
    out = [header]
    for e in events:
        if decisions_only and not e.is_transition:
            continue
        row = [
            _when(e.created_at),
            event_label(e),
            e.get_from_state_display(),
            e.get_to_state_display(),
            _actor(e.actor),
            e.reason,
        ]
        if decisions_only:
            row.append((e.data.get("override") or {}).get("reason", ""))
        else:
            row += [_("yes") if e.internal else "", json.dumps(e.data, ensure_ascii=False)]
        out.append(row)
    return out


def _objection_rows(application: Application) -> list[list[Any]]:
    out = [
        [
            _("Lodged"),
            _("Name"),
            _("Organisation"),
            _("Telephone or e-mail"),
            _("Objection"),
            _("Evidence"),
            _("Outcome"),
            _("Answer"),
            _("Answered by"),
        ]
    ]
    for o in application.objections.select_related("answered_by"):
        out.append(
            [
                _when(o.created_at),
                o.name,
                o.organisation,
                o.contact,
                o.text,
                o.evidence_name,
                o.get_outcome_display() if o.outcome else "",
                o.answer,
                _actor(o.answered_by),
            ]
        )
    return out


def _readme(application: Application, lang: str) -> bytes:
    lines = [
        _("Dossier of the application of %(name)s (%(code)s) to “%(programme)s”.")
        % {
            "name": application.enterprise.name,
            "code": application.enterprise.credit_code,
            "programme": application.programme.title,
        },
        _("State: %(state)s. Written on %(date)s.")
        % {"state": application.get_state_display(), "date": _when(timezone.now())},
        "",
        _("report/ — the frozen answers: the PDF result report of each submission"),
        _("evidence/ — the evidence files of each submission, by item"),
        _("materials/ — the required materials the firm sent"),
        _("reconsideration/ — evidence sent with a request for reconsideration"),
        _("objections/ — objections lodged during the public notice, and the answers"),
        _("reviews/ — item reviews, the expert panel and the formal check (internal notes marked)"),
        _("decisions.csv — the decisions with their reasons and overrides"),
        _("audit-trail.csv — every event, internal ones marked"),
        _("certificate/ — the certificate"),
        _("manifest.json — every part with its size and SHA-256"),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _write(application: Application, z: _Zip, lang: str) -> None:
    for submission in _submissions(application):
        pdf = _report_pdf(submission, lang)
        if pdf is not None:
            z.add(f"report/submission-{submission.pk}-{lang}.pdf", pdf)
        seen: set[str] = set()
        for ev in Evidence.objects.filter(assessment_id=submission.assessment_id).order_by("pk"):
            if ev.sha256 in seen:
                continue
            seen.add(ev.sha256)
            z.add_file(f"evidence/{submission.pk}/{ev.item_code}-{ev.original_name}", ev.file)
    for f in application.files.select_related("material").order_by("uploaded_at", "pk"):
        stamp = timezone.localtime(f.uploaded_at).strftime("%Y%m%d")
        if f.kind == ApplicationFile.Kind.MATERIAL:
            code = f.material.code if f.material else "material"
            z.add_file(f"materials/{code}-{stamp}-{f.original_name}", f.file)
        else:
            z.add_file(f"reconsideration/{stamp}-{f.original_name}", f.file)
    objections = list(application.objections.all())
    if objections:
        z.add("objections/objections.csv", _csv(_objection_rows(application)))
        for o in objections:
            if o.evidence:
                z.add_file(f"objections/{o.pk}-{o.evidence_name}", o.evidence)
    z.add("reviews/items.csv", _csv(_item_rows(application, lang)))
    z.add("reviews/experts.csv", _csv(_expert_rows(application, lang)))
    z.add("reviews/materials.csv", _csv(_material_rows(application)))
    events = list(application.events.select_related("actor").order_by("created_at", "pk"))
    z.add("decisions.csv", _csv(_event_rows(events, decisions_only=True)))
    z.add("audit-trail.csv", _csv(_event_rows(events, decisions_only=False)))
    certificate = Certificate.objects.filter(application=application).first()
    if certificate is not None:
        if not certificate.pdf:
            certificates.store_pdf(certificate)
        z.add_file(f"certificate/{certificate.number}.pdf", certificate.pdf)
    z.add("README.txt", _readme(application, lang))
    z.add("manifest.json", json.dumps(z.parts, ensure_ascii=False, indent=1).encode("utf-8"))


def write_dossier(application: Application, out: IO[bytes], lang: str | None = None) -> list[str]:
    """Write the dossier ZIP of ``application`` into ``out``; returns the parts' paths."""
    lang = lang or text_lang()
    with (
        translation.override(django_language(lang)),
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        z = _Zip(archive)
        _write(application, z, lang)
    return [p["path"] for p in z.parts]


def export_dossiers(
    out: IO[bytes],
    *,
    fmt: str = "zip",
    lang: str = "zh",
    user=None,
    filters: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> int:
    """The dossiers of the applications a user may export (filtered like the queue), one folder
    per application in one ZIP (a transfer job's exporter)."""
    applications = list(applications_for_export(user, filters))
    total = len(applications)
    if progress:
        progress(0, total)
    with (
        translation.override(django_language(lang)),
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for done, application in enumerate(applications, start=1):
            folder = dossier_name(application).removesuffix(".zip")
            _write(application, _Zip(archive, prefix=f"{folder}/"), lang)
            if progress:
                progress(done, total)
    return total
