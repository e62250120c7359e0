"""Decision safeguards: what refuses a recommendation or a recognition, and quota use.

Recommending or recognising is refused when the application's reviewed level is below the
programme's minimum level, or when it would go beyond a quota:

* the programme's quota (most recommendations in all),
* the quota of the level of the recommendation chain that decides (for the whole programme, or
  for each province or city),
* a ``ProgrammeQuota`` row: at most *n* recommendations, or at most *p* % of them, in a region
  and/or at a level of the scheme (e.g. at most 10 % of recommendations at 示范). A share is
  taken of the programme's quota for the whole programme,
  else of the recommendations in the region (the new one included), rounded down.

Each refusal is a :class:`Safeguard`. A lead reviewer may override them with a written reason
(``transitions.perform(..., override_reason=…)``), which goes into the audit trail, onto the
application (``override_reason``) and into the applications export.

Counting happens while ``perform`` holds a row lock on the programme, so concurrent decisions
take turns (see ``docs/review.md``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from assessments.presentation import labels
from assessments.review import stages
from assessments.review.models import (
    RECOMMENDED_STATES,
    Application,
    Programme,
    ProgrammeQuota,
    ReviewStage,
)
from portal.accounts.models import Region
from portal.core.i18n import text_lang


@dataclass(frozen=True)
class Safeguard:
    """One refused condition of a decision (``code`` for tests and the audit trail)."""

    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def level_rank(programme: Programme, code: str) -> int | None:
    """The place of a level in the scheme (0 = highest); None for the veto level or unknown."""
    order = [level.code for level in programme.scheme_version.engine_scheme.levels]
    return order.index(code) if code in order else None


def below_minimum(application: Application) -> Safeguard | None:
    programme = application.programme
    if not programme.min_level:
        return None
    minimum = level_rank(programme, programme.min_level)
    reached = level_rank(programme, application.level)
    if minimum is None or (reached is not None and reached <= minimum):
        return None
    scheme = programme.scheme_version.engine_scheme
    lang = text_lang()
    return Safeguard(
        "below_minimum",
        _("The reviewed level (%(level)s) is below the programme's minimum (%(minimum)s).")
        % {
            "level": labels.level_label(scheme, application.level, lang),
            "minimum": labels.level_label(scheme, programme.min_level, lang),
        },
    )


def _recommended(programme: Programme, exclude: Application | None) -> QuerySet[Application]:
    qs = Application.objects.filter(programme=programme, state__in=RECOMMENDED_STATES)
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs


def _in_region(qs: QuerySet[Application], region_code: str) -> QuerySet[Application]:
    return qs.filter(
        Q(enterprise__region_id=region_code) | Q(enterprise__region__parent_id=region_code)
    )


def _at_level(qs: QuerySet[Application], level: str) -> QuerySet[Application]:
    return qs.filter(Q(reviewed_level=level) | Q(reviewed_level="", submission__level=level))


def _covers(region_code: str, region: Region) -> bool:
    return region.code == region_code or region.parent_id == region_code


def share_limit(share: Decimal, base: int) -> int:
    """The most applications a share (per cent) of ``base`` allows (rounded down)."""
    return math.floor(Decimal(share) * base / 100)


def _level_label(programme: Programme, code: str) -> str:
    return labels.level_label(programme.scheme_version.engine_scheme, code, text_lang())


def _row_label(row: ProgrammeQuota) -> str:
    parts = []
    if row.region_id:
        parts.append(row.region.full_name)
    if row.level:
        parts.append(_level_label(row.programme, row.level))
    return " · ".join(parts) or _("all recommendations")


def _group_of(stage: ReviewStage, region: Region) -> str | None:
    """The region code a level's quota counts in for an enterprise of ``region``."""
    if stage.quota_scope == ReviewStage.QuotaScope.CITY:
        return region.code
    if stage.quota_scope == ReviewStage.QuotaScope.PROVINCE:
        return region.parent_id or region.code
    return None


