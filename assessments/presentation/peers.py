"""A peer benchmark in words: the cohort, how it was widened, and the percentiles.

The figures come from ``assessments.peers.selectors.benchmark`` (codes and counts); the caller
passes the names of the firm's city and province in ``lang``, since nothing here reads the
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from assessments import engine
from portal.accounts.choices import EnterpriseSize, Industry

from . import labels
from .answers import join, words


class StepLike(Protocol):
    code: str
    industry: bool
    size: bool
    area: str


class PercentileLike(Protocol):
    section: str
    firms: int
    value: int


class BenchmarkLike(Protocol):
    step: StepLike | None
    firms: int
    total: PercentileLike | None
    sections: dict[str, PercentileLike]
    left_out: tuple[str, ...]

    @property
    def shown(self) -> bool: ...

    @property
    def widened(self) -> bool: ...


@dataclass(frozen=True)
class PercentileRow:
    code: str
    label: str
    value: int  # 0–100, for the meter
    percentile: str  # "62"
    firms: str  # "12"


@dataclass(frozen=True)
class BenchmarkView:
    shown: bool
    cohort: str  # "C 制造业 · 中型 · 湖北省"
    firms: str  # "12 家企业…"
    widened: str  # why the cohort is wider than industry, size and city ("" when it is not)
    hidden: str  # why nothing is shown ("" when something is)
    total: PercentileRow | None
    sections: tuple[PercentileRow, ...]
    left_out: str  # sections too few firms can be compared on ("" when none)
    explanation: str


def cohort_text(
    step: StepLike, industry: str, size: str, city: str, province: str, lang: str
) -> str:
    """The cohort in words: "C 制造业 · 中型 · 湖北省", "所有行业 · 中型 · 全国"."""
    with words(lang):
        parts = [
            str(Industry(industry).label) if step.industry else _("all industries"),
            str(EnterpriseSize(size).label) if step.size else _("all sizes"),
            {"city": city, "province": province}.get(step.area) or _("all of China"),
        ]
        return " · ".join(parts)


def benchmark_view(
    scheme: engine.Scheme,
    benchmark: BenchmarkLike,
    lang: str,
    *,
    industry: str,
    size: str,
    city: str,
    province: str,
    minimum: int,
) -> BenchmarkView:
    """The benchmark panel of the results page in ``lang``."""
    with words(lang):
        explanation = _(
            "Percentages of the maximum are compared, so items answered “not applicable” do not "
            "count against a firm. A percentile of 60 means that about 60 %% of the firms in "
            "the cohort have a lower figure (firms with the same figure count half). Each firm "
            "counts once, with its latest submission of this version; no cohort or section is "
            "shown with fewer than %(min)s firms, so that no firm’s figures can be inferred."
        ) % {"min": minimum}
        if not benchmark.shown or benchmark.step is None:
            return BenchmarkView(
                shown=False,
                cohort="",
                firms="",
                widened="",
                hidden=_(
                    "Fewer than %(min)s firms have submitted this version of the "
                    "self-assessment, so no comparison is shown yet."
                )
                % {"min": minimum},
                total=None,
                sections=(),
                left_out="",
                explanation=explanation,
            )
        step = benchmark.step
        widened = ""
        if benchmark.widened:
            widened = _(
                "Fewer than %(min)s firms share your industry, size and city (%(narrow)s); "
                "the comparison is widened to %(cohort)s."
            ) % {
                "min": minimum,
                "narrow": " · ".join(
                    [str(Industry(industry).label), str(EnterpriseSize(size).label), city]
                ),
                "cohort": cohort_text(step, industry, size, city, province, lang),
            }

        def row(code: str, label: str, p: PercentileLike) -> PercentileRow:
            return PercentileRow(code, label, p.value, str(p.value), f"{p.firms:,}")

        total = benchmark.total
        return BenchmarkView(
            shown=True,
            cohort=cohort_text(step, industry, size, city, province, lang),
            firms=_("%(count)s firms, each with its latest submission of this version")
            % {"count": f"{benchmark.firms:,}"},
            widened=widened,
            hidden="",
            total=row("", _("Total"), total) if total else None,
            sections=tuple(
                row(code, labels.section_label(scheme, code, lang), p)
                for code, p in benchmark.sections.items()
            ),
            left_out=(
                _("Too few firms to compare: %(sections)s")
                % {
                    "sections": join(
                        [labels.section_label(scheme, code, lang) for code in benchmark.left_out],
                        lang,
                    )
                }
                if benchmark.left_out
                else ""
            ),
            explanation=explanation,
        )
