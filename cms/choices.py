"""Fixed classifications of policy documents (used by the page models, forms and filters)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyCategory(models.TextChoices):
    PLAN = "plan", _("Plan")  # 规划
    IMPLEMENTATION_PLAN = "implementation_plan", _("Implementation plan")  # 实施方案
    WORK_POINTS = "work_points", _("Work points")  # 工作要点
    ACTION_PLAN = "action_plan", _("Action plan")  # 行动方案
    NOTICE = "notice", _("Circular")  # 通知
    MEASURES = "measures", _("Measures")  # 办法 / 措施
    OPINIONS = "opinions", _("Opinions")  # 意见
    OTHER = "other", _("Other")  # 其他


class Validity(models.TextChoices):
    VALID = "valid", _("In force")  # 有效
    EXPIRED = "expired", _("Expired")  # 失效
    REPEALED = "repealed", _("Repealed")  # 废止
    DRAFT = "draft", _("Draft for comment")  # 征求意见稿
