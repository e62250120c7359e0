"""Improvement plans: who may see and change them, reminders, exports and progress."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.plans import selectors, services
from assessments.plans.models import Action, Plan, Reminder
from portal.accounts.choices import MemberRole
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(owner):
    return factories.make_submission(owner.membership.enterprise, user=owner)


@pytest.fixture
def item(submission):
    return next(iter(selectors.target_codes(submission, "zh")))


def _action(submission, membership, item, **kw):
    values = {
        "item": item,
        "title": "制定知识产权管理手册",
        "owner": membership.user,
        "due_on": timezone.localdate() + dt.timedelta(days=30),
    }
    values.update(kw)
    return services.add_action(submission, membership, **values)


def _post(item, owner, **kw):
    data = {
        "item": item,
        "title": "制定知识产权管理手册",
        "owner": owner.pk,
        "due_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "status": Action.Status.PLANNED,
        "notes": "",
    }
    data.update(kw)
    return data


def test_targets_are_the_gaps_and_the_path(submission):
    codes = selectors.target_codes(submission, "zh")
    gaps = {g["item"] for g in submission.result["gaps"]}
    assert codes
    assert gaps <= set(codes)


def test_member_adds_an_action_and_sees_it(client, owner, submission, item):
    client.force_login(owner)
    page = client.get(reverse("plans:detail", args=[submission.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("plans:action-new", args=[submission.pk]), _post(item, owner, title="建立台账")
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.plan.submission == submission and action.owner == owner
    assert action.created_by == owner
    page = client.get(reverse("plans:detail", args=[submission.pk]))
    assert "建立台账" in page.content.decode()


def test_owner_outside_the_enterprise_is_refused(client, owner, submission, item):
    stranger = factories.company_user(username="stranger")
    client.force_login(owner)
    response = client.post(reverse("plans:action-new", args=[submission.pk]), _post(item, stranger))
    assert response.status_code == 400
    assert not Action.objects.exists()
    with pytest.raises(ValidationError):
        _action(submission, owner.membership, item, owner=stranger)


def test_bad_input_is_a_clear_error(client, owner, submission, item):
    client.force_login(owner)
    response = client.post(
        reverse("plans:action-new", args=[submission.pk]),
        _post("no-such-item", owner, due_on="1999-13-40", title="a\nb"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"due_on", "title", "item"} <= set(form.errors)
    assert not Action.objects.exists()


def test_other_enterprises_and_reviewers_get_404(
    client, owner, other_enterprise_owner, submission, item
):
    action = _action(submission, owner.membership, item)
    urls = [
        reverse("plans:detail", args=[submission.pk]),
        reverse("plans:action-new", args=[submission.pk]),
        reverse("plans:export-xlsx", args=[submission.pk]),
        reverse("plans:export-pdf", args=[submission.pk]),
        reverse("plans:action-edit", args=[action.pk]),
    ]
    for user in (other_enterprise_owner, factories.reviewer(lead=True)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
    client.force_login(other_enterprise_owner)
    response = client.post(
        reverse("plans:action-edit", args=[action.pk]), _post(item, other_enterprise_owner)
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.owner == owner


def test_members_change_only_their_own_actions(client, owner, submission, item):
    enterprise = owner.membership.enterprise
    colleague = factories.company_user(enterprise, role=MemberRole.MEMBER, username="colleague")
    third = factories.company_user(enterprise, role=MemberRole.MEMBER, username="third")
    mine = _action(submission, owner.membership, item)  # made by the owner, owned by the owner
    theirs = _action(submission, owner.membership, item, owner=colleague)
    client.force_login(colleague)
    assert client.get(reverse("plans:action-edit", args=[mine.pk])).status_code == 403
    response = client.post(
        reverse("plans:action-edit", args=[theirs.pk]),
        _post(item, colleague, status=Action.Status.DONE, notes="已完成"),
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == Action.Status.DONE and theirs.done_on == timezone.localdate()
    assert theirs.updated_by == colleague
    client.force_login(third)
    response = client.post(reverse("plans:action-edit", args=[theirs.pk]), _post(item, third))
    assert response.status_code == 403
    # the enterprise's owner may change everything
    client.force_login(owner)
    assert client.get(reverse("plans:action-edit", args=[theirs.pk])).status_code == 200


def test_reminders_go_once_per_due_date(
    owner, submission, item, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    soon = _action(submission, owner.membership, item, due_on=today + dt.timedelta(days=3))
    _action(submission, owner.membership, item, due_on=today + dt.timedelta(days=60))
    _action(
        submission,
        owner.membership,
        item,
        due_on=today + dt.timedelta(days=1),
        status=Action.Status.DONE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(today=today, days=7) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert soon.title in message.subject
    assert reverse("plans:detail", args=[submission.pk]) in message.body
    # a second run sends nothing; moving the due date makes a new reminder due
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(today=today, days=7) == 0
    services.update_action(soon, owner.membership, due_on=today + dt.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(today=today, days=7) == 1
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(action=soon).count() == 2


def test_no_reminder_for_a_former_member(owner, submission, item):
    enterprise = owner.membership.enterprise
    colleague = factories.company_user(enterprise, role=MemberRole.MEMBER, username="leaver")
    _action(
        submission,
        owner.membership,
        item,
        owner=colleague,
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )
    colleague.membership.delete()
    assert services.send_reminders(days=7) == 0


def test_reminder_command(owner, submission, item, django_capture_on_commit_callbacks):
    _action(submission, owner.membership, item, due_on=dt.date(2030, 5, 10))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_plan_reminders", today="2030-05-05", stdout=out)
    assert "1" in out.getvalue()
    assert len(mail.outbox) == 1
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("send_plan_reminders", today="05/05/2030")


def test_xlsx_export_neutralises_formulas(client, owner, submission, item):
    _action(submission, owner.membership, item, title='=HYPERLINK("http://x")', notes="@SUM(1)")
    client.force_login(owner)
    response = client.get(reverse("plans:export-xlsx", args=[submission.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert '\'=HYPERLINK("http://x")' in values
    assert "'@SUM(1)" in values
    assert not any(isinstance(v, str) and v.startswith(("=", "@")) for v in values)


def test_pdf_export(client, owner, submission, item):
    _action(submission, owner.membership, item, title="建立台账")
    client.force_login(owner)
    response = client.get(reverse("plans:export-pdf", args=[submission.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"%PDF")


def test_next_result_shows_the_plans_progress(client, owner, submission, item):
    membership = owner.membership
    _action(submission, membership, item, status=Action.Status.DONE)
    _action(submission, membership, item)
    _action(submission, membership, item, status=Action.Status.DROPPED)
    earlier = timezone.now() - dt.timedelta(days=200)
    type(submission).objects.filter(pk=submission.pk).update(submitted_at=earlier)
    later = factories.make_submission(membership.enterprise, user=owner)
    client.force_login(owner)
    response = client.get(reverse("wizard:results", args=[later.pk]))
    assert response.status_code == 200
    progress = response.context["plan_progress"]
    assert progress is not None and progress.plan == Plan.objects.get()
    assert (progress.view.done, progress.view.actions) == (1, 2)
    html = response.content.decode()
    assert 'id="plan-progress"' in html
    assert "1 / 2" in html
    # the earlier result itself shows its own plan, not a progress
    response = client.get(reverse("wizard:results", args=[submission.pk]))
    assert response.context["plan_progress"] is None
    assert response.context["plan_summary"]["total"] == 3


def test_reminder_task(owner, submission, item, django_capture_on_commit_callbacks):
    from assessments.plans.tasks import send_plan_reminders_task

    _action(submission, owner.membership, item, due_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        result = send_plan_reminders_task.enqueue(days=0)
    assert result.return_value == 1
    assert len(mail.outbox) == 1
