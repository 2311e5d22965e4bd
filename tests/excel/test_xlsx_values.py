"""The upload reader: every kind of cell read with python-calamine, special cells noted, damaged files refused."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from projects.reports import headers as H
from projects.reports.importers import read_sheet
from projects.reports.xlsx_values import FORMULA, UploadRefused, iter_rows, open_upload

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEETML}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEETML}.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEETML}.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEETML}.sharedStrings+xml"/>
</Types>"""

ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr {{date1904}}/>
<sheets><sheet name="填报" sheetId="1" r:id="rId1"/></sheets></workbook>"""

WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""

# Styles: 0 general, 1 a built-in date (14), 2 a custom date, 3 a duration, 4 money, 5 a custom non-date.
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="165" formatCode="[h]:mm:ss"/><numFmt numFmtId="166" formatCode="#,##0.00_ "/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

SHARED = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{MAIN}" count="8" uniqueCount="8">
<si><t>项目编号</t></si><si><t>项目名称</t></si><si><t>年</t></si><si><t>月</t></si>
<si><t>本月完成投资(万元)</t></si>
<si><r><rPr><b/></rPr><t>形象</t></r><r><t xml:space="preserve">进度 </t></r>
<rPh sb="0" eb="2"><t>けいしょう</t></rPh></si>
<si><t>XM-001</t><rPh sb="0" eb="1"><t>x</t></rPh><phoneticPr fontId="0"/></si>
<si><t xml:space="preserve">  </t></si><si><t>a_x005F_x000D_b</t></si><si/>
</sst>"""

SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><dimension ref="A1:B2"/>
<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>
<c r="D1" t="s"><v>3</v></c><c r="E1" t="s" s="4"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>
<row r="2" spans="1:8"><c r="A2" t="s"><v>6</v></c><c r="B2" t="inlineStr"><is><t>一号</t></is></c>
<c r="C2"><v>2026</v></c><c r="D2" s="0"><v>3</v></c><c r="E2" s="4"><v>12.5</v></c><c r="F2" t="s"><v>7</v></c>
<c r="H2" t="s"><v>8</v></c><c r="J2" t="s"><v>9</v></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><r><t>XM-</t></r><r><rPr><i/></rPr><t>002</t></r></is></c>
<c r="C4" s="1"><v>46082</v></c><c r="D4" s="2"><v>46082.5</v></c><c r="E4" s="3"><v>1.25</v></c>
<c r="F4" s="5"><v>1.5E3</v></c><c r="G4" t="b"><v>1</v></c><c r="H4" t="b"><v>0</v></c></row>
<row><c t="str"><f>A4&amp;"x"</f><v>XM-002x</v></c><c><f>1+1</f></c><c t="e"><v>#N/A</v></c>
<c t="d"><v>2026-03-01T00:00:00</v></c><c r="F5"><v></v></c><c r="G5" t="inlineStr"/><c r="I5"><v>-0.25</v></c></row>
<row r="6"/>
<row r="7" ht="20" customHeight="1"><c r="B7" s="1"><v>0.5</v></c><c r="AA7"><v>7</v></c></row>
<row r="9"><c r="a9"><v>1</v></c><c r="C9" s="1"><v>99999999</v></c></row>
<row r="10"><!-- a note --><c r="C10"><v>3</v></c><c r="A10"><v>1</v></c><c r="B10"><v>2</v></c></row>
<row r="11"><c r="B11" t="s"><v>0</v></c><?pi x?><c><v>5</v></c></row>
</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"""


def package(*, sheet=SHEET, shared=SHARED, date1904=False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK.replace("{date1904}", 'date1904="1"' if date1904 else ""))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/sharedStrings.xml", shared)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def read(content: bytes) -> tuple[dict[int, tuple], dict]:
    """Row number → the row's values (trailing blanks dropped, "" as None), and the special cells."""
    book = open_upload(io.BytesIO(content))
    try:
        name, sheet = next(book.sheets())
        rows = {}
        for number, values in iter_rows(sheet):
            cells = [None if v == "" else v for v in values]
            while cells and cells[-1] is None:
                cells.pop()
            rows[number] = tuple(cells)
        return rows, book.special.get(name, {})
    finally:
        book.close()


