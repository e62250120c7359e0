"""The base of the export-only resources: ``Column``s with Chinese or English headers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from import_export import resources

from assessments import presentation
from portal.accounts.models import Enterprise
from portal.core.spreadsheets import Column, neutralise


def local_naive(value: dt.datetime | None) -> dt.datetime | None:
    """A time in the portal's time zone without its zone (spreadsheets keep no zone)."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


class ExportResource(resources.Resource):
    """An export-only resource whose columns are ``Column``s, one list of values per row."""

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, *, lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = "en" if lang == "en" else "zh"
        self._engine: dict[int, Any] = {}

    def columns(self) -> list[Column]:
        return list(self.COLUMNS)

    def get_export_headers(self, selected_fields=None) -> list[str]:
        return [c.header(self.lang) for c in self.columns()]

    def export_resource(self, instance, selected_fields=None, **kwargs) -> list[Any]:
        return [neutralise(value) for value in self.row(instance)]

    def row(self, instance) -> list[Any]:
        raise NotImplementedError

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
