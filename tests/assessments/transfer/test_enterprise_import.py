import io

import pytest
from django.core import mail

from assessments.transfer.enterprises import import_enterprises
from assessments.transfer.files import read_table
from portal.accounts.choices import MemberRole
from portal.accounts.models import AuditEvent, Enterprise, Invitation
from tests.assessments.transfer.helpers import EN_HEADERS, csv_bytes, good_row, xlsx_bytes
from tests.factories import EnterpriseFactory, reviewer

pytestmark = pytest.mark.django_db


def table(rows, headers=None, fmt="xlsx"):
    kwargs = {} if headers is None else {"headers": headers}
    data = xlsx_bytes(rows, **kwargs) if fmt == "xlsx" else csv_bytes(rows, **kwargs)
    return read_table(io.BytesIO(data), fmt)


def errors_by_row(report):
    found = {}
    for error in report.errors:
        found.setdefault(error.row, []).append((error.column, error.message))
    return found


def test_fifty_valid_rows_import_with_owner_invitations(
    admin_user, django_capture_on_commit_callbacks
):
    rows = [good_row(i, email=f"owner{i}@example.com" if i % 2 else None) for i in range(50)]
    with django_capture_on_commit_callbacks(execute=True):
        report = import_enterprises(
            table(rows), user=admin_user, dry_run=False, base_url="https://portal.example"
        )
    assert report.ok and report.written
    assert Enterprise.objects.count() == 50
    enterprise = Enterprise.objects.get(credit_code=rows[1][0])
    assert (enterprise.name, enterprise.region_id, enterprise.industry, enterprise.size) == (
        "导入企业1有限公司",
        "420900",
        "C",
        "small",
    )
    assert str(enterprise.founded_on) == "2016-03-01"
    invitations = Invitation.objects.filter(role=MemberRole.OWNER)
    assert invitations.count() == 50
    assert invitations.filter(email="").count() == 25
    assert all(i.invited_by == admin_user and i.status == "pending" for i in invitations)
    assert len(mail.outbox) == 25
    assert mail.outbox[0].to[0].startswith("owner")
    without_email = [c for c in report.created if not c.email]
    assert len(without_email) == 25
    link = without_email[0].accept_url
    assert link.startswith("https://portal.example/accounts/")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert Invitation.objects.get(token_hash=Invitation.hash_token(token)).email == ""
    assert AuditEvent.objects.filter(action="enterprise.imported").count() == 50


def test_dry_run_writes_nothing(admin_user):
    report = import_enterprises(table([good_row(1), good_row(2)]), user=admin_user, dry_run=True)
    assert report.ok and report.valid_rows == 2
    assert not Enterprise.objects.exists() and not Invitation.objects.exists()


def test_mixed_rows_write_nothing_unless_valid_only_is_chosen(admin_user):
    rows = [good_row(i) for i in range(10)]
    rows[4][0] = "91420900MA4XXXXX1X"  # wrong check characters
    rows[7][2] = "999999"
    report = import_enterprises(table(rows), user=admin_user, dry_run=False)
    assert not report.written
    assert report.invalid_rows == 2 and report.valid_rows == 8
    assert set(errors_by_row(report)) == {6, 9}
    assert not Enterprise.objects.exists() and not Invitation.objects.exists()

    report = import_enterprises(table(rows), user=admin_user, dry_run=False, valid_only=True)
    assert report.written
    assert Enterprise.objects.count() == 8 and Invitation.objects.count() == 8
    assert not Enterprise.objects.filter(credit_code__in=[rows[4][0], rows[7][0]]).exists()


