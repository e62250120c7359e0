"""Registrations of the accounts app: its demo accounts, loaded first, and the header's link to
the CMS."""

from __future__ import annotations

from wagtail import hooks

from portal.accounts.navigation import NavigationLink, can_use_cms
from portal.core.hooks import DEMO_CONTENT, NAVIGATION


def load_demo(stdout, style) -> None:
    # Imported when the demo is loaded: it is only needed by ``manage.py load_demo``.
    from portal.accounts import demo

    demo.load(stdout, style)


hooks.register(DEMO_CONTENT, load_demo, order=10)
hooks.register(NAVIGATION, NavigationLink("cms", can_use_cms), order=30)
