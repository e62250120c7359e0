"""The queue's sort keys: enterprise names by pinyin (pypinyin), states in workflow order."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from pypinyin import lazy_pinyin

from assessments.review.models import WORKFLOW_ORDER, Application

SORT_NAME_LENGTH = 255


def sort_name(name: str) -> str:
    """``"武汉光谷…"`` → ``"wu han guang gu …"`` (Latin letters and digits stay as they are)."""
    return " ".join(lazy_pinyin(name or "")).lower()[:SORT_NAME_LENGTH]


def refresh_sort_names(enterprise) -> int:
    """Store the sort name of the enterprise's applications again (after a change of name)."""
    return Application.objects.filter(enterprise=enterprise).update(
        sort_name=sort_name(enterprise.name)
    )


def workflow_position() -> Case:
    """An expression giving each state its place in the workflow (submitted first)."""
    return Case(
        *[When(state=state, then=Value(i)) for i, state in enumerate(WORKFLOW_ORDER)],
        default=Value(len(WORKFLOW_ORDER)),
        output_field=IntegerField(),
    )
