"""The language switch on a policy page lands on its English twin and back."""

from __future__ import annotations

import re

NEXT = re.compile(r'name="next" value="([^"]+)"')


def _switch(client, url: str, language: str):
    html = client.get(url).content.decode()
    response = client.post("/i18n/setlang/", {"language": language, "next": NEXT.search(html)[1]})
    assert response.status_code == 302
    return response["Location"]


def test_switch_on_a_policy_page_lands_on_its_english_twin_and_back(client, cms_site):
    page = cms_site.add_policy("知识产权强市方案", slug="ip-strong-city")
    for parent in (cms_site.home, cms_site.policies):
        parent.copy_for_translation(cms_site.en).save_revision().publish()
    twin = page.copy_for_translation(cms_site.en)
    twin.title = "IP-strong city plan"
    twin.save_revision().publish()
    english = _switch(client, "/policies/ip-strong-city/", "en")
    assert english == "/en/policies/ip-strong-city/"
    assert "IP-strong city plan" in client.get(english).content.decode()
    assert _switch(client, english, "zh-hans") == "/policies/ip-strong-city/"
