"""Finding scheme versions."""

from __future__ import annotations

from assessments import engine
from assessments.models import SchemeVersion


class SchemeNotFound(LookupError):
    pass


def published_versions():
    """The newest published version of every scheme, for the 'start an assessment' list."""
    return (
        SchemeVersion.objects.latest_published().select_related("scheme").order_by("scheme__code")
    )


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
