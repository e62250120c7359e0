import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl.utils import get_column_letter

from assessments import presentation
from assessments.review.models import Application, Certificate, Programme
from assessments.transfer.applications import export_applications, export_submissions
from assessments.transfer.files import display_width
from assessments.transfer.models import TransferJob
from portal.accounts.models import Region
from tests.factories import (
    EnterpriseFactory,
    UserFactory,
    make_submission,
    reviewer,
    scheme_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    now = timezone.now()
    programme = Programme.objects.create(
        code="hb-2026",
        title_zh="2026 年度优势企业申报",
        title_en="2026 advantage call",
        scheme_version=scheme_version("ip-enterprise"),
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        status=Programme.Status.OPEN,
        objection_days=7,
    )
    programme.regions.set(Region.objects.filter(code__in=["420000", "110000"]))
    return programme


def apply(programme, enterprise, **kw):
    submission = make_submission(enterprise)
    return Application.objects.create(
        programme=programme,
        enterprise=enterprise,
        submission=submission,
        original_submission=submission,
        **kw,
    )


@pytest.fixture
def applications(programme):
    hubei = [EnterpriseFactory(name=f"=湖北企业{i}") for i in range(3)]
    beijing = EnterpriseFactory(name="北京企业", region=Region.objects.get(code="110101"))
    rows = [apply(programme, e) for e in hubei]
    rows[0].reviewed_total = Decimal("70.50")
    rows[0].reviewed_level = "advantage"
    rows[0].save()
    rows.append(apply(programme, beijing))
    return rows


def read(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def by_header(rows):
    """Rows as dicts keyed by the header row."""
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_lead_reviewer_exports_their_regions_with_scores(
    applications, django_assert_max_num_queries
):
    lead = reviewer(regions=["420000"], lead=True)
    out = io.BytesIO()
    with django_assert_max_num_queries(12):
        assert export_applications(out, fmt="xlsx", lang="en", user=lead) == 3
    rows = read(out.getvalue())
    assert rows[0][:4] == ["Application ID", "Programme", "Credit code", "Enterprise name"]
    by_id = {r["Application ID"]: r for r in by_header(rows)}
    first = by_id[applications[0].pk]
    assert first["Enterprise name"] == "'=湖北企业0"  # neutralised
    assert first["Self-assessed score"] == pytest.approx(float(applications[0].submission.total))
    assert first["Reviewed total"] == pytest.approx(70.5)
    assert first["State"] == "Submitted"
    assert "北京企业" not in {r["Enterprise name"] for r in by_id.values()}


def test_export_has_bonus_certificate_and_names_with_a_usable_sheet(applications, admin_user):
    """Bonus, reviewed total, certificate number and status, people by name; the XLSX has a
    frozen header, an autofilter over the rows and columns as wide as their content."""
    first = applications[0]
    first.assignee = reviewer(username="rev-li", first_name="明", last_name="李")
    first.created_by = UserFactory(username="owner-zhang", first_name="伟", last_name="张")
    first.save()
    today = timezone.localdate()
    Certificate.objects.create(
        number="HB-2026-0001",
        application=first,
        enterprise=first.enterprise,
        programme=first.programme,
        level="advantage",
        level_label_zh="优势企业",
        level_label_en="Advantage enterprise",
        valid_from=today,
        valid_until=today + dt.timedelta(days=3 * 365),
        status=Certificate.Status.SUSPENDED,
    )
    out = io.BytesIO()
    assert export_applications(out, fmt="xlsx", lang="zh", user=admin_user) == 4
    workbook = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}5"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    for header in ("加分", "评审得分", "证书编号", "证书状态", "申报人", "评审人"):
        assert header in rows[0]
    row = next(r for r in by_header(rows) if r["申报编号"] == first.pk)
    bonus = first.submission.result.get("bonus")
    assert row["加分"] == (pytest.approx(float(bonus)) if bonus is not None else None)
    assert row["评审得分"] == pytest.approx(70.5)
    assert row["证书编号"] == "HB-2026-0001"
    assert row["证书状态"] == "已暂停"
    assert row["评审人"] == "李明"  # family name first, as Chinese names are written
    assert row["申报人"] == "张伟"
    assert isinstance(row["申报时间"], dt.datetime) and row["申报时间"].microsecond == 0
    others = [r for r in by_header(rows) if r["申报编号"] != first.pk]
    assert all(r["证书编号"] is None and r["评审人"] is None for r in others)
    # Widths follow the content: the long programme title's column is wider than the ID's.
    headers = rows[0]
    width = {
        h: sheet.column_dimensions[get_column_letter(i + 1)].width for i, h in enumerate(headers)
    }
    assert width["申报项目"] >= display_width("2026 年度优势企业申报")
    assert width["申报编号"] < width["申报项目"]


def test_csv_export_times_are_to_the_second(applications, admin_user):
    Application.objects.update(
        decided_at=timezone.make_aware(dt.datetime(2026, 3, 4, 5, 6, 7, 891011))
    )
    out = io.BytesIO()
    export_applications(out, fmt="csv", lang="en", user=admin_user)
    text = out.getvalue().decode("utf-8-sig")
    assert "2026-03-04 05:06:07," in text
    assert "891011" not in text


def test_admin_exports_everything_and_queue_filters_apply(applications, admin_user):
    out = io.BytesIO()
    assert export_applications(out, fmt="csv", user=admin_user) == 4
    out = io.BytesIO()
    assert export_applications(out, fmt="csv", user=admin_user, filters={"region": "110000"}) == 1
    assert "北京企业" in out.getvalue().decode("utf-8-sig")


def test_submissions_export_has_points_per_item(applications, admin_user):
    version = scheme_version("ip-enterprise")
    out = io.BytesIO()
    assert (
        export_submissions(out, fmt="xlsx", user=admin_user, filters={"scheme_version": version.pk})
        == 4
    )
    rows = read(out.getvalue())
    header = rows[0]
    c1 = header.index(next(h for h in header if h.startswith("C1 ")))
    items = applications[0].submission.result["items"]
    expected = next(Decimal(i["points"]) for i in items if i["code"] == "C1")
    assert Decimal(str(rows[1][c1])) == expected


def test_queue_export_page_keeps_filters(client, applications, django_capture_on_commit_callbacks):
    lead = reviewer(regions=["420000"], lead=True)
    client.force_login(lead)
    url = reverse("transfer:export-applications") + "?q=湖北企业1"
    page = client.get(url).content.decode()
    assert 'name="q" value="湖北企业1"' in page
    assert "<dt>Enterprise name or credit code</dt><dd>湖北企业1</dd>" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("transfer:export-applications"),
            {"q": "湖北企业1", "format": "xlsx", "lang": "zh"},
        )
    job = TransferJob.objects.get()
    assert job.status == TransferJob.Status.DONE and job.total_rows == 1


