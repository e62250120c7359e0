"""The enterprise registry as a django-import-export resource: its columns and its export.

``EnterpriseResource`` declares the registry's columns (统一社会信用代码, 名称, 地区, 行业, 规模,
成立日期, 联系人, 联系电话, 负责人邮箱) with Chinese or English headers, and writes them with
every cell neutralised, for the transfer app's export (read in chunks: ``prepare_chunk``
loads a chunk's owner e-mails). The import
of the same columns, with its row checks and owner invitations, is
``assessments.transfer.resources.enterprises.EnterpriseImportResource``, built on this class.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation
from import_export import fields, resources

from portal.accounts.choices import EnterpriseSize, Industry, MemberRole
from portal.accounts.models import Enterprise, Invitation, Membership, Region
from portal.core.spreadsheets import Column, neutralise

ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", "Credit code", required=True, max_length=18),
    Column("name", "企业名称", "Enterprise name", required=True, max_length=200),
    # A six-digit code, or the code and the region's name ("420900 湖北省孝感市").
    Column("region_code", "地区代码", "Region code", required=True, max_length=64),
    Column("province", "省份", "Province", imported=False),
    Column("city", "城市", "City", imported=False),
    Column("industry", "行业", "Industry", required=True),
    Column("size", "企业规模", "Size", required=True),
    Column("founded_on", "成立日期", "Founded on", required=True),
    Column("contact_name", "联系人", "Contact person", required=True, max_length=64),
    Column("contact_phone", "联系电话", "Contact phone", required=True, max_length=32),
    Column("owner_email", "负责人邮箱", "Owner e-mail", max_length=254),
)

#: The size classes as the registry's spreadsheets write them (Chinese, English).
SIZE_LABELS = {
    EnterpriseSize.LARGE: ("大型", "Large"),
    EnterpriseSize.MEDIUM: ("中型", "Medium"),
    EnterpriseSize.SMALL: ("小型", "Small"),
    EnterpriseSize.MICRO: ("微型", "Micro"),
}


def industry_label(code: str, lang: str) -> str:
    """The GB/T 4754 section's label (``"C Manufacturing"``) in ``lang`` ("zh" or "en")."""
    with translation.override("en" if lang == "en" else "zh-hans"):
        return str(Industry(code).label)


class EnterpriseResource(resources.ModelResource):
    """The enterprise registry's columns and their export (headers in ``lang``)."""

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
        chunk_size = 2000

    def __init__(self, *, lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = "en" if lang == "en" else "zh"
        self._owner_emails: dict[int, str] = {}
        self._regions: dict[str, Region] | None = None
        self._industries = {code: industry_label(code, self.lang) for code in Industry.values}

    def get_queryset(self):
        return Enterprise.objects.select_related("region__parent").order_by("credit_code")

    def get_export_headers(self, selected_fields=None) -> list[str]:
        return [c.header(self.lang) for c in self.COLUMNS]

    def before_export(self, queryset, **kwargs) -> None:
        """django-import-export's whole-queryset export: owners' e-mails in two queries."""
        if queryset is None:
            queryset = self.get_queryset()
        self._owner_emails = self.owner_emails(queryset.values("pk"))

    def prepare_chunk(self, enterprises) -> None:
        """A streamed export's next chunk: its owners' e-mails in two queries, and its regions
        from the regions loaded once (so the rows need no join)."""
        self._owner_emails = self.owner_emails([e.pk for e in enterprises])
        if self._regions is None:
            self._regions = {r.code: r for r in Region.objects.select_related("parent")}
        cache_region = Enterprise.region.field.set_cached_value
        for enterprise in enterprises:
            if not Enterprise.region.is_cached(enterprise):
                cache_region(enterprise, self._regions[enterprise.region_id])

    @staticmethod
    def owner_emails(ids) -> dict[int, str]:
        """Enterprise id -> the owner's e-mail address (or a pending owner invitation's)."""
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
        return emails

    def export_resource(self, instance, selected_fields=None, **kwargs) -> list[Any]:
        """One row: each column's ``dehydrate_<key>`` value, neutralised."""
        if selected_fields:
            return super().export_resource(instance, selected_fields, **kwargs)
        if not hasattr(self, "_dehydrators"):
            self._dehydrators = [getattr(self, f"dehydrate_{c.key}") for c in self.COLUMNS]
        return [neutralise(value(instance)) for value in self._dehydrators]

    def export_field(self, field, instance, **kwargs) -> Any:
        # Neutralised here, so that exports made through django-import-export's own admin views
        # are as safe as the portal's (neutralising twice changes nothing).
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
        return self._industries.get(enterprise.industry) or industry_label(
            enterprise.industry, self.lang
        )

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
