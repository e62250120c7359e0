"""Help, about, search and verification are reachable from every page, in both languages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page", "prefix"), [("/accounts/login/", ""), ("/en/accounts/login/", "/en")]
)
def test_header_and_footer_link_help_about_search_and_verify(client, page, prefix):
    html = client.get(page).content.decode()
    header, footer = html.split("<header", 1)[1].split("</header>", 1)[0], html.split("<footer")[1]
    assert f'href="{prefix}/search/"' in header
    for path in ("/about/", "/help/", "/search/", "/verify/"):
        assert f'href="{prefix}{path}"' in footer, path
