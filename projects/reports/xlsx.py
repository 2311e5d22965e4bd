"""Streaming sheet writer shared by the progress workbook and the templates.

openpyxl's write-only mode keeps memory flat but fixes the order of things: column widths and
frozen panes go out before the first row. So `SheetWriter` takes every column up front, fits
the widths to the values it is shown, then streams the rows; merged titles and the print setup
are written at the end of the sheet and may be set at any time.
"""

import tempfile
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

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
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


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


class SheetWriter:
    """Writes one sheet in write-only mode: title rows, one header row, then streamed rows."""

    def __init__(self, wb: Workbook, title: str, columns: list[Column], *, titles=(), freeze_cols: int = 0):
        self.ws = wb.create_sheet(title)
        self.columns = columns
        self.titles = list(titles)
        self.freeze_cols = freeze_cols
        self.widths = [min(display_width(str(c.header)), 16) + 2 for c in columns]
        self.header_row = len(self.titles) + 1
        self.rows_written = 0
        self._styles = {}
        self._started = False

    def fit(self, values) -> None:
        """Grow the column widths to fit one row of values (call before `begin`)."""
        for i, (value, column) in enumerate(zip(values, self.columns, strict=False)):
            w = _value_width(value, column.kind) + 2
            if w > self.widths[i]:
                self.widths[i] = w

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
        for r, text in enumerate(self.titles, start=1):
            if r == 1:
                ws.row_dimensions[r].height = 30
            if n > 1:
                ws.merged_cells.add(f"A{r}:{last}{r}")
            ws.append([self._cell(text, "reg_title" if r == 1 else "reg_subtitle")])
        ws.row_dimensions[self.header_row].height = 32
        ws.append([self._cell(str(c.header), "reg_header") for c in self.columns])
        self.rows_written = self.header_row
        self._started = True

    def _cell(self, value, style: str) -> Cell:
        # Resolving a named style costs more than writing the cell: resolve each once, then copy.
        array = self._styles.get(style)
        if array is None:
            proto = WriteOnlyCell(self.ws)
            proto.style = style
            array = self._styles[style] = proto._style
        return Cell(self.ws, row=1, column=1, value=value, style_array=array)

    def row(self, values, *, total: bool = False) -> None:
        """Append one row; `total` makes it a bold, shaded subtotal or total row."""
        if not self._started:
            self.begin()
        cells = []
        for value, column in zip(values, self.columns, strict=False):
            suffix = "_total" if total else ("_context" if column.context else "")
            cells.append(self._cell(value, f"reg_{column.kind}{suffix}"))
        self.ws.append(cells)
        self.rows_written += 1

    def note(self, text: str) -> None:
        """A shaded line of text across all columns (a section heading or "none")."""
        if not self._started:
            self.begin()
        self.rows_written += 1
        r = self.rows_written
        self.ws.merged_cells.add(f"A{r}:{get_column_letter(len(self.columns))}{r}")
        self.ws.append([self._cell(text, "reg_text_total")])


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