def quota_refusals(application: Application) -> list[Safeguard]:
    """The quotas a recommendation of ``application`` (at its pending level) would go beyond."""
    programme = application.programme
    region = application.enterprise.region
    level = application.level
    others = _recommended(programme, application)
    out = []
    if programme.quota is not None and others.count() + 1 > programme.quota:
        out.append(
            Safeguard(
                "programme_quota",
                _("The programme's quota of %(quota)d recommendations is already used.")
                % {"quota": programme.quota},
            )
        )
    stage = stages.pending_stage(application)
    if stage is not None and stage.quota is not None:
        group = _group_of(stage, region)
        passed = others.filter(stage_index__gt=application.stage_index)
        if group is not None:
            passed = _in_region(passed, group)
        if passed.count() + 1 > stage.quota:
            out.append(
                Safeguard(
                    "stage_quota",
                    _("The level “%(stage)s” has used its quota of %(quota)d recommendations.")
                    % {"stage": stage.name, "quota": stage.quota},
                )
            )
    for row in programme.quotas.select_related("region__parent", "programme"):
        if row.region_id and not _covers(row.region_id, region):
            continue
        if row.level and row.level != level:
            continue
        scoped = _in_region(others, row.region_id) if row.region_id else others
        matching = _at_level(scoped, row.level) if row.level else scoped
        after = matching.count() + 1
        if row.max_count is not None and after > row.max_count:
            out.append(
                Safeguard(
                    "region_level_quota",
                    _(
                        "The quota for %(what)s is %(limit)d recommendations; this would be "
                        "number %(n)d."
                    )
                    % {"what": _row_label(row), "limit": row.max_count, "n": after},
                )
            )
        if row.max_share is not None:
            base = _share_base(row, scoped.count() + 1)
            allowed = share_limit(row.max_share, base)
            if after > allowed:
                out.append(
                    Safeguard(
                        "region_level_share",
                        _(
                            "At most %(share)s %% of recommendations may be %(what)s "
                            "(%(allowed)d of %(base)d); this would be number %(n)d."
                        )
                        % {
                            "share": f"{row.max_share.normalize():f}",
                            "what": _row_label(row),
                            "allowed": allowed,
                            "base": base,
                            "n": after,
                        },
                    )
                )
    return out


def _share_base(row: ProgrammeQuota, recommended_in_scope: int) -> int:
    """What a share is taken of: the programme's quota for a row without a region, else the
    recommendations in the row's region."""
    if row.region_id is None and row.programme.quota is not None:
        return row.programme.quota
    return max(recommended_in_scope, 1)


def decision_safeguards(application: Application, action: str) -> list[Safeguard]:
    """Everything that refuses ``recommend`` or ``recognise`` for ``application`` now."""
    if action not in ("recommend", "recognise"):
        return []
    out = []
    minimum = below_minimum(application)
    if minimum is not None:
        out.append(minimum)
    # At recognition the chain is complete (no level is pending) and the application is one of
    # the recommended: only a quota lowered since, or one overridden before, refuses it here.
    out.extend(quota_refusals(application))
    return out


# --------------------------------------------------------------------------- quota use


@dataclass(frozen=True)
class QuotaUse:
    programme: Programme
    label: str
    used: int
    limit: int | None

    @property
    def percent(self) -> int | None:
        if not self.limit:
            return None
        return min(100, round(self.used * 100 / self.limit))

    @property
    def full(self) -> bool:
        return self.limit is not None and self.used >= self.limit


def quota_use(programme: Programme, regions=None) -> list[QuotaUse]:
    """Recommendations against every quota of the programme (``regions``: the viewer's scope,
    for the per-city and per-province quotas; None = all)."""
    recommended = _recommended(programme, None)
    out = [
        QuotaUse(
            programme,
            _("Programme quota"),
            recommended.count(),
            programme.quota,
        )
    ]
    for index, stage in enumerate(stages.stages_of(programme)):
        passed = recommended.filter(stage_index__gt=index)
        if stage.quota is None:
            out.append(QuotaUse(programme, stage.name, passed.count(), None))
            continue
        if stage.quota_scope == ReviewStage.QuotaScope.PROGRAMME:
            out.append(QuotaUse(programme, stage.name, passed.count(), stage.quota))
            continue
        field = (
            "enterprise__region_id"
            if stage.quota_scope == ReviewStage.QuotaScope.CITY
            else "enterprise__region__parent_id"
        )
        groups = Region.objects.filter(
            pk__in=passed.order_by().values_list(field, flat=True).distinct()
        )
        if regions is not None:
            groups = groups.filter(pk__in=regions)
        for group in groups.select_related("parent"):
            out.append(
                QuotaUse(
                    programme,
                    f"{stage.name} · {group.full_name}",
                    _in_region(passed, group.code).count(),
                    stage.quota,
                )
            )
    for row in programme.quotas.select_related("region__parent", "programme"):
        scoped = _in_region(recommended, row.region_id) if row.region_id else recommended
        matching = _at_level(scoped, row.level) if row.level else scoped
        used = matching.count()
        limits = []
        if row.max_count is not None:
            limits.append(row.max_count)
        if row.max_share is not None:
            base = _share_base(row, scoped.count())
            limits.append(share_limit(row.max_share, base))
        label = _row_label(row)
        if row.max_share is not None:
            label = _("%(what)s (at most %(share)s %%)") % {
                "what": label,
                "share": f"{row.max_share.normalize():f}",
            }
        out.append(QuotaUse(programme, label, used, min(limits) if limits else None))
    return out


def quota_use_for(programmes, regions=None) -> list[tuple[Programme, list[QuotaUse]]]:
    return [(p, quota_use(p, regions)) for p in programmes]
