"""Where a submission stands among its peers: percentiles in a cohort of at least ten firms.

The cohort
----------
Peers are the other enterprises with a submission of the same scheme version, each counted
once, with its latest submission of that version. The firm itself joins with the submission
being looked at, so a cohort of *n* firms is the firm and *n* − 1 peers.

The cohort is the firm's industry, size and city first. While it holds fewer than
:data:`MIN_FIRMS` firms it is widened along :data:`LADDER`: to the province, then the whole
country, then every industry, then every size. When even the last step holds fewer than
:data:`MIN_FIRMS`, nothing is shown. A section is compared only among the firms for which it
is applicable, and is left out when fewer than :data:`MIN_FIRMS` remain, so that no figure is
ever derived from fewer than ten firms.

The percentile
--------------
The mid-rank percentile rank: 100 × (firms below + ½ × firms level with the firm, itself
included) ÷ firms compared, rounded half up. The lowest of ten different figures is at 5, the
highest at 95, and ten equal figures are all at 50.

Cost
----
One query, whatever the size of the cohort: the section scores (``SectionScore``) of the peers'
latest submissions (picked by a window function) grouped by section, with conditional counts
for every step of the ladder: the peers, those below the firm's own figure and those level
with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from assessments.models import Submission
from portal.accounts.models import Enterprise

from .models import TOTAL, SectionScore

#: The smallest cohort shown, the firm included (k-anonymity).
MIN_FIRMS = 10


@dataclass(frozen=True)
class Step:
    """One cohort definition: which of the firm's attributes the peers must share."""

    code: str
    industry: bool
    size: bool
    area: str  # "city", "province" or "country"


#: The cohorts tried in turn, narrowest first.
LADDER: tuple[Step, ...] = (
    Step("city", industry=True, size=True, area="city"),
    Step("province", industry=True, size=True, area="province"),
    Step("country", industry=True, size=True, area="country"),
    Step("all-industries", industry=False, size=True, area="country"),
    Step("everyone", industry=False, size=False, area="country"),
)


@dataclass(frozen=True)
class Percentile:
    section: str  # a section code, or TOTAL ("") for the whole result
    firms: int  # firms compared, the firm included
    below: int  # firms with a lower figure
    level: int  # firms with the same figure, the firm included
    value: int  # 0–100


@dataclass(frozen=True)
class Benchmark:
    """A submission's place in its cohort (codes and numbers; presentation adds the words)."""

    enterprise: Enterprise
    step: Step | None  # the cohort used; None when no cohort is large enough
    firms: int  # firms in the cohort, the firm included
    total: Percentile | None
    sections: dict[str, Percentile]
    left_out: tuple[str, ...]  # sections the firm has but too few peers do

    @property
    def shown(self) -> bool:
        return self.step is not None and self.total is not None

    @property
    def widened(self) -> bool:
        return self.step is not None and self.step is not LADDER[0]


def percentile_rank(below: int, level: int, firms: int) -> int:
    """100 × (below + level / 2) / firms, rounded half up (``level`` counts the firm itself)."""
    if firms <= 0:
        raise ValueError("no firm to compare with")
    value = Decimal(100) * (Decimal(below) + Decimal(level) / 2) / Decimal(firms)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def latest_peer_submissions(submission: Submission) -> QuerySet[Submission]:
    """Every other enterprise's latest submission of the same scheme version (one per firm)."""
    newest_first = Window(
        RowNumber(),
        partition_by=[F("enterprise_id")],
        order_by=[F("submitted_at").desc(), F("pk").desc()],
    )
    return (
        Submission.objects.filter(scheme_version_id=submission.scheme_version_id)
        .exclude(enterprise_id=submission.enterprise_id)
        .annotate(newest=newest_first)
        .filter(newest=1)
    )


def province_of(enterprise: Enterprise) -> str:
    """The code of the enterprise's province (its region's parent, or the region itself)."""
    return enterprise.region.parent_id or enterprise.region_id


