"""django-import-export resources: the spreadsheet columns of the portal's imports and exports.

``EnterpriseResource`` is the enterprise registry: the export writes its columns and the import
reads the same columns, so an exported file can be edited and imported again. Headers are
written in Chinese or English and both are accepted on import (see ``Column``). The import
validates every row against values loaded once per file (regions, the reviewer's scope, the
credit codes already registered), so checking 10,000 rows costs a handful of queries; rows are
saved with ``bulk_create`` (``use_bulk``) and every new enterprise gets an owner invitation.

The other resources (applications, submissions, scheme items) are export-only or feed the
scheme round trip; see ``assessments/transfer/``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import fields, resources

from assessments.transfer.files import FormulaValue, neutralise, unneutralise
from portal.accounts.choices import EnterpriseSize, Industry, MemberRole
from portal.accounts.credit_code import check_credit_code
from portal.accounts.forms import CREDIT_CODE_MESSAGES, PHONE_RE
from portal.accounts.models import AuditEvent, Enterprise, Invitation, Membership, Region, User
from portal.core.text import validate_single_line

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: its key, its Chinese and English headers and import rules."""

    key: str
    zh: str
    en: str
    required: bool = False
    imported: bool = True
    max_length: int | None = None

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    @property
    def both(self) -> str:
        return f"{self.zh} / {self.en}"


def header_key(text: Any) -> str:
    """Compare headers loosely: case, spaces, underscores, hyphens and "*" are ignored."""
    return re.sub(r"[\s_\-*＊]+", "", str(text or "")).casefold()


@dataclass
class HeaderMatch:
    keys: list[str | None]  # per file column: the column key, or None when not recognised
    names: dict[str, str]  # key -> the header as written in the file
    missing: list[Column]
    duplicates: list[str]
    unknown: list[str]


def match_headers(headers: Sequence[str], columns: Sequence[Column]) -> HeaderMatch:
    lookup: dict[str, Column] = {}
    for column in columns:
        for alias in (column.key, column.zh, column.en):
            lookup[header_key(alias)] = column
    keys: list[str | None] = []
    names: dict[str, str] = {}
    duplicates: list[str] = []
    unknown: list[str] = []
    for header in headers:
        column = lookup.get(header_key(header))
        if column is None:
            keys.append(None)
            if header:
                unknown.append(header)
            continue
        if column.key in names:
            duplicates.append(header)
            keys.append(None)
            continue
        names[column.key] = header
        keys.append(column.key)
    missing = [c for c in columns if c.required and c.imported and c.key not in names]
    return HeaderMatch(keys, names, missing, duplicates, unknown)


ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", "Credit code", required=True, max_length=18),
    Column("name", "企业名称", "Enterprise name", required=True, max_length=200),
    Column("region_code", "地区代码", "Region code", required=True, max_length=6),
    Column("province", "省份", "Province", imported=False),
    Column("city", "城市", "City", imported=False),
    Column("industry", "行业", "Industry", required=True),
    Column("size", "企业规模", "Size", required=True),
    Column("founded_on", "成立日期", "Founded on", required=True),
    Column("contact_name", "联系人", "Contact person", required=True, max_length=64),
    Column("contact_phone", "联系电话", "Contact phone", required=True, max_length=32),
    Column("owner_email", "负责人邮箱", "Owner e-mail", max_length=254),
)

