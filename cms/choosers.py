"""Admin choosers of the policy form: regions from the GB/T 2260 hierarchy, searchable, and
issuing authorities with a "create" tab (an authority can be added without leaving the page).

Both are Wagtail chooser viewsets (a modal with search and pagination). They are registered
in ``cms.wagtail_hooks``; the policy page's panels use their widgets.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenView,
    CreateView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from portal.accounts.models import Region


def region_label(region: Region) -> str:
    """A region as the chooser shows it: full name and code, "辽宁省朝阳市（211300）"."""
    return f"{region.full_name}（{region.code}）"


class RegionFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Name or code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("Search by name or code")}),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("All provinces"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Region.objects.filter(parent__isnull=True).order_by(
            "code"
        )

    def filter(self, objects: QuerySet) -> QuerySet:
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            # A province's name also finds its cities (湖北 → 湖北省 and every city in it).
            objects = objects.filter(
                Q(code__startswith=query)
                | Q(name_zh__icontains=query)
                | Q(name_en__icontains=query)
                | Q(parent__name_zh__icontains=query)
                | Q(parent__name_en__icontains=query)
            )
            self.is_searching = True
            self.search_query = query
        province = self.cleaned_data.get("province")
        if province:
            objects = objects.filter(Q(pk=province.pk) | Q(parent=province))
        return objects


class RegionColumnsMixin:
    filter_form_class = RegionFilterForm
    per_page = 20

    def get_object_list(self) -> QuerySet:
        return Region.objects.select_related("parent").order_by("code")

    @property
    def columns(self) -> list[Column]:
        title = self.title_column
        title.accessor = region_label
        return [
            title,
            Column("code", label=_("Code"), accessor="code"),
            Column(
                "province",
                label=_("Province"),
                accessor=lambda r: r.parent.name if r.parent_id else "—",
            ),
        ]


class RegionChooseView(RegionColumnsMixin, ChooseView):
    pass


class RegionChooseResultsView(RegionColumnsMixin, ChooseResultsView):
    pass


class RegionChosenView(ChosenView):
    def get_object(self, pk):
        return Region.objects.select_related("parent").get(pk=pk)

    def get_display_title(self, instance: Region) -> str:
        return region_label(instance)


class RegionWidget(BaseChooser):
    def get_display_title(self, instance: Region) -> str:
        return region_label(instance)


class RegionChooserViewSet(ChooserViewSet):
    model = Region
    icon = "site"
    choose_one_text = _("Choose a region")
    choose_another_text = _("Choose another region")
    edit_item_text = _("Edit")
    choose_view_class = RegionChooseView
    choose_results_view_class = RegionChooseResultsView
    chosen_view_class = RegionChosenView
    base_widget_class = RegionWidget
    register_widget = False


class AuthorityColumnsMixin:
    per_page = 20

    def get_object_list(self) -> QuerySet:
        return self.model_class.objects.select_related("region", "region__parent")

    @property
    def columns(self) -> list[Column]:
        return [
            self.title_column,
            Column("name_en", label=_("English name"), accessor="name_en"),
            Column(
                "region",
                label=_("Region"),
                accessor=lambda a: a.region.full_name if a.region_id else "—",
            ),
        ]


class AuthorityChooseView(AuthorityColumnsMixin, ChooseView):
    pass


class AuthorityChooseResultsView(AuthorityColumnsMixin, ChooseResultsView):
    pass


class AuthorityCreateView(CreateView):
    """The "create" tab of the authority chooser: the same fields as the snippet form."""


class AuthorityChooserViewSet(ChooserViewSet):
    model = "cms.IssuingAuthority"
    icon = "group"
    choose_one_text = _("Choose an issuing authority")
    choose_another_text = _("Choose another issuing authority")
    edit_item_text = _("Edit")
    create_action_label = _("Create the issuing authority")
    creation_tab_label = _("New issuing authority")
    choose_view_class = AuthorityChooseView
    choose_results_view_class = AuthorityChooseResultsView
    create_view_class = AuthorityCreateView
    creation_form_class = "cms.admin_forms.IssuingAuthorityForm"
    register_widget = False


region_chooser = RegionChooserViewSet("region_chooser", url_prefix="cms/regions/choose")
authority_chooser = AuthorityChooserViewSet(
    "authority_chooser", url_prefix="cms/authorities/choose"
)
