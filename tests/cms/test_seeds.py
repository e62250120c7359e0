"""Cleaning, heading detection and target extraction on the real seed documents."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cms.search import highlight, query_terms, segment_for_index
from cms.seeds import (
    Target,
    clean_lines,
    detect_heading,
    extract_targets,
    normalise_punctuation,
    parse_seed,
)
from tests.cms.conftest import seed_text

BOILERPLATE = [
    "购买咨询",
    "0755-26913451",
    "82005878",
    "首页 >",
    "本站为你精心整理",
    "客服",
    "技术支持电话",
    "索骥",
]


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_boilerplate_is_removed(number):
    parsed = parse_seed(seed_text(number))
    text = parsed.plain_text
    for junk in BOILERPLATE:
        assert junk not in text, junk
    assert not any(line.startswith(("•", "1. 1.")) for line in text.splitlines())
    assert len(text) > 3000  # the document itself survives


def test_scraped_navigation_preface_and_sales_blocks_are_dropped():
    lines, _ = clean_lines(seed_text("002"))
    assert lines[0] == "争创知识产权示范市工作要点"
    assert not any("精心整理" in line or line.startswith("首页") for line in lines)
    lines, metadata = clean_lines(seed_text("003"))
    assert lines[0] == "重庆市知识产权“十三五”发展规划"  # the product adverts before it are gone
    assert metadata == {
        "法律领域": "综合实体",
        "法律类别": "部门规章",
        "当前状态": "有效",
        "颁布日期": "2017-04-01",
        "实施日期": "2017-04-01",
    }
    assert lines[-1].startswith("（三）加强督查评估")  # the phone numbers after it are gone


def test_titles_are_detected_and_not_repeated_in_the_body():
    assert parse_seed(seed_text("002")).title == "争创知识产权示范市工作要点"
    assert parse_seed(seed_text("003")).title == "重庆市知识产权“十三五”发展规划"
    assert (
        parse_seed(seed_text("004")).title
        == "中关村国家自主创新示范区知识产权行动方案（2019-2021）"
    )
    # 000 opens with a numbered heading and 001 with its addressees: no title in the text.
    assert parse_seed(seed_text("000")).title is None
    assert parse_seed(seed_text("001")).title is None
    body = parse_seed(seed_text("002")).plain_text
    assert "争创知识产权示范市工作要点" not in body


def test_punctuation_is_normalised_inside_chinese_text():
    assert (
        normalise_punctuation("年度专利授权达到700件,发明专利授权55件;")
        == "年度专利授权达到700件，发明专利授权55件；"
    )
    assert normalise_punctuation("地理标志商标(产品)达到5件") == "地理标志商标（产品）达到5件"
    assert normalise_punctuation("1,000 items at 10:30 (approx)") == "1,000 items at 10:30 (approx)"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("一、起草背景", (2, "一、起草背景", "")),
        ("（一）鼓励高价值知识产权创造", (3, "（一）鼓励高价值知识产权创造", "")),
        (
            "（一）加快法制建设。严格按照立法程序要求，配合省人大。",
            (3, "（一）加快法制建设", "严格按照立法程序要求，配合省人大。"),
        ),
        (
            "1.知识产权综合实力快速提升。“十二五”末，全市有效专利达到94975件。",
            (4, "1.知识产权综合实力快速提升", "“十二五”末，全市有效专利达到94975件。"),
        ),
        (
            "2、加强知识产权信息服务。鼓励企事业单位建立专题数据库。",
            (4, "2、加强知识产权信息服务", "鼓励企事业单位建立专题数据库。"),
        ),
        # Numbered sentences are list items, not headings.
        ("1、全市年专利申请量增长15%以上，其中发明专利申请量占25%以上。", None),
        ("2025年，年度专利授权达到700件。", None),
        ("6.8件", None),
        ("一是加快培育知识产权创造主体。引导知识产权服务机构。", None),
    ],
)
def test_heading_detection(line, expected):
    assert detect_heading(line) == expected


def test_headings_follow_the_documents_numbering():
    levels = {}
    for number in ["000", "001", "002", "003", "004"]:
        headings = parse_seed(seed_text(number)).headings
        levels[number] = [h.level for h in headings]
    assert levels["000"].count(2) == 3 and levels["000"].count(3) == 5
    assert levels["001"].count(2) == 7
    texts_003 = [h.text for h in parse_seed(seed_text("003")).headings]
    assert texts_003[:3] == [
        "一、发展基础与面临的形势",
        "（一）发展基础",
        "1.知识产权综合实力快速提升",
    ]
    assert "（三）发展目标" in texts_003 and "五、保障措施" in texts_003
    texts_002 = [h.text for h in parse_seed(seed_text("002")).headings]
    assert "1、完善政府知识产权工作协调机制" in texts_002
    assert not any("全市年专利申请量" in t for t in texts_002)


def _find(targets: list[Target], indicator: str) -> Target:
    matches = [t for t in targets if t.indicator == indicator]
    assert matches, f"{indicator!r} not in {[t.indicator for t in targets]}"
    return matches[0]


def test_targets_of_the_xiaogan_plan():
    targets = parse_seed(seed_text("000")).targets
    assert len(targets) == 18
    assert all(t.year == 2025 for t in targets)
    enterprises = _find(targets, "培育国家、省、孝感市知识产权示范或优势企业")
    assert (enterprises.value, enterprises.unit, enterprises.qualifier) == (
        Decimal(60),
        "家",
        "at_least",
    )
    assert _find(targets, "年度专利授权").value == Decimal(700)
    # "每万人口有效发明专利、高价值发明专利拥有量分别达到6.8件、3.2件" gives two targets.
    assert _find(targets, "每万人口有效发明专利拥有量").value == Decimal("6.8")
    assert _find(targets, "每万人口高价值发明专利拥有量").value == Decimal("3.2")
    share = _find(targets, "专利密集型产业增加值占GDP比重")
    assert (share.value, share.unit, share.qualifier) == (Decimal(13), "%", "at_least")
    assert _find(targets, "有效注册商标").qualifier == "at_least"  # 突破7500件


def test_targets_of_the_chongqing_plan():
    targets = parse_seed(seed_text("003")).targets
    assert len(targets) == 5
    assert all(t.year == 2020 for t in targets)
    doubling = _find(targets, "每万人口发明专利拥有量较2015年增长")
    assert (doubling.value, doubling.unit, doubling.qualifier) == (Decimal(100), "%", "at_least")
    assert _find(targets, "规模以上工业企业每亿元主营业务收入有效发明专利数").value == Decimal(
        "0.45"
    )
    assert _find(targets, "PCT（专利合作协定）国际专利申请量").value == Decimal(2500)
    growth = _find(targets, "知识产权服务业营业收入年均增长")
    assert (growth.value, growth.unit) == (Decimal(20), "%")
    # The 十二五 achievements in section 一 are history, not targets.
    assert not any(t.value == Decimal(94975) for t in targets)


def test_targets_of_the_other_seeds():
    assert [(t.indicator, t.value) for t in parse_seed(seed_text("001")).targets] == [
        ("万人发明专利拥有量", Decimal("32.5"))
    ]
    zgc = parse_seed(seed_text("004")).targets
    assert _find(zgc, "中关村示范区有效发明专利拥有量").unit == "万件"
    assert _find(zgc, "新引入国际知识产权服务机构或组织").value == Decimal(5)  # "5-10家"
    city = parse_seed(seed_text("002")).targets
    assert _find(city, "全市年专利申请量增长").year is None  # the scraped text lost the years


def test_extract_targets_keeps_the_year_context():
    targets = extract_targets(
        "到2030年，每万人口高价值发明专利拥有量达到12件；培育示范企业20家左右。"
    )
    assert [(t.indicator, t.value, t.year, t.qualifier) for t in targets] == [
        ("每万人口高价值发明专利拥有量", Decimal(12), 2030, "reach"),
        ("培育示范企业", Decimal(20), 2030, "about"),
    ]


def test_segmentation_splits_chinese_runs_into_words():
    indexed = segment_for_index("推动更多金融机构开展知识产权质押融资业务。").split()
    assert {"质押", "融资", "知识产权", "知识", "产权"} <= set(indexed)
    assert "。" not in indexed
    assert query_terms("质押融资") == ("质押", "融资")
    assert query_terms("  PCT  专利导航 ") == ("pct", "专利", "导航")


def test_highlight_escapes_before_marking():
    text = "<b>知识产权</b>质押融资业务"
    out = highlight(text, "质押融资")
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert "<mark>质押融资</mark>" in out
    assert "<script>" not in highlight("abc", "<script>")
