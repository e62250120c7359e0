"""Browser journey: a firm turns its gaps into an improvement plan and downloads it."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from assessments.plans.models import Action
from tests.e2e.a11y import assert_accessible
from tests.factories import company_user, make_submission

pytestmark = [pytest.mark.e2e]


def test_make_a_plan_from_the_result(page, new_context, live_server, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    owner = company_user(username="plan-owner", password="Plan-pass-2026")
    submission = make_submission(owner.membership.enterprise, user=owner)
    login(page, "plan-owner", "Plan-pass-2026", lang_prefix="")
    page.goto(f"{live_server.url}/assessments/submissions/{submission.pk}/")
    page.get_by_role("link", name="制定改进计划").click()
    assert page.get_by_role("heading", name="改进计划", level=1).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^添加措施")).first.click()
    page.fill("input[name=title]", "制定知识产权管理手册")
    page.fill("textarea[name=notes]", "法务部起草")
    page.get_by_role("button", name="添加该措施").click()
    assert page.get_by_text("措施已加入计划。").is_visible()
    assert page.locator(".plan-action-title", has_text="制定知识产权管理手册").is_visible()
    action = Action.objects.get()
    assert action.owner == owner and action.notes == "法务部起草"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="电子表格（XLSX）").click()
    path = tmp_path / "plan.xlsx"
    download_info.value.save_as(path)
    cells = [c for row in load_workbook(path).active.iter_rows(values_only=True) for c in row]
    assert "制定知识产权管理手册" in cells
    # Back to the result: it now counts the plan's action.
    page.get_by_role("link", name="返回结果").click()
    assert page.get_by_text("计划中共有 1 项措施").is_visible()

    mobile = new_context(viewport={"width": 375, "height": 800})
    mobile.add_cookies(page.context.cookies())
    phone = mobile.new_page()
    phone.goto(f"{live_server.url}/plans/{submission.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
