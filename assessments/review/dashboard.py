"""The bureau dashboard: counts by state and region, score distribution (server-side SVG), time in
each state, and progress against the targets stated in policy pages."""

from __future__ import annotations

import logging
import statistics
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from wagtail.models import Locale

from assessments.review import selectors
from assessments.review.models import Certificate, ReviewEvent, State
from cms.models import PolicyPage
from portal.accounts import roles
from portal.accounts.models import Region, User
from portal.core.i18n import is_english

log = logging.getLogger(__name__)

# An indicator counts recognised enterprises when it names demonstration or advantage enterprises.
TARGET_KEYWORDS = ("示范", "优势企业", "demonstration", "advantage")
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


def time_in_states(application_ids, now=None) -> list[dict]:
    """Mean and median days spent in each state (the current state counts up to now)."""
    now = now or timezone.now()
    events = (
        ReviewEvent.objects.filter(application_id__in=application_ids)
        .exclude(to_state="")
        .exclude(to_state=F("from_state"))
        .order_by("application_id", "created_at", "pk")
        .values_list("application_id", "to_state", "created_at")
    )
    spans: dict[str, list[float]] = defaultdict(list)
    last: dict[int, tuple[str, Any]] = {}
    for app_id, state, at in events:
        previous = last.get(app_id)
        if previous is not None:
            spans[previous[0]].append((at - previous[1]).total_seconds() / 86400)
        last[app_id] = (state, at)
    finals = {State.RECOGNISED, State.REJECTED, State.WITHDRAWN}
    for state, at in last.values():
        if state not in finals:
            spans[state].append((now - at).total_seconds() / 86400)
    out = []
    for value, label in State.choices:
        if value in finals or not spans.get(value):
            continue
        days = spans[value]
        out.append(
            {
                "state": value,
                "label": label,
                "n": len(days),
                "mean": round(statistics.fmean(days), 1),
                "median": round(statistics.median(days), 1),
            }
        )
    return out


def _policy_pages():
    return (
        PolicyPage.objects.live()
        .filter(locale=Locale.get_active())
        .select_related("region")
        .order_by("-first_published_at")
    )


def is_enterprise_target(target: dict) -> bool:
    text = str(target.get("indicator", "")).lower()
    unit = str(target.get("unit", ""))
    return any(k in text for k in TARGET_KEYWORDS) and (
        any(s in text for s in TARGET_SUBJECT) or unit in ("家", "enterprises")
    )


def recognised_enterprises(region: Region | None, regions_scope) -> int:
    """Enterprises holding a currently valid certificate (in ``region`` when given)."""
    today = timezone.localdate()
    qs = Certificate.objects.filter(status=Certificate.Status.VALID, valid_until__gte=today)
    if regions_scope is not None:
        qs = qs.filter(enterprise__region__in=regions_scope)
    if region is not None:
        qs = qs.filter(Q(enterprise__region=region) | Q(enterprise__region__parent=region))
    return qs.values("enterprise").distinct().count()


def _region_in_scope(region: Region | None, scope: frozenset[str] | None, provinces) -> bool:
    """National policies (no region) and policies of regions the reviewer covers (a province's
    policy when the reviewer covers one of its cities: ``provinces`` holds their codes)."""
    if region is None or scope is None:
        return True
    return region.pk in scope or region.parent_id in scope or region.pk in provinces


def policy_targets(user: User) -> list[dict]:
    """Targets about demonstration/advantage enterprises, with the current count."""
    pages = _policy_pages()
    scope = roles.region_scope(user)
    provinces = (
        set()
        if scope is None
        else set(Region.objects.filter(pk__in=scope).values_list("parent_id", flat=True))
    )
    rows = []
    for page in pages:
        try:
            targets = page.indicator_targets()
        except Exception:  # one malformed page must not break the dashboard
            log.exception("indicator_targets() failed for policy page %s", page.pk)
            continue
        region = getattr(page, "region", None)
        if not _region_in_scope(region, scope, provinces):
            continue
        for target in targets:
            if not is_enterprise_target(target):
                continue
            actual = recognised_enterprises(region, scope)
            try:
                goal = Decimal(str(target.get("target_value")))
            except (ArithmeticError, ValueError, TypeError):
                continue
            percent = min(Decimal(100), Decimal(actual) * 100 / goal) if goal > 0 else None
            rows.append(
                {
                    "indicator": target.get("indicator"),
                    "target": goal,
                    "unit": target.get("unit") or "",
                    "year": target.get("target_year"),
                    "qualifier": target.get("qualifier") or "",
                    "policy": target.get("policy_title") or page.title,
                    "policy_url": page.url,
                    "region": region.full_name if region else "",
                    "actual": actual,
                    "percent": percent.quantize(Decimal("0.1")) if percent is not None else None,
                }
            )
    return rows


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
    }
