"""SheetWriter renders rows to sheet XML itself: the cells must read back as openpyxl's own would.

Each value is written twice into one workbook, by `SheetWriter` and by openpyxl's own write-only
cells with the same named style, then the file is read back and the two cells compared.
"""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import IllegalCharacterError

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
]
KINDS = [TEXT, WRAP, CENTER, MONEY, PERCENT, DATE]


def written_both_ways(kind: str, total: bool):
    wb = new_workbook()
    columns = [Column("值", kind)] * len(VALUES)
    sheet = SheetWriter(wb, "fast", columns, titles=["标题", "说明"], freeze_cols=1)
    sheet.fit(VALUES)
    sheet.begin()
    sheet.row(VALUES, total=total)
    sheet.note("备注 & <note>")
    style = f"reg_{kind}{'_total' if total else ''}"
    ws = wb.create_sheet("openpyxl")
    ws.append([None])
    ws.append([None])
    ws.append([None])
    cells = []
    for value in VALUES:
        cell = WriteOnlyCell(ws)
        cell.style = style
        cell.value = value  # after the style, as a date's format goes on top of it
        if isinstance(value, str) and value[:1] in ("=", "#"):
            cell.data_type = "s"  # text, not openpyxl's formula or error code: what SheetWriter writes
        cells.append(cell)
    ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    return book["fast"], book["openpyxl"], out.getvalue()


@pytest.mark.parametrize("total", [False, True])
@pytest.mark.parametrize("kind", KINDS)
def test_cells_read_back_as_openpyxl_writes_them(kind, total):
    fast, plain, _content = written_both_ways(kind, total)
    for col, value in enumerate(VALUES, start=1):
        a, b = fast.cell(4, col), plain.cell(4, col)
        assert (a.value, a.data_type, a.number_format) == (b.value, b.data_type, b.number_format), value
        assert a.has_style and a._style == b._style, value  # the same font, fill, border, alignment, format
    assert fast.cell(4, 1).font.b == total
    assert fast.cell(4, 3).value == "第一行\r\n第二行\n第三行"  # carriage returns survive
    # Text a unit typed that starts with "=" or "#" stays text (no formula injection).
    assert [(fast.cell(4, c).value, fast.cell(4, c).data_type) for c in (8, 9, 10)] == [
        ("=1+1", "s"), ("=", "s"), ("#N/A", "s"),
    ]  # fmt: skip
    assert len(fast.cell(4, 22).value) == 32767  # cut to a cell's limit, as openpyxl does


def test_blanks_around_text_are_kept_for_excel():
    *_sheets, content = written_both_ways(TEXT, False)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b'<t xml:space="preserve">  leading blanks</t>' in xml
    assert b'<t xml:space="preserve">trailing blank </t>' in xml


def test_titles_header_note_and_layout():
    fast, _plain, _content = written_both_ways(TEXT, False)
    assert [fast.cell(r, 1).value for r in (1, 2, 3, 5)] == ["标题", "说明", "值", "备注 & <note>"]
    assert fast.row_dimensions[1].height == 30 and fast.row_dimensions[3].height == 32
    assert {str(r) for r in fast.merged_cells.ranges} >= {"A1:W1", "A2:W2", "A5:W5"}
    assert fast.freeze_panes == "B4" and fast.print_title_rows.replace("$", "") == "3:3"
    assert fast.cell(5, 1).font.b and fast.cell(3, 1).font.b


def test_text_openpyxl_refuses_is_refused():
    sheet = SheetWriter(new_workbook(), "bad", [Column("值")])
    with pytest.raises(IllegalCharacterError):
        sheet.row(["bell \x07"])


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
