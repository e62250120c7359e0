"""Registrations of the accounts app: its demo accounts, loaded first."""

from __future__ import annotations

from wagtail import hooks

from portal.accounts import demo
from portal.core.hooks import DEMO_CONTENT

hooks.register(DEMO_CONTENT, demo.load, order=10)