def test_every_kind_of_row_problem_has_a_reason(admin_user):
    existing = EnterpriseFactory()
    rows = [good_row(i) for i in range(9)]
    rows[1][0] = "91420900MA4K3A1B2"  # 17 characters
    rows[2][0] = existing.credit_code
    rows[3][0] = rows[0][0]  # duplicate of row 2
    rows[4][2] = "420000"  # a province, not a city
    rows[5][3] = "Z"
    rows[6][1] = "长" * 201
    rows[7][4] = "巨型"
    rows[8][8] = "not-an-email"
    report = import_enterprises(table(rows), user=admin_user, dry_run=True)
    found = errors_by_row(report)
    assert "18" in found[3][0][1] and found[3][0][0] == "统一社会信用代码"
    assert found[4] == [
        ("统一社会信用代码", "An enterprise with this credit code is already registered.")
    ]
    assert "row 2" in found[5][0][1]
    assert "province" in found[6][0][1]
    assert found[7][0][0] == "行业" and "Unknown industry" in found[7][0][1]
    assert found[8] == [("企业名称", "Too long: 201 characters, at most 200.")]
    assert found[9][0][0] == "企业规模"
    assert found[10][0][0] == "负责人邮箱"
    assert report.valid_rows == 1


def test_english_headers_and_csv_are_accepted(admin_user):
    rows = [good_row(1), good_row(2)]
    rows[0][3] = "M Scientific research and technical services"
    rows[0][4] = "Micro"
    report = import_enterprises(
        table(rows, headers=EN_HEADERS, fmt="csv"), user=admin_user, dry_run=False
    )
    assert report.written
    first = Enterprise.objects.get(credit_code=rows[0][0])
    assert (first.industry, first.size) == ("M", "micro")


def test_wrong_column_names_are_reported_and_nothing_is_read(admin_user):
    headers = ["Company", "Code", "Where"]
    report = import_enterprises(
        table([["a", "b", "c"]], headers=headers), user=admin_user, dry_run=False
    )
    assert not report.written
    missing = {e.column for e in report.errors if e.row == 1}
    assert "统一社会信用代码 / Credit code" in missing and len(missing) == 8
    assert "Company" in report.notices[0]
    assert not Enterprise.objects.exists()


def test_missing_one_required_column(admin_user):
    headers = [h for h in EN_HEADERS if h != "Contact phone"]
    rows = [[v for i, v in enumerate(good_row(1)) if i != 7]]
    report = import_enterprises(table(rows, headers=headers), user=admin_user, dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(1, "联系电话 / Contact phone")]


def test_formula_cells_and_formula_text_are_refused(admin_user):
    rows = [good_row(1), good_row(2), good_row(3)]
    rows[0][1] = '=HYPERLINK("http://evil.example","click")'
    rows[1][6] = "@SUM(1+1)*cmd|' /C calc'!A0"
    rows[2][7] = "+1+1"
    report = import_enterprises(table(rows), user=admin_user, dry_run=True)
    found = errors_by_row(report)
    assert "formula" in found[2][0][1]
    assert found[3][0][0] == "联系人"
    assert found[4][0][0] == "联系电话"
    assert report.valid_rows == 0


def test_names_with_line_breaks_are_refused(admin_user):
    rows = [good_row(1), good_row(2)]
    rows[0][1] = "导入企业\n有限公司"
    rows[1][6] = "王\r\n五"
    report = import_enterprises(table(rows), user=admin_user, dry_run=True)
    found = errors_by_row(report)
    assert found[2] == [("企业名称", "Enter this on one line: line breaks are not allowed.")]
    assert found[3] == [("联系人", "Enter this on one line: line breaks are not allowed.")]
    assert report.valid_rows == 0


def test_lead_reviewer_imports_only_into_their_regions():
    lead = reviewer(regions=["420000"], lead=True)
    rows = [good_row(1), good_row(2, region="110101")]
    report = import_enterprises(table(rows), user=lead, dry_run=True)
    assert list(errors_by_row(report)) == [3]
    assert "outside your review regions" in report.errors[0].message


def test_queries_do_not_grow_with_rows(admin_user, django_assert_max_num_queries):
    rows = [good_row(i, email=f"o{i}@example.com") for i in range(50)]
    data = table(rows)
    with django_assert_max_num_queries(25):
        report = import_enterprises(data, user=admin_user, dry_run=False)
    assert report.written and Enterprise.objects.count() == 50
