"""Enterprise registry import and export (services used by the pages, tasks and commands)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import IO, Any

import tablib
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.resources import (
    ENTERPRISE_COLUMNS,
    CreatedEnterprise,
    EnterpriseResource,
    match_headers,
)
from assessments.transfer.files import Table, write_table
from assessments.transfer.permissions import scope_codes
from portal.accounts.models import Enterprise, User
from portal.core.text import subject_line


@dataclass(frozen=True)
class RowError:
    row: int  # the row in the spreadsheet (the header is row 1); 0 for the whole file
    column: str
    message: str


@dataclass
class ImportReport:
    total_rows: int = 0
    valid_rows: int = 0
    invalid_rows: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    created: list[CreatedEnterprise] = field(default_factory=list)

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row == 0]

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_dicts(self) -> list[dict[str, Any]]:
        return [asdict(e) for e in self.errors]

    def preview_rows(self, limit: int = 20) -> list[dict[str, str]]:
        rows = []
        for created in self.created[:limit]:
            e = created.enterprise
            rows.append(
                {
                    "row": created.row,
                    "credit_code": e.credit_code,
                    "name": e.name,
                    "region": e.region.full_name if e.region_id else "",
                    "industry": e.industry,
                    "size": e.get_size_display(),
                    "founded_on": e.founded_on.isoformat(),
                    "contact": f"{e.contact_name} {e.contact_phone}",
                    "owner_email": created.email,
                }
            )
        return rows


def column_label(key: str) -> str:
    for column in ENTERPRISE_COLUMNS:
        if column.key == key:
            return column.both
    return key


def prepare(table: Table) -> tuple[tablib.Dataset, dict[str, str], ImportReport]:
    """Map the file's headers (Chinese or English) to column keys; report missing columns."""
    report = ImportReport(total_rows=len(table.row_numbers))
    match = match_headers(table.headers, ENTERPRISE_COLUMNS)
    for column in match.missing:
        report.errors.append(RowError(1, column.both, _("Required column is missing.")))
    for header in match.duplicates:
        report.errors.append(RowError(1, header, _("This column appears twice.")))
    if match.unknown:
        report.notices.append(
            _("These columns are not part of the registry and were ignored: %(names)s")
            % {"names": ", ".join(match.unknown)}
        )
    keep = [i for i, key in enumerate(match.keys) if key]
    dataset = tablib.Dataset(headers=[match.keys[i] for i in keep])
    for values in table.dataset:
        dataset.append([values[i] for i in keep])
    return dataset, match.names, report


def import_enterprises(
    table: Table,
    *,
    user: User | None,
    dry_run: bool = True,
    valid_only: bool = False,
    base_url: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check (``dry_run``) or import the rows of ``table`` in one transaction.

    Nothing is written when any row fails, unless ``valid_only`` is set: then the valid rows
    are imported and the others reported. Each new enterprise gets an owner invitation,
    e-mailed to the row's owner e-mail when given; otherwise its link is in the report.
    """
    dataset, names, report = prepare(table)
    if report.errors:
        return report
    resource = EnterpriseResource(
        user=user,
        scope=scope_codes(user),
        base_url=base_url,
        row_numbers=table.row_numbers,
        progress=progress,
    )
    resource.all_or_nothing = not valid_only
    if dry_run:
        # Checking only: no transaction, so the job's progress stays visible to the page.
        result = resource.import_data(dataset, dry_run=True, use_transactions=False)
    else:
        result = resource.import_data(
            dataset,
            dry_run=False,
            use_transactions=True,
            rollback_on_validation_errors=not valid_only,
        )
    for error in result.base_errors:
        report.errors.append(RowError(0, "", str(error.error)))
    for row in result.invalid_rows:
        number = resource.sheet_row(row.number)
        for key, messages in row.error_dict.items():
            label = names.get(key) or column_label(key)
            for message in messages:
                report.errors.append(RowError(number, label, message))
    for row in result.error_rows:
        number = resource.sheet_row(row.number)
        for error in row.errors:
            report.errors.append(RowError(number, "", str(error.error)))
    report.errors.sort(key=lambda e: e.row)
    bad_rows = {e.row for e in report.errors if e.row}
    report.invalid_rows = len(bad_rows)
    report.valid_rows = report.total_rows - report.invalid_rows
    report.created = resource.created
    if not dry_run:
        report.written = not result.has_errors() and (
            valid_only or not result.has_validation_errors()
        )
        if not report.written:
            report.created = []
        elif report.created:
            created = list(report.created)
            # Written for the owners, not the importer: in the portal's default language.
            transaction.on_commit(
                lambda: send_owner_invitations(created, user, settings.LANGUAGE_CODE)
            )
    return report


def send_owner_invitations(
    created: list[CreatedEnterprise], user: User | None, language: str
) -> int:
    """E-mail the invitations that have an address, over one connection."""
    messages = []
    with translation.override(language):
        for item in created:
            if not item.email:
                continue
            context = {
                "enterprise": item.enterprise,
                "accept_url": item.accept_url,
                "inviter": user,
                "days": settings.INVITATION_VALID_DAYS,
            }
            subject = _("%(name)s is registered on IP Portal: activate the owner's account") % {
                "name": item.enterprise.name
            }
            body = render_to_string("transfer/email/owner_invitation.txt", context)
            messages.append(
                EmailMessage(subject_line(subject), body, settings.DEFAULT_FROM_EMAIL, [item.email])
            )
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def enterprises_for_export(user: User | None) -> QuerySet[Enterprise]:
    """The registry as the user may export it: all for admins, their regions for leads."""
    qs = Enterprise.objects.select_related("region__parent").order_by("credit_code")
    codes = scope_codes(user)
    return qs if codes is None else qs.filter(region_id__in=codes)


def export_enterprises(
    out: IO[bytes], *, fmt: str = "xlsx", lang: str = "zh", user: User | None = None
) -> int:
    """Write the registry to ``out``; return the number of rows."""
    resource = EnterpriseResource(lang=lang)
    dataset = resource.export(queryset=enterprises_for_export(user))
    title = "企业名录" if lang != "en" else "Enterprises"
    write_table(dataset.headers, dataset, fmt, out, title=title)
    return len(dataset)
