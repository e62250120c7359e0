"""The reviewer workspace and the firm's pages over HTTP: access, filters, query bounds, forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.review import dashboard, services
from assessments.review.models import Application, ItemReview, State
from portal.accounts.models import Region
from tests import factories

from .conftest import advance, assigned


def many_applications(programme, n: int, region: str = "420900") -> list[Application]:
    out = []
    for i in range(n):
        enterprise = factories.EnterpriseFactory(region=Region.objects.get(code=region))
        user = factories.company_user(enterprise)
        answers = dict(factories.IP_ENTERPRISE_ANSWERS)
        if i % 2:
            answers["M1"] = "none"  # 62 + 2 -> advantage
        out.append(
            services.apply(
                user, programme, factories.make_submission(enterprise, answers=answers, user=user)
            )
        )
    return out


# --- access ----------------------------------------------------------------------------------


def test_workspace_needs_a_reviewer(client, owner):
    assert client.get("/review/").status_code == 302  # anonymous: to the login page
    client.force_login(owner)
    assert client.get("/review/").status_code == 403
    assert client.get("/review/dashboard/").status_code == 403


def test_reviewer_outside_scope_gets_404(client, application, outsider):
    client.force_login(outsider)
    assert client.get(f"/review/{application.pk}/").status_code == 404
    response = client.get("/review/")
    assert application.enterprise.name not in response.content.decode()


def test_firm_pages_are_scoped_to_the_enterprise(client, application, other_enterprise_owner):
    client.force_login(other_enterprise_owner)
    assert client.get(f"/applications/{application.pk}/").status_code == 404
    assert client.get(f"/applications/{application.pk}/resubmit/").status_code == 404
    response = client.post(
        f"/applications/{application.pk}/withdraw/", {"action": "withdraw", "version": 1}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


# --- queue -----------------------------------------------------------------------------------


def test_queue_filters_counts_sorting_and_query_bounds(
    client, programme, reviewer, lead, django_assert_max_num_queries
):
    apps = many_applications(programme, 6)
    wuhan = many_applications(programme, 2, region="420100")
    assigned(apps[0], reviewer)
    advance(apps[0], reviewer, "start_formal_check")
    client.force_login(reviewer)
    with django_assert_max_num_queries(18):
        response = client.get("/review/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 8
    counts = {c["value"]: c["count"] for c in response.context["counts"]}
    assert counts["submitted"] == 7 and counts["formal_check"] == 1

    def names(params):
        r = client.get("/review/", params)
        assert r.status_code == 200
        return [a.enterprise.name for a in r.context["page"].object_list]

    assert names({"state": "formal_check"}) == [apps[0].enterprise.name]
    assert len(names({"region": "420100"})) == 2
    assert set(names({"region": "420100"})) == {a.enterprise.name for a in wuhan}
    assert len(names({"level": "advantage"})) == 4  # odd ones
    assert len(names({"score_min": "70"})) == 4
    assert len(names({"score_max": "65"})) == 4
    assert names({"mine": "on"}) == [apps[0].enterprise.name]
    assert len(names({"industry": "C"})) == 8 and names({"industry": "A"}) == []
    assert names({"q": apps[3].enterprise.credit_code}) == [apps[3].enterprise.name]
    assert len(names({"programme": programme.pk})) == 8
    ordered = client.get("/review/", {"sort": "-score"}).context["page"].object_list
    scores = [a.score for a in ordered]
    assert scores == sorted(scores, reverse=True)
    bad = client.get("/review/", {"score_min": "80", "score_max": "10"})
    assert bad.context["form"].errors
    # Query count does not grow with the number of rows.
    many_applications(programme, 10)
    with django_assert_max_num_queries(18):
        assert client.get("/review/").status_code == 200


def test_queue_pagination(client, programme, lead):
    many_applications(programme, 27)
    client.force_login(lead)
    first = client.get("/review/")
    assert len(first.context["page"].object_list) == 25
    second = client.get("/review/", {"page": 2})
    assert len(second.context["page"].object_list) == 2


# --- application view and actions ------------------------------------------------------------


def test_detail_page_shows_answers_engine_and_review(
    client, application, reviewer, django_assert_max_num_queries
):
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check")
    client.force_login(reviewer)
    with django_assert_max_num_queries(32):
        response = client.get(f"/review/{application.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert application.enterprise.name in html
    assert "points_M1" in html and "reopen_C5" in html
    assert "cert_2023" not in html, html[
        html.find("timeline-title") : html.find("timeline-title") + 3000
    ]  # option labels, not codes
    assert "start_formal_check" not in html  # not available any more
    assert 'value="pass_formal_check"' in html


def test_item_form_saves_and_requests_changes(client, application, reviewer):
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check")
    client.force_login(reviewer)
    url = f"/review/{application.pk}/items/"
    response = client.post(
        url,
        {
            "op": "save",
            "version": application.version,
            "points_M1": "2",
            "comment_M1": "2013 edition only",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.reviewed_total == Decimal("64.00")
    # Out-of-range points re-render the form with errors.
    response = client.post(url, {"op": "save", "version": application.version, "points_M1": "99"})
    assert response.status_code == 400
    # Request changes without a reason: refused, nothing reopened.
    response = client.post(url, {"op": "return", "version": application.version, "reopen_C5": "on"})
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "op": "return",
            "version": application.version,
            "points_M1": "2",
            "comment_M1": "2013 edition only",
            "reopen_C5": "on",
            "comment_C5": "numbers do not match",
            "reason": "Fix C5",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.RETURNED
    assert list(
        ItemReview.objects.filter(application=application, reopened=True).values_list(
            "item_code", flat=True
        )
    ) == ["C5"]


def test_stale_form_is_refused_with_a_message(client, application, reviewer, lead):
    assigned(application, reviewer)
    version = application.version
    advance(application, lead, "start_formal_check")  # someone else acted meanwhile
    client.force_login(reviewer)
    response = client.post(
        f"/review/{application.pk}/transition/",
        {"action": "reject", "reason": "no", "version": version},
        follow=True,
    )
    assert (
        "Someone else changed" in response.content.decode() or "其他人" in response.content.decode()
    )
    application.refresh_from_db()
    assert application.state == State.FORMAL_CHECK


def test_transition_view_and_assignment(client, application, reviewer, other_reviewer, lead):
    client.force_login(lead)
    response = client.post(
        f"/review/{application.pk}/assign/",
        {"assignee": other_reviewer.pk, "version": application.version},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.assignee == other_reviewer
    client.force_login(other_reviewer)
    client.post(
        f"/review/{application.pk}/transition/",
        {"action": "start_formal_check", "version": application.version},
    )
    application.refresh_from_db()
    assert application.state == State.FORMAL_CHECK
    # A reviewer cannot take over someone else's application.
    client.force_login(reviewer)
    client.post(f"/review/{application.pk}/assign/", {"self": "1", "version": application.version})
    application.refresh_from_db()
    assert application.assignee == other_reviewer


def test_conflict_declaration_view(client, application, reviewer):
    client.force_login(reviewer)
    client.post(f"/review/{application.pk}/conflict/", {"note": "shareholder"})
    assert application.conflicts.get().reviewer == reviewer
    html = client.get(f"/review/{application.pk}/").content.decode()
    assert "您已就该申请声明利益冲突，只能查看，不能操作。" in html  # read-only, in Chinese
    assert 'name="action"' not in html


# --- firm side -------------------------------------------------------------------------------


def test_firm_index_lists_programmes_with_reasons(client, owner, programme, submission):
    from .conftest import make_programme

    make_programme("gd", regions=("440000",))
    client.force_login(owner)
    html = client.get("/en/applications/").content.decode()
    assert "Your enterprise is eligible." in html
    assert "cannot apply yet" in html and "Guangdong" in html


def test_firm_applies_and_follows_the_timeline(client, owner, programme, submission, reviewer):
    client.force_login(owner)
    response = client.post(
        f"/applications/apply/{programme.pk}/", {"submission": submission.pk, "confirm": "on"}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.pk}/"
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check")
    services.request_changes(
        application,
        reviewer,
        ["M1"],
        {"M1": "please upload the 2023 certificate"},
        "Fix M1",
        application.version,
    )
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert "please upload the 2023 certificate" in html
    assert "Fix M1" in html
    # The resubmission form has only the reopened answer.
    response = client.get(f"/applications/{application.pk}/resubmit/")
    form = response.context["form"]
    assert [name for name in form.fields if name.startswith("answer_")] == ["answer_M1"]
    application.refresh_from_db()
    response = client.post(
        f"/applications/{application.pk}/resubmit/",
        {"answer_M1": "cert_2013", "version": application.version, "comment": "done"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.RESUBMITTED
    assert application.submission.answers["M1"] == "cert_2013"
    html = client.get(f"/en/applications/{application.pk}/").content.decode()
    assert "Resubmitted" in html and "Returned for changes" in html
    # The audit trail shows what changed, in words (item titles and answer labels, never keys).
    assert "M1 GB/T 29490 certification" in html
    assert "Valid 2023-edition certificate → 2013-edition certificate" in html
    assert "cert_2023" not in html


def test_firm_withdraws(client, application, owner):
    client.force_login(owner)
    client.post(
        f"/applications/{application.pk}/withdraw/",
        {"action": "withdraw", "version": application.version},
    )
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN


def test_dashboard_panel_lists_applications(client, application, owner):
    client.force_login(owner)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "applications-panel-title" in html
    assert application.programme.title in html


# --- bureau dashboard ------------------------------------------------------------------------


class FakePolicy:
    pk = 1
    title = "湖北省知识产权“十四五”规划"
    url = "/policies/hubei/"

    def __init__(self, region):
        self.region = region

    def validity_on(self, on):
        return "valid"

    def indicator_targets(self):
        return [
            {
                "indicator": "培育国家、省、市知识产权示范或优势企业",
                "target_value": Decimal("60"),
                "unit": "家",
                "target_year": 2025,
            },
            {
                "indicator": "每万人口高价值发明专利拥有量",
                "target_value": Decimal("12"),
                "unit": "件",
                "target_year": 2025,
            },
        ]


def test_bureau_dashboard(client, programme, lead, monkeypatch, django_assert_max_num_queries):
    apps = many_applications(programme, 3)
    assigned(apps[0], lead)
    advance(apps[0], lead, "start_formal_check")
    hubei = Region.objects.get(code="420000")
    monkeypatch.setattr(dashboard, "_policy_pages", lambda: [FakePolicy(hubei)])
    client.force_login(lead)
    with django_assert_max_num_queries(25):
        response = client.get("/review/dashboard/")
    assert response.status_code == 200
    ctx = response.context
    assert {s["state"]: s["count"] for s in ctx["by_state"]}["formal_check"] == 1
    assert ctx["regions"][0]["n"] == 3
    assert sum(b["count"] for b in ctx["bins"]) == 3
    assert "<svg" in response.content.decode()
    assert [t["indicator"] for t in ctx["targets"]] == ["培育国家、省、市知识产权示范或优势企业"]
    assert ctx["targets"][0]["actual"] == 0
    assert {t["state"] for t in ctx["times"]} >= {"submitted", "formal_check"}


def test_score_bins_and_target_matching():
    bins = dashboard.score_bins([Decimal("0"), Decimal("9.99"), Decimal("72"), Decimal("105")])
    assert [b["count"] for b in bins] == [2, 0, 0, 0, 0, 0, 0, 1, 0, 1]
    assert dashboard.is_enterprise_target({"indicator": "知识产权优势企业数量", "unit": "家"})
    assert not dashboard.is_enterprise_target({"indicator": "发明专利拥有量", "unit": "件"})


@pytest.mark.parametrize("path", ["/review/", "/review/dashboard/"])
def test_english_workspace(client, lead, path):
    client.force_login(lead)
    assert client.get("/en" + path).status_code == 200


# --- files and the Wagtail admin -------------------------------------------------------------


def test_evidence_is_served_to_reviewers_in_scope_only(
    client, application, reviewer, outsider, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from assessments.models import Evidence

    settings.MEDIA_ROOT = tmp_path
    evidence = Evidence(
        assessment=application.submission.assessment,
        item_code="M1",
        original_name="证书.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
    )
    evidence.file.save("cert.pdf", ContentFile(b"%PDF-1.7"), save=True)
    url = f"/review/{application.pk}/evidence/{evidence.pk}/"
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7"
    assert "attachment" in response["Content-Disposition"]
    assert client.get(f"/review/{application.pk}/").content.decode().count(url) == 1
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_certificate_pdf_downloads(
    client,
    application,
    owner,
    reviewer,
    lead,
    other_enterprise_owner,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    import datetime as dt

    from django.utils import timezone

    from assessments.review.models import Certificate
    from assessments.review.transitions import perform

    settings.MEDIA_ROOT = tmp_path
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check", "pass_formal_check", "recommend")
    advance(application, lead, "start_public_notice")
    Application.objects.filter(pk=application.pk).update(
        notice_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    application.refresh_from_db()
    perform(application, "recognise", lead, reason="ok")  # PDF not rendered yet (no commit)
    certificate = Certificate.objects.get()
    assert not certificate.pdf
    client.force_login(owner)
    response = client.get(f"/applications/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    certificate.refresh_from_db()
    assert certificate.pdf_sha256  # rendered on demand and stored
    client.force_login(reviewer)
    assert client.get(f"/review/certificates/{certificate.pk}/pdf/").status_code == 200
    client.force_login(other_enterprise_owner)
    assert client.get(f"/applications/certificates/{certificate.pk}/pdf/").status_code == 404
    html = client.get("/dashboard/").content.decode()
    assert certificate.number not in html


def test_programmes_in_the_wagtail_admin(client, editor, owner, programme):
    client.force_login(editor)
    response = client.get("/admin/snippets/review/programme/")
    assert response.status_code == 200
    assert programme.title_zh in response.content.decode()
    assert client.get(f"/admin/snippets/review/programme/edit/{programme.pk}/").status_code == 200
    client.force_login(owner)
    response = client.get("/admin/snippets/review/programme/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_programme_validation(programme):
    from django.core.exceptions import ValidationError

    programme.min_level = "gold"
    programme.closes_at = programme.opens_at
    with pytest.raises(ValidationError) as err:
        programme.full_clean()
    assert set(err.value.message_dict) >= {"min_level", "closes_at"}


def test_programmes_announced_by_a_page(programme):
    from wagtail.models import Page

    from assessments.review.selectors import programmes_announced_by

    page = Page.objects.get(depth=1)
    assert list(programmes_announced_by(page)) == []
    programme.announcement = page
    programme.save()
    assert list(programmes_announced_by(page)) == [programme]


def test_resubmission_with_new_evidence(client, application, owner, reviewer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.models import Evidence

    settings.MEDIA_ROOT = tmp_path
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check")
    services.request_changes(
        application, reviewer, ["M1"], {}, "Upload the certificate", application.version
    )
    application.refresh_from_db()
    client.force_login(owner)
    url = f"/applications/{application.pk}/resubmit/"
    bad = SimpleUploadedFile("cert.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        url, {"answer_M1": "cert_2023", "version": application.version, "evidence_M1": bad}
    )
    assert response.status_code == 200
    assert "evidence_M1" in response.context["form"].errors
    good = SimpleUploadedFile("证书2023.pdf", b"%PDF-1.7\n%test\n", content_type="application/pdf")
    response = client.post(
        url, {"answer_M1": "cert_2023", "version": application.version, "evidence_M1": good}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.RESUBMITTED
    new = application.submission
    assert new.pk != application.original_submission_id  # evidence alone makes a new submission
    assert new.answers == application.original_submission.answers
    files = Evidence.objects.filter(assessment=new.assessment)
    assert [(e.item_code, e.original_name) for e in files] == [("M1", "证书2023.pdf")]
    assert not Evidence.objects.filter(
        assessment=application.original_submission.assessment
    ).exists()
    event = application.events.get(action="resubmit")
    assert event.data["evidence"][0]["file"] == "证书2023.pdf"
    client.force_login(reviewer)
    html = client.get(f"/review/{application.pk}/").content.decode()
    assert "证书2023.pdf" in html


def test_reviewer_releases_own_assignment(client, application, reviewer):
    assigned(application, reviewer)
    client.force_login(reviewer)
    assert "Release the application" in client.get(f"/en/review/{application.pk}/").content.decode()
    client.post(
        f"/review/{application.pk}/assign/", {"assignee": "", "version": application.version}
    )
    application.refresh_from_db()
    assert application.assignee is None
    assert application.events.filter(action="unassign").exists()


def test_the_reviewer_sees_each_warning_with_the_firms_values_and_explanation(
    client, enterprise, owner, programme, reviewer
):
    from assessments.submissions import create_submission
    from assessments.wizard.services import start_assessment

    answers = {**factories.IP_ENTERPRISE_ANSWERS, "rd_expense_3y": 50000, "revenue_3y": 40000}
    draft, _ = start_assessment(
        enterprise=enterprise, version=factories.scheme_version("ip-enterprise"), user=owner
    )
    submission = create_submission(
        assessment=draft, answers=answers, user=owner, explanations={"W2": "一次性政府研发项目"}
    )
    application = assigned(services.apply(owner, programme, submission), reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("review:detail", args=[application.pk])).content.decode()
    assert "W2" in [w["code"] for w in submission.warnings]
    assert "一次性政府研发项目" in page
    assert "The firm gave no explanation." not in page
    assert "50,000" in page and "40,000" in page  # the figures involved, as shown everywhere


def test_editors_cannot_change_quotas_or_regions_leads_can(client, editor, lead, programme):
    import re

    def field_tags(user) -> dict[str, str]:
        client.force_login(user)
        html = client.get(f"/admin/snippets/review/programme/edit/{programme.pk}/").content
        html = html.decode()
        return {
            name: " ".join(re.findall(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', html))
            for name in ("quota", "regions", "title_zh")
        }

    as_editor = field_tags(editor)
    assert not as_editor["quota"] and not as_editor["regions"]  # not on the editor's form
    assert as_editor["title_zh"] and "disabled" not in as_editor["title_zh"]
    as_lead = field_tags(lead)
    assert as_lead["quota"] and as_lead["regions"]
