"""Finding scheme versions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessments import engine
from assessments.models import SchemeVersion


class SchemeNotFound(LookupError):
    pass


class SchemeRetired(LookupError):
    """The scheme is closed for new self-checks; ``retirement`` says since when and why."""

    def __init__(self, retirement: engine.Retirement) -> None:
        super().__init__(f"{retirement.code} is retired since {retirement.retired_on}")
        self.retirement = retirement


def published_versions():
    """The newest published version of every scheme, for the 'start an assessment' list."""
    return (
        SchemeVersion.objects.latest_published()
        .select_related("scheme")
        .defer("definition")  # the engine model is cached by version id
        .order_by("scheme__code")
    )


def schemes_open_for_new_drafts(on: dt.date | None = None) -> list[SchemeVersion]:
    """The version new drafts use, for every scheme not retired on ``on`` (default today)."""
    on = on or timezone.localdate()
    return [v for v in published_versions() if not v.scheme.is_retired(on)]


def version_for_new_drafts(code: str, on: dt.date | None = None) -> SchemeVersion:
    """The version a new draft of ``code`` uses: the newest published one.

    Raises :class:`SchemeNotFound` when none is published and :class:`SchemeRetired` when the
    scheme is closed for new self-checks on ``on`` (default today).
    """
    version = get_version(code)
    record = version.scheme.retirement
    if record is not None and record.applies(on or timezone.localdate()):
        raise SchemeRetired(record)
    return version


def get_version(code: str, version: int | None = None) -> SchemeVersion:
    """A stored version: the given number, else the newest published one."""
    qs = SchemeVersion.objects.select_related("scheme").filter(scheme__code=code)
    if version is not None:
        found = qs.filter(version=version).first()
    else:
        found = qs.filter(status=SchemeVersion.Status.PUBLISHED).order_by("-version").first()
    if found is None:
        raise SchemeNotFound(code if version is None else f"{code} v{version}")
    return found


def engine_scheme(code: str, version: int | None = None) -> engine.Scheme:
    """The engine model from the database, or the shipped file when it is not loaded yet."""
    try:
        return get_version(code, version).engine_scheme
    except SchemeNotFound:
        try:
            return engine.builtin_scheme(code, version)
        except engine.SchemeError as exc:
            raise SchemeNotFound(str(exc)) from exc
