"""The figures peer benchmarks compare, one row per submission and section.

A submission's result lives in its JSON; the percentages a benchmark ranks are copied here when
the submission is made (``services.record_scores``), so that a cohort's percentiles are a
grouped query over indexed rows instead of reading every result.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Submission

#: The ``section`` of the row that holds the whole result's percentage.
TOTAL = ""


class SectionScore(models.Model):
    """A submission's percentage of the maximum in one section (or overall: ``section`` empty).

    ``percent`` is empty when the section is not applicable (every item answered "not
    applicable"); such a row takes no part in that section's comparison.
    """

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="peer_scores",
    )
    section = models.CharField(_("section"), max_length=64, blank=True)
    percent = models.DecimalField(_("percent"), max_digits=6, decimal_places=2, null=True)

    class Meta:
        ordering = ["submission", "section"]
        verbose_name = _("section score")
        verbose_name_plural = _("section scores")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "section"], name="peers_one_score_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.section or 'total'} {self.percent}"
