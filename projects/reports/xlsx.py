"""Streaming sheet writer shared by the progress workbook and the templates.

openpyxl's write-only mode keeps memory flat but fixes the order of things: column widths and
frozen panes go out before the first row. So `SheetWriter` takes every column up front, fits
the widths to the values it is shown, then streams the rows; merged titles and the print setup
are written at the end of the sheet and may be set at any time.

Rows are rendered straight to sheet XML: openpyxl makes a `Cell` of every value and writes it
through its incremental XML writer, a dozen Python calls per cell, which is most of the time an
export of tens of thousands of rows takes. `SheetWriter` resolves each column's style once,
renders a row as one string and hands batches of rows to `StreamedSheet`, whose lxml writer
serializes them in one call. Values the fast path does not know (dates, booleans, text that
openpyxl would refuse or cut short) are rendered by openpyxl itself; text starting with "=" or "#" is
written as text, never as a formula or an error code.
"""

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell._writer import etree_write_cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.xml.functions import fromstring, tostring

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
POINTS_FORMAT = "+0.0;-0.0;0.0"
DATE_FORMAT = "yyyy-mm-dd"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAPER_A4 = 9

# Cell kinds: how a column's values are formatted.
TEXT, WRAP, CENTER, MONEY, PERCENT, POINTS, INT, DATE = (
    "text",
    "wrap",
    "center",
    "money",
    "percent",
    "points",
    "int",
    "date",
)
FORMATS = {MONEY: MONEY_FORMAT, PERCENT: PERCENT_FORMAT, POINTS: POINTS_FORMAT, INT: "0", DATE: DATE_FORMAT}
FONT = "宋体"  # the body font of Chinese government reports; Excel, WPS and LibreOffice all have it or a match

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CONTEXT_FILL = PatternFill("solid", fgColor="EDEDED")


def display_width(text) -> int:
    """Width of a text in Excel's column units: East Asian wide characters count two."""
    text = str(text)
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _value_width(value, kind: str) -> int:
    if value is None:
        return 0
    if kind == MONEY and isinstance(value, int | Decimal):
        return len(f"{value:,.2f}")
    if kind in (PERCENT, POINTS):
        return 7
    if kind == DATE:
        return 10
    return display_width(value)


