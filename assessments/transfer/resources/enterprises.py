"""The enterprise registry import: the registry's columns read back, checked and saved in bulk.

``EnterpriseImportResource`` reads the columns that ``portal.accounts.resources.
EnterpriseResource`` exports (so an exported file can be edited and imported again; headers in
Chinese or English). Each row is checked by ``RegistryRows`` against values loaded once per
file, so checking 10,000 rows costs a handful of queries. Rows are saved with ``bulk_create``
(``use_bulk``) and every new enterprise gets an owner invitation from
``portal.accounts.services.invite_owners``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection

from assessments.transfer.resources.columns import match_headers
from assessments.transfer.resources.enterprise_rows import RegistryRows
from portal.accounts.models import AuditEvent, Enterprise, User
from portal.accounts.resources import EnterpriseResource
from portal.accounts.services import OwnerInvite, invite_owners
from portal.core.siteurls import site_root


@dataclass
class CreatedEnterprise:
    row: int
    enterprise: Enterprise
    email: str
    accept_url: str = ""


class EnterpriseImportResource(EnterpriseResource):
    """The registry's columns, imported: checked per row, saved in bulk, owners invited."""

    class Meta:
        use_bulk = True
        batch_size = 500
        force_init_instance = True  # new rows only: no lookup query per row
        skip_diff = True
        clean_model_instances = False  # every rule is checked by RegistryRows, without queries

    def __init__(
        self,
        *,
        user: User | None = None,
        scope: Iterable[str] | None = None,
        base_url: str = "",
        row_numbers: Sequence[int] | None = None,
        progress: Callable[[int], None] | None = None,
        progress_every: int = 250,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.rows = RegistryRows(scope=scope)
        self.base_url = base_url or site_root()
        self.row_numbers = list(row_numbers or [])
        self.progress = progress
        self.progress_every = progress_every
        #: True when one invalid row cancels the whole import (no "valid rows only").
        self.all_or_nothing = True
        self.created: list[CreatedEnterprise] = []
        self._checked: CreatedEnterprise | None = None

    def sheet_row(self, row_number: int) -> int:
        """The row's number in the spreadsheet (the header is row 1)."""
        if self.row_numbers and 0 < row_number <= len(self.row_numbers):
            return self.row_numbers[row_number - 1]
        return row_number + 1

    # --- checking -------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs) -> None:
        if self.user is None and kwargs.get("user") is not None:
            self.user = kwargs["user"]  # django-import-export's admin passes the user
        headers = list(dataset.headers or [])
        if headers and not set(headers) <= {c.key for c in self.COLUMNS}:
            # Chinese or English headers (e.g. a file imported through the admin): use the keys.
            match = match_headers(headers, self.COLUMNS)
            dataset.headers = [key or f"ignored:{i}" for i, key in enumerate(match.keys)]
        self.created = []
        self.rows.load(dataset["credit_code"] if "credit_code" in (dataset.headers or []) else [])

    def import_instance(self, instance: Enterprise, row, **kwargs) -> None:
        number = self.sheet_row(kwargs.get("row_number", 0))
        values, errors = self.rows.clean(row, number)
        if errors:
            raise ValidationError(errors)
        instance.credit_code = values["credit_code"]
        instance.name = values["name"]
        instance.region = self.rows.regions[values["region_code"]]
        instance.industry = values["industry"]
        instance.size = values["size"]
        instance.founded_on = values["founded_on"]
        instance.contact_name = values["contact_name"]
        instance.contact_phone = values["contact_phone"]
        self._checked = CreatedEnterprise(number, instance, values.get("owner_email", ""))

    def save_instance(self, instance: Enterprise, is_create, row, **kwargs) -> None:
        # Called for the rows that passed import_instance, in the dry run too (for the preview).
        if self._checked is not None and self._checked.enterprise is instance:
            self.created.append(self._checked)
        self._checked = None
        super().save_instance(instance, is_create, row, **kwargs)

    def after_import_row(self, row, row_result, **kwargs) -> None:
        number = kwargs.get("row_number", 0)
        if self.progress and number % self.progress_every == 0:
            self.progress(number)

    # --- saving ---------------------------------------------------------------------------

    def after_import(self, dataset, result, **kwargs) -> None:
        if self._is_dry_run(kwargs) or result.has_errors():
            return
        if result.has_validation_errors() and self.all_or_nothing:
            return  # the import is rolled back: no invitations to make
        # ModelResource.after_import would reset the id sequence (PostgreSQL) for imports that
        # bring their own ids; these rows take ids from the sequence, and resetting it while
        # other transactions insert could hand out an id twice. So it is not called.
        if not self.created:
            return
        self._fetch_ids()
        sent = invite_owners(
            [OwnerInvite(c.enterprise, c.email) for c in self.created],
            actor=self.user,
            base_url=self.base_url,
        )
        for created, invitation in zip(self.created, sent, strict=True):
            created.accept_url = invitation.accept_url
        actor = self.user if self.user and self.user.is_authenticated else None
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=actor,
                    enterprise=created.enterprise,
                    action="enterprise.imported",
                    detail={
                        "credit_code": created.enterprise.credit_code,
                        "row": created.row,
                        "owner_invited": created.email,
                    },
                )
                for created in self.created
            ],
            batch_size=500,
        )

    def _fetch_ids(self) -> None:
        """The new rows' ids, where the database does not return them from ``bulk_create``."""
        enterprises = [c.enterprise for c in self.created]
        if all(e.pk is not None for e in enterprises) and getattr(
            connection.features, "can_return_rows_from_bulk_insert", False
        ):
            return
        ids: dict[str, int] = {}
        codes = [e.credit_code for e in enterprises]
        for start in range(0, len(codes), 500):
            ids.update(
                Enterprise.objects.filter(credit_code__in=codes[start : start + 500]).values_list(
                    "credit_code", "pk"
                )
            )
        for enterprise in enterprises:
            enterprise.pk = ids[enterprise.credit_code]
