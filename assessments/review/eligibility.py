"""Whether an enterprise may apply to a programme, and if not, why (explained, never hidden)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assessments.models import Submission
from assessments.presentation import answers, labels
from assessments.review.models import Application, Programme
from portal.accounts.models import Enterprise
from portal.core.i18n import text_lang


@dataclass
class SubmissionCheck:
    submission: Submission
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons


@dataclass
class ProgrammeEligibility:
    programme: Programme
    reasons: list[str]
    submissions: list[SubmissionCheck]
    existing: Application | None = None

    @property
    def eligible_submissions(self) -> list[Submission]:
        return [c.submission for c in self.submissions if c.ok]

    @property
    def eligible(self) -> bool:
        return not self.reasons and bool(self.eligible_submissions)


def programme_reasons(
    programme: Programme, enterprise: Enterprise, existing: Application | None
) -> list[str]:
    """Reasons at programme level: status, window, region scope, an earlier application."""
    reasons = []
    now = timezone.now()
    if programme.status != Programme.Status.OPEN:
        reasons.append(_("The programme is not open for applications."))
    elif now < programme.opens_at:
        reasons.append(
            _("Applications open on %(date)s.")
            % {"date": formats.date_format(timezone.localtime(programme.opens_at), "Y-m-d H:i")}
        )
    elif now > programme.closes_at:
        reasons.append(
            _("Applications closed on %(date)s.")
            % {"date": formats.date_format(timezone.localtime(programme.closes_at), "Y-m-d H:i")}
        )
    if not programme.covers(enterprise.region):
        reasons.append(
            _("The programme is for enterprises in %(regions)s; yours is registered in %(region)s.")
            % {
                "regions": answers.join([r.name for r in programme.regions.all()], text_lang()),
                "region": enterprise.region.full_name,
            }
        )
    if existing is not None:
        reasons.append(
            _("Your enterprise already has an application to this programme (%(state)s).")
            % {"state": existing.get_state_display()}
        )
    return reasons


def submission_reasons(programme: Programme, submission: Submission) -> list[str]:
    """Reasons at submission level: scheme version, veto items, prerequisites, minimum level."""
    reasons = []
    version = programme.scheme_version
    if submission.scheme_version_id != version.pk:
        reasons.append(
            _("It was scored under %(used)s; the programme requires %(required)s.")
            % {
                "used": submission.scheme_version.title,
                "required": f"{version.title} v{version.version}",
            }
        )
        return reasons
    result = submission.result or {}
    scheme = version.engine_scheme
    lang = text_lang()
    if submission.vetoed:
        vetoes = [labels.key_text(scheme, c, lang) for c in result.get("vetoes", [])]
        reasons.append(
            _("A veto item was answered “yes” (%(items)s).")
            % {"items": answers.join(vetoes, lang) or "—"}
        )
    unmet = [p["code"] for p in result.get("prerequisites", []) if not p.get("met")]
    for code in unmet:
        reasons.append(
            _("Prerequisite not met: %(label)s.")
            % {"label": labels.prerequisite_label(scheme, code, lang)}
        )
    if programme.min_level and not submission.vetoed:
        order = [level.code for level in scheme.levels]
        if programme.min_level in order and (
            submission.level not in order
            or order.index(submission.level) > order.index(programme.min_level)
        ):
            reasons.append(
                _("The level reached (%(level)s) is below the required %(required)s.")
                % {
                    "level": labels.level_label(scheme, submission.level, lang),
                    "required": labels.level_label(scheme, programme.min_level, lang),
                }
            )
    return reasons


def open_programmes() -> QuerySet[Programme]:
    return (
        Programme.objects.filter(status=Programme.Status.OPEN)
        .select_related("scheme_version__scheme", "announcement")
        .defer("scheme_version__definition")  # the engine model is cached by version id
        .prefetch_related("regions")
        .order_by("closes_at")
    )


def for_enterprise(
    enterprise: Enterprise, programmes=None, submissions=None
) -> list[ProgrammeEligibility]:
    """Eligibility of ``enterprise`` for each programme (open ones by default)."""
    programmes = list(open_programmes() if programmes is None else programmes)
    if submissions is None:
        submissions = list(
            Submission.objects.filter(enterprise=enterprise)
            .select_related("scheme_version__scheme")
            .defer("answers", "scheme_version__definition")
            .order_by("-submitted_at")
        )
    existing = {
        a.programme_id: a
        for a in Application.objects.live().filter(
            enterprise=enterprise, programme__in=[p.pk for p in programmes]
        )
    }
    out = []
    for programme in programmes:
        current = existing.get(programme.pk)
        checks = [
            SubmissionCheck(s, submission_reasons(programme, s))
            for s in submissions
            if s.scheme_version.scheme_id == programme.scheme_version.scheme_id
        ]
        reasons = programme_reasons(programme, enterprise, current)
        if not checks:
            reasons.append(
                _("Your enterprise has no submitted self-assessment under %(scheme)s yet.")
                % {"scheme": programme.scheme_version.scheme.title}
            )
        out.append(ProgrammeEligibility(programme, reasons, checks, current))
    return out


def check(programme: Programme, enterprise: Enterprise, submission: Submission) -> list[str]:
    """All reasons why ``enterprise`` may not apply to ``programme`` with ``submission``."""
    existing = Application.objects.live().filter(programme=programme, enterprise=enterprise).first()
    reasons = programme_reasons(programme, enterprise, existing)
    if submission.enterprise_id != enterprise.pk:
        reasons.append(_("This submission belongs to another enterprise."))
        return reasons
    return reasons + submission_reasons(programme, submission)