SIZE_LABELS = {
    EnterpriseSize.LARGE: ("大型", "Large"),
    EnterpriseSize.MEDIUM: ("中型", "Medium"),
    EnterpriseSize.SMALL: ("小型", "Small"),
    EnterpriseSize.MICRO: ("微型", "Micro"),
}
_SIZE_LOOKUP = {
    header_key(alias): value
    for value, labels in SIZE_LABELS.items()
    for alias in (value, *labels, f"{labels[0]}企业")
}
_INDUSTRIES = frozenset(Industry.values)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
# Text that a spreadsheet would run as a formula is refused in names (after undoing the export's
# own neutralising quote).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def industry_label(code: str, lang: str) -> str:
    with translation.override("en" if lang == "en" else "zh-hans"):
        return str(Industry(code).label)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return unneutralise(str(value).strip()).strip()


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if " " in text:  # "2015-01-01 00:00:00" from a spreadsheet's date-time cell
        text = text.split(" ", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class CreatedEnterprise:
    row: int
    enterprise: Enterprise
    email: str
    accept_url: str = ""


class EnterpriseResource(resources.ModelResource):
    """The enterprise registry (统一社会信用代码, 名称, 地区, 行业, 规模, 成立日期, 联系人)."""

    COLUMNS = ENTERPRISE_COLUMNS

    credit_code = fields.Field(attribute="credit_code", column_name="credit_code")
    name = fields.Field(attribute="name", column_name="name")
    region_code = fields.Field(attribute="region_id", column_name="region_code")
    province = fields.Field(column_name="province", readonly=True)
    city = fields.Field(column_name="city", readonly=True)
    industry = fields.Field(attribute="industry", column_name="industry")
    size = fields.Field(attribute="size", column_name="size")
    founded_on = fields.Field(attribute="founded_on", column_name="founded_on")
    contact_name = fields.Field(attribute="contact_name", column_name="contact_name")
    contact_phone = fields.Field(attribute="contact_phone", column_name="contact_phone")
    owner_email = fields.Field(column_name="owner_email", readonly=True)

    class Meta:
        model = Enterprise
        fields = tuple(c.key for c in ENTERPRISE_COLUMNS)
        export_order = fields
        import_order = fields
        use_bulk = True
        batch_size = 500
        force_init_instance = True  # new rows only: no lookup query per row
        skip_diff = True
        clean_model_instances = False  # every rule is checked in import_instance, without queries
        chunk_size = 2000

    def __init__(
        self,
        *,
        lang: str = "zh",
        user: User | None = None,
        scope: Iterable[str] | None = None,
        base_url: str = "",
        row_numbers: Sequence[int] | None = None,
        progress: Callable[[int], None] | None = None,
        progress_every: int = 250,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.lang = "en" if lang == "en" else "zh"
        self.user = user
        self.scope = None if scope is None else frozenset(scope)
        self.base_url = base_url or getattr(settings, "SITE_URL", "")
        self.row_numbers = list(row_numbers or [])
        self.progress = progress
        self.progress_every = progress_every
        #: True when one invalid row cancels the whole import (no "valid rows only").
        self.all_or_nothing = True
        self.created: list[CreatedEnterprise] = []
        self._regions: dict[str, Region] = {}
        self._cities: frozenset[str] = frozenset()
        self._registered: set[str] = set()
        self._seen: dict[str, int] = {}
        self._owner_emails: dict[int, str] = {}
        self._labels: dict[str, dict[str, str]] = {}

    # --- export ---------------------------------------------------------------------------

    def get_export_headers(self, selected_fields=None) -> list[str]:
        return [c.header(self.lang) for c in self.COLUMNS]

    def before_export(self, queryset, **kwargs) -> None:
        """Owners' e-mail addresses (or pending owner invitations) in two queries."""
        if queryset is None:
            queryset = self.get_queryset()
        ids = queryset.values("pk")
        emails = dict(
            Invitation.objects.pending()
            .filter(enterprise__in=ids, role=MemberRole.OWNER)
            .exclude(email="")
            .order_by("created_at")
            .values_list("enterprise_id", "email")
        )
        emails.update(
            Membership.objects.filter(enterprise__in=ids, role=MemberRole.OWNER)
            .exclude(user__email="")
            .order_by("-joined_at")
            .values_list("enterprise_id", "user__email")
        )
        self._owner_emails = emails
        self._labels = {
            "industry": {code: industry_label(code, self.lang) for code in Industry.values},
        }

    def export_field(self, field, instance, **kwargs) -> Any:
        # Neutralised here too, so that exports made through django-import-export's own admin
        # views are as safe as the portal's (neutralising twice changes nothing).
        return neutralise(super().export_field(field, instance, **kwargs))

    def dehydrate_credit_code(self, enterprise: Enterprise) -> str:
        return enterprise.credit_code

    def dehydrate_name(self, enterprise: Enterprise) -> str:
        return enterprise.name

    def dehydrate_region_code(self, enterprise: Enterprise) -> str:
        return enterprise.region_id

    def _region_name(self, region: Region | None) -> str:
        if region is None:
            return ""
        return region.name_en if self.lang == "en" else region.name_zh

    def dehydrate_province(self, enterprise: Enterprise) -> str:
        return self._region_name(enterprise.region.parent or enterprise.region)

    def dehydrate_city(self, enterprise: Enterprise) -> str:
        return self._region_name(enterprise.region)

    def dehydrate_industry(self, enterprise: Enterprise) -> str:
        labels = self._labels.get("industry") or {}
        return labels.get(enterprise.industry) or industry_label(enterprise.industry, self.lang)

    def dehydrate_size(self, enterprise: Enterprise) -> str:
        labels = SIZE_LABELS.get(enterprise.size)
        if not labels:
            return enterprise.size
        return labels[1] if self.lang == "en" else labels[0]

    def dehydrate_founded_on(self, enterprise: Enterprise) -> dt.date:
        return enterprise.founded_on

    def dehydrate_contact_name(self, enterprise: Enterprise) -> str:
        return enterprise.contact_name

    def dehydrate_contact_phone(self, enterprise: Enterprise) -> str:
        return enterprise.contact_phone

    def dehydrate_owner_email(self, enterprise: Enterprise) -> str:
        return self._owner_emails.get(enterprise.pk, "")

    def get_queryset(self):
        return Enterprise.objects.select_related("region__parent").order_by("credit_code")

    # --- import ---------------------------------------------------------------------------

    def sheet_row(self, row_number: int) -> int:
        """The row's number in the spreadsheet (the header is row 1)."""
        if self.row_numbers and 0 < row_number <= len(self.row_numbers):
            return self.row_numbers[row_number - 1]
        return row_number + 1

    def before_import(self, dataset, **kwargs) -> None:
        if self.user is None and kwargs.get("user") is not None:
            self.user = kwargs["user"]  # django-import-export's admin passes the user
        headers = list(dataset.headers or [])
        keys = {c.key for c in self.COLUMNS}
        if headers and not set(headers) <= keys:
            # Chinese or English headers (e.g. a file imported through the admin): use the keys.
            match = match_headers(headers, self.COLUMNS)
            dataset.headers = [key or f"ignored:{i}" for i, key in enumerate(match.keys)]
        regions = list(Region.objects.select_related("parent"))
        self._regions = {r.code: r for r in regions}
        parents = {r.parent_id for r in regions if r.parent_id and r.parent_id != r.code}
        self._cities = frozenset(r.code for r in regions if r.code not in parents)
        self._seen = {}
        self.created = []
        codes = sorted(
            {
                check_credit_code(_text(v)).code
                for v in (
                    dataset["credit_code"] if "credit_code" in (dataset.headers or []) else []
                )
            }
            - {""}
        )
        self._registered = set()
        for start in range(0, len(codes), 500):
            self._registered.update(
                Enterprise.objects.filter(credit_code__in=codes[start : start + 500]).values_list(
                    "credit_code", flat=True
                )
            )

    def clean_row(self, row: dict[str, Any], number: int) -> tuple[dict[str, Any], dict]:
        """Check one row; return the cleaned values and a ``{column: [messages]}`` dict."""
        errors: dict[str, list[str]] = {}
        values: dict[str, Any] = {}

        def fail(key: str, message: str) -> None:
            errors.setdefault(key, []).append(message)

        for column in self.COLUMNS:
            if not column.imported or column.key not in row:
                continue
            raw = row[column.key]
            if isinstance(raw, FormulaValue):
                fail(
                    column.key,
                    _("The cell holds a formula (%(formula)s); enter the value itself.")
                    % {"formula": str(raw)[:40]},
                )
                continue
            text = _text(raw)
            if column.required and not text:
                fail(column.key, _("This column is required."))
                continue
            if column.max_length and len(text) > column.max_length:
                fail(
                    column.key,
                    _("Too long: %(length)s characters, at most %(max)s.")
                    % {"length": len(text), "max": column.max_length},
                )
                continue
            values[column.key] = text

        for key in ("name", "contact_name"):
            if values.get(key, "").startswith(_FORMULA_START):
                fail(
                    key,
                    _("Must not begin with =, +, -, @ or a tab (a spreadsheet formula)."),
                )
            else:
                try:
                    validate_single_line(values.get(key, ""))
                except ValidationError as exc:
                    fail(key, exc.messages[0])

        if "credit_code" in values:
            check = check_credit_code(values["credit_code"])
            if not check.valid:
                fail("credit_code", CREDIT_CODE_MESSAGES[check.problem] % {"detail": check.detail})
            elif check.code in self._registered:
                fail("credit_code", _("An enterprise with this credit code is already registered."))
            elif check.code in self._seen:
                fail(
                    "credit_code",
                    _("Duplicate in the file: the same credit code is on row %(row)s.")
                    % {"row": self._seen[check.code]},
                )
            else:
                self._seen[check.code] = number
            values["credit_code"] = check.code

        if "region_code" in values:
            code = values["region_code"]
            if code not in self._regions:
                fail(
                    "region_code",
                    _("Unknown region code %(code)s: use a six-digit GB/T 2260 city code.")
                    % {"code": code},
                )
            elif code not in self._cities:
                fail(
                    "region_code",
                    _("%(code)s is a province; use the code of the city.") % {"code": code},
                )
            elif self.scope is not None and code not in self.scope:
                fail(
                    "region_code",
                    _("Region %(code)s is outside your review regions.") % {"code": code},
                )

        if "industry" in values:
            raw = values["industry"]
            letter = raw.split(maxsplit=1)[0].upper() if raw else ""
            if letter in _INDUSTRIES:
                values["industry"] = letter
            else:
                fail(
                    "industry",
                    _("Unknown industry %(value)s: start with the GB/T 4754 section letter A to T.")
                    % {"value": raw[:40]},
                )

        if "size" in values:
            size = _SIZE_LOOKUP.get(header_key(values["size"]))
            if size:
                values["size"] = size
            else:
                fail(
                    "size",
                    _(
                        "Unknown size %(value)s: use large, medium, small or micro (大型/中型/小型/微型)."
                    )
                    % {"value": values["size"][:40]},
                )

        if "founded_on" in values:
            founded = _parse_date(row.get("founded_on"))
            if founded is None:
                fail("founded_on", _("Not a date: write it as YYYY-MM-DD."))
            elif founded > timezone.localdate():
                fail("founded_on", _("The founding date is in the future."))
            elif founded.year < 1900:
                fail("founded_on", _("The founding date is before 1900."))
            else:
                values["founded_on"] = founded

        if "contact_phone" in values:
            phone = re.sub(r"\s+", "", values["contact_phone"])
            if not PHONE_RE.match(phone):
                fail(
                    "contact_phone",
                    _("Not a phone number: a mobile number or an area code and number."),
                )
            values["contact_phone"] = phone

        if values.get("owner_email"):
            try:
                validate_email(values["owner_email"])
            except ValidationError:
                fail("owner_email", _("Not a valid e-mail address."))
        return values, errors

    def import_instance(self, instance: Enterprise, row, **kwargs) -> None:
        number = self.sheet_row(kwargs.get("row_number", 0))
        values, errors = self.clean_row(row, number)
        if errors:
            raise ValidationError(errors)
        instance.credit_code = values["credit_code"]
        instance.name = values["name"]
        instance.region = self._regions[values["region_code"]]
        instance.industry = values["industry"]
        instance.size = values["size"]
        instance.founded_on = values["founded_on"]
        instance.contact_name = values["contact_name"]
        instance.contact_phone = values["contact_phone"]
        instance._owner_email = values.get("owner_email", "")
        instance._sheet_row = number

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        self.created.append(CreatedEnterprise(instance._sheet_row, instance, instance._owner_email))
        super().save_instance(instance, is_create, row, **kwargs)

    def after_import_row(self, row, row_result, **kwargs) -> None:
        number = kwargs.get("row_number", 0)
        if self.progress and number % self.progress_every == 0:
            self.progress(number)

    def after_import(self, dataset, result, **kwargs) -> None:
        if self._is_dry_run(kwargs) or result.has_errors():
            return
        if result.has_validation_errors() and self.all_or_nothing:
            return  # the import is rolled back: no invitations to make
        # ModelResource.after_import would reset the id sequence (PostgreSQL) for imports that
        # bring their own ids; these rows take ids from the sequence, and resetting it while
        # other transactions insert could hand out an id twice. So it is not called.
        self._invite_owners()

    def _invite_owners(self) -> None:
        """An owner invitation per new enterprise (the ``accounts.services.invite`` rules)."""
        if not self.created:
            return
        enterprises = [c.enterprise for c in self.created]
        if any(e.pk is None for e in enterprises) or not getattr(
            connection.features, "can_return_rows_from_bulk_insert", False
        ):
            ids = {}
            codes = [e.credit_code for e in enterprises]
            for start in range(0, len(codes), 500):
                ids.update(
                    Enterprise.objects.filter(
                        credit_code__in=codes[start : start + 500]
                    ).values_list("credit_code", "pk")
                )
            for enterprise in enterprises:
                enterprise.pk = ids[enterprise.credit_code]
        expires = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
        invitations = []
        # One reverse() for all rows: the token is the only part that changes.
        # The owner is not the importer: links use the portal's default language.
        marker = "0tokenmarker0"
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("accounts:invitation-accept", args=[marker])
        pattern = self.base_url.rstrip("/") + path
        for created in self.created:
            token, token_hash = Invitation.new_token()
            invitations.append(
                Invitation(
                    enterprise=created.enterprise,
                    email=created.email,
                    role=MemberRole.OWNER,
                    token_hash=token_hash,
                    invited_by=self.user,
                    expires_at=expires,
                )
            )
            created.accept_url = pattern.replace(marker, token)
        Invitation.objects.bulk_create(invitations, batch_size=500)
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


# --- applications and submissions (export only) -------------------------------------------


class _ExportResource(resources.Resource):
    """An export-only resource whose columns are ``Column``s with Chinese/English headers."""

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

    def level_label(self, version, code: str) -> str:
        if not code:
            return ""
        scheme = self.engine_scheme(version)
        for level in (*scheme.levels, scheme.veto_level):
            if level.code == code:
                return level.label.get(self.lang)
        return code

    def region_names(self, enterprise: Enterprise) -> tuple[str, str]:
        region = enterprise.region
        province = region.parent or region
        if self.lang == "en":
            return province.name_en, region.name_en
        return province.name_zh, region.name_zh


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


class ApplicationResource(_ExportResource):
    """Applications with enterprise data, state, self score, reviewed score, level and dates."""

    COLUMNS = (
        Column("id", "申报编号", "Application ID"),
        Column("programme", "申报项目", "Programme"),
        Column("credit_code", "统一社会信用代码", "Credit code"),
        Column("enterprise", "企业名称", "Enterprise name"),
        Column("region_code", "地区代码", "Region code"),
        Column("province", "省份", "Province"),
        Column("city", "城市", "City"),
        Column("industry", "行业", "Industry"),
        Column("state", "状态", "State"),
        Column("self_score", "自评得分", "Self-assessed score"),
        Column("reviewed_score", "评审得分", "Reviewed score"),
        Column("level", "等级", "Level"),
        Column("applied_at", "申报时间", "Applied at"),
        Column("state_changed_at", "状态变更时间", "State changed at"),
        Column("decided_at", "决定时间", "Decided at"),
        Column("assignee", "评审人", "Reviewer"),
    )

    def before_export(self, queryset, **kwargs) -> None:
        from assessments.review.models import State

        lang = "en" if self.lang == "en" else "zh-hans"
        with translation.override(lang):
            self._states = {value: str(label) for value, label in State.choices}
            self._industries = {code: str(Industry(code).label) for code in Industry.values}

    def row(self, application) -> list[Any]:
        enterprise = application.enterprise
        province, city = self.region_names(enterprise)
        programme = application.programme
        version = programme.scheme_version
        return [
            application.pk,
            programme.title_en if self.lang == "en" else programme.title_zh,
            enterprise.credit_code,
            enterprise.name,
            enterprise.region_id,
            province,
            city,
            self._industries.get(enterprise.industry, enterprise.industry),
            self._states.get(application.state, application.state),
            application.submission.total,
            application.reviewed_total,
            self.level_label(version, application.reviewed_level or application.submission.level),
            _local(application.created_at),
            _local(application.state_changed_at),
            _local(application.decided_at),
            application.assignee.get_username() if application.assignee_id else "",
        ]


class SubmissionResource(_ExportResource):
    """Frozen submissions of one scheme version, with the points of every item."""

    COLUMNS = (
        Column("id", "编号", "Submission ID"),
        Column("credit_code", "统一社会信用代码", "Credit code"),
        Column("enterprise", "企业名称", "Enterprise name"),
        Column("region_code", "地区代码", "Region code"),
        Column("scheme", "评价体系", "Scheme"),
        Column("version", "版本", "Version"),
        Column("assessed_on", "评价日期", "Assessed on"),
        Column("submitted_at", "提交时间", "Submitted at"),
        Column("total", "总分", "Total"),
        Column("percent", "得分率", "Percent"),
        Column("level", "等级", "Level"),
        Column("vetoed", "否决", "Vetoed"),
    )

    def __init__(self, *, scheme_version, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.version = scheme_version
        self.item_codes = [item.code for item in self.engine_scheme(scheme_version).items]

    def columns(self) -> list[Column]:
        scheme = self.engine_scheme(self.version)
        items = [
            Column(
                f"item:{item.code}",
                f"{item.code} {item.text.get('zh')}",
                f"{item.code} {item.text.get('en')}",
            )
            for item in scheme.items
        ]
        return [*self.COLUMNS, *items]

    def row(self, submission) -> list[Any]:
        points = {
            entry.get("code"): entry.get("points")
            for entry in (submission.result or {}).get("items", [])
        }
        yes, no = ("yes", "no") if self.lang == "en" else ("是", "否")
        return [
            submission.pk,
            submission.enterprise.credit_code,
            submission.enterprise.name,
            submission.enterprise.region_id,
            submission.scheme_version.scheme.code,
            submission.scheme_version.version,
            submission.assessed_on,
            _local(submission.submitted_at),
            submission.total,
            submission.percent,
            self.level_label(self.version, submission.level),
            yes if submission.vetoed else no,
            *[_number(points.get(code)) for code in self.item_codes],
        ]


def _number(value: Any) -> Any:
    """Points are stored as exact decimal strings in the result JSON; write them as numbers."""
    if value is None or value == "":
        return None
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(value))
    except InvalidOperation:
        return str(value)
