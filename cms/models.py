"""Wagtail pages for the policy library and notices, and the issuing-authority snippet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.cache import PAGE_TIMEOUT, content_version, render_parts, store_entry
from cms.choices import (
    NOT_YET_IN_FORCE,
    NOT_YET_IN_FORCE_LABEL,
    PolicyCategory,
    PolicySubject,
    Validity,
)
from cms.choosers import authority_chooser, region_chooser
from cms.feeds import NoticeFeed, PolicyFeed
from cms.forms import PolicyFilterForm
from cms.fulltext import PageText, body_plain_text
from cms.search import segment_for_index
from portal.accounts.models import Region
from portal.core.i18n import is_english
from portal.core.siteurls import RequestHostPageMixin

PER_PAGE = 10
FILTER_CHOICES_TIMEOUT = 60 * 60


class IssuingAuthority(index.Indexed, models.Model):
    """A government body that issues policy documents (发文机关)."""

    name_zh = models.CharField(_("Chinese name"), max_length=120, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issuing_authorities",
    )
    website = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name_zh"),
        FieldPanel("name_en"),
        FieldPanel("region"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name_zh"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_zh"),
    ]

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("issuing authority")
        verbose_name_plural = _("issuing authorities")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if is_english() and self.name_en:
            return self.name_en
        return self.name_zh


def region_name(region: Region, language: str) -> str:
    """A region's full name (province and city) in ``language``."""
    with override(language):
        return region.full_name


def _subject_in(page: PolicyPage, language: str) -> str:
    with override(language):
        return str(page.get_subject_display())


def group_body(body) -> list[dict]:
    parts: list[dict] = []
    for block in body:
        if block.block_type == "target":
            if parts and "targets" in parts[-1]:
                parts[-1]["targets"].append(block)
            else:
                parts.append({"targets": [block]})
        else:
            parts.append({"block": block})
    return parts


class SegmentedSearchMixin:
    """The page's searchable text: stored per published revision for site search
    (``cms.fulltext``), and segmented for Wagtail's own index (the admin's search)."""

    def search_text(self) -> PageText:
        """Title, tags, metadata and body as plain text (numbers and units included)."""
        summary = getattr(self, "summary", "") or ""
        body = body_plain_text(getattr(self, "body", None))
        return PageText(title=self.title, body="\n".join(p for p in (summary, body) if p))

    def search_plain_text(self) -> str:
        text = self.search_text()
        return "\n".join(p for p in (text.title, text.body) if p)

    def body_parts(self) -> list[dict]:
        """The body with consecutive indicator targets grouped (rendered as one grid)."""

        body = getattr(self, "body", None)
        return group_body(body) if body is not None else []

    def search_segments(self) -> str:
        """Segmented text for Wagtail's index: the stored words of the live revision when they
        are current (no segmentation on every save), else segmented now."""
        stored = (
            SearchDocument.objects.filter(page_id=self.pk, revision_id=self.live_revision_id)
            .values_list("title_terms", "meta_terms", "body_terms")
            .first()
            if self.pk and self.live_revision_id
            else None
        )
        if stored:
            return "\n".join(stored)
        text = self.search_text()
        return segment_for_index("\n".join((text.title, text.tags, text.metadata, text.body)))

    def meta_description(self) -> str:
        text = self.search_description or getattr(self, "summary", "") or ""
        return Truncator(" ".join(text.split())).chars(160)


class CachedPublicPageMixin:
    """A page that is the same for everyone: its parts are rendered without the request's
    context processors and shared through the cache (``cms.cache``); the response wraps them
    in ``cms/cached_page.html`` (the site's header and messages, for this request). Previews
    render the same way and are never stored."""

    response_template = "cms/cached_page.html"

    def render_public_parts(self, request: HttpRequest) -> dict[str, str]:
        return render_parts(self.get_template(request), self.get_context(request))

    def is_publicly_cacheable(self) -> bool:
        return not self.get_view_restrictions().exists()

    def public_response(self, request: HttpRequest) -> TemplateResponse:
        preview = getattr(request, "is_preview", False)
        request.is_preview = preview
        parts = self.render_public_parts(request)
        if not preview and self.is_publicly_cacheable():
            store_entry(request, parts, page_id=self.pk, timeout=PAGE_TIMEOUT)
        return TemplateResponse(
            request, self.response_template, {"page": self, "self": self, "parts": parts}
        )

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if args or kwargs:  # a sub-route of a routable page (its feed)
            return super().serve(request, *args, **kwargs)
        return self.public_response(request)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        request.is_preview = True
        request.preview_mode = mode_name
        return self.public_response(request)


