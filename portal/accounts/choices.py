"""Fixed classifications used on enterprise records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    """The 20 sections (门类) of GB/T 4754-2017, the national industry classification."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, heat, gas and water production and supply")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail trade")
    G = "G", _("G Transport, storage and postal services")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information transmission, software and IT services")  # noqa: E741
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Scientific research and technical services")
    N = "N", _("N Water conservancy, environment and public facilities management")
    O = "O", _("O Resident services, repair and other services")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration, social security and social organisations")
    T = "T", _("T International organisations")


class EnterpriseSize(models.TextChoices):
    """Size classes of 工信部联企业〔2011〕300号."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class Roles:
    """Names of the permission groups created by the accounts migrations."""

    ENTERPRISE_OWNER = "Enterprise owners"
    ENTERPRISE_MEMBER = "Enterprise members"
    REVIEWER = "Reviewers"
    LEAD_REVIEWER = "Lead reviewers"
    EXPERT = "Experts"  # reviewers who score the applications assigned to them
    EDITOR = "Editors"  # Wagtail's default editors group
    MODERATOR = "Moderators"  # Wagtail's default moderators group
    ADMIN = "Administrators"

    ALL = (
        ENTERPRISE_OWNER,
        ENTERPRISE_MEMBER,
        REVIEWER,
        LEAD_REVIEWER,
        EXPERT,
        EDITOR,
        MODERATOR,
        ADMIN,
    )
