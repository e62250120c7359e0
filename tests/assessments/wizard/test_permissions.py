"""Only members of the owning enterprise reach a draft, its evidence or a submission: 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.wizard import services
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def objects(draft, owner, ip_version):
    evidence = services.add_evidence(
        draft, "C1", SimpleUploadedFile("policy.pdf", PDF, "application/pdf"), owner
    )
    submission = factories.make_submission(owner.membership.enterprise, user=owner)
    token = services.stash_post(
        draft, "general", {"general-valid_utility_patents": ["1"]}, browser="a-session"
    )
    return draft, evidence, submission, token


def _urls(draft, evidence, submission, token):
    return [
        ("get", reverse("wizard:resume", args=[draft.pk])),
        ("get", reverse("wizard:step", args=[draft.pk, "general"])),
        ("post", reverse("wizard:step", args=[draft.pk, "general"])),
        ("get", reverse("wizard:review", args=[draft.pk])),
        ("post", reverse("wizard:submit", args=[draft.pk])),
        ("get", reverse("wizard:restore", args=[draft.pk, token])),
        ("get", reverse("wizard:results", args=[submission.pk])),
        ("get", reverse("wizard:evidence", args=[evidence.pk])),
        ("post", reverse("wizard:start", args=["no-such-scheme"])),
    ]


@pytest.mark.parametrize("who", ["other_enterprise", "reviewer", "editor"])
def test_everyone_outside_the_enterprise_gets_404(client, objects, who, editor):
    user = {
        "other_enterprise": lambda: factories.company_user(username="owner-elsewhere"),
        "reviewer": lambda: factories.reviewer(username="rev"),
        "editor": lambda: editor,
    }[who]()
    client.force_login(user)
    for method, url in _urls(*objects):
        data = {"wizard-current_step": "general", "revision": "0"} if method == "post" else None
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 404, (who, url, response.status_code)
    draft = objects[0]
    draft.refresh_from_db()
    assert draft.revision == 0 and draft.status == "open"


def test_members_reach_everything(client, objects, owner):
    client.force_login(owner)
    draft, evidence, submission, _token = objects
    assert client.get(reverse("wizard:step", args=[draft.pk, "general"])).status_code == 200
    assert client.get(reverse("wizard:review", args=[draft.pk])).status_code == 200
    assert client.get(reverse("wizard:results", args=[submission.pk])).status_code == 200
    response = client.get(reverse("wizard:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_anonymous_users_are_sent_to_sign_in(client, objects):
    draft, evidence, submission, _token = objects
    for url in (
        reverse("wizard:step", args=[draft.pk, "general"]),
        reverse("wizard:results", args=[submission.pk]),
        reverse("wizard:evidence", args=[evidence.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
