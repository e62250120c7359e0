"""Forms of the CMS admin that Wagtail does not build from the panels: the issuing authority
created from the policy form's chooser."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cms.models import IssuingAuthority
from portal.accounts.models import Region
from portal.core.forms import NormalisedModelForm
from portal.core.text import validate_single_line


def grouped_regions() -> list:
    """Regions as select options grouped by province (the province itself first)."""
    groups: dict[str, list] = {}
    names: dict[str, str] = {}
    for region in Region.objects.select_related("parent").order_by("code"):
        province = region.parent or region
        names[province.code] = province.name
        groups.setdefault(province.code, []).append((region.code, region.full_name))
    return [("", "---------"), *[(names[code], groups[code]) for code in sorted(groups)]]


class IssuingAuthorityForm(NormalisedModelForm):
    class Meta:
        model = IssuingAuthority
        fields = ["name_zh", "name_en", "region", "website"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = grouped_regions()
        self.fields["region"].help_text = _("The province or city the authority belongs to.")
        for name in ("name_zh", "name_en"):
            self.fields[name].validators.append(validate_single_line)
