"""Every HTML page sends a Content-Security-Policy: strict on the site (no inline script or
style), with the admin areas' exceptions only under their prefixes."""

from __future__ import annotations

import pytest

from tests.security.test_authorization_matrix import (
    MATRIX,
    MATRIX_ROUTES,
    OK,
    ROLES,
    client_for,
    url_for,
)
from tests.security.test_authorization_matrix import world as world  # the fixture


def directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def assert_strict(response, url: str) -> None:
    policy = directives(response)
    assert policy, f"{url}: no Content-Security-Policy"
    assert policy["script-src"][0] == "'self'", url
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[name], f"{url}: {name} {policy[name]}"
        assert "'unsafe-eval'" not in policy[name], f"{url}: {name} {policy[name]}"
    assert policy["object-src"] == ["'none'"], url
    assert policy["base-uri"] == ["'self'"], url
    assert policy["frame-ancestors"] == ["'self'"], url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_html_page_of_the_matrix_has_a_strict_policy(world, role):
    client = client_for(world, role)
    seen = 0
    for name in sorted(MATRIX):
        if MATRIX[name][role] != OK:
            continue
        url = url_for(MATRIX_ROUTES[name], world.kwargs.get(name, {}))
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        assert_strict(response, url)
        seen += 1
    assert seen >= 5, f"only {seen} HTML pages visited as {role}"


@pytest.mark.django_db
def test_cms_pages_and_error_pages_have_the_policy(world):
    from wagtail.models import Page

    client = client_for(world, "anon")
    for page in Page.objects.live().filter(depth__gt=1).specific()[:10]:
        url = page.get_url()
        if url:
            assert_strict(client.get(url), url)
    missing = client.get("/en/no-such-page/")
    assert missing.status_code == 404
    assert_strict(missing, "404")


@pytest.mark.django_db
def test_admin_areas_get_what_wagtail_needs_and_nothing_more(world):
    client = client_for(world, "admin")
    for url in ("/admin/", "/admin/pages/", "/django-admin/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert "blob:" in policy["img-src"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]


def test_a_nonce_appears_only_when_a_template_uses_it(rf):
    from django.http import HttpResponse
    from django.template import engines

    from portal.core.csp import PortalCSPMiddleware

    def view(request):
        html = engines["django"].from_string('<script nonce="{{ n }}"></script>')
        return HttpResponse(html.render({"n": request.csp_nonce}))

    request = rf.get("/en/")
    response = PortalCSPMiddleware(view)(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    plain = PortalCSPMiddleware(lambda r: HttpResponse("x"))(rf.get("/en/"))
    assert "nonce-" not in plain["Content-Security-Policy"]
