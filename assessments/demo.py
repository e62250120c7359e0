"""Demo content for assessments: the shipped schemes, published; drafts and submissions for
the demo enterprise (``demo-company``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessments.models import Assessment, Submission
from assessments.schemes.selectors import get_version
from assessments.schemes.services import load_builtin_schemes
from assessments.wizard import services
from portal.accounts.models import Membership

DEMO_USER = "demo-company"
# The demo's submissions, programme and open draft were made under version 1 of the schemes and
# stay pinned to it (as real ones do); new drafts use the newest published version.
DEMO_VERSION = 1

# ip-enterprise, half finished: the general figures and the "creation" section.
DRAFT_ANSWERS = {
    "valid_utility_patents": 14,
    "valid_design_patents": 3,
    "founded_on": "2015-06-18",
    "C1": "occasional",
    "valid_invention_patents": 9,
    "patent_apps_3y": 21,
    "trademarks": 6,
    "copyrights": 4,
    "other_ip": 0,
    "invention_apps_3y": 11,
    "invention_grants_3y": 5,
    "foreign_apps_total": 1,
}
# Two GB/T 29490-2023 self-checks: half a year ago (largely ready) and now (ready).
GBT_EARLIER = ("largely", False, 180)
GBT_LATER = ("full", True, 0)


def load(stdout, style) -> None:
    stdout.write(style.MIGRATE_HEADING("Assessment schemes"))
    for version, outcome in load_builtin_schemes():
        stdout.write(f"  {version.scheme.code} v{version.version}: {outcome}")
    load_demo_assessments(stdout)


def load_demo_assessments(stdout) -> None:
    membership = (
        Membership.objects.select_related("enterprise", "user")
        .filter(user__username=DEMO_USER)
        .first()
    )
    if membership is None:
        stdout.write(f"  no {DEMO_USER} account: demo self-assessments skipped")
        return
    enterprise, user = membership.enterprise, membership.user
    gbt = get_version("gbt29490-2023", DEMO_VERSION)
    made = Submission.objects.filter(enterprise=enterprise, scheme_version__scheme=gbt.scheme)
    if made.count() < 2:
        for answer, prerequisites, days_ago in (GBT_EARLIER, GBT_LATER)[made.count() :]:
            answers = {item.code: answer for item in gbt.engine_scheme.items}
            answers.update({p.key: prerequisites for p in gbt.engine_scheme.prerequisites})
            submission = _submit(enterprise, gbt, user, answers)
            if days_ago:
                when = timezone.now() - dt.timedelta(days=days_ago)
                Submission.objects.filter(pk=submission.pk).update(
                    submitted_at=when, assessed_on=when.date()
                )
            stdout.write(f"  submission {gbt.scheme.code}: {submission.level}")
    ip = get_version("ip-enterprise", DEMO_VERSION)
    if not Assessment.objects.filter(enterprise=enterprise, scheme=ip.scheme).exists():
        draft = _draft(enterprise, ip, user, DRAFT_ANSWERS, current="section-use")
        stdout.write(f"  draft {ip.scheme.code}: at step {draft.current_step}")


def _draft(enterprise, version, user, answers, current: str | None = None) -> Assessment:
    assessment, _ = services.start_assessment(enterprise=enterprise, version=version, user=user)
    plan = services.plan_for(assessment)
    state = services.state_from_answers(plan, answers)
    step = current or plan.visible_steps(answers)[-1].key
    state["step"] = step
    Assessment.objects.filter(pk=assessment.pk).update(
        answers=answers, wizard_state=state, current_step=step, updated_by=user
    )
    assessment.refresh_from_db()
    return assessment


def _submit(enterprise, version, user, answers) -> Submission:
    draft = _draft(enterprise, version, user, answers)
    return services.submit(draft.pk, enterprise=enterprise, user=user, language="zh-hans")
