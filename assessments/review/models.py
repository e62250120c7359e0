"""Programmes (calls for applications), applications, their audit trail, item reviews,
conflict-of-interest declarations and certificates."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from assessments.models import SchemeVersion, Submission, new_verify_code
from portal.accounts.models import Enterprise, Region
from portal.core.i18n import is_english


class State(models.TextChoices):
    """States of an application (the machine is in :mod:`assessments.review.transitions`)."""

    SUBMITTED = "submitted", _("Submitted")
    FORMAL_CHECK = "formal_check", _("Formal check")
    RETURNED = "returned", _("Returned for changes")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    RECOMMENDED = "recommended", _("Recommended")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    RECOGNISED = "recognised", _("Recognised")
    REJECTED = "rejected", _("Rejected")
    RECONSIDERATION = "reconsideration", _("Reconsideration requested")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL_STATES = frozenset({State.RECOGNISED, State.REJECTED, State.WITHDRAWN})
# The order of the workflow (the queue's "workflow order" sort and the firm's stage path).
WORKFLOW_ORDER = (
    State.SUBMITTED,
    State.FORMAL_CHECK,
    State.RETURNED,
    State.RESUBMITTED,
    State.EXPERT_REVIEW,
    State.RECOMMENDED,
    State.PUBLIC_NOTICE,
    State.RECONSIDERATION,
    State.RECOGNISED,
    State.REJECTED,
    State.WITHDRAWN,
)
# Applications that count against a recommendation quota.
RECOMMENDED_STATES = frozenset({State.RECOMMENDED, State.PUBLIC_NOTICE, State.RECOGNISED})


class Programme(ClusterableModel):
    """A call for applications, e.g. "2026 年度知识产权优势企业申报".

    A clusterable model, so that the recognitions it confers (:class:`ProgrammeRecognition`)
    are edited inline on the programme in the Wagtail admin.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("Short identifier used in certificate numbers, e.g. hb-2026-advantage."),
    )
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    scheme_version = models.ForeignKey(
        SchemeVersion,
        verbose_name=_("scheme version"),
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"status": "published"},
        help_text=_("Applicants apply with a submission scored under this scheme version."),
    )
    min_level = models.CharField(
        _("minimum level"),
        max_length=32,
        blank=True,
        help_text=_(
            "Level code the submission must reach (e.g. advantage); empty accepts any level "
            "that is not vetoed."
        ),
    )
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("regions"),
        related_name="programmes",
        help_text=_(
            "Enterprises registered in these regions may apply; a province covers its cities."
        ),
    )
    opens_at = models.DateTimeField(_("window opens"))
    closes_at = models.DateTimeField(_("window closes"))
    objection_days = models.PositiveSmallIntegerField(
        _("objection period (days)"),
        default=7,
        help_text=_("Length of the public notice (公示) before recognition."),
    )
    quota = models.PositiveIntegerField(
        _("quota"),
        null=True,
        blank=True,
        help_text=_("Most applications that may be recommended; empty means no limit."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    announcement = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("announcement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The notice page in the CMS that announces this programme."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # --- What the programme confers (certificates) ------------------------------------------
    # The recognition titles per level are ProgrammeRecognition rows; the certificate freezes
    # the title, the authority and the dates when it is issued.
    issuing_authority = models.ForeignKey(
        "cms.IssuingAuthority",
        verbose_name=_("issuing authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text=_("The body that confers the recognition and signs the certificates."),
    )
    seal = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The authority's seal, printed on certificates (a PNG with transparency)."),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("validity (years)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("A certificate is valid from its issue date for this many years."),
    )
    number_prefix = models.CharField(
        _("certificate number prefix"),
        max_length=8,
        default="HB",
        validators=[RegexValidator(r"^[A-Z]{1,8}$", _("Capital letters A–Z only."))],
        help_text=_(
            "First part of certificate numbers, usually the region's abbreviation: "
            "HB-2026-YS-00002 is prefix, year of issue, recognition code and serial."
        ),
    )

    # --- Review workflow: periods, expert panel, expected time per stage ------------------
    # (Required materials, the levels of the recommendation chain and the quotas per region and
    # level are rows of their own: RequiredMaterial, ReviewStage, ProgrammeQuota.)
    periods_in_working_days = models.BooleanField(
        _("count periods in working days"),
        default=False,
        help_text=_(
            "Count the public notice, the deadline for changes and the reconsideration period in "
            "working days (weekends and the public holidays of the calendar are skipped)."
        ),
    )
    change_request_days = models.PositiveSmallIntegerField(
        _("deadline for changes (days)"),
        default=15,
        help_text=_("Default deadline of a request for changes (补正), from the day it is sent."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder before the deadline (days)"),
        default=3,
        help_text=_("The firm is reminded this many days before the deadline for changes."),
    )
    reconsideration_days = models.PositiveSmallIntegerField(
        _("reconsideration period (days)"),
        default=15,
        help_text=_(
            "A rejected firm may ask for reconsideration (复议) within this period; 0 means "
            "no reconsideration."
        ),
    )
    min_experts = models.PositiveSmallIntegerField(
        _("experts per application"),
        default=0,
        help_text=_(
            "Experts who score each application independently before it can be recommended "
            "(at least 2 for a panel); 0 means no expert panel."
        ),
    )
    expert_spread_threshold = models.DecimalField(
        _("expert spread threshold (points)"),
        max_digits=6,
        decimal_places=2,
        default=10,
        help_text=_(
            "When the experts' totals differ by more than this, the lead reviewer's consensus "
            "score needs a written reason."
        ),
    )
    expected_days = models.JSONField(
        _("expected days per stage"),
        default=dict,
        blank=True,
        help_text=_(
            'Shown to the firm, e.g. {"submitted": 5, "formal_check": 10, "expert_review": 20, '
            '"recommended": 15}.'
        ),
    )
    # --- end of the review workflow block -----------------------------------------------

    class Meta:
        ordering = ["-opens_at", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        permissions = [
            (
                "change_programme_quota",
                _("Can change the quotas, regions and review levels of programmes"),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if is_english() and self.title_en else self.title_zh

    @property
    def description(self) -> str:
        return self.description_en if is_english() and self.description_en else self.description_zh

    def clean(self) -> None:
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The window must close after it opens.")
        if self.min_experts == 1:
            errors["min_experts"] = _("An expert panel needs at least two experts (or 0 for none).")
        bad = _bad_expected_days(self.expected_days)
        if bad:
            errors["expected_days"] = bad
        if self.min_level and self.scheme_version_id:
            codes = [level.code for level in self.scheme_version.engine_scheme.levels]
            if self.min_level not in codes:
                errors["min_level"] = _("Unknown level; the scheme's levels are: %(codes)s.") % {
                    "codes": ", ".join(codes)
                }
        if errors:
            raise ValidationError(errors)

    def window_is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now <= self.closes_at

    @property
    def is_accepting(self) -> bool:
        return self.status == self.Status.OPEN and self.window_is_open()

    def covers(self, region: Region) -> bool:
        """Whether an enterprise registered in ``region`` is in scope (province covers cities)."""
        codes = {r.code for r in self.regions.all()}
        return region.code in codes or (region.parent_id is not None and region.parent_id in codes)

    def recognition_for(self, level: str) -> ProgrammeRecognition | None:
        """The recognition this programme confers at ``level`` (a scheme level code)."""
        return self.recognitions.filter(level=level).first()

    def expected_days_for(self, state: str) -> int | None:
        value = (self.expected_days or {}).get(state)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bad_expected_days(value) -> str:
    """Why ``expected_days`` is not a mapping of state codes to whole days ("" when it is)."""
    if value in (None, ""):
        return ""
    if not isinstance(value, dict):
        return _('Give an object such as {"formal_check": 10}.')
    for key, days in value.items():
        if key not in State.values:
            return _("Unknown stage %(key)s; the stages are: %(codes)s.") % {
                "key": key,
                "codes": ", ".join(State.values),
            }
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 3650:
            return _("The days for %(key)s must be a whole number from 0 to 3650.") % {"key": key}
    return ""


class RequiredMaterial(models.Model):
    """A document every applicant of a programme uploads, checked in the formal check."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    code = models.SlugField(_("code"), max_length=40)
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    help_zh = models.TextField(_("Chinese explanation"), blank=True)
    help_en = models.TextField(_("English explanation"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["programme", "sort_order", "pk"]
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="one_material_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if is_english() and self.title_en else self.title_zh

    @property
    def help(self) -> str:
        return self.help_en if is_english() and self.help_en else self.help_zh


class ReviewStage(models.Model):
    """One level of a programme's recommendation chain (e.g. 市局推荐 → 省局评审 → 国家局确认).

    After the formal check and the expert review, each level recommends in turn; the application
    moves up only when recommended. A programme without levels has one implicit level.
    """

    class QuotaScope(models.TextChoices):
        PROGRAMME = "programme", _("the whole programme")
        PROVINCE = "province", _("each province")
        CITY = "city", _("each city")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="stages",
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewers of this level"),
        blank=True,
        related_name="review_stages",
        limit_choices_to={"reviewer_profile__isnull": False},
        help_text=_(
            "They decide at this level, each within their own regions; empty means every "
            "reviewer whose regions cover the enterprise."
        ),
    )
    quota = models.PositiveIntegerField(
        _("quota"),
        null=True,
        blank=True,
        help_text=_("Most applications this level may recommend; empty means no limit."),
    )
    quota_scope = models.CharField(
        _("quota applies to"),
        max_length=16,
        choices=QuotaScope.choices,
        default=QuotaScope.PROGRAMME,
    )

    class Meta:
        ordering = ["programme", "sort_order", "pk"]
        verbose_name = _("review level")
        verbose_name_plural = _("review levels")

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if is_english() and self.name_en else self.name_zh


class ProgrammeQuota(models.Model):
    """A limit on recommendations in a region and/or at a level of the programme's scheme.

    ``max_count`` caps the number; ``max_share`` caps the share in per cent of the programme's
    quota (for the whole programme) or of the recommendations in the region, e.g. "at most 10 %
    of recommendations at the demonstration level".
    """

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="quotas",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole programme. A province covers its cities."),
    )
    level = models.CharField(
        _("level"),
        max_length=32,
        blank=True,
        help_text=_("A level code of the programme's scheme (e.g. demonstration); empty: any."),
    )
    max_count = models.PositiveIntegerField(_("most recommendations"), null=True, blank=True)
    max_share = models.DecimalField(
        _("largest share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["programme", "region", "level", "pk"]
        verbose_name = _("programme quota")
        verbose_name_plural = _("programme quotas")

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.region_id or '*'} · {self.level or '*'}"

    def clean(self) -> None:
        if self.max_count is None and self.max_share is None:
            raise ValidationError(_("Give a number of recommendations, a share, or both."))
        if self.level and self.programme_id:
            scheme = self.programme.scheme_version.engine_scheme
            codes = [level.code for level in scheme.levels]
            if self.level not in codes:
                raise ValidationError(
                    {
                        "level": _("Unknown level; the scheme's levels are: %(codes)s.")
                        % {"codes": ", ".join(codes)}
                    }
                )


class CalendarDay(models.Model):
    """An exception to "Monday to Friday are working days": a public holiday on a weekday, or a
    weekend working day (调休). Periods in working days skip holidays and count working days."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (no work)")
        WORKDAY = "workday", _("Working day on a weekend")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class ProgrammeRecognition(models.Model):
    """A recognition a programme confers at one level, e.g. 湖北省知识产权优势企业 (code YS)."""

    programme = ParentalKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="recognitions",
    )
    level = models.CharField(
        _("level"),
        max_length=32,
        help_text=_("The scheme level code it is conferred at, e.g. advantage or demonstration."),
    )
    title_zh = models.CharField(
        _("Chinese title"), max_length=120, help_text=_("e.g. 湖北省知识产权优势企业")
    )
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    number_code = models.CharField(
        _("code in certificate numbers"),
        max_length=4,
        validators=[RegexValidator(r"^[A-Z]{2,4}$", _("Two to four capital letters A–Z."))],
        help_text=_("e.g. YS for 优势, SF for 示范."),
    )

    panels = [
        FieldRowPanel([FieldPanel("level"), FieldPanel("number_code")]),
        FieldRowPanel([FieldPanel("title_zh"), FieldPanel("title_en")]),
    ]

    class Meta:
        ordering = ["programme", "pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            models.UniqueConstraint(fields=["programme", "level"], name="one_recognition_per_level")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if is_english() and self.title_en else self.title_zh


class ApplicationQuerySet(models.QuerySet):
    def live(self) -> ApplicationQuerySet:
        return self.exclude(state=State.WITHDRAWN)

    def in_regions(self, regions) -> ApplicationQuerySet:
        """Applications of enterprises in ``regions`` (region codes or a queryset; None = all)."""
        if regions is None:
            return self
        return self.filter(enterprise__region_id__in=regions)


class Application(models.Model):
    """An enterprise's application to a programme with one of its submissions."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.PROTECT,
        related_name="applications",
        help_text=_("The current submission; a resubmission points here to a new one."),
    )
    original_submission = models.ForeignKey(
        Submission,
        verbose_name=_("original submission"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_applications",
    )
    reviewed_total = models.DecimalField(
        _("reviewed total"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    reviewed_level = models.CharField(_("reviewed level"), max_length=32, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    notice_ends_on = models.DateField(_("objection period ends"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Incremented on every change (optimistic locking).")
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    stage_index = models.PositiveSmallIntegerField(
        _("levels passed"),
        default=0,
        help_text=_("How many levels of the recommendation chain have recommended it."),
    )
    reviewed_bonus = models.DecimalField(
        _("reviewed bonus"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    sort_name = models.CharField(
        _("name for sorting (pinyin)"), max_length=255, blank=True, db_index=True
    )
    due_on = models.DateField(
        _("due on"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "The next deadline: changes due, end of the notice, or the stage's expected end."
        ),
    )
    notice_starts_on = models.DateField(_("public notice starts"), null=True, blank=True)
    override_reason = models.TextField(
        _("override reasons"),
        blank=True,
        help_text=_("Every safeguard a lead reviewer overrode, with the written reason."),
    )
    consensus_reason = models.TextField(_("consensus reason"), blank=True)
    consensus_at = models.DateTimeField(_("consensus set at"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "enterprise"],
                condition=~Q(state="withdrawn"),
                name="one_live_application_per_programme",
            )
        ]
        indexes = [models.Index(fields=["programme", "state"])]

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.programme}"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def total(self):
        """The reviewed total when a reviewer adjusted items, else the engine total."""
        return self.reviewed_total if self.reviewed_total is not None else self.submission.total

    @property
    def level(self) -> str:
        return self.reviewed_level or self.submission.level

    @property
    def bonus(self):
        """The reviewed bonus when a reviewer reviewed the items, else the engine's bonus."""
        if self.reviewed_bonus is not None:
            return self.reviewed_bonus
        if "engine_bonus_text" in self.__dict__:  # annotated by the exports (result deferred)
            return self.__dict__["engine_bonus_text"]
        return (self.submission.result or {}).get("bonus")

    @property
    def is_overdue(self) -> bool:
        return (
            self.state == State.RETURNED
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class ReviewEvent(models.Model):
    """One entry of an application's audit trail: a transition, an assignment, a comment."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32)
    internal = models.BooleanField(
        _("internal"),
        default=False,
        help_text=_("An internal note: reviewers see it, the firm never does."),
    )
    from_state = models.CharField(_("from state"), max_length=16, blank=True)
    to_state = models.CharField(_("to state"), max_length=16, blank=True)
    reason = models.TextField(_("reason or comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"

    @property
    def is_transition(self) -> bool:
        return bool(self.to_state) and self.from_state != self.to_state

    def get_from_state_display(self) -> str:
        return State(self.from_state).label if self.from_state in State.values else ""

    def get_to_state_display(self) -> str:
        return State(self.to_state).label if self.to_state in State.values else ""


class ItemReview(models.Model):
    """A reviewer's view of one item: adjusted points (scored items), accepted or struck (bonus
    items), confirmed or raised (veto items), an internal note, a message to the firm, and
    "reopened" for the firm."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        STRUCK = "struck", _("Struck out")
        CONFIRMED = "confirmed", _("Confirmed")
        RAISED = "raised", _("Veto raised by the reviewer")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="item_reviews",
    )
    item_code = models.CharField(_("item"), max_length=64)
    adjusted_points = models.DecimalField(
        _("adjusted points"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    message = models.TextField(
        _("message to the firm"), blank=True, help_text=_("The firm sees this.")
    )
    note = models.TextField(
        _("internal note"), blank=True, help_text=_("Reviewers only; the firm never sees it.")
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    reopened = models.BooleanField(
        _("reopened for the firm"),
        default=False,
        help_text=_("Changes requested: the firm may edit the answers behind this item."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("item review")
        verbose_name_plural = _("item reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "item_code"], name="one_review_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.item_code}"


class ConflictOfInterest(models.Model):
    """A reviewer's declaration; the reviewer can no longer act on the application."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="conflicts_of_interest",
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_declaration_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application_id}"


class ChangeRequest(models.Model):
    """A request for changes (补正): the items and materials reopened, what is needed, and a
    deadline. The firm is reminded before the deadline; the application is flagged after it."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    items = models.JSONField(_("items reopened"), default=list, blank=True)
    materials = models.JSONField(_("materials reopened"), default=list, blank=True)
    message = models.TextField(_("what is needed"))
    deadline = models.DateField(_("deadline"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request for changes")
        verbose_name_plural = _("requests for changes")

    def __str__(self) -> str:
        return f"{self.application_id} · {self.deadline.isoformat()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()


def application_file_upload_to(instance: ApplicationFile, filename: str) -> str:
    return f"private/applications/{instance.application_id}/{instance.kind}/{filename}"


class ApplicationFile(models.Model):
    """A file the firm sent with its application: a required material, or evidence for a
    request for reconsideration. Newer files of the same material replace older ones."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("Required material")
        RECONSIDERATION = "reconsideration", _("Reconsideration evidence")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    material = models.ForeignKey(
        RequiredMaterial,
        verbose_name=_("material"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
    )
    file = models.FileField(_("file"), upload_to=application_file_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["application", "kind", "-uploaded_at", "-pk"]
        verbose_name = _("application file")
        verbose_name_plural = _("application files")

    def __str__(self) -> str:
        return self.original_name


class MaterialCheck(models.Model):
    """The formal check of one material: complete or incomplete, with a reason."""

    class Status(models.TextChoices):
        COMPLETE = "complete", _("Complete")
        INCOMPLETE = "incomplete", _("Incomplete")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="material_checks",
    )
    material = models.ForeignKey(
        RequiredMaterial,
        verbose_name=_("material"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    file = models.ForeignKey(
        ApplicationFile,
        verbose_name=_("file checked"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("result"), max_length=12, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("material check")
        verbose_name_plural = _("material checks")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "material"], name="one_check_per_material"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.material_id} · {self.status}"


class ExpertAssignment(models.Model):
    """An expert on an application's panel and, once submitted, their independent score.

    ``points`` holds the expert's points per item (those they changed from the engine's);
    ``total`` and ``bonus`` are the engine's re-scoring of the answers with them. Nobody sees
    another expert's score before submitting their own (the lead sees them all).
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="experts",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="expert_assignments",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    points = models.JSONField(_("points per item"), default=dict, blank=True)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, null=True, blank=True)
    bonus = models.DecimalField(_("bonus"), max_digits=7, decimal_places=2, null=True, blank=True)
    level = models.CharField(_("level"), max_length=32, blank=True)
    note = models.TextField(_("internal note"), blank=True)
    no_conflict_declared_at = models.DateTimeField(
        _("declared no conflict of interest at"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "assigned_at", "pk"]
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="one_seat_per_expert")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.expert_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


def objection_upload_to(instance: Objection, filename: str) -> str:
    return f"private/objections/{instance.application_id}/{filename}"


class Objection(models.Model):
    """An objection lodged by anyone during the public notice (公示); a reviewer answers it
    before the application can be recognised."""

    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", _("Dismissed")
        UPHELD = "upheld", _("Upheld")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    contact = models.CharField(_("telephone or e-mail"), max_length=200)
    text = models.TextField(_("objection"))
    evidence = models.FileField(
        _("evidence"), upload_to=objection_upload_to, blank=True, max_length=300
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("evidence content type"), max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(_("evidence size (bytes)"), default=0)
    evidence_sha256 = models.CharField(_("evidence SHA-256"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    created_at = models.DateTimeField(_("lodged at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["application", "created_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.application_id} · {self.name}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


def certificate_upload_to(instance: Certificate, filename: str) -> str:
    return f"private/certificates/{instance.enterprise_id}/{instance.verify_code}.pdf"


def recognised_q(on: dt.date) -> Q:
    """Certificates that conferred their recognition on ``on``: within their validity and not
    suspended or revoked by then (a suspension or revocation after ``on`` did not yet count)."""
    withdrawn = ["suspended", "revoked"]
    return (
        Q(valid_from__lte=on, valid_until__gte=on)
        & ~Q(status__in=withdrawn, status_changed_at__isnull=True)
        & ~Q(status__in=withdrawn, status_changed_at__date__lte=on)
    )


class CertificateQuerySet(models.QuerySet):
    def recognised(self, on: dt.date | None = None) -> CertificateQuerySet:
        """Certificates that confer their recognition on ``on`` (today): neither suspended nor
        revoked, and within their validity. The one definition of "recognised" that the
        dashboard, the certificate lists and the exports use (:meth:`Certificate.current_status`
        says the same of one certificate)."""
        return self.filter(recognised_q(on or timezone.localdate()))


class Certificate(models.Model):
    """Issued on recognition; valid for the programme's validity period; verifiable at
    /verify/<code>/."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", pgettext_lazy("certificate status", "Expired")

    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    level = models.CharField(_("level"), max_length=32)
    level_label_zh = models.CharField(_("Chinese level label"), max_length=100)
    level_label_en = models.CharField(_("English level label"), max_length=100)
    # What is conferred, frozen when the certificate is issued.
    recognition_zh = models.CharField(_("Chinese recognition title"), max_length=120, blank=True)
    recognition_en = models.CharField(_("English recognition title"), max_length=200, blank=True)
    issuer_zh = models.CharField(_("Chinese issuer name"), max_length=120, blank=True)
    issuer_en = models.CharField(_("English issuer name"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("stored status"),
        max_length=10,
        choices=Status.choices,
        default=Status.VALID,
        db_index=True,
        help_text=_("Expiry is computed from the validity date; this field records it too."),
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    verify_code = models.CharField(
        _("verification code"), max_length=20, unique=True, default=new_verify_code, editable=False
    )
    pdf = models.FileField(_("PDF"), upload_to=certificate_upload_to, blank=True, max_length=300)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    def current_status(self, today: dt.date | None = None) -> str:
        """The status now: revoked and suspended as stored, otherwise expired after validity."""
        if self.status in (self.Status.REVOKED, self.Status.SUSPENDED):
            return self.status
        today = today or timezone.localdate()
        if today > self.valid_until:
            return self.Status.EXPIRED
        return self.Status.VALID

    def get_current_status_display(self) -> str:
        return self.Status(self.current_status()).label

    def status_since(self, today: dt.date | None = None) -> dt.date:
        """The day the current status began: the change of status, the day after the validity
        ended for an expired certificate, else the issue date."""
        status = self.current_status(today)
        if status in (self.Status.SUSPENDED, self.Status.REVOKED) and self.status_changed_at:
            return timezone.localdate(self.status_changed_at)
        if status == self.Status.EXPIRED:
            return self.valid_until + dt.timedelta(days=1)
        return self.valid_from

    @property
    def is_withdrawn(self) -> bool:
        """Suspended or revoked: only the PDF stamped with that status may be downloaded."""
        return self.status in (self.Status.SUSPENDED, self.Status.REVOKED)

    @property
    def recognition(self) -> str:
        """The recognition conferred (certificates issued before recognitions were stated on
        programmes show their level)."""
        if is_english():
            return self.recognition_en or self.level_label_en or self.recognition_zh
        return self.recognition_zh or self.level_label_zh

    @property
    def issuer(self) -> str:
        if is_english() and self.issuer_en:
            return self.issuer_en
        return self.issuer_zh


def stamped_upload_to(instance: StampedCertificate, filename: str) -> str:
    certificate = instance.certificate
    return (
        f"private/certificates/{certificate.enterprise_id}/"
        f"{certificate.verify_code}-{instance.status}-{instance.since:%Y%m%d}.pdf"
    )


class StampedCertificate(models.Model):
    """The certificate PDF stamped with a suspension or revocation and its date: after such a
    change the firm can only download this one. Its SHA-256 is one of the genuine files the
    verification page lists."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="stamped_files",
    )
    status = models.CharField(_("status"), max_length=10, choices=Certificate.Status.choices)
    since = models.DateField(_("since"))
    pdf = models.FileField(_("PDF"), upload_to=stamped_upload_to, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["certificate", "created_at", "pk"]
        verbose_name = _("stamped certificate")
        verbose_name_plural = _("stamped certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "status", "since"], name="one_stamp_per_status_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.status} · {self.since}"
