"""SheetWriter writes each value as the cell its column needs: type, number format, font, fill, border, alignment.

Each value is written into one row with `SheetWriter`, the file is read back with openpyxl (types,
formats, styles, layout) and with python-calamine (text as Excel shows it: `_xHHHH_` escapes
decoded), and every cell is compared with what the column's kind asks for, written out here.
"""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from projects.reports.xlsx import CENTER, DATE, MONEY, PERCENT, TEXT, WRAP, Column, SheetWriter, new_workbook

VALUES = [
    "县交通运输局",
    "a & b <c> d",
    "第一行\r\n第二行\n第三行",
    "  leading blanks",
    "trailing blank ",
    "\u3000全角空格",
    "tab\there",
    "=1+1",
    "=",
    "#N/A",
    "#3号楼",
    "",
    None,
    Decimal("1234567.89"),
    Decimal("0.063"),
    Decimal("-12.5"),
    0,
    20000,
    0.1,
    True,
    dt.date(2026, 3, 1),
    "x" * 40000,
    "emoji 😀 ]]> 'quotes' \"double\"",
    "+86 0571",
    "-5",
    "@SUM(A1:A2)",
    "bell \x07 and _x0041_",
    "<r><t>x</t></r></is><f>1+1</f><is><r></r>",
]
COL = {value: i for i, value in enumerate(VALUES, start=1) if isinstance(value, str)}
KINDS = [TEXT, WRAP, CENTER, MONEY, PERCENT, DATE]
# Alignment (horizontal, vertical, wrap) and number format each kind asks for.
ALIGNMENT = {TEXT: (None, "center", None), WRAP: (None, "center", True), CENTER: ("center", "center", None)}
NUMBER_FORMAT = {MONEY: "#,##0.00", PERCENT: "0.0%", DATE: "yyyy-mm-dd"}
FORMULA_LIKE = ("=1+1", "=", "+86 0571", "-5", "@SUM(A1:A2)")


def written(kind: str, total: bool):
    wb = new_workbook()
    columns = [Column("值", kind)] * len(VALUES)
    sheet = SheetWriter(wb, "fast", columns, titles=["标题", "说明"], freeze_cols=1)
    sheet.fit(VALUES)
    sheet.begin()
    sheet.row(VALUES, total=total)
    sheet.note("备注 & <note>")
    out = io.BytesIO()
    wb.save(out)
    content = out.getvalue()
    shown = list(CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).iter_rows())
    return load_workbook(io.BytesIO(content))["fast"], shown, content


@pytest.mark.parametrize("total", [False, True])
@pytest.mark.parametrize("kind", KINDS)
def test_cells_have_their_columns_type_format_and_style(kind, total):
    ws, shown, _content = written(kind, total)
    for col, value in enumerate(VALUES, start=1):
        cell = ws.cell(4, col)
        font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment
        assert (font.name, font.sz, bool(font.b)) == ("宋体", 10, total), value
        assert fill.fgColor.rgb == ("FFF2F2F2" if total else "00000000"), value
        assert (fill.fill_type == "solid") == total, value
        for side in (border.left, border.right, border.top, border.bottom):
            assert (side.style, side.color.rgb) == ("thin", "FF808080"), value
        horizontal, vertical, wrap = ALIGNMENT.get(kind, ("right", "center", None))
        assert (align.horizontal, align.vertical, align.wrap_text) == (horizontal, vertical, wrap), value
        expected_format = "yyyy-mm-dd" if isinstance(value, dt.date) else NUMBER_FORMAT.get(kind, "General")
        assert cell.number_format == expected_format, value
        assert cell.quotePrefix == (value in FORMULA_LIKE), value
    row = [ws.cell(4, c) for c in range(1, len(VALUES) + 1)]
    numbers = {Decimal("1234567.89"): 1234567.89, Decimal("0.063"): 0.063, Decimal("-12.5"): -12.5, 0: 0, 20000: 20000}
    for value, number in numbers.items():
        cell = row[VALUES.index(value)]
        assert (cell.value, cell.data_type) == (number, "n") or kind == DATE  # a number formatted as a date reads so
        assert shown[3][VALUES.index(value)] == pytest.approx(number) or kind == DATE
    assert row[VALUES.index(0.1)].value == 0.1 or kind == DATE
    assert row[VALUES.index(True)].value is True
    assert row[VALUES.index(True)].data_type == "b"
    assert row[VALUES.index(None)].value is None
    assert row[VALUES.index(dt.date(2026, 3, 1))].value == dt.datetime(2026, 3, 1)
    # Every text is a text cell (no formula, error code, number or link), shown as it was given.
    for value, col in COL.items():
        if value:
            assert ws.cell(4, col).data_type == "s", value
    texts = {v for v in COL if v and len(v) < 40000}
    assert {shown[3][COL[v] - 1] for v in texts} == texts  # carriage returns and control characters too
    assert len(ws.cell(4, COL["x" * 40000]).value) == 32767  # cut to a cell's limit


