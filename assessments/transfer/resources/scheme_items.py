"""The columns of the scheme items sheet (one line per item, option or band).

The sheet is written and read by ``assessments.transfer.schemes``, the scheme items round trip.
"""

from __future__ import annotations

from portal.core.spreadsheets import Column

SCHEME_ITEM_COLUMNS: tuple[Column, ...] = (
    Column("line", "行类型", "Line", required=True),
    Column("section", "部分", "Section"),
    Column("item", "条目代码", "Item", required=True),
    Column("type", "题型", "Type", imported=False),
    Column("option", "选项代码或分档序号", "Option or band"),
    Column("bound", "分档下限", "Bound"),
    Column("points", "分值", "Points"),
    Column("max", "满分", "Max"),
    Column("weight", "权重", "Weight"),
    Column("text_zh", "中文文字", "Chinese text"),
    Column("text_en", "英文文字", "English text"),
    Column("help_zh", "中文说明", "Chinese help"),
    Column("help_en", "英文说明", "English help"),
    Column("recommendation_zh", "中文建议", "Chinese recommendation"),
    Column("recommendation_en", "英文建议", "English recommendation"),
)
