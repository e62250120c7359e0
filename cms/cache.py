"""A version stamp for published CMS content, used to key cached fragments and lists.

Fragments that show several pages (latest policies on the home page, the filter choices of the
policy index) cannot rely on one page's ``cache_key``. They vary on ``content_version()``, which
changes whenever any page is published, unpublished, moved or deleted (see ``cms.signals``).
The stamp lives in the shared cache, so every app server sees the same one.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache

VERSION_KEY = "cms:content-version"
VERSION_TIMEOUT = None  # never expires; bumped on change


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, VERSION_TIMEOUT)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version() -> str:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, VERSION_TIMEOUT)
    return version