class BreadcrumbMixin:
    def breadcrumbs(self) -> list[Page]:
        """Ancestors from the localised home page down to the parent."""

        return list(
            self.get_ancestors().filter(depth__gte=2).only("id", "title", "url_path", "locale_id")
        )


class HomePage(RequestHostPageMixin, SegmentedSearchMixin, BreadcrumbMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("search_segments")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.PolicyIndexPage", "cms.NoticeIndexPage", "cms.ContentPage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # Lazy: a cached template fragment that does not use them costs no query.
        context["latest_policies"] = PolicyPage.objects.latest_in(self.locale_id, limit=5)
        context["latest_notices"] = NoticePage.objects.latest_in(self.locale_id, limit=5)
        context["content_version"] = content_version()
        return context


class PolicyIndexPage(
    RequestHostPageMixin,
    SegmentedSearchMixin,
    BreadcrumbMixin,
    CachedPublicPageMixin,
    RoutablePageMixin,
    Page,
):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("search_segments")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PolicyPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("policy index")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        form = PolicyFilterForm(request.GET or None, choices=policy_filter_choices(self.locale_id))
        policies = PolicyPage.objects.child_of(self).live().public().filtered(form.filters())
        context["filter_form"] = form
        context["policies"] = paginate(request, policies)
        context["filters_active"] = bool(form.active_filters())
        return context

    @path("")
    def index_route(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.public_response(request)

    @path("feed/", name="feed")
    def feed(self, request: HttpRequest) -> HttpResponse:
        return PolicyFeed(self)(request)

    def feed_items(self, limit: int) -> PageQuerySet:
        return (
            PolicyPage.objects.child_of(self)
            .live()
            .public()
            .select_related("authority")
            .order_by("-issue_date", "-pk")[:limit]
        )

    @property
    def feed_url(self) -> str:
        return self.url + self.reverse_subpage("feed")


def region_and_children(code: str) -> list[str]:
    """A region's code and its cities' codes (a province filter matches its cities' policies)."""
    return [code, *Region.objects.filter(parent_id=code).values_list("code", flat=True)]


def policy_lookups(filters: dict[str, Any]) -> models.Q:
    """The policy filters (category, validity, authority, region, year) as one condition. The
    validity is 效力 today (:meth:`PolicyPage.validity_on`), not the stored choice alone."""
    lookups: dict[str, Any] = {}
    if filters.get("category"):
        lookups["category"] = filters["category"]
    if filters.get("authority"):
        lookups["authority"] = filters["authority"]
    if filters.get("region"):
        lookups["region__in"] = region_and_children(filters["region"])
    if filters.get("year"):
        year = int(filters["year"])
        lookups["issue_date__gte"] = dt.date(year, 1, 1)
        lookups["issue_date__lte"] = dt.date(year, 12, 31)
    condition = models.Q(**lookups)
    if filters.get("validity"):
        condition &= validity_q(filters["validity"], timezone.localdate())
    return condition


def in_force_q(on: dt.date) -> models.Q:
    """The policies in force on ``on``, in SQL: the same rule as :meth:`PolicyPage.validity_on`."""
    return (
        models.Q(validity=Validity.VALID)
        & (models.Q(effective_date__isnull=True) | models.Q(effective_date__lte=on))
        & (models.Q(expiry_date__isnull=True) | models.Q(expiry_date__gte=on))
    )


def validity_q(code: str, on: dt.date) -> models.Q:
    """The policies whose 效力 on ``on`` is ``code``, in SQL (the rule of ``validity_on``)."""
    pending = models.Q(validity=Validity.VALID, effective_date__gt=on)
    if code == Validity.VALID:
        return in_force_q(on)
    if code == NOT_YET_IN_FORCE:
        return pending
    if code == Validity.EXPIRED:
        lapsed = models.Q(validity=Validity.VALID, expiry_date__lt=on) & ~pending
        return models.Q(validity=Validity.EXPIRED) | lapsed
    return models.Q(validity=code)


class PolicyPageQuerySet(PageQuerySet):
    """Reads of policy pages. The page models serve their own requests (Wagtail), so the reads
    their ``get_context`` needs live here; ``cms.selectors`` builds on the models."""

    def latest_in(self, locale_id: int, limit: int = 5) -> PolicyPageQuerySet:
        """The latest policies, those in force today first (the others carry their 效力)."""
        in_force = models.Case(
            models.When(in_force_q(timezone.localdate()), then=models.Value(0)),
            default=models.Value(1),
        )
        return (
            self.live()
            .public()
            .filter(locale_id=locale_id)
            .select_related("authority")
            .order_by(in_force, "-issue_date", "-pk")[:limit]
        )

    def in_force(self, on: dt.date | None = None) -> PolicyPageQuerySet:
        return self.filter(in_force_q(on or timezone.localdate()))

    def filtered(self, filters: dict[str, Any]) -> PolicyPageQuerySet:
        """Apply the policy filters and the sort ("oldest" or newest first)."""
        queryset = self.filter(policy_lookups(filters)).select_related(
            "authority", "region", "region__parent"
        )
        if filters.get("sort") == "oldest":
            return queryset.order_by("issue_date", "pk")
        return queryset.order_by("-issue_date", "-pk")


class NoticePageQuerySet(PageQuerySet):
    def latest_in(self, locale_id: int, limit: int = 5) -> NoticePageQuerySet:
        return self.live().public().filter(locale_id=locale_id).order_by("-date", "-pk")[:limit]


class PolicyPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.PolicyPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class PolicyPage(
    RequestHostPageMixin, SegmentedSearchMixin, BreadcrumbMixin, CachedPublicPageMixin, Page
):
    objects = PageManager.from_queryset(PolicyPageQuerySet)()

    document_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("The 文号, e.g. 鄂发〔2022〕8号"),
    )
    authority = models.ForeignKey(
        IssuingAuthority,
        verbose_name=_("issuing authority"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="policies",
    )
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="policies",
    )
    category = models.CharField(
        _("category"), max_length=24, choices=PolicyCategory.choices, default=PolicyCategory.OTHER
    )
    issue_date = models.DateField(_("issue date"), default=dt.date.today)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    validity = models.CharField(
        _("validity"), max_length=12, choices=Validity.choices, default=Validity.VALID
    )
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    full_text_language = models.CharField(
        _("language of the full text"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="zh-hans",
        help_text=_("Official documents are usually only available in Chinese."),
    )
    tags = ClusterTaggableManager(through=PolicyPageTag, blank=True, verbose_name=_("tags"))
    index_number = models.CharField(
        _("index number"),
        max_length=60,
        blank=True,
        help_text=_(
            "The 索引号 of the government information disclosure catalogue, e.g. "
            "114209000116345678/2022-00123"
        ),
    )
    subject = models.CharField(
        _("subject"), max_length=16, choices=PolicySubject.choices, blank=True
    )
    interpretation_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("interpretation on this site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page that explains this document (解读), if it is published here."),
    )
    interpretation_url = models.URLField(
        _("interpretation elsewhere"),
        blank=True,
        help_text=_("The web address of the official interpretation (解读), if it is elsewhere."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("index_number")]),
                FieldRowPanel(
                    [
                        FieldPanel("authority", widget=authority_chooser.widget_class),
                        FieldPanel("region", widget=region_chooser.widget_class),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("category"), FieldPanel("subject"), FieldPanel("validity")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("issue_date"),
                        FieldPanel("effective_date"),
                        FieldPanel("expiry_date"),
                    ]
                ),
            ],
            heading=_("Document"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("full_text_language"),
        MultiFieldPanel(
            [FieldPanel("interpretation_page"), FieldPanel("interpretation_url")],
            heading=_("Interpretation (解读)"),
        ),
        InlinePanel("attachments", label=_("Attachments")),
        InlinePanel("related_links", label=_("Related policies")),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_segments"),
        index.FilterField("authority"),
        index.FilterField("region"),
        index.FilterField("category"),
        index.FilterField("issue_date"),
        index.FilterField("validity"),
    ]
    parent_page_types = ["cms.PolicyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def validity_on(self, on: dt.date | None = None) -> str:
        """效力 on ``on`` (today). An editor's explicit choice of expired, repealed or draft for
        comment stands; the default, in force, follows the dates: not yet in force
        (``NOT_YET_IN_FORCE``) before the effective date, expired after the expiry date."""
        if self.validity != Validity.VALID:
            return self.validity
        on = on or timezone.localdate()
        if self.effective_date and on < self.effective_date:
            return NOT_YET_IN_FORCE
        if self.expiry_date and on > self.expiry_date:
            return Validity.EXPIRED
        return Validity.VALID

    @property
    def current_validity(self) -> str:
        return self.validity_on()

    @property
    def current_validity_label(self) -> str:
        code = self.validity_on()
        return str(NOT_YET_IN_FORCE_LABEL if code == NOT_YET_IN_FORCE else Validity(code).label)

    def clean(self) -> None:
        super().clean()
        if self.interpretation_page_id and self.interpretation_url:
            raise ValidationError(
                {
                    "interpretation_url": _(
                        "Link the interpretation either to a page on this site or to a web "
                        "address, not both."
                    )
                }
            )

    @property
    def interpretation_link(self) -> str:
        """Where the interpretation (解读) is: the live page's address or the web address."""
        page = self.interpretation_page
        if page is not None and page.live:
            return page.localized.url or ""
        return self.interpretation_url

    def search_text(self) -> PageText:
        """Policies add their tags and their metadata (文号, 索引号, authority, region, subject) in
        both languages, ranked below the title and above the body."""
        text = super().search_text()
        authority, region = self.authority, self.region
        metadata = [
            self.document_number,
            self.index_number,
            *([authority.name_zh, authority.name_en] if authority else []),
            *([region_name(region, "zh-hans"), region_name(region, "en")] if region else []),
            *(
                [str(label) for lang in ("zh-hans", "en") for label in [_subject_in(self, lang)]]
                if self.subject
                else []
            ),
        ]
        return PageText(
            title=text.title,
            tags=" ".join(sorted(self.tags.names())),
            metadata="\n".join(m for m in metadata if m),
            body=text.body,
        )

    def indicator_targets(self) -> list[dict]:
        """The document's quantitative targets as plain dicts (for dashboards in other apps).

        Each dict: ``indicator`` (str), ``target_value`` (Decimal), ``unit`` (str),
        ``target_year`` (int or None), ``qualifier`` ("reach" | "at_least" | "about" |
        "at_most"), ``note`` (str), ``policy_id`` and ``policy_title``.
        """

        return [
            {
                "indicator": block.value["indicator"],
                "target_value": block.value["target_value"],
                "unit": block.value["unit"],
                "target_year": block.value.get("target_year"),
                "qualifier": block.value.get("qualifier") or "reach",
                "note": block.value.get("note") or "",
                "policy_id": self.pk,
                "policy_title": self.title,
            }
            for block in self.body
            if block.block_type == "target"
        ]

    def sections(self) -> list[dict]:
        """Top-level headings for the table of contents (anchor id and text)."""

        return [
            {"id": f"s-{block.id}", "text": block.value["text"]}
            for block in self.body
            if block.block_type == "heading" and block.value["level"] == "h2"
        ]

    def related_policies(self) -> list[PolicyPage]:
        """Live related policies, in this page's language where a translation exists."""

        ids = [link.related_id for link in self.related_links.all() if link.related_id]
        if not ids:
            return []
        pages = PolicyPage.objects.filter(id__in=ids).select_related("locale")
        translation_keys = [p.translation_key for p in pages]
        localized = {
            p.translation_key: p
            for p in PolicyPage.objects.live()
            .public()
            .filter(translation_key__in=translation_keys, locale_id=self.locale_id)
        }
        fallback = {p.translation_key: p for p in pages if p.live}
        ordered = []
        for page in pages:
            chosen = localized.get(page.translation_key) or fallback.get(page.translation_key)
            if chosen and chosen.pk != self.pk and chosen not in ordered:
                ordered.append(chosen)
        return ordered


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyPage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("link text"), max_length=200, blank=True, help_text=_("Defaults to the document title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    @property
    def label(self) -> str:
        return self.title or self.document.title


class PolicyRelatedLink(Orderable):
    page = ParentalKey(PolicyPage, related_name="related_links", on_delete=models.CASCADE)
    related = models.ForeignKey(
        PolicyPage, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("related")]

    class Meta(Orderable.Meta):
        verbose_name = _("related policy")
        verbose_name_plural = _("related policies")


class NoticeIndexPage(
    RequestHostPageMixin, SegmentedSearchMixin, BreadcrumbMixin, RoutablePageMixin, Page
):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("search_segments")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NoticePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("notice index")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        notices = NoticePage.objects.child_of(self).live().public().order_by("-date", "-pk")
        context["notices"] = paginate(request, notices)
        return context

    @path("feed/", name="feed")
    def feed(self, request: HttpRequest) -> HttpResponse:
        return NoticeFeed(self)(request)

    def feed_items(self, limit: int) -> PageQuerySet:
        return NoticePage.objects.child_of(self).live().public().order_by("-date", "-pk")[:limit]

    @property
    def feed_url(self) -> str:
        return self.url + self.reverse_subpage("feed")


class NoticePage(RequestHostPageMixin, SegmentedSearchMixin, BreadcrumbMixin, Page):
    objects = PageManager.from_queryset(NoticePageQuerySet)()

    date = models.DateField(_("date"), default=dt.date.today)
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    application_deadline = models.DateTimeField(
        _("application deadline"),
        null=True,
        blank=True,
        help_text=_("For calls for applications: when applications close."),
    )
    related_policy = models.ForeignKey(
        PolicyPage,
        verbose_name=_("related policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("application_deadline")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("related_policy"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_segments"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.NoticeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    @cached_property
    def applications_open(self) -> bool:
        return bool(self.application_deadline and self.application_deadline > timezone.now())


class ContentPage(RequestHostPageMixin, SegmentedSearchMixin, BreadcrumbMixin, Page):
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("search_segments")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")


def paginate(request: HttpRequest, queryset, per_page: int = PER_PAGE) -> PaginatorPage:
    """The requested page of ``queryset``; out-of-range or invalid numbers give the nearest page."""

    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def policy_filter_choices(locale_id: int) -> dict[str, list]:
    """Choices offered by the policy filter forms: only values that live policies use.

    Cached per locale and language; the key changes whenever content is published.
    """
    key = f"cms:policy-filter-choices:{locale_id}:{get_language()}:{content_version()}"
    choices = cache.get(key)
    if choices is not None:
        return choices
    policies = PolicyPage.objects.live().public().filter(locale_id=locale_id)
    authority_ids = set(policies.values_list("authority_id", flat=True))
    region_codes = set(policies.values_list("region_id", flat=True))
    regions = Region.objects.filter(code__in=region_codes).select_related("parent")
    region_choices: dict[str, str] = {}
    for region in regions:
        if region.parent_id:
            region_choices.setdefault(region.parent.code, region.parent.name)
        region_choices[region.code] = region.full_name
    years = sorted({d.year for d in policies.dates("issue_date", "year")}, reverse=True)
    choices = {
        "authorities": [
            (a.pk, a.name) for a in IssuingAuthority.objects.filter(pk__in=authority_ids)
        ],
        "regions": sorted(region_choices.items()),
        "years": years,
    }
    cache.set(key, choices, FILTER_CHOICES_TIMEOUT)
    return choices


class ContentVersion(models.Model):
    """The content version when the cache is per process (``cms.cache``): one row."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("content version")

    def __str__(self) -> str:
        return str(self.version)


class SearchDocument(models.Model):
    """The plain text of a live page's published revision, for site search and its snippets.

    Written when a revision is published (``cms.fulltext``), removed when the page is
    unpublished or deleted, so searching never rebuilds text from StreamFields. ``title``
    and ``text`` are what results show; the ``*_terms`` columns hold the same text
    normalised to simplified characters and segmented into words. Small columns come first:
    ranking reads them for every match, the long texts only for the page of results shown.

    The database adds its own full-text structure (migration ``search_documents``): on
    PostgreSQL a generated, weighted ``tsvector`` column ``search_vector`` (title A, tags and
    metadata B, body C) with a GIN index; on SQLite an FTS5 table ``cms_searchdocument_fts``
    over the three term columns, kept in step by triggers.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="search_document"
    )
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField(null=True, blank=True)
    title = models.TextField()
    text = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    meta_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return self.title
