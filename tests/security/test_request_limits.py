"""Bodies are refused from their Content-Length before they are read, per view; NUL characters
are refused everywhere with a clear page; the wizard's step target is bounded."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.assessments.wizard.conftest import draft as draft  # the fixtures
from tests.assessments.wizard.conftest import ip_version as ip_version
from tests.assessments.wizard.conftest import member_client as member_client
from tests.assessments.wizard.helpers import step_post, step_url

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _english():
    """reverse() gives /en/ URLs and the pages answer in English (unless a test asks for zh)."""
    from django.utils import translation

    with translation.override("en"):
        yield


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client: Client, path: str, length: int):
    return client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=xyz",
        **{"wsgi.input": UnreadableBody(), "CONTENT_LENGTH": str(length)},
    )


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/en/accounts/register/", "/i18n/setlang/", "/search/"],
)
def test_a_big_anonymous_post_is_refused_before_it_is_read(client, path):
    response = post_declaring(client, path, 300 * MB)
    assert response.status_code == 413
    html = response.content.decode()
    assert "300.0" in html and "2.0" in html  # what was sent and what is accepted


def test_evidence_uploads_are_refused_before_they_are_read(member_client, draft, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1 * MB
    response = post_declaring(member_client, step_url(draft, "general"), 4 * MB)
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()


def test_upload_views_accept_a_file_of_their_limit(member_client, draft, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PORTAL_MAX_UPLOAD_BYTES = 3 * MB
    data = step_post(draft, "general", {}, wizard_action="save")
    pdf = b"%PDF-1.4\n" + b"0" * (3 * MB - 100)
    data["evidence-valid_utility_patents"] = SimpleUploadedFile("e.pdf", pdf, "application/pdf")
    response = member_client.post(step_url(draft, "general"), data)
    assert response.status_code == 302
    assert draft.evidence.count() == 1


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/admin/images/multiple/add/", 50 * MB),
        ("/django-admin/accounts/enterprise/import/", 50 * MB),
    ],
)
def test_admin_areas_have_their_own_limit(admin_user, path, limit):
    client = Client()
    client.force_login(admin_user)
    assert post_declaring(client, path, limit + 1).status_code == 413


def test_nul_in_a_form_field_is_refused_with_a_clear_page(member_client, draft):
    data = step_post(draft, "general", {"valid_utility_patents": 4})
    data["general-valid_design_patents"] = "2\x00"
    draft.refresh_from_db()
    before = (dict(draft.answers), draft.revision)  # firm facts the wizard copied on opening
    response = member_client.post(step_url(draft, "general"), data)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.answers, draft.revision) == before
    assert "valid_utility_patents" not in draft.answers


@pytest.mark.parametrize(
    "path",
    ["/en/search/?q=%00", "/en/verify/AB%00CD/", "/en/accounts/login/?next=/%00"],
)
def test_nul_in_the_path_or_query_is_refused(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_nul_at_login_is_refused(client):
    response = client.post("/en/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("target", ["x" * 65, "x" * 10_000, "unknown-step", "../review"])
def test_an_unknown_step_target_saves_and_stays(member_client, draft, target):
    data = step_post(draft, "general", {"valid_utility_patents": 4}, wizard_goto_step=target)
    response = member_client.post(step_url(draft, "general"), data)
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "general")
    draft.refresh_from_db()
    typed = {k: v for k, v in draft.answers.items() if k != "founded_on"}  # founded_on: a firm fact
    assert typed == {"valid_utility_patents": "4"}
    assert draft.current_step == "general"


def test_the_login_page_is_the_sign_in_form(client):
    """Sanity: with no limit hit the pages work as before."""
    assert client.get(reverse("accounts:login")).status_code == 200


def test_the_pages_speak_chinese_by_default(client):
    big = post_declaring(client, "/accounts/login/", 300 * MB).content.decode()
    assert "一次提交的数据过多" in big and "本次提交的内容均未保存" in big
    nul = client.get("/search/?q=%00").content.decode()
    assert "NUL 字符" in nul
