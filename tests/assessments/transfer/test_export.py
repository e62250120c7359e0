import io
import shutil
import subprocess

import openpyxl
import pytest

from assessments.transfer.enterprises import export_enterprises, import_enterprises
from assessments.transfer.files import read_table
from portal.accounts.models import Enterprise, Region
from tests.factories import EnterpriseFactory, company_user, reviewer

pytestmark = pytest.mark.django_db


def sheet_rows(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()], sheet


def test_export_neutralises_formula_cells(admin_user):
    EnterpriseFactory(name='=HYPERLINK("http://evil","x")', contact_name="@cmd")
    out = io.BytesIO()
    export_enterprises(out, fmt="xlsx", lang="en", user=admin_user)
    rows, sheet = sheet_rows(out.getvalue())
    assert rows[0][:3] == ["Credit code", "Enterprise name", "Region code"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil","x")'
    assert rows[1][8] == "'@cmd"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_columns_in_chinese_with_owner_email(admin_user):
    enterprise = EnterpriseFactory()
    company_user(enterprise, username="boss", email="boss@example.com")
    out = io.BytesIO()
    export_enterprises(out, fmt="csv", lang="zh", user=admin_user)
    lines = out.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("统一社会信用代码,企业名称,地区代码,省份,城市,行业,企业规模")
    assert lines[1].split(",") == [
        enterprise.credit_code,
        enterprise.name,
        "420900",
        "湖北省",
        "孝感市",
        "C 制造业",
        "小型",
        "2015-01-01",
        "李雷",
        "13900001111",
        "boss@example.com",
    ]


def test_export_respects_the_reviewers_region_scope():
    EnterpriseFactory(name="湖北企业")
    EnterpriseFactory(name="北京企业", region=Region.objects.get(code="110101"))
    lead = reviewer(regions=["420000"], lead=True)
    out = io.BytesIO()
    assert export_enterprises(out, fmt="xlsx", user=lead) == 1
    rows, _sheet = sheet_rows(out.getvalue())
    assert [r[1] for r in rows[1:]] == ["湖北企业"]


def test_export_queries_do_not_grow_with_rows(admin_user, django_assert_max_num_queries):
    for _ in range(30):
        EnterpriseFactory()
    out = io.BytesIO()
    with django_assert_max_num_queries(6):
        assert export_enterprises(out, fmt="xlsx", user=admin_user) == 30


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_edit_reimport_round_trip(admin_user, fmt):
    originals = [
        EnterpriseFactory(contact_phone="+86 13900001111".replace(" ", "")) for _ in range(5)
    ]
    out = io.BytesIO()
    export_enterprises(out, fmt=fmt, lang="en", user=admin_user)
    fields = ["credit_code", "name", "region_id", "industry", "size", "founded_on"]
    before = {e.credit_code: [getattr(e, f) for f in fields] for e in originals}

    # Re-importing the unchanged file: every row is already registered.
    report = import_enterprises(read_table(io.BytesIO(out.getvalue()), fmt), user=admin_user)
    assert report.invalid_rows == 5
    assert {e.message for e in report.errors} == {
        "An enterprise with this credit code is already registered."
    }

    # Edit: rename one enterprise, then import into a registry without them.
    data = out.getvalue()
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        workbook.active["B2"] = "改名后的企业"
        edited = io.BytesIO()
        workbook.save(edited)
        data = edited.getvalue()
    else:
        text = data.decode("utf-8-sig").splitlines()
        cells = text[1].split(",")
        cells[1] = "改名后的企业"
        text[1] = ",".join(cells)
        data = ("\n".join(text) + "\n").encode("utf-8-sig")
    first_code = sorted(before)[0]
    Enterprise.objects.all().delete()
    report = import_enterprises(read_table(io.BytesIO(data), fmt), user=admin_user, dry_run=False)
    assert report.written, report.errors
    after = {e.credit_code: [getattr(e, f) for f in fields] for e in Enterprise.objects.all()}
    before[first_code][1] = "改名后的企业"
    assert after == before
    assert Enterprise.objects.get(credit_code=first_code).contact_phone == "+8613900001111"


def test_csv_export_opens_in_libreoffice_with_its_chinese_intact(admin_user, tmp_path):
    """LibreOffice reads the exported file as UTF-8: Chinese headers and names come through,
    commas and quotes inside cells are kept, and the byte-order mark (which Excel needs) does
    not stick to the first header. (A headless conversion is told the character set: without
    it LibreOffice assumes Windows-1252 whatever the file holds.)"""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("soffice is missing: run scripts/bootstrap.sh (libreoffice-calc-nogui)")
    EnterpriseFactory(name="湖北省孝感市测试科技有限公司", contact_name="张三")
    EnterpriseFactory(name='孝感"光谷",创新有限公司')
    path = tmp_path / "registry.csv"
    with path.open("wb") as out:
        export_enterprises(out, fmt="csv", lang="zh", user=admin_user)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--infilter=CSV:44,34,UTF8",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows, _sheet = sheet_rows((tmp_path / "registry.xlsx").read_bytes())
    assert rows[0][:3] == ["统一社会信用代码", "企业名称", "地区代码"]
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"湖北省孝感市测试科技有限公司", '孝感"光谷",创新有限公司'}
    first = by_name["湖北省孝感市测试科技有限公司"]
    assert first[3:7] == ["湖北省", "孝感市", "C 制造业", "小型"]
    assert "张三" in first
