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
# No DTDs, entities or network; comments and processing instructions dropped, as ElementTree drops them.
_SAFE = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


class DamagedPart(ValueError):
    """A part of the package that is not plain XML (it declares a DTD or entities)."""


def _refuse_dtd(context) -> None:
    if context.root is not None and context.root.getroottree().docinfo.doctype:
        raise DamagedPart("The workbook's XML declares a DTD.")


def _text(node) -> str:
    """The text of an inline or shared string: its plain text and rich-text runs, not phonetic runs."""
    if len(node) == 1:  # the usual plain <t>
        child = node[0]
        if child.tag == _TEXT:
            return child.text or ""
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


def _checks_of_other_parts():
    """openpyxl's parsers of a sheet's other parts (columns, validations, margins, ...), by tag.

    Run on those elements for their checks only, so that a sheet openpyxl refuses is refused
    here too; their results are not needed.
    """
    from openpyxl.worksheet import _reader as R

    parser = R.WorkSheetParser(None, [])
    checks = {
        R.COL_TAG: parser.parse_column_dimensions,
        R.PROT_TAG: parser.parse_sheet_protection,
        R.EXT_TAG: parser.parse_extensions,
        R.CF_TAG: parser.parse_formatting,
        R.LEGACY_TAG: parser.parse_legacy,
        R.ROW_BREAK_TAG: parser.parse_row_breaks,
        R.COL_BREAK_TAG: parser.parse_col_breaks,
        R.CUSTOM_VIEWS_TAG: parser.parse_custom_views,
    }
    for tag, kind in (
        (R.PRINT_TAG, R.PrintOptions),
        (R.MARGINS_TAG, R.PageMargins),
        (R.PAGE_TAG, R.PrintPageSetup),
        (R.HEADER_TAG, R.HeaderFooter),
        (R.FILTER_TAG, R.AutoFilter),
        (R.VALIDATION_TAG, R.DataValidationList),
        (R.PROPERTIES_TAG, R.WorksheetProperties),
        (R.VIEWS_TAG, R.SheetViewList),
        (R.FORMAT_TAG, R.SheetFormatProperties),
        (R.SCENARIOS_TAG, R.ScenarioList),
        (R.TABLE_TAG, R.TablePartList),
        (R.HYPERLINK_TAG, R.HyperlinkList),
        (R.MERGE_TAG, R.MergeCells),
    ):
        checks[tag] = kind.from_tree
    return checks


def iter_values(ws):
    """Each row of the sheet as a tuple of values, blank rows included, from row 1 on."""
    wb = ws.parent
    strings, epoch = ws._shared_strings, wb.epoch
    date_styles, timedelta_styles = wb._date_formats, wb._timedelta_formats
    columns = {}  # "AB" → 28, as openpyxl's coordinate_to_tuple reads a reference
    styles = {}  # the s attribute → (a date?, a duration?), as int(s) in openpyxl's date formats
    checks = _checks_of_other_parts()
    with wb._archive.open(ws._worksheet_path) as source:
        context = etree.iterparse(source, events=("end",), tag=(_ROW, *checks), **_SAFE)
        expected, row_number, first = 1, 0, True
        for _event, row in context:
            if first:
                _refuse_dtd(context)
                first = False
            check = checks.get(row.tag)
            if check is not None:
                check(row)
                row.clear()
                continue
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
            values, column = [], 0
            for cell in row:  # every child is a cell, as openpyxl takes them
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    column = columns.get(letters) if letters != ref else None
                    if column is None:
                        column = columns[letters] = coordinate_to_tuple(ref)[1]
                else:
                    column += 1
                kind, style = cell.get("t", "n"), cell.get("s")
                date = styles.get(style)
                if date is None:
                    number = int(style) if style else 0
                    date = styles[style] = (number in date_styles, number in timedelta_styles)
                value = None
                if len(cell):
                    # The first <v> (or <is> for an inline string): usually the first and only child.
                    wanted = _INLINE if kind == "inlineStr" else _VALUE
                    child = cell[0]
                    if child.tag != wanted:
                        child = next(cell.iterchildren(wanted), None)
                    if child is not None:
                        if wanted is _INLINE:
                            value = _text(child)
                        else:
                            value = child.text or None
                            if value is not None and kind != "str" and kind != "e":
                                value = _convert(value, kind, date, strings, epoch)
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                values[column - 1] = value
            del values[column:]  # the row is as wide as its last cell's column, as openpyxl makes it
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
            # Missing rows come out blank; a row number going backwards is dropped (openpyxl does the same).
            while expected < row_number:
                expected += 1
                yield ()
            if expected <= row_number:
                expected += 1
                yield tuple(values)


def _convert(text: str, kind: str, date: tuple[bool, bool], strings, epoch):
    """A number, shared string, boolean or ISO date cell's value from its <v> text."""
    if kind == "n":
        value = _number(text)
        if date[0]:
            try:
                return from_excel(value, epoch, timedelta=date[1])
            except (OverflowError, ValueError):
                return "#VALUE!"
        return value
    if kind == "s":
        return strings[int(text)]
    if kind == "b":
        return bool(int(text))
    if kind == "d":
        return from_ISO8601(text)
    return text