@pytest.mark.parametrize("date1904", [False, True])
def test_every_kind_of_cell_reads_as_its_value(date1904):
    rows, special = read(package(date1904=date1904))
    day = dt.date(2030, 3, 2) if date1904 else dt.date(2026, 3, 1)  # serial 46082 in each date system
    noon = dt.datetime.combine(day, dt.time(12))
    # Rich text without its phonetic run; shared and inline strings; numbers.
    assert rows[1] == ("项目编号", "项目名称", "年", "月", "本月完成投资(万元)", "形象进度 ")
    assert rows[2] == ("XM-001", "一号", 2026, 3, 12.5, "  ", None, "a_x000D_b")
    assert rows[4] == ("XM-002", None, day, noon, dt.timedelta(days=1, hours=6), 1500, True, False)
    assert rows[5][0] == "XM-002x" and rows[5][3] == dt.datetime.combine(dt.date(2026, 3, 1), dt.time())
    assert rows[5][8] == -0.25  # a cell with no reference follows the one before it
    assert rows[7][1] == dt.time(12) and rows[7][26] == 7  # AA7
    assert rows[9] == (1, None, 99999999) and rows[10] == (1, 2, 3) and rows[11] == (None, "项目编号", 5)
    assert all(rows.get(n, ()) == () for n in (3, 6, 8))  # blank rows
    # Read as empty, but not blank: the formula with no saved result and the error value.
    assert special == {(5, 2): FORMULA, (5, 3): "#N/A"}


def test_a_workbook_saved_by_openpyxl_reads_the_same():
    wb = Workbook()
    ws = wb.active
    ws.append(["项目编号", "项目名称", "年", "月", "本月完成投资(万元)", "形象进度"])
    ws.append(["XM1", "名称", 2026, 2, 0.1 + 0.2, "进度"])
    ws.append([None, None, None, None, None, None])
    ws.append(["XM2", "", 2026.0, "3", True, None])
    ws.cell(6, 3).value = "=1+2"  # openpyxl saves no result
    ws.cell(7, 27).value = 1.5
    out = io.BytesIO()
    wb.save(out)
    rows, special = read(out.getvalue())
    assert rows[2] == ("XM1", "名称", 2026, 2, 0.3, "进度")  # 0.1 + 0.2 saved to 16 digits
    assert rows[4] == ("XM2", None, 2026, "3", True)
    assert rows[7][26] == 1.5 and special == {(6, 3): FORMULA}


def test_a_text_formula_with_an_empty_result_is_not_special():
    sheet = SHEET.replace('<c t="str"><f>A4&amp;"x"</f><v>XM-002x</v></c>', '<c t="str"><f>A4&amp;"x"</f><v></v></c>')
    _rows, special = read(package(sheet=sheet))
    assert (5, 1) not in special


@pytest.mark.parametrize(
    "damage",
    [
        lambda sheet: sheet.replace("</sheetData>", "<row>"),  # not well-formed
        lambda sheet: sheet.replace('<row r="11">', '<row r="11.0">'),  # a row number that is not one
        lambda sheet: sheet.replace('r="A2"', 'r="A2x"'),  # a cell reference that is not one
        lambda sheet: "\x01" + sheet,  # junk before the XML
    ],
)
def test_a_damaged_sheet_is_a_whole_file_error(damage):
    content = package(sheet=damage(SHEET))
    with pytest.raises(UploadRefused):
        open_upload(io.BytesIO(content))
    sheet, issues = read_sheet(io.BytesIO(content), required=H.ACTUALS_REQUIRED)
    assert sheet is None and issues[0].row is None


def test_a_dtd_in_the_shared_strings_is_a_damaged_file():
    bomb = SHARED.replace(
        '<sst xmlns="', '<!DOCTYPE sst [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><sst xmlns="', 1
    ).replace("<t>项目编号</t>", "<t>&b;</t>")
    sheet, issues = read_sheet(io.BytesIO(package(shared=bomb)), required=H.ACTUALS_REQUIRED)
    assert sheet is None and issues[0].row is None


def test_the_importer_keeps_the_columns_it_reads_with_the_row_numbers():
    sheet, issues = read_sheet(io.BytesIO(package()), required=H.ACTUALS_REQUIRED, optional=H.ACTUALS_OPTIONAL)
    assert issues == []
    assert sheet.rows[0] == (2, ("XM-001", "一号", 2026, 3, 12.5, "  "))
    assert sheet.label(H.PROGRESS) == "形象进度"  # "形象进度 " with its trailing blank, normalized
    assert [number for number, _values in sheet.rows] == [2, 4, 5, 7, 9, 10, 11]
    # Row 5's formula with no result (项目名称) and its error value (年) are kept for the row errors.
    assert sheet.special == {(5, sheet.columns[H.NAME]): FORMULA, (5, sheet.columns[H.YEAR]): "#N/A"}


def test_a_string_table_under_another_name_is_a_damaged_file():
    """Cells are counted against the table named sharedStrings.xml; strings anywhere else are refused."""
    content = package()
    moved = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(moved, "w") as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b'Target="sharedStrings.xml"', b'Target="strings.xml"')
            name = "xl/strings.xml" if info.filename == "xl/sharedStrings.xml" else info.filename
            z.writestr(name, data)
    with pytest.raises(UploadRefused):
        open_upload(io.BytesIO(moved.getvalue()))