def register_styles(wb: Workbook) -> None:
    """Named styles for every cell kind, plain, as a total row, and as read-only context."""

    def add(name, *, font=None, fill=None, fmt=None, align=None, border=BOX):
        style = NamedStyle(name=name)
        style.font = font or Font(name=FONT, size=10)
        if fill is not None:
            style.fill = fill
        if fmt:
            style.number_format = fmt
        style.alignment = align or Alignment(vertical="center")
        if border is not None:
            style.border = border
        wb.add_named_style(style)

    add("reg_title", font=Font(name=FONT, size=16, bold=True), align=Alignment(horizontal="center"), border=None)
    add("reg_subtitle", font=Font(name=FONT, size=10), align=Alignment(horizontal="left"), border=None)
    add(
        "reg_header",
        font=Font(name=FONT, size=10, bold=True),
        fill=HEADER_FILL,
        align=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    aligns = {
        TEXT: Alignment(vertical="center"),
        WRAP: Alignment(vertical="center", wrap_text=True),
        CENTER: Alignment(horizontal="center", vertical="center"),
    }
    for kind in (TEXT, WRAP, CENTER, MONEY, PERCENT, POINTS, INT, DATE):
        align = aligns.get(kind, Alignment(horizontal="right", vertical="center"))
        add(f"reg_{kind}", fmt=FORMATS.get(kind), align=align)
        add(
            f"reg_{kind}_total",
            font=Font(name=FONT, size=10, bold=True),
            fill=TOTAL_FILL,
            fmt=FORMATS.get(kind),
            align=align,
        )
        add(f"reg_{kind}_context", fill=CONTEXT_FILL, fmt=FORMATS.get(kind), align=align)


class StreamedSheet(WriteOnlyWorksheet):
    """A write-only worksheet that also takes rows already rendered as `<row>` XML (`append_xml`).

    Rendered rows are parsed in batches and each batch goes to the sheet's XML writer in one go;
    rows appended as values (`append`) still go openpyxl's way, in order with the others.
    """

    BATCH = 32  # rows parsed at a time

    def __init__(self, parent, title):
        super().__init__(parent, title)
        self._pending: list[str] = []

    def append_xml(self, row: str) -> None:
        """Append one `<row r="…">…</row>` (the caller numbers the rows and their cells)."""
        self._pending.append(row)
        if len(self._pending) >= self.BATCH:
            self._flush()

    def append(self, row):
        self._flush()
        super().append(row)

    def close(self):
        self._flush()
        super().close()

    def _flush(self) -> None:
        if not self._pending:
            return
        batch = fromstring(f"<rows>{''.join(self._pending)}</rows>")
        self._pending = []
        self._get_writer()
        if self._rows is None:
            self._rows = self._write_rows()
            next(self._rows)
        self._rows.send(batch)

    def _write_rows(self):
        """openpyxl's own `_write_rows`, also writing a batch of rendered rows as they are."""
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if hasattr(row, "tag"):  # a parsed batch of <row> elements
                        for element in row:
                            xf.write(element)
                        row_idx += len(row)
                    else:
                        self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                        row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


def new_workbook() -> Workbook:
    """A write-only workbook with the registry's named styles."""
    wb = Workbook(write_only=True)
    register_styles(wb)
    return wb


@dataclass
class Column:
    """One column: its header, how its values look, and how wide it may grow."""

    header: str
    kind: str = TEXT
    width: float | None = None  # fixed width; None fits the values
    max_width: float = 40
    context: bool = False  # read-only context in a template: shaded, never read back


MAX_TEXT = 32767  # characters in a cell
# Characters to escape in XML text, and those openpyxl refuses (IllegalCharacterError).
_SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_NUMBERS = (int, float, Decimal)


class _Sink(list):
    """Collects what openpyxl's cell writer writes."""

    write = list.append


class SheetWriter:
    """Writes one sheet in write-only mode: title rows, one header row, then streamed rows."""

    def __init__(self, wb: Workbook, title: str, columns: list[Column], *, titles=(), freeze_cols: int = 0):
        self.ws = StreamedSheet(parent=wb, title=title)
        wb._add_sheet(self.ws)
        self.columns = columns
        self.titles = list(titles)
        self.freeze_cols = freeze_cols
        self.widths = [min(display_width(str(c.header)), 16) + 2 for c in columns]
        self.header_row = len(self.titles) + 1
        self.rows_written = 0
        self.letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        self._arrays = {}  # style name → openpyxl style array
        self._ids = {}  # style name → the style's id in the workbook, as written in s="…"
        self._row_styles = {}  # total or not → each column's style name
        self._started = False

    # --- widths -----------------------------------------------------------------------------------

    def fit(self, values) -> None:
        """Grow the column widths to fit one row of values (call before `begin`)."""
        for i, (value, column) in enumerate(zip(values, self.columns, strict=False)):
            if column.width is not None:
                continue  # a fixed width ignores the values
            w = _value_width(value, column.kind) + 2
            if w > self.widths[i]:
                self.widths[i] = w

    def fit_column(self, index: int, values) -> None:
        """Grow one column's width to fit many values at once: the width `fit` would give, row by row.

        One pass over `values` (any iterable), keeping none of them: whole numbers and amounts only
        grow longer with their size, so only the largest and the smallest are measured; a text is
        measured only if it could be wider than the column already is.
        """
        column = self.columns[index]
        cap = column.max_width
        if column.width is not None or self.widths[index] >= cap:
            return  # fixed, or already as wide as it may grow
        kind, width = column.kind, self.widths[index]
        if kind in (PERCENT, POINTS, DATE):  # one width for any value: look no further than the first
            present = next((v for v in values if v is not None), None)
            if present is not None:
                width = max(width, _value_width(present, kind) + 2)
            self.widths[index] = width
            return
        amounts = kind == MONEY
        high = low = None
        for v in values:
            t = type(v)
            if t is str:
                if 2 * len(v) + 2 > width:  # else it cannot be wider: a character counts two at most
                    width = max(width, display_width(v) + 2)
                    if width >= cap:
                        break
            elif t is int or (amounts and t is Decimal):
                if high is None or v > high:
                    high = v
                if low is None or v < low:
                    low = v
            elif v is not None:
                width = max(width, _value_width(v, kind) + 2)
        for v in (high, low):
            if v is not None:
                width = max(width, _value_width(v, kind) + 2)
        self.widths[index] = width

    # --- rows -------------------------------------------------------------------------------------

    def begin(self) -> None:
        """Fix widths, panes and print setup, then write the title rows and the header row."""
        ws, n = self.ws, len(self.columns)
        last = get_column_letter(n)
        for i, column in enumerate(self.columns, start=1):
            width = column.width if column.width is not None else min(self.widths[i - 1], column.max_width)
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = f"{get_column_letter(self.freeze_cols + 1)}{self.header_row + 1}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        ws.oddFooter.center.text = "&P / &N"
        self._started = True
        for r, text in enumerate(self.titles, start=1):
            if r == 1:
                ws.row_dimensions[r].height = 30
            if n > 1:
                ws.merged_cells.add(f"A{r}:{last}{r}")
            self._append([text], ["reg_title" if r == 1 else "reg_subtitle"])
        ws.row_dimensions[self.header_row].height = 32
        self._append([str(c.header) for c in self.columns], ["reg_header"] * n)

    def row(self, values, *, total: bool = False) -> None:
        """Append one row; `total` makes it a bold, shaded subtotal or total row."""
        if not self._started:
            self.begin()
        styles = self._row_styles.get(total)
        if styles is None:
            names = [f"reg_{c.kind}{'_total' if total else ('_context' if c.context else '')}" for c in self.columns]
            styles = self._row_styles[total] = names
        self._append(values, styles)

    def note(self, text: str) -> None:
        """A shaded line of text across all columns (a section heading or "none")."""
        if not self._started:
            self.begin()
        r = self.rows_written + 1
        self.ws.merged_cells.add(f"A{r}:{get_column_letter(len(self.columns))}{r}")
        self._append([text], ["reg_text_total"])

    def _append(self, values, styles: list[str]) -> None:
        """Render one row of values, each with its style (the longer list is cut short), and stream it."""
        self.rows_written += 1
        r = str(self.rows_written)
        cells = []
        for col, (value, style) in enumerate(zip(values, styles, strict=False)):
            sid = self._ids.get(style) or self._style_id(style)
            ref = self.letters[col] + r
            kind = type(value)
            if kind is str:
                if not value:
                    cells.append(f'<c r="{ref}" s="{sid}" t="inlineStr"/>')
                    continue
                if len(value) > MAX_TEXT:  # openpyxl cuts it to a cell's limit
                    cells.append(self._openpyxl_cell(value, col + 1, style))
                    continue
                # Text starting with "=" or "#" stays text: a unit's note "=HYPERLINK(...)" must not
                # become a formula in the bureau's workbook (openpyxl alone would make it one).
                if _SPECIAL.search(value):
                    if _ILLEGAL.search(value):
                        cells.append(self._openpyxl_cell(value, col + 1, style))  # raises as openpyxl does
                        continue
                    text = value.translate(_ESCAPES)
                else:
                    text = value
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                cells.append(f'<c r="{ref}" s="{sid}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif value is None:
                cells.append(f'<c r="{ref}" s="{sid}" t="n"/>')
            elif kind in _NUMBERS:
                number = "%.16g" % value  # noqa: UP031 - openpyxl's own number format (safe_string)
                if number[-1] in "nf":  # nan, inf: openpyxl writes an empty value
                    number = ""
                cells.append(f'<c r="{ref}" s="{sid}" t="n"><v>{number}</v></c>')
            else:
                cells.append(self._openpyxl_cell(value, col + 1, style))
        dims = self.ws.row_dimensions.get(self.rows_written)
        attrs = "".join(f' {k}="{v}"' for k, v in dims) if dims else ""
        self.ws.append_xml(f'<row r="{r}"{attrs}>{"".join(cells)}</row>')

    def _style_array(self, style: str):
        # Resolving a named style costs more than writing a cell: resolve each once.
        array = self._arrays.get(style)
        if array is None:
            proto = WriteOnlyCell(self.ws)
            proto.style = style
            array = self._arrays[style] = proto._style
        return array

    def _style_id(self, style: str) -> str:
        sid = self._ids[style] = str(self.ws.parent._cell_styles.add(self._style_array(style)))
        return sid

    def _openpyxl_cell(self, value, column: int, style: str) -> str:
        """A cell rendered by openpyxl itself: its typing, number formats for dates, checks and errors."""
        cell = Cell(self.ws, row=self.rows_written, column=column, style_array=self._style_array(style))
        cell.value = value
        out = _Sink()
        etree_write_cell(out, self.ws, cell, True)
        return tostring(out[0], encoding="unicode")


class CellRecorder:
    """`SheetWriter`'s interface, keeping the bare values of every row it is given instead of writing them.

    Titles and notes are one-cell rows and the header is a row of texts, as `SheetWriter` writes them.
    `sink` gets one (sheet title, rows) pair per sheet. The benchmark writes these values with bare
    openpyxl as the export's floor.
    """

    def __init__(self, sink: list, title: str, columns: list[Column], *, titles=(), freeze_cols: int = 0):
        self.columns = columns
        self.titles = list(titles)
        self.rows: list[list] = []
        self._started = False
        sink.append((title, self.rows))

    def fit(self, values) -> None:
        pass

    def fit_column(self, index: int, values) -> None:
        pass

    def begin(self) -> None:
        self.rows.extend([text] for text in self.titles)
        self.rows.append([str(c.header) for c in self.columns])
        self._started = True

    def row(self, values, *, total: bool = False) -> None:
        if not self._started:
            self.begin()
        self.rows.append(list(values))

    def note(self, text: str) -> None:
        if not self._started:
            self.begin()
        self.rows.append([text])


def xlsx_response(wb: Workbook, filename: str) -> FileResponse:
    """Save the workbook to an anonymous temporary file and stream it as a download."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(tmp)
    tmp.seek(0)
    # FileResponse closes (and so deletes) the temporary file once the body is sent.
    response = FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
