"""A fixed-window rate limit per client address, kept in the cache (Redis in production)."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client address as django-axes sees it (honours the configured proxy count)."""

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, request: HttpRequest, *, limit: int, window: int) -> bool:
    """Count one request; True when the address has gone over ``limit`` in this window."""
    key = f"ratelimit:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def exceeded(scope: str, request: HttpRequest, *, limit: int) -> bool:
    """Whether the address is already over ``limit`` (without counting)."""
    return (cache.get(f"ratelimit:{scope}:{client_address(request)}") or 0) > limit
