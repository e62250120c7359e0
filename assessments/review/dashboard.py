"""The bureau dashboard: counts by state and region, score distribution (server-side SVG), time in
each state, and progress against the targets stated in policy pages."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from wagtail.models import Locale

from assessments.models import SchemeVersion
from assessments.presentation import labels
from assessments.review import selectors
from assessments.review.models import Certificate, ReviewEvent, State, recognised_q
from cms.choices import Validity
from cms.models import PolicyPage
from portal.accounts import roles
from portal.accounts.models import Region, User
from portal.core.i18n import is_english, text_lang

log = logging.getLogger(__name__)

# An indicator counts recognised enterprises when it names demonstration or advantage enterprises.
TARGET_SUBJECT = ("企业", "enterprise")

BIN_WIDTH = 10


def score_bins(scores: list[Decimal], width: int = BIN_WIDTH, top: int = 100) -> list[dict]:
    """Counts per ``width``-point bin from 0 up to ``top``; higher scores go in the last bin."""
    n = top // width
    counts = [0] * n
    for value in scores:
        index = min(int(Decimal(value) // width), n - 1) if value is not None else 0
        counts[max(index, 0)] += 1
    return [
        {"low": i * width, "high": (i + 1) * width, "count": c, "last": i == n - 1}
        for i, c in enumerate(counts)
    ]


def histogram_svg(bins: list[dict], title: str) -> SafeString:
    """An accessible bar chart (role=img with a title; the numbers are also in a table)."""
    width, height, pad, label_h = 560, 220, 30, 28
    peak = max((b["count"] for b in bins), default=0) or 1
    bar_w = (width - 2 * pad) / max(len(bins), 1)
    plot_h = height - pad - label_h
    bars = []
    for i, b in enumerate(bins):
        h = plot_h * b["count"] / peak
        x = pad + i * bar_w
        y = pad + plot_h - h
        bars.append(
            (
                f"{x + 2:.1f}",
                f"{y:.1f}",
                f"{bar_w - 4:.1f}",
                f"{h:.1f}",
                f"{x + bar_w / 2:.1f}",
                f"{y - 4:.1f}",
                b["count"],
                f"{height - label_h + 16:.1f}",
                f"{b['low']}–" + ("" if b["last"] else str(b["high"])),
            )
        )
    body = format_html_join(
        "",
        '<rect class="bar" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>'
        '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[4], b[7], b[8]) for b in bars),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="score-chart-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="score-chart-title">{}</title>'
        '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>{}</svg>',
        width,
        height,
        title,
        pad,
        pad + plot_h,
        width - pad,
        pad + plot_h,
        body,
    )


FINAL_STATES = (State.RECOGNISED, State.REJECTED, State.WITHDRAWN)


def time_in_states(application_ids, now=None) -> list[dict]:
    """Stays, mean and longest days spent in each open state, computed in the database (one
    query, whatever the number of applications): each state change lasts until the
    application's next state change, the current state up to ``now``."""
    now = now or timezone.now()
    changes = ReviewEvent.objects.exclude(to_state="").exclude(to_state=F("from_state"))
    following = (
        changes.filter(application_id=OuterRef("application_id"))
        .filter(
            Q(created_at__gt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    lasted = ExpressionWrapper(
        Coalesce(Subquery(following), Value(now, output_field=DateTimeField())) - F("created_at"),
        output_field=DurationField(),
    )
    rows = (
        changes.filter(application_id__in=application_ids)
        .exclude(to_state__in=FINAL_STATES)
        .annotate(lasted=lasted)
        .order_by()
        .values("to_state")
        .annotate(n=Count("pk"), mean=Avg("lasted"), longest=Max("lasted"))
    )
    by_state = {row["to_state"]: row for row in rows}
    out = []
    for value, label in State.choices:
        row = by_state.get(value)
        if value in FINAL_STATES or row is None:
            continue
        out.append(
            {
                "state": value,
                "label": label,
                "n": row["n"],
                "mean": _days(row["mean"]),
                "longest": _days(row["longest"]),
            }
        )
    return out


def _days(value: dt.timedelta | None) -> Decimal:
    seconds = value.total_seconds() if value is not None else 0
    return (Decimal(seconds) / 86400).quantize(Decimal("0.1"))


# --- Policy targets ---------------------------------------------------------------------------
#
# A target counts the recognitions it names: the words for 示范 (demonstration) count
# demonstration certificates, those for 优势 (advantage) advantage certificates, and a target
# naming both ("示范或优势企业") counts an enterprise holding either once. A certificate thus
# counts toward the targets of its own level only. A target counts while its policy is in force
# today (cms: ``PolicyPage.validity_on``) and its year has not passed; a past target of a policy
# that was in force shows what was reached at the end of its year ("到期：达成 x / y"). Drafts for
# comment, repealed documents and policies not yet in force are never counted. "Recognised" is
# ``Certificate.objects.recognised()``: neither suspended nor revoked, and within its validity.

LEVEL_WORDS = {
    "demonstration": ("示范", "demonstration"),
    "advantage": ("优势", "advantage"),
}


def target_levels(target: dict) -> frozenset[str]:
    """The certificate levels a target counts (empty: not a target about recognitions)."""
    text = str(target.get("indicator", "")).lower()
    unit = str(target.get("unit", ""))
    if not (any(s in text for s in TARGET_SUBJECT) or unit in ("家", "enterprises")):
        return frozenset()
    return frozenset(level for level, words in LEVEL_WORDS.items() if any(w in text for w in words))


def is_enterprise_target(target: dict) -> bool:
    return bool(target_levels(target))


def _policy_pages():
    """Published policies of the active language whose targets can count: neither drafts for
    comment nor repealed documents (whether each is in force is decided per page)."""
    return (
        PolicyPage.objects.live()
        .filter(locale=Locale.get_active())
        .exclude(validity__in=[Validity.DRAFT, Validity.REPEALED])
        .select_related("region")
        .order_by("-first_published_at")
    )


def _region_in_scope(region: Region | None, scope: frozenset[str] | None, provinces) -> bool:
    """National policies (no region) and policies of regions the reviewer covers (a province's
    policy when the reviewer covers one of its cities: ``provinces`` holds their codes)."""
    if region is None or scope is None:
        return True
    return region.pk in scope or region.parent_id in scope or region.pk in provinces


def target_counts(keys: set[tuple], regions_scope) -> dict[tuple, int]:
    """Enterprises recognised per ``(region code or None, levels, day)`` key, in one aggregate
    query whatever the number of policies and certificates."""
    if not keys:
        return {}
    qs = Certificate.objects.all()
    if regions_scope is not None:
        qs = qs.filter(enterprise__region__in=regions_scope)
    names = {key: f"t{i}" for i, key in enumerate(sorted(keys, key=repr))}
    aggregates = {}
    for (region, levels, on), name in names.items():
        condition = recognised_q(on) & Q(level__in=sorted(levels))
        if region is not None:
            condition &= Q(enterprise__region=region) | Q(enterprise__region__parent=region)
        aggregates[name] = Count("enterprise", distinct=True, filter=condition)
    totals = qs.aggregate(**aggregates)
    return {key: totals[name] for key, name in names.items()}


def policy_targets(user: User, today: dt.date | None = None) -> list[dict]:
    """Targets about recognised enterprises with what is reached (rules above)."""
    today = today or timezone.localdate()
    scope = roles.region_scope(user)
    provinces = (
        set()
        if scope is None
        else set(Region.objects.filter(pk__in=scope).values_list("parent_id", flat=True))
    )
    pending = []
    for page in _policy_pages():
        region = getattr(page, "region", None)
        if not _region_in_scope(region, scope, provinces):
            continue
        try:
            targets = page.indicator_targets()
        except Exception:  # one malformed page must not break the dashboard
            log.exception("indicator_targets() failed for policy page %s", page.pk)
            continue
        for target in targets:
            levels = target_levels(target)
            if not levels:
                continue
            try:
                goal = Decimal(str(target.get("target_value")))
            except (ArithmeticError, ValueError, TypeError):
                continue
            year = target.get("target_year")
            past = bool(year) and int(year) < today.year
            on = dt.date(int(year), 12, 31) if past else today
            if page.validity_on(on) != Validity.VALID:
                continue  # the policy was not in force then (or is not now)
            key = (region.pk if region else None, levels, on)
            pending.append((page, region, target, goal, past, key))
    counts = target_counts({p[-1] for p in pending}, scope)
    rows = []
    for page, region, target, goal, past, key in pending:
        actual = counts[key]
        percent = min(Decimal(100), Decimal(actual) * 100 / goal) if goal > 0 else None
        rows.append(
            {
                "indicator": target.get("indicator"),
                "levels": sorted(key[1]),
                "target": goal,
                "unit": target.get("unit") or "",
                "year": target.get("target_year"),
                "past": past,
                "reached": goal > 0 and actual >= goal,
                "qualifier": target.get("qualifier") or "",
                "policy": target.get("policy_title") or page.title,
                "policy_url": page.url,
                "region": region.full_name if region else "",
                "actual": actual,
                "percent": percent.quantize(Decimal("0.1")) if percent is not None else None,
            }
        )
    rows.sort(key=lambda r: r["past"])  # current targets first
    return rows


# --- Quota use --------------------------------------------------------------------------------

QUOTA_STATES = (State.RECOMMENDED, State.PUBLIC_NOTICE, State.RECOGNISED)  # as the quota guard


def quota_use(scoped) -> list[dict]:
    """Per programme: its quota and the recommendations that use it, by region and level (one
    aggregate query)."""
    level = Coalesce(NullIf(F("reviewed_level"), Value("")), F("submission__level"))
    rows = (
        scoped.filter(state__in=QUOTA_STATES)
        .annotate(quota_level=level)
        .order_by()
        .values(
            "programme_id",
            "programme__code",
            "programme__title_zh",
            "programme__title_en",
            "programme__quota",
            "programme__scheme_version_id",
            "enterprise__region__name_zh",
            "enterprise__region__name_en",
            "quota_level",
        )
        .annotate(n=Count("pk"))
        .order_by("programme__code", "enterprise__region__code", "quota_level")
    )
    rows = list(rows)
    en = is_english()
    lang = text_lang()
    schemes = {
        version.pk: version.engine_scheme
        for version in SchemeVersion.objects.filter(
            pk__in={r["programme__scheme_version_id"] for r in rows}
        )
    }
    programmes: dict[int, dict] = {}
    for r in rows:
        entry = programmes.setdefault(
            r["programme_id"],
            {
                "title": (r["programme__title_en"] if en else "") or r["programme__title_zh"],
                "quota": r["programme__quota"],
                "used": 0,
                "rows": [],
            },
        )
        entry["used"] += r["n"]
        entry["rows"].append(
            {
                "region": (r["enterprise__region__name_en"] if en else "")
                or r["enterprise__region__name_zh"],
                "level": r["quota_level"],
                "level_label": labels.level_label(
                    schemes[r["programme__scheme_version_id"]], r["quota_level"], lang
                ),
                "n": r["n"],
            }
        )
    return list(programmes.values())


def dashboard_context(user: User) -> dict:
    scoped = selectors.applications_for_reviewer(user)
    counts = selectors.state_counts(scoped)
    by_state = [
        {"state": value, "label": label, "count": counts.get(value, 0)}
        for value, label in State.choices
    ]
    region_rows = (
        scoped.order_by()
        .values(
            "enterprise__region__code", "enterprise__region__name_zh", "enterprise__region__name_en"
        )
        .annotate(
            n=Count("pk"),
            live=Count(
                "pk", filter=~Q(state__in=[State.WITHDRAWN, State.REJECTED, State.RECOGNISED])
            ),
            recognised=Count("pk", filter=Q(state=State.RECOGNISED)),
        )
        .order_by("enterprise__region__code")
    )
    en = is_english()
    regions = [
        {
            "code": r["enterprise__region__code"],
            "name": r["enterprise__region__name_en"] if en else r["enterprise__region__name_zh"],
            "n": r["n"],
            "live": r["live"],
            "recognised": r["recognised"],
        }
        for r in region_rows
    ]
    scores = [s for s in scoped.exclude(state=State.WITHDRAWN).values_list("score", flat=True)]
    bins = score_bins(scores)
    targets = policy_targets(user)
    ids = scoped.order_by().values("pk")
    return {
        "by_state": by_state,
        "total": sum(counts.values()),
        "regions": regions,
        "bins": bins,
        "chart": histogram_svg(bins, _("Applications by score (engine or reviewed total)"))
        if scores
        else "",
        "times": time_in_states(ids),
        "targets": targets,
        "quotas": quota_use(scoped),
    }
