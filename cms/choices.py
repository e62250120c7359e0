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


# 效力 of a policy today (``PolicyPage.validity_on``): the stored choices plus "not yet in
# force" (未生效), which only the dates can give.
NOT_YET_IN_FORCE = "pending"
NOT_YET_IN_FORCE_LABEL = _("Not yet in force")


class PolicySubject(models.TextChoices):
    """主题分类: the top level of the State Council's subject classification of documents."""

    GENERAL = "general", _("General government affairs")  # 综合政务
    ECONOMY = "economy", _("Economic management and state assets")  # 国民经济管理、国有资产监管
    FINANCE = "finance", _("Finance, banking and audit")  # 财政、金融、审计
    LAND_ENERGY = "land_energy", _("Land, resources and energy")  # 国土资源、能源
    AGRICULTURE = "agriculture", _("Agriculture, forestry and water")  # 农业、林业、水利
    INDUSTRY = "industry", _("Industry and transport")  # 工业、交通
    COMMERCE = "commerce", _("Trade, customs and tourism")  # 商贸、海关、旅游
    MARKET = "market", _("Market regulation and work safety")  # 市场监管、安全生产监管
    URBAN = "urban", _("Urban and rural construction, environment")  # 城乡建设、环境保护
    SCIENCE = "science", _("Science, technology and education")  # 科技、教育
    CULTURE = "culture", _("Culture, broadcasting and publishing")  # 文化、广电、新闻出版
    HEALTH = "health", _("Health and sports")  # 卫生、体育
    LABOUR = "labour", _("Labour, personnel and supervision")  # 劳动、人事、监察
    JUSTICE = "justice", _("Public security and justice")  # 公安、安全、司法
    CIVIL = "civil", _("Civil affairs and relief")  # 民政、扶贫、救灾
    FOREIGN = "foreign", _("Foreign affairs")  # 对外事务
    OTHER = "other", _("Other")  # 其他
