"""Small hostile workbooks (a few hundred KB at most) that would cost a reader far more than their size."""

import io
import zipfile

from .helpers import ACTUAL_HEADERS, xlsx

__all__ = ["ACTUAL_HEADERS"]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def replace_part(content: bytes, name: str, data: bytes | str) -> bytes:
    """The workbook with one part replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename != name:
                z.writestr(info.filename, source.read(info))
        z.writestr(name, data)
    return out.getvalue()


def sheet_xml(rows: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def header_row() -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(ACTUAL_HEADERS)
    )
    return f'<row r="1">{cells}</row>'


def with_sheet(rows: str) -> bytes:
    return replace_part(xlsx([]), "xl/worksheets/sheet1.xml", sheet_xml(header_row() + rows))


def far_right_cells(rows: int = 20_000) -> bytes:
    """One value in column XFD on every row: a dense reader makes each row 16,384 cells wide."""
    return with_sheet("".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(2, rows + 2)))


def far_down_cell(row: int = 1_048_576) -> bytes:
    return with_sheet(f'<row r="{row}"><c r="A{row}"><v>1</v></c></row>')


def shared_strings(count: int, text: str = "a", refs: int = 0) -> bytes:
    """A shared-string table of `count` strings, with `refs` rows of the sheet each referring to string 0."""
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">' + f"<si><t>{text}</t></si>" * count + "</sst>"
    content = with_sheet("".join(f'<row r="{r}"><c r="F{r}" t="s"><v>0</v></c></row>' for r in range(2, refs + 2)))
    content = replace_part(content, "xl/sharedStrings.xml", sst)
    rel = (
        '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    if "sharedStrings" not in rels:
        content = replace_part(content, "xl/_rels/workbook.xml.rels", rels.replace("</Relationships>", rel))
    return content


def zip_bomb(megabytes: int = 40) -> bytes:
    """A part that unpacks to `megabytes` MB of blanks (it compresses about a thousand to one)."""
    return replace_part(xlsx([]), "xl/media/padding.xml", b" " * (megabytes * 2**20))


def many_parts(count: int = 1500) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([]))) as source, zipfile.ZipFile(out, "w") as z:
        for info in source.infolist():
            z.writestr(info.filename, source.read(info))
        for i in range(count):
            z.writestr(f"xl/extra/{i}.xml", "<a/>")
    return out.getvalue()


def read_part(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read(name)