def test_export_applications_command_by_programme(applications, programme, tmp_path):
    path = tmp_path / "a.csv"
    call_command(
        "export_applications",
        "--programme",
        str(programme.pk),
        "--format",
        "csv",
        "-o",
        str(path),
        stdout=io.StringIO(),
    )
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 5


def test_submissions_export_shows_the_figures_of_the_results_page(applications, admin_user):
    """Total plus bonus, the level label and ratios as per cent come from the presentation
    layer, as on the results page: no raw decimals such as 0.03."""
    version = scheme_version("ip-enterprise")
    out = io.BytesIO()
    export_submissions(
        out, fmt="xlsx", lang="en", user=admin_user, filters={"scheme_version": version.pk}
    )
    rows = read(out.getvalue())
    header = rows[0]
    submission = applications[0].submission
    row = next(r for r in rows[1:] if r[0] == submission.pk)
    assert Decimal(str(row[header.index("Total score")])) == submission.total
    level = row[header.index("Level")]
    assert level == presentation.level_label(version.engine_scheme, submission.level, "en")
    m5 = "R&D intensity (%)"  # M5, a ratio of two figures
    ratio = next(i for i in submission.result["items"] if i["code"] == "M5")["value"]
    assert Decimal(str(row[header.index(m5)])) == (Decimal(str(ratio)) * 100).quantize(
        Decimal("0.1")
    )