def step_filter(step: Step, enterprise: Enterprise, prefix: str = "") -> Q:
    """The peers a step admits, as a filter on submissions (or, with ``prefix``
    ``"submission__"``, on their section scores)."""
    conditions = {}
    if step.industry:
        conditions["enterprise__industry"] = enterprise.industry
    if step.size:
        conditions["enterprise__size"] = enterprise.size
    if step.area == "city":
        conditions["enterprise__region_id"] = enterprise.region_id
    q = Q(**{prefix + key: value for key, value in conditions.items()})
    if step.area == "province":
        province = province_of(enterprise)
        q &= Q(**{prefix + "enterprise__region__parent_id": province}) | Q(
            **{prefix + "enterprise__region_id": province}
        )
    return q


@dataclass(frozen=True)
class _Counts:
    firms: int  # peers in the cohort (the firm not included)
    peers: int  # peers with a figure for the section
    below: int
    level: int


def _counts(submission: Submission) -> dict[str, dict[str, _Counts]]:
    """Step code → section (TOTAL included) → counts among the peers, in one query.

    Every submission has a TOTAL row, so the TOTAL row's ``firms`` is the size of the step's
    cohort; ``peers``, ``below`` and ``level`` count only peers with a figure for the section,
    compared with the firm's own (a correlated subquery on the firm's section score).
    """
    own = SectionScore.objects.filter(submission=submission, section=OuterRef("section"))
    aggregates = {}
    for index, step in enumerate(LADDER):
        q = step_filter(step, submission.enterprise, prefix="submission__")
        compared = q & Q(percent__isnull=False, own__isnull=False)
        aggregates[f"firms{index}"] = Count("pk", filter=q) if q else Count("pk")
        aggregates[f"peers{index}"] = Count("pk", filter=compared)
        aggregates[f"below{index}"] = Count("pk", filter=compared & Q(percent__lt=F("own")))
        aggregates[f"level{index}"] = Count("pk", filter=compared & Q(percent=F("own")))
    rows = (
        SectionScore.objects.filter(submission__in=latest_peer_submissions(submission).values("pk"))
        .annotate(own=Subquery(own.values("percent")[:1]))
        .values("section")
        .annotate(**aggregates)
        .order_by()
    )
    out: dict[str, dict[str, _Counts]] = {step.code: {} for step in LADDER}
    for row in rows:
        for index, step in enumerate(LADDER):
            out[step.code][row["section"]] = _Counts(
                row[f"firms{index}"],
                row[f"peers{index}"],
                row[f"below{index}"],
                row[f"level{index}"],
            )
    return out


def cohort_sizes(counts: dict[str, dict[str, _Counts]]) -> dict[str, int]:
    """Firms in the cohort at every step of the ladder, the firm included."""
    return {
        code: (sections[TOTAL].firms if TOTAL in sections else 0) + 1
        for code, sections in counts.items()
    }


def _percentile(section: str, counts: _Counts, own: bool) -> Percentile | None:
    if not own:
        return None
    firms, level = counts.peers + 1, counts.level + 1
    return Percentile(
        section, firms, counts.below, level, percentile_rank(counts.below, level, firms)
    )


def own_sections(submission: Submission) -> list[str]:
    """The submission's applicable sections, in the scheme's order."""
    return [
        s["code"]
        for s in submission.result.get("sections", ())
        if s.get("applicable", True) and s.get("percent") is not None
    ]


def benchmark(submission: Submission) -> Benchmark:
    """The submission's percentiles in the narrowest cohort of at least ``MIN_FIRMS`` firms.

    One query. ``submission.enterprise`` should come with its region loaded (the wizard's
    selectors do).
    """
    enterprise = submission.enterprise
    counts = _counts(submission)
    sizes = cohort_sizes(counts)
    step = next((s for s in LADDER if sizes[s.code] >= MIN_FIRMS), None)
    if step is None:
        return Benchmark(enterprise, None, sizes[LADDER[-1].code], None, {}, ())
    none = _Counts(0, 0, 0, 0)
    sections = own_sections(submission)
    has_total = submission.result.get("percent") is not None
    found = {
        code: p
        for code, own in [(TOTAL, has_total), *((c, True) for c in sections)]
        if (p := _percentile(code, counts[step.code].get(code, none), own)) is not None
        and p.firms >= MIN_FIRMS
    }
    return Benchmark(
        enterprise=enterprise,
        step=step,
        firms=sizes[step.code],
        total=found.get(TOTAL),
        sections={code: found[code] for code in sections if code in found},
        left_out=tuple(code for code in sections if code not in found),
    )
