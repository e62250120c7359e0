"""StreamField blocks for policy, notice and content bodies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock


class HeadingLevel:
    CHOICES = [
        ("h2", _("Section (一、)")),
        ("h3", _("Subsection (（一）)")),
        ("h4", _("Item (1.)")),
    ]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=HeadingLevel.CHOICES, default="h2", label=_("Level"), search_index=False
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading.html"


class TargetQualifier:
    CHOICES = [
        ("reach", _("reach")),
        ("at_least", _("at least")),
        ("about", _("about")),
        ("at_most", _("at most")),
    ]


class IndicatorTargetBlock(blocks.StructBlock):
    """A quantitative goal set by the document, e.g. invention patents per 10,000 people."""

    indicator = blocks.CharBlock(label=_("Indicator"), max_length=200)
    target_value = blocks.DecimalBlock(
        label=_("Target value"), max_digits=16, decimal_places=4, min_value=0
    )
    unit = blocks.CharBlock(label=_("Unit"), max_length=20, help_text=_("e.g. 件, 家, %"))
    target_year = blocks.IntegerBlock(
        label=_("Target year"), required=False, min_value=1990, max_value=2100
    )
    qualifier = blocks.ChoiceBlock(
        choices=TargetQualifier.CHOICES, default="reach", label=_("Qualifier"), search_index=False
    )
    note = blocks.CharBlock(label=_("Note"), required=False, max_length=300)

    class Meta:
        icon = "pick"
        label = _("Indicator target")
        template = "cms/blocks/indicator_target.html"


RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label=_("Paragraph"), template="cms/blocks/paragraph.html"
    )
    table = TableBlock(label=_("Table"))
    target = IndicatorTargetBlock()
