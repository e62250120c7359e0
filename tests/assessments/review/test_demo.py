"""The review demo loader: an open programme, applications in several states, a certificate."""

from __future__ import annotations

import io

from django.core.management.color import no_style

from assessments.review import demo
from assessments.review.models import Application, Certificate, Programme, State
from assessments.schemes.services import load_builtin_schemes
from portal.accounts import demo as accounts_demo


def test_load_is_idempotent(db, client, django_capture_on_commit_callbacks):
    out = io.StringIO()
    accounts_demo.load(out, no_style())
    load_builtin_schemes()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(out, no_style())
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    assert programme.is_accepting
    assert programme.title_zh == "2026 年度知识产权优势企业申报"
    assert [r.code for r in programme.regions.all()] == ["420000"]
    states = set(Application.objects.values_list("state", flat=True))
    assert {
        State.RECOGNISED,
        State.PUBLIC_NOTICE,
        State.EXPERT_REVIEW,
        State.RETURNED,
        State.FORMAL_CHECK,
    } <= states
    # One valid, one suspended and one revoked certificate, each conferring a recognition.
    statuses = {
        c.enterprise.name: c.current_status()
        for c in Certificate.objects.select_related("enterprise")
    }
    assert statuses == {
        "武汉光谷芯材科技有限公司": "valid",
        "十堰武当精密机械有限公司": "suspended",
        "孝感云梦新材料有限公司": "revoked",
    }
    certificate = Certificate.objects.get(enterprise__name="武汉光谷芯材科技有限公司")
    assert certificate.issuer_zh == "湖北省知识产权局"
    assert certificate.recognition_zh in ("湖北省知识产权优势企业", "湖北省知识产权示范企业")
    assert certificate.number.startswith(f"HB-{certificate.valid_from.year}-")
    data = client.get(f"/verify/{certificate.verify_code}/", {"format": "json"}).json()
    assert data["issuer"] == "湖北省知识产权局"
    assert data["recognition"] == certificate.recognition_zh
    assert data["status"] == "valid"
    returned = Application.objects.get(state=State.RETURNED)
    assert sorted(
        returned.item_reviews.filter(reopened=True).values_list("item_code", flat=True)
    ) == ["M4", "M6"]
    counts = (Programme.objects.count(), Application.objects.count(), Certificate.objects.count())
    demo.load(out, no_style())
    assert (
        Programme.objects.count(),
        Application.objects.count(),
        Certificate.objects.count(),
    ) == counts
