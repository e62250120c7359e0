"""Requests leave their language active in the test thread: start and end each test in Chinese."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")
