"""Evidence files: checked by content and size, stored privately, served only to members."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessments.models import Evidence
from assessments.wizard import services

from .helpers import step_post, step_url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_upload_on_a_step_is_stored_and_listed(member_client, draft, owner):
    data = step_post(draft, "section-creation", {"C1": "systematic"}, wizard_action="save")
    data["evidence-C1"] = SimpleUploadedFile("研发制度.pdf", PDF, "application/pdf")
    response = member_client.post(step_url(draft, "section-creation"), data)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.item_code == "C1"
    assert evidence.original_name == "研发制度.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.file.name.startswith(f"private/evidence/{draft.enterprise_id}/{draft.pk}/")
    assert evidence.file.read() == PDF
    page = member_client.get(step_url(draft, "section-creation")).content.decode()
    assert reverse("wizard:evidence", args=[evidence.pk]) in page
    download = member_client.get(reverse("wizard:evidence", args=[evidence.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]


def test_a_renamed_executable_is_refused_and_the_answers_still_saved(member_client, draft):
    data = step_post(draft, "section-creation", {"C1": "systematic"}, wizard_action="save")
    data["evidence-C1"] = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" * 50, "application/pdf")
    response = member_client.post(step_url(draft, "section-creation"), data)
    assert response.status_code == 200
    assert "不接受此文件类型" in response.content.decode()  # the type message, in Chinese
    assert not Evidence.objects.exists()
    draft.refresh_from_db()
    assert draft.answers["C1"] == "systematic"


def test_extension_must_match_the_content(draft, owner):
    with pytest.raises(ValidationError):
        services.add_evidence(
            draft, "C1", SimpleUploadedFile("photo.pdf", PNG, "application/pdf"), owner
        )


def test_size_limit(draft, owner, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 100
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.add_evidence(
            draft, "C1", SimpleUploadedFile("big.pdf", PDF + b"0" * 200, "application/pdf"), owner
        )
    assert "too large" in str(exc.value)


def test_office_documents_are_accepted_and_can_be_removed(member_client, draft, owner):
    evidence = services.add_evidence(
        draft, "M2", SimpleUploadedFile("strategy.docx", docx_bytes(), "application/zip"), owner
    )
    assert evidence.content_type.endswith("wordprocessingml.document")
    data = step_post(draft, "section-management", {}, evidence_delete=str(evidence.pk))
    response = member_client.post(step_url(draft, "section-management"), data)
    assert response["Location"] == step_url(draft, "section-management")
    assert not Evidence.objects.exists()
