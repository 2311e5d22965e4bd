"""The fast cell reader gives exactly the values openpyxl's read-only reader gives."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from projects.reports import headers as H
from projects.reports.importers import read_sheet
from projects.reports.xlsx_values import iter_values, open_workbook

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
<row r="11.0"><c r="B11" t="s"><v>0</v></c><?pi x?><c><v>5</v></c></row>
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


def openpyxl_values(content: bytes) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def fast_values(content: bytes) -> list[tuple]:
    wb = open_workbook(io.BytesIO(content))
    rows = list(iter_values(wb.worksheets[0]))
    wb.close()
    return rows


@pytest.mark.filterwarnings("ignore:Cell C9 is marked as a date")  # openpyxl's, for the out-of-range date
@pytest.mark.parametrize("date1904", [False, True])
def test_every_kind_of_cell_reads_as_openpyxl_reads_it(date1904):
    content = package(date1904=date1904)
    expected = openpyxl_values(content)
    assert fast_values(content) == expected
    # The case is worth its name: shared and inline strings, rich text, dates, durations, booleans,
    # formula results, errors, skipped and empty rows, and a declared size smaller than the data.
    assert expected[1][:6] == ("XM-001", "一号", 2026, 3, 12.5, "  ")
    assert expected[0][5] == "形象进度 " and expected[3][0] == "XM-002"
    assert len(expected) == 11 and expected[2] == () and expected[5] == ()
    assert expected[9] == (1, 2) and expected[10] == (None, "项目编号", 5)  # C10 is past its last cell's column


@pytest.mark.filterwarnings("ignore:Cell C9 is marked as a date")
def test_a_part_of_the_sheet_openpyxl_refuses_is_refused():
    sheet = SHEET.replace('<pageMargins left="0.7"', '<pageMargins left="wide"')
    with pytest.raises(TypeError):
        openpyxl_values(package(sheet=sheet))
    with pytest.raises(TypeError):
        fast_values(package(sheet=sheet))
    sheet_issue = read_sheet(io.BytesIO(package(sheet=sheet)), required=H.ACTUALS_REQUIRED)
    assert sheet_issue[0] is None and sheet_issue[1][0].row is None


def test_a_workbook_saved_by_openpyxl_reads_the_same():
    wb = Workbook()
    ws = wb.active
    ws.append(["项目编号", "项目名称", "年", "月", "本月完成投资(万元)", "形象进度"])
    ws.append(["XM1", "名称", 2026, 2, 0.1 + 0.2, "进度"])
    ws.append([None, None, None, None, None, None])
    ws.append(["XM2", "", 2026.0, "3", True, None])
    ws.cell(6, 3).value = "=1+2"
    ws.cell(7, 27).value = 1.5
    out = io.BytesIO()
    wb.save(out)
    content = out.getvalue()
    assert fast_values(content) == openpyxl_values(content)


def test_a_dtd_in_the_shared_strings_is_a_damaged_file():
    bomb = SHARED.replace(
        '<sst xmlns="', '<!DOCTYPE sst [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><sst xmlns="', 1
    ).replace("<t>项目编号</t>", "<t>&b;</t>")
    sheet, issues = read_sheet(io.BytesIO(package(shared=bomb)), required=H.ACTUALS_REQUIRED)
    assert sheet is None and issues[0].row is None


def test_the_importer_reads_the_package_through_the_fast_reader():
    sheet, issues = read_sheet(io.BytesIO(package()), required=H.ACTUALS_REQUIRED, optional=H.ACTUALS_OPTIONAL)
    assert issues == []
    assert sheet.rows[0] == (2, fast_values(package())[1])
    assert sheet.label(H.PROGRESS) == "形象进度"  # "形象进度 " with its trailing blank, normalized
