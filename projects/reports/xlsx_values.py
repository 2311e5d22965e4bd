"""The cell values of an uploaded .xlsx, read several times faster than openpyxl's own row reader.

openpyxl opens the package (manifest, workbook, sheets, number formats); only the two hot
loops are ours: the shared-string table and the sheet's rows, parsed with lxml in C. Every cell
comes out exactly as `ReadOnlyWorksheet.iter_rows(values_only=True)` gives it with
`data_only=True` and the declared dimensions ignored (numbers as int or float, dates for
date-formatted numbers, booleans, formula results, inline and shared strings without their
phonetic runs), so the importers' checks see the same values. The XML is parsed without DTDs,
entities or network access; a part that declares a DTD is refused as damaged, as openpyxl's
defusedxml parser does.

This relies on openpyxl's read-only workbook attributes (`_archive`, `_date_formats`,
`_timedelta_formats`, the sheet's `_worksheet_path`); requirements.txt pins the version and
tests/excel/test_xlsx_values.py compares the values with openpyxl's on varied workbooks.
"""

from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_STRING = f"{{{SHEET_MAIN_NS}}}si"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"
_DIGITS = "0123456789"
_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


class DamagedPart(ValueError):
    """A part of the package that is not plain XML (it declares a DTD or entities)."""


def _refuse_dtd(context) -> None:
    if context.root is not None and context.root.getroottree().docinfo.doctype:
        raise DamagedPart("The workbook's XML declares a DTD.")


def _text(node) -> str:
    """The text of an inline or shared string: its plain text and rich-text runs, not phonetic runs."""
    parts = []
    for child in node:
        if child.tag == _TEXT:
            if child.text is not None:
                parts.append(child.text)
        elif child.tag == _RUN:
            t = child.find(_TEXT)
            if t is not None and t.text is not None:
                parts.append(t.text)
    return "".join(parts)


def _shared_strings(source) -> list[str]:
    strings = []
    context = etree.iterparse(source, events=("end",), tag=_STRING, **_SAFE)
    for _event, node in context:
        if not strings:
            _refuse_dtd(context)
        strings.append(_text(node).replace("x005F_", ""))  # as openpyxl's read_string_table does
        node.clear()
    return strings


class _Reader(ExcelReader):
    """openpyxl's package reader with the shared-string table parsed by lxml."""

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = _shared_strings(source)


def open_workbook(upload):
    """The workbook as `load_workbook(upload, read_only=True, data_only=True)` opens it."""
    reader = _Reader(upload, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _number(text: str):
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


def iter_values(ws):
    """Each row of the sheet as a tuple of values, blank rows included, from row 1 on."""
    wb = ws.parent
    strings, epoch = ws._shared_strings, wb.epoch
    date_styles, timedelta_styles = wb._date_formats, wb._timedelta_formats
    columns = {}  # "AB" → 28, as openpyxl's coordinate_to_tuple reads a reference

    def value_of(kind, text, style):
        """A cell's value from its type, its <v> text (or inline string) and its style."""
        if kind == "inlineStr":
            return text
        if text is None or text == "":
            return None
        if kind == "n":
            value = _number(text)
            style = int(style) if style else 0
            if style in date_styles:
                try:
                    return from_excel(value, epoch, timedelta=style in timedelta_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return value
        if kind == "s":
            return strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text result), "e" (an error such as #N/A)

    with wb._archive.open(ws._worksheet_path) as source:
        context = etree.iterparse(source, events=("end",), tag=_ROW, **_SAFE)
        expected, row_number, first = 1, 0, True
        for _event, row in context:
            if first:
                _refuse_dtd(context)
                first = False
            r = row.get("r")
            if r is None:
                row_number += 1
            else:
                try:
                    row_number = int(r)
                except ValueError:
                    number = float(r)
                    if not number.is_integer():
                        raise ValueError(f"{r} is not a valid row number") from None
                    row_number = int(number)
            # One walk over the row's cells and their <v> and <is> children (cheaper than a loop per cell).
            cells, column, kind, style, text, seen = [], 0, None, None, None, False
            for element in row.iter(_CELL, _VALUE, _INLINE):
                tag = element.tag
                if tag == _CELL:
                    if kind is not None:
                        cells.append((column, value_of(kind, text, style)))
                    ref = element.get("r")
                    if ref:
                        letters = ref.rstrip(_DIGITS)
                        column = columns.get(letters) if letters != ref else None
                        if column is None:
                            column = columns[letters] = coordinate_to_tuple(ref)[1]
                    else:
                        column += 1
                    kind, style, text, seen = element.get("t", "n"), element.get("s"), None, False
                elif not seen:  # the cell's first <v> or <is>, whichever its type reads
                    if tag == _VALUE:
                        if kind != "inlineStr":
                            text, seen = element.text, True
                    elif kind == "inlineStr":
                        text, seen = _text(element), True
            if kind is not None:
                cells.append((column, value_of(kind, text, style)))
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
            # Missing rows come out blank; a row number going backwards is dropped (openpyxl does the same).
            while expected < row_number:
                expected += 1
                yield ()
            if expected <= row_number:
                expected += 1
                yield _place(cells)


def _place(cells: list) -> tuple:
    if not cells:
        return ()
    values = [None] * cells[-1][0]
    width = len(values)
    for column, value in cells:
        if 1 <= column <= width:
            values[column - 1] = value
    return tuple(values)
