"""The recommendation chain of a programme: its levels (``ReviewStage`` rows, in order), where an
application stands in it, and who decides at each level.

The formal check and the expert review come first; then each level recommends in turn
(``recommend``), and the application moves up only when recommended. ``stage_index`` counts the
levels that have recommended it; when every level has, the chain is complete and the public
notice can start. A programme without levels has one implicit level ("recommendation").
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.review.models import Application, Programme, ReviewStage
from portal.accounts.models import User

_CACHE = "_review_stages"


def stages_of(programme: Programme) -> list[ReviewStage]:
    """The programme's levels in order, with their reviewers (read once per programme object)."""
    cached = programme.__dict__.get(_CACHE)
    if cached is None:
        cached = list(
            ReviewStage.objects.filter(programme=programme)
            .prefetch_related("reviewers")
            .order_by("sort_order", "pk")
        )
        programme.__dict__[_CACHE] = cached
    return cached


def forget(programme: Programme) -> None:
    programme.__dict__.pop(_CACHE, None)


def chain_length(programme: Programme) -> int:
    return max(1, len(stages_of(programme)))


def pending_stage(application: Application) -> ReviewStage | None:
    """The level whose recommendation the application waits for (None: the implicit level,
    or the chain is complete)."""
    stages = stages_of(application.programme)
    index = application.stage_index
    return stages[index] if index < len(stages) else None


def chain_complete(application: Application) -> bool:
    return application.stage_index >= chain_length(application.programme)


def stage_name(programme: Programme, index: int) -> str:
    """The name of level ``index`` (0-based), or "Recommendation" for the implicit one."""
    stages = stages_of(programme)
    if index < len(stages):
        return stages[index].name
    return _("Recommendation")


def may_decide(stage: ReviewStage | None, user: User) -> bool:
    """Whether ``user`` is one of the level's reviewers (a level without a list: anyone)."""
    if stage is None or user.is_superuser:
        return True
    reviewers = list(stage.reviewers.all())
    return not reviewers or any(r.pk == user.pk for r in reviewers)


def stage_refusal(application: Application, user: User) -> str | None:
    """Why ``user`` may not decide at the level the application waits for (None if allowed)."""
    stage = pending_stage(application)
    if may_decide(stage, user):
        return None
    return _("Only the reviewers of the level “%(stage)s” decide at this level.") % {
        "stage": stage.name
    }


def path(application: Application) -> list[dict]:
    """The levels with "done" and "current" flags (for the application pages)."""
    stages = stages_of(application.programme)
    out = []
    for i, stage in enumerate(stages):
        out.append(
            {
                "name": stage.name,
                "done": i < application.stage_index,
                "current": i == application.stage_index,
            }
        )
    return out
