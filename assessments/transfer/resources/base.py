"""The base of the export-only resources, and the chunked reading every export streams from.

An export resource's columns are ``Column``s (Chinese or English headers); the value of each
column comes from one method, ``value_<key>(obj)``, so that a column's wording or number
format can be changed (for instance handed to ``assessments.presentation``) in one place.

``stream_rows`` reads a queryset in chunks (``iterator(chunk_size=…)``), lets the resource load
what a chunk needs in a query or two (``prepare_chunk``) and yields one list of neutralised
values per object, so an export of 100,000 rows holds one chunk in memory at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from import_export import resources

from assessments import presentation
from portal.accounts.models import Enterprise
from portal.core.spreadsheets import Column, neutralise

CHUNK_SIZE = 2000
#: ``progress(done, total)``: how far an export is.
Progress = Callable[[int, int], None]


def local_naive(value: dt.datetime | None) -> dt.datetime | None:
    """A time in the portal's time zone, to the second, without its zone (spreadsheets keep
    no zone)."""
    if not value:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def person_name(user) -> str:
    """A person as people call them: the full name (a Chinese name family name first, without
    a space: 李明), the user name only when there is none."""
    if user is None:
        return ""
    first, last = user.first_name.strip(), user.last_name.strip()
    if _is_cjk(first + last):
        return f"{last}{first}" or user.get_username()
    return user.get_full_name().strip() or user.get_username()


def stream_rows(
    resource,
    queryset: QuerySet,
    *,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[Any]]:
    """The export's rows, read ``chunk_size`` objects at a time.

    ``resource`` has ``export_resource(obj)`` (django-import-export's per-row export) and may
    have ``prepare_chunk(objs)``, called once per chunk before its rows are made.
    ``progress(n)`` is called with the number of objects read after every chunk.
    """
    objects = queryset.iterator(chunk_size=chunk_size)
    prepare = getattr(resource, "prepare_chunk", None)
    done = 0
    while chunk := list(islice(objects, chunk_size)):
        if prepare is not None:
            prepare(chunk)
        for obj in chunk:
            yield resource.export_resource(obj)
        done += len(chunk)
        if progress is not None:
            progress(done)


class ExportResource(resources.Resource):
    """An export-only resource: ``Column``s, each valued by its ``value_<key>`` method."""

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, *, lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = "en" if lang == "en" else "zh"
        self._engine: dict[int, Any] = {}
        self._getters: list[Callable[[Any], Any]] | None = None

    def columns(self) -> list[Column]:
        return list(self.COLUMNS)

    def get_export_headers(self, selected_fields=None) -> list[str]:
        return [c.header(self.lang) for c in self.columns()]

    def getter(self, column: Column) -> Callable[[Any], Any]:
        """The function that gives ``column``'s value for an object."""
        return getattr(self, f"value_{column.key}")

    def getters(self) -> Sequence[Callable[[Any], Any]]:
        if self._getters is None:
            self._getters = [self.getter(c) for c in self.columns()]
        return self._getters

    def export_resource(self, instance, selected_fields=None, **kwargs) -> list[Any]:
        return [neutralise(get(instance)) for get in self.getters()]

    def prepare_chunk(self, objects: Sequence[Any]) -> None:
        """Load what the next chunk's rows need (nothing by default)."""

    def engine_scheme(self, version):
        """Parse each scheme version once per export, not once per row."""
        if version.pk not in self._engine:
            self._engine[version.pk] = version.engine_scheme
        return self._engine[version.pk]

    def level_label(self, version, code: str | None) -> str:
        return presentation.level_label(self.engine_scheme(version), code, self.lang)

    def region_names(self, enterprise: Enterprise) -> tuple[str, str]:
        region = enterprise.region
        province = region.parent or region
        if self.lang == "en":
            return province.name_en, region.name_en
        return province.name_zh, region.name_zh
