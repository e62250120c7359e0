"""Periods in days or working days (the public notice, deadlines for changes, reconsideration).

Monday to Friday are working days, Saturday and Sunday are not, except for the exceptions stored
as :class:`~assessments.review.models.CalendarDay` rows: public holidays on weekdays, and the
weekend days that are worked instead (调休). The State Council publishes them each year; the
portal ships them as data (``data/calendar-cn.json``, loaded by ``manage.py load_calendar`` and by
``load_demo``), and administrators and lead reviewers correct them in the Wagtail admin.

A period of *n* days that starts on a day ends on the *n*-th (working) day after it: a public
notice published on Monday 1 June for five working days runs to Monday 8 June.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from assessments.review.models import CalendarDay, Programme

DATA_FILE = Path(__file__).resolve().parent / "data" / "calendar-cn.json"
MAX_PERIOD_DAYS = 3650


def exceptions(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """The calendar's exceptions between two dates: date → "holiday" or "workday"."""
    return dict(
        CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    )


def is_working_day(day: dt.date, known: dict[dt.date, str] | None = None) -> bool:
    known = exceptions(day, day) if known is None else known
    kind = known.get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def add_days(start: dt.date, days: int, *, working: bool) -> dt.date:
    """The last day of a period of ``days`` (working) days after ``start``."""
    days = max(0, min(int(days), MAX_PERIOD_DAYS))
    if not working:
        return start + dt.timedelta(days=days)
    # Generous window for the exceptions: holidays never take more than half of the days.
    known = exceptions(start, start + dt.timedelta(days=days * 3 + 30))
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, known):
            counted += 1
    return day


def period_end(programme: Programme, start: dt.date, days: int) -> dt.date:
    """The end of a period of the programme (in its unit: days or working days)."""
    return add_days(start, days, working=programme.periods_in_working_days)


def load_calendar(path: Path = DATA_FILE) -> tuple[int, int]:
    """Create or update the calendar days in the data file; returns (created, updated)."""
    rows = json.loads(path.read_text(encoding="utf-8"))["days"]
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            _obj, made = CalendarDay.objects.update_or_create(
                date=dt.date.fromisoformat(row["date"]),
                defaults={
                    "kind": row["kind"],
                    "name_zh": row.get("name_zh", ""),
                    "name_en": row.get("name_en", ""),
                },
            )
            created += made
            updated += not made
    return created, updated
