"""RSS feeds of the policy and notice indexes (served by the index pages' ``feed/`` route,
which hand over their ``feed_items``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

FEED_ITEMS = 30


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


class _IndexFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index_page) -> None:
        super().__init__()
        self.index_page = index_page
        self.request: HttpRequest | None = None

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return f"{self.index_page.title} · {_('IP Portal')}"

    def link(self) -> str:
        return self.index_page.get_full_url(self.request)

    def feed_url(self) -> str:
        return self.link() + self.index_page.reverse_subpage("feed")

    def item_title(self, item) -> str:
        return item.title

    def item_link(self, item) -> str:
        return item.get_full_url(self.request)

    def item_guid(self, item) -> str:
        return self.item_link(item)

    def item_updateddate(self, item) -> dt.datetime | None:
        return item.last_published_at


class PolicyFeed(_IndexFeed):
    def description(self) -> str:
        return _("Newly published intellectual-property policies.")

    def items(self):
        return self.index_page.feed_items(FEED_ITEMS)

    def item_description(self, item) -> str:
        return item.summary

    def item_pubdate(self, item) -> dt.datetime:
        return _aware(item.issue_date)

    def item_author_name(self, item) -> str | None:
        return item.authority.name if item.authority else None

    def item_categories(self, item) -> list[str]:
        return [str(item.get_category_display())]


class NoticeFeed(_IndexFeed):
    def description(self) -> str:
        return _("Notices and calls for applications.")

    def items(self):
        return self.index_page.feed_items(FEED_ITEMS)

    def item_description(self, item) -> str:
        return item.summary

    def item_pubdate(self, item) -> dt.datetime:
        return _aware(item.date)
