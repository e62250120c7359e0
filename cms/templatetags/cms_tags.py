"""Template helpers for the CMS pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cms.search import highlight

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" removes them)."""

    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def plain_number(value) -> str:
    """A target value without trailing zeros: Decimal("60.0000") → "60", 6.80 → "6.8"."""

    if value in (None, ""):
        return ""
    number = Decimal(str(value))
    normalized = number.normalize()
    if normalized == normalized.to_integral():
        normalized = normalized.quantize(Decimal(1))
    return number_format(normalized, use_l10n=True)


@register.filter
def qualifier_text(qualifier: str) -> str:
    return {
        "at_least": _("at least"),
        "about": _("about"),
        "at_most": _("at most"),
    }.get(qualifier or "", "")


@register.simple_tag
def heading_tag(level: str) -> str:
    return level if level in {"h2", "h3", "h4"} else "h2"


@register.simple_tag
def search_snippet(text: str, query: str):
    """An escaped excerpt of ``text`` with the query's words in ``<mark>``."""
    return highlight(text, query)


class PartNode(template.Node):
    """``{% part "name" %}…{% endpart %}``: renders nothing in place; stores its rendered
    content in the context's ``_parts`` dict (``cms.cache.render_parts``)."""

    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name, self.nodelist = name, nodelist

    def render(self, context) -> str:
        parts = context.get("_parts")
        if parts is not None:
            parts[self.name] = self.nodelist.render(context).strip()
        return ""


@register.tag("part")
def do_part(parser, token) -> PartNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('Usage: {% part "name" %}…{% endpart %}')
    nodelist = parser.parse(("endpart",))
    parser.delete_first_token()
    return PartNode(bits[1][1:-1], nodelist)
