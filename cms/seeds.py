"""Turn scraped policy texts into clean, structured content (pure functions, no Django).

The five seed documents in ``cms/demo_content/`` were scraped from web sites: they carry the
sites' sales blurbs, phone numbers, navigation crumbs and "本站为你精心整理…" prefaces, half-width
punctuation inside Chinese text, and the documents' own numbering (一、 / （一） / 1.) as plain
text. ``parse_seed`` removes the boilerplate, recognises headings from that numbering and pulls
the quantitative targets (指标) out of the target sections, so the demo loader can build
StreamField bodies from the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "Block",
    "ParsedDocument",
    "Target",
    "clean_lines",
    "detect_heading",
    "extract_targets",
    "normalise_punctuation",
    "parse_seed",
]

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")

# --- Boilerplate ------------------------------------------------------------------------------
_PHONE_RE = re.compile(r"(?:\+?86[-\s]?)?0\d{2,3}-\d{7,8}(?:-\d{1,5})?|\b1[3-9]\d{9}\b")
_SALES_RE = re.compile(r"购买咨询|咨询热线|客服|联系电话|技术支持电话|服务支持电话|欢迎咨询")
_BREADCRUMB_RE = re.compile(r"^(首页|当前位置[:：]?)\s*[>›»/]")
_PREFACE_RE = re.compile(r"本站为你精心整理|精心整理了|范文.{0,20}参考|仅供参考|客服老师")
_LABEL_ONLY_RE = re.compile(r"^(技术支持电话|服务支持电话|购买咨询|联系电话)[:：]?$")
_METADATA_RE = re.compile(
    r"^(法律领域|法律类别|当前状态|时效性|颁布日期|发布日期|实施日期|施行日期|失效日期|"
    r"发文字号|文号|发布机关|发文机关)\s*[:：]\s*(.+)$"
)
_BULLET_RE = re.compile(r"^\s*[•·●▪◦]\s*")
# Sales blocks are short; a block that holds the whole document is never dropped.
_MAX_SALES_BLOCK_CHARS = 800

# --- Headings ---------------------------------------------------------------------------------
_CN_NUM = "一二三四五六七八九十"
_HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (2, re.compile(rf"^([{_CN_NUM}]+)、\s*(.+)$")),
    (3, re.compile(rf"^（([{_CN_NUM}]+)）\s*(.+)$")),
    (4, re.compile(r"^(\d{1,2})[\.．、](?!\d)\s*(.+)$")),
)
_MAX_HEADING_CHARS = 40  # a whole numbered line this short (no 。) is a heading
_MAX_LEAD_CHARS = 30  # "（一）加快法制建设。严格按照…": the lead sentence becomes a heading


@dataclass(frozen=True)
class Target:
    """A quantitative goal stated in a document, e.g. 培育…示范或优势企业 60 家以上 (2025)."""

    indicator: str
    value: Decimal
    unit: str
    year: int | None = None
    qualifier: str = "reach"  # reach | at_least | about | at_most


@dataclass(frozen=True)
class Block:
    """One body element: a heading (level 2–4), a paragraph or an indicator target."""

    kind: str  # "heading" | "paragraph" | "target"
    text: str = ""
    level: int = 0
    target: Target | None = None


@dataclass
class ParsedDocument:
    title: str | None
    metadata: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading"]

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "paragraph"]

    @property
    def targets(self) -> list[Target]:
        return [b.target for b in self.blocks if b.kind == "target" and b.target]

    @property
    def plain_text(self) -> str:
        return "\n".join(b.text for b in self.blocks if b.kind in {"heading", "paragraph"})


# --- Cleaning ---------------------------------------------------------------------------------
def normalise_punctuation(text: str) -> str:
    """Use full-width punctuation inside Chinese text, as the documents were written.

    Scraping turned ，；：（） into , ; : ( ). Commas between digits (1,000) and colons between
    digits (10:30) stay; brackets become full-width when they touch or hold Chinese text.
    """

    text = text.replace("\u3000", " ").strip()
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text)
    text = re.sub(r"(?<!\d);|;(?!\d)", "；", text)
    text = re.sub(r"(?<!\d):|:(?!\d)", "：", text)

    def _bracket(match: re.Match[str]) -> str:
        inner = match.group(1)
        before = text[match.start() - 1] if match.start() else ""
        if _CJK_RE.search(inner) or _CJK_RE.match(before):
            return f"（{inner}）"
        return match.group(0)

    text = re.sub(r"\(([^()]*)\)", _bracket, text)
    # No spaces around full-width punctuation.
    text = re.sub(r"\s*([，。；：、（）“”])\s*", r"\1", text)
    return text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _group_blocks(lines: list[str]) -> list[list[str]]:
    """Group a bulleted line with the more-indented lines below it (the scraped list layout)."""

    blocks: list[list[str]] = []
    current: list[str] | None = None
    bullet_indent = -1
    for line in lines:
        if not line.strip():
            if current is not None:
                current.append(line)
            continue
        indent = _indent(line)
        if _BULLET_RE.match(line):
            current = [line]
            bullet_indent = indent
            blocks.append(current)
        elif current is not None and indent > bullet_indent:
            current.append(line)
        else:
            current = None
            bullet_indent = -1
            blocks.append([line])
    return blocks


def _is_sales_block(block: list[str]) -> bool:
    text = "\n".join(block)
    if len(text) > _MAX_SALES_BLOCK_CHARS:
        return False
    return bool(_SALES_RE.search(text) or _PHONE_RE.search(text))


def _is_boilerplate_line(line: str) -> bool:
    return bool(
        _BREADCRUMB_RE.match(line)
        or _PREFACE_RE.search(line)
        or _LABEL_ONLY_RE.match(line)
        or _PHONE_RE.fullmatch(line)
        or (_SALES_RE.search(line) and len(line) < 60)
    )


def clean_lines(raw: str) -> tuple[list[str], dict[str, str]]:
    """Return the document's lines without boilerplate, plus metadata lines found on the page.

    Metadata such as ``颁布日期:2017-04-01`` comes back as ``{"颁布日期": "2017-04-01"}``.
    """

    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    metadata: dict[str, str] = {}
    out: list[str] = []
    for block in _group_blocks(raw.split("\n")):
        if _is_sales_block(block):
            continue
        for line in block:
            line = _BULLET_RE.sub("", line).strip()
            if not line or _is_boilerplate_line(line):
                continue
            line = normalise_punctuation(line)
            meta = _METADATA_RE.match(line)
            if meta and len(line) < 60:
                metadata[meta.group(1)] = meta.group(2).strip()
                continue
            out.append(line)
    return out, metadata


def _looks_like_title(line: str) -> bool:
    return (
        len(line) <= 60
        and "。" not in line
        and not line.endswith(("：", ":"))
        and detect_heading(line) is None
        and bool(_CJK_RE.search(line))
    )


# --- Headings ---------------------------------------------------------------------------------
def detect_heading(line: str) -> tuple[int, str, str] | None:
    """Recognise a heading from the document's own numbering.

    Returns ``(level, heading, rest)``: 一、 → level 2, （一） → 3, 1. / 1、 → 4. A short numbered
    line is a heading on its own; a numbered line that opens with a short lead sentence
    ("（一）加快法制建设。严格按照…") gives the lead as heading (without its 。) and the rest as
    the paragraph below it. Numbered lines that are sentences ("1、全市年专利申请量增长15%以上，
    其中…") are list items, not headings: ``None``.
    """

    line = line.strip()
    for level, pattern in _HEADING_PATTERNS:
        match = pattern.match(line)
        if not match:
            continue
        body = match.group(2)
        prefix = line[: match.start(2)].rstrip()
        if "。" not in body.rstrip("。") and len(line) <= _MAX_HEADING_CHARS:
            if re.search(r"[，；]", body) and len(body) > 20:
                return None
            return level, prefix + body.rstrip("。"), ""
        lead, _, rest = body.partition("。")
        if rest and len(lead) <= _MAX_LEAD_CHARS and not re.search(r"[，；：,;:]", lead):
            return level, prefix + lead, rest.strip()
        return None
    return None


# --- Targets ----------------------------------------------------------------------------------
_UNITS = "万人次|人次|万件|亿元|万元|家次|件|家|个|项|场|名|人|%|％|类|所|篇|倍|次|户|款|条|门"
_NUMBER_RE = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?)(?:\s*[-—~至]\s*(?P<upper>\d+(?:\.\d+)?))?\s*(?P<unit>{_UNITS})"
)
_DOUBLING_RE = re.compile(r"(?:比(?P<base>\d{4})年)?(?:增长一倍|翻一番|翻了一番)")
_YEAR_RE = re.compile(r"(\d{4})年")
_LEADING_NOISE_RE = re.compile(
    r"^(?:\d{1,2}[、\.．]|[一二三四五六七八九十]+是|《[^》]*》(?:明确|提出)?|其中|同时|并且|力争|确保|"
    r"到\d{4}年(?:底|末)?|\d{4}年(?:底|末)?|全年)+"
)
_TRAILING_VERBS = (
    "分别达到",
    "累计达到",
    "达到",
    "提升至",
    "提升到",
    "提高至",
    "提高到",
    "增加到",
    "超过",
    "突破",
    "不低于",
    "不少于",
    "实现",
    "达",
)
_AT_LEAST_VERBS = ("超过", "突破", "不低于", "不少于")
_SHARED_SUFFIXES = ("拥有量", "申请量", "授权量", "注册量", "数量", "总量", "比重", "占比")
_SHARED_PREFIX_RE = re.compile(r"^(每[^、]{0,8}?(?:人口|人|亿元[^、]*?收入))")
_TARGET_SECTION_WORDS = ("目标", "指标")
_TARGET_PARAGRAPH_WORDS = ("主要目标", "总体要求", "相关指标", "发展目标")


def _qualifier(before: str, after: str) -> tuple[str, str]:
    """Return (qualifier, remaining text after the number)."""

    for word, qualifier in (
        ("以上", "at_least"),
        ("左右", "about"),
        ("以下", "at_most"),
        ("以内", "at_most"),
    ):
        if after.startswith(word):
            return qualifier, after[len(word) :]
    if before.endswith(_AT_LEAST_VERBS):
        return "at_least", after
    return "reach", after


def _strip_indicator(text: str) -> str:
    text = _LEADING_NOISE_RE.sub("", text.strip("，、；： "))
    changed = True
    while changed:
        changed = False
        for verb in _TRAILING_VERBS:
            if text.endswith(verb) and len(text) > len(verb):
                text = text[: -len(verb)]
                changed = True
    text = text.replace("实现年均", "年均")
    if text.endswith("占"):
        text += "比"
    return text.strip("，、；： ")


def _clause_target(clause: str, year: int | None) -> list[Target]:
    doubling = _DOUBLING_RE.search(clause)
    match = _NUMBER_RE.search(clause)
    if doubling and (not match or doubling.start() < match.start()):
        before = clause[: doubling.start()]
        base = doubling.group("base")
        indicator = _strip_indicator(before)
        if not _CJK_RE.search(indicator):
            return []
        indicator += f"较{base}年增长" if base else "增长"
        after = clause[doubling.end() :]
        qualifier = "at_least" if after.startswith("以上") else "reach"
        return [Target(indicator, Decimal(100), "%", year, qualifier)]
    if not match:
        return []

    if "分别" in clause[: match.start()]:
        return _respective_targets(clause, year)

    before = clause[: match.start()]
    qualifier, after = _qualifier(before, clause[match.end() :])
    if match.group("upper"):
        qualifier = "at_least"  # "5-10家": the lower bound is the commitment
    indicator = _strip_indicator(before)
    after = after.strip("，、；： ")
    if _CJK_RE.search(after):  # "累计培育30家以上高校院所…机构": the noun follows the number
        indicator = (indicator + after).strip()
        if indicator.endswith("等"):
            indicator = indicator[:-1]
    if len(indicator) < 2 or not _CJK_RE.search(indicator):
        return []
    unit = "%" if match.group("unit") == "％" else match.group("unit")
    return [Target(indicator, Decimal(match.group("num")), unit, year, qualifier)]


def _respective_targets(clause: str, year: int | None) -> list[Target]:
    """每万人口有效发明专利、高价值发明专利拥有量分别达到6.8件、3.2件 → two targets."""

    head, _, tail = clause.partition("分别")
    names = [n for n in _strip_indicator(head).split("、") if n]
    values = list(_NUMBER_RE.finditer(tail))
    if not names or len(names) != len(values):
        return []
    suffix = next((s for s in _SHARED_SUFFIXES if names[-1].endswith(s)), "")
    prefix_match = _SHARED_PREFIX_RE.match(names[0])
    prefix = prefix_match.group(1) if prefix_match else ""
    targets = []
    for name, value in zip(names, values, strict=True):
        if suffix and not name.endswith(suffix):
            name += suffix
        if prefix and not name.startswith(prefix):
            name = prefix + name
        qualifier, _ = _qualifier("", tail[value.end() :])
        unit = "%" if value.group("unit") == "％" else value.group("unit")
        targets.append(Target(name, Decimal(value.group("num")), unit, year, qualifier))
    return targets


def extract_targets(paragraph: str, year: int | None = None) -> list[Target]:
    """Find quantitative targets in one paragraph of a target section.

    Clauses are split at ，；：。; a clause naming only years ("2025年") sets the target year
    for the clauses after it; "到2020年，…" does the same.
    """

    targets: list[Target] = []
    for clause in re.split(r"[，；：。]", normalise_punctuation(paragraph)):
        clause = clause.strip()
        if not clause:
            continue
        lead_year = re.match(r"^(?:到|至)?(\d{4})年(?:底|末)?", clause)
        if lead_year and not _NUMBER_RE.search(clause[lead_year.end() :]):
            year = int(lead_year.group(1))
            continue
        found = _clause_target(clause, year)
        if found:
            targets.extend(found)
            continue
        if lead_year:
            year = int(lead_year.group(1))
        else:
            years = [int(y) for y in _YEAR_RE.findall(clause)]
            if years:
                year = max(years)
    return targets


def _is_target_paragraph(text: str, section_titles: list[str]) -> bool:
    if any(word in title for title in section_titles for word in _TARGET_SECTION_WORDS):
        return True
    return any(word in text[:40] for word in _TARGET_PARAGRAPH_WORDS)


# --- Whole document ---------------------------------------------------------------------------
def parse_seed(raw: str, *, title: str | None = None) -> ParsedDocument:
    """Clean a scraped document and structure it as headings, paragraphs and targets.

    ``title`` names the document when the caller knows it; otherwise a short first line that is
    not numbered is taken as the title. Repeats of the title in the text are dropped.
    """

    lines, metadata = clean_lines(raw)
    detected = lines[0] if lines and _looks_like_title(lines[0]) else None
    title = title or detected
    if title:
        normalised_title = normalise_punctuation(title)
        lines = [
            line for line in lines if line not in {title, normalised_title} and line != detected
        ]

    blocks: list[Block] = []
    sections: dict[int, str] = {}
    for line in lines:
        heading = detect_heading(line)
        paragraph = line
        if heading:
            level, text, rest = heading
            blocks.append(Block("heading", text, level=level))
            sections = {lvl: t for lvl, t in sections.items() if lvl < level}
            sections[level] = text
            paragraph = rest
        if not paragraph:
            continue
        blocks.append(Block("paragraph", paragraph))
        if _is_target_paragraph(paragraph, list(sections.values())):
            blocks.extend(Block("target", target=t) for t in extract_targets(paragraph))
    return ParsedDocument(title=title, metadata=metadata, blocks=blocks)
