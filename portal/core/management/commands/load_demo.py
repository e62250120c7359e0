"""Load the demo content: accounts, schemes, policy pages, programmes, sample submissions.

Idempotent: running it again updates what it created and adds nothing twice. Each app that
has demo content registers ``load(stdout, style) -> None`` with the Wagtail hook
``portal.core.hooks.DEMO_CONTENT`` in its ``wagtail_hooks.py``; the loaders run by hook order
(accounts, then assessments, the CMS and review), each in its own transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail import hooks

from portal.core.hooks import DEMO_CONTENT


class Command(BaseCommand):
    help = "Load demo accounts and content (development only unless --force)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (production)."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. load_demo creates accounts with the "
                "well-known password 'changeme'; pass --force if you really mean it."
            )
        for load in hooks.get_hooks(DEMO_CONTENT):
            with transaction.atomic():
                load(stdout=self.stdout, style=self.style)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
