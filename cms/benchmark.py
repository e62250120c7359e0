"""Benchmark (not a test) of the public CMS pages for ``manage.py bench``: the policy index, a
policy page and search, anonymous, in Chinese, against the current database's demo content,
each from the shared page cache and rendered afresh (``*_uncached``)."""

from __future__ import annotations

from django.test import Client

from cms.cache import bypass
from cms.models import PolicyIndexPage, PolicyPage
from portal.core.benchmarks import (
    Figure,
    MissingDemoContent,
    measure,
    page_figures,
    web_settings,
)

# Budgets: measured on the machine described in docs/performance.md, with headroom (about 4x
# the median time and 1.5x the queries), so a loaded machine passes and a real regression (a
# lost cache, an N+1 query) does not.
BUDGETS = {  # page: (milliseconds, queries)
    "policy_index": (100, 20),
    "policy_page": (100, 20),
    "search": (200, 15),
    "policy_index_uncached": (100, 25),
    "policy_page_uncached": (100, 25),
    "search_uncached": (200, 15),
}


def _demo_pages() -> tuple[PolicyIndexPage, PolicyPage]:
    index = PolicyIndexPage.objects.live().filter(locale__language_code="zh-hans").first()
    policy = (
        PolicyPage.objects.live().filter(locale__language_code="zh-hans").order_by("pk").first()
    )
    if index is None or policy is None:
        raise MissingDemoContent(
            "No published policy pages in this database: run `python manage.py load_demo` "
            "(or point DATA_DIR / DATABASE_URL at a database that has the demo content)."
        )
    return index, policy


def cms_benchmark(quick: bool = False) -> list[Figure]:
    repeat = 5 if quick else 20
    index, policy = _demo_pages()
    client = Client()
    pages = {
        "policy_index": lambda: client.get(index.url),
        "policy_page": lambda: client.get(policy.url),
        "search": lambda: client.get("/search/", {"q": "知识产权 专利"}),
    }
    figures: list[Figure] = []
    with web_settings():
        for name, request in pages.items():
            figures += page_figures(name, measure(request, repeat, (200,)), *BUDGETS[name])
        with bypass():
            for name, request in pages.items():
                uncached = f"{name}_uncached"
                figures += page_figures(
                    uncached, measure(request, repeat, (200,)), *BUDGETS[uncached]
                )
    return figures