def test_blanks_around_text_are_kept_for_excel():
    *_read, content = written(TEXT, False)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b'<t xml:space="preserve">  leading blanks</t>' in xml
    assert b'<t xml:space="preserve">trailing blank </t>' in xml
    assert b"<f>" not in xml  # the text that looks like XML stays text


def test_titles_header_note_and_layout():
    ws, _shown, _content = written(TEXT, False)
    last = len(VALUES)
    assert [ws.cell(r, 1).value for r in (1, 2, 3, 5)] == ["标题", "说明", "值", "备注 & <note>"]
    assert ws.row_dimensions[1].height == 30 and ws.row_dimensions[3].height == 32.25
    letters = get_column_letter(last)
    assert {str(r) for r in ws.merged_cells.ranges} == {f"A1:{letters}1", f"A2:{letters}2", f"A5:{letters}5"}
    assert ws.freeze_panes == "B4" and ws.print_title_rows.replace("$", "") == "3:3"
    assert ws.cell(5, 1).font.b and ws.cell(3, 1).font.b and ws.cell(1, 1).font.sz == 16
    assert ws.cell(3, 1).fill.fgColor.rgb == "FFDDEBF7" and ws.cell(3, 1).alignment.wrap_text
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert (ws.page_setup.fitToWidth in (None, 1), ws.page_setup.fitToHeight) == (True, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered
    margins = ws.page_margins
    assert (margins.left, margins.right, margins.top, margins.bottom, margins.header, margins.footer) == (
        0.4, 0.4, 0.6, 0.6, 0.3, 0.3,
    )  # fmt: skip
    assert ws.oddFooter.center.text == "&P / &N"


def test_widths_are_written_as_fitted():
    wb = new_workbook()
    columns = [
        Column("头", TEXT),
        Column("固定", WRAP, width=40),
        Column("金额", MONEY),
        Column("长", TEXT, max_width=12),
    ]
    sheet = SheetWriter(wb, "w", columns)
    sheet.fit(["县交通运输局", "任意长的文字" * 20, Decimal("1234567.89"), "x" * 50])
    sheet.begin()
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue()))["w"]
    # 县交通运输局: 6 wide characters = 12, + 2; 1,234,567.89: 12 + 2; the last capped at its maximum.
    widths = [ws.column_dimensions[letter].width for letter in "ABCD"]
    assert widths == [14, 40, 14, 12]


def test_fit_column_gives_the_widths_fit_gives_row_by_row():
    values = {
        TEXT: ["县交通运输局", "abc", None, "城关镇（第2片区）", "x" * 50],
        CENTER: [1, 12, 345, None, "1.23"],
        MONEY: [Decimal("0.00"), Decimal("1234567.89"), Decimal("-9.5"), None, 7],
        PERCENT: [None, Decimal("0.5"), None],
        DATE: [None, dt.date(2026, 1, 1)],
    }
    for kind, column_values in values.items():
        columns = [Column("头", kind, max_width=200)]
        by_row, by_column = SheetWriter(new_workbook(), "a", columns), SheetWriter(new_workbook(), "b", columns)
        for value in column_values:
            by_row.fit([value])
        by_column.fit_column(0, iter(column_values))
        assert by_column.widths == by_row.widths, kind


def test_widths_fitted_after_rows_are_written_and_heights_measured_at_the_cap():
    # Rows are written as they come and the widths set when the workbook closes, so a value fitted
    # after the rows before it were written still widens its column; a wrapped text's row height is
    # measured against the column's widest width (here 12 − 1 = 11 units a line).
    wb = new_workbook()
    sheet = SheetWriter(wb, "w", [Column("头", TEXT), Column("说明", WRAP, max_width=12)])
    sheet.begin()
    short = ["甲", "短"]
    sheet.fit(short)
    sheet.row(short)
    long = ["县交通运输局", "一二三四五六七八九十"]  # 20 units: two lines of 11
    sheet.fit(long)
    sheet.row(long)
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue()))["w"]
    assert [ws.column_dimensions[letter].width for letter in "AB"] == [14, 12]
    assert ws.row_dimensions[2].height is None  # one line: the viewer's own height
    assert ws.row_dimensions[3].height == 13.5 * 2 + 1.5
