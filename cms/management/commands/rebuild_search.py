"""Rewrite the search documents of every live page (after a bulk import or a change to what a
page indexes); ``migrate`` already writes those that are missing."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cms import fulltext


class Command(BaseCommand):
    help = "Rewrite the site search documents of every live page."

    def handle(self, *args, **options) -> None:
        count = fulltext.rebuild()
        self.stdout.write(f"{count} search documents written.")
