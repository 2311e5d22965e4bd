"""Streaming sheet writer shared by the progress workbook and the templates (XlsxWriter).

XlsxWriter's `constant_memory` mode writes each row to a temporary file as soon as the next row
starts, so a workbook of any size stays flat in memory; only public XlsxWriter calls are used.
`SheetWriter` takes every column up front and streams the rows, each cell written with its
column's format, resolved once per workbook. It fits the widths to the values it is shown as it
goes and sets them when the workbook closes: XlsxWriter writes a sheet's column widths then, ahead
of its rows, so one pass over the rows serves both (and sheets may be written in turns).
Text is always written as text: a value starting with "=", "+", "-" or "@" also carries the
quote-prefix style, so it stays text when a user edits the cell in Excel, never a formula.
"""

import datetime as dt
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
POINTS_FORMAT = "+0.0;-0.0;0.0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAPER_A4 = 9
HEADER_HEIGHT = 32.25  # points: 43 pixels, as Excel stores a row height in whole pixels
PIXELS_PER_WIDTH = 7  # Excel's default font: a column of width w (in the file) is 7·w pixels wide
LINE_HEIGHT = 13.5  # points: one line of the 10-point body font
# XlsxWriter keeps every set row height until the workbook closes (a few hundred bytes each): a workbook
# sets at most this many, so its memory stays flat; rows past them are left to the viewer's own fitting.
ROW_HEIGHTS = 1000

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
KINDS = (TEXT, WRAP, CENTER, MONEY, PERCENT, POINTS, INT, DATE)
FORMATS = {MONEY: MONEY_FORMAT, PERCENT: PERCENT_FORMAT, POINTS: POINTS_FORMAT, INT: "0", DATE: DATE_FORMAT}
FONT = "宋体"  # the body font of Chinese government reports; Excel, WPS and LibreOffice all have it or a match
FORMULA_PREFIXES = ("=", "+", "-", "@")  # text starting so would become a formula when edited in Excel

BOX = {"border": 1, "border_color": "#808080"}  # thin grey border on every side
TOTAL_FILL = {"pattern": 1, "bg_color": "#F2F2F2"}
HEADER_FILL = {"pattern": 1, "bg_color": "#DDEBF7"}
CONTEXT_FILL = {"pattern": 1, "bg_color": "#EDEDED"}
ALIGNS = {
    TEXT: {"valign": "vcenter"},
    WRAP: {"valign": "vcenter", "text_wrap": True},
    CENTER: {"align": "center", "valign": "vcenter"},
}
RIGHT = {"align": "right", "valign": "vcenter"}


def _styles() -> dict[str, dict]:
    """Every style by name: titles, the header, and each cell kind plain, as a total row and as context."""
    body = {"font_name": FONT, "font_size": 10}
    styles = {
        "reg_title": {"font_name": FONT, "font_size": 16, "bold": True, "align": "center"},
        "reg_subtitle": {**body, "align": "left"},
        "reg_header": {**body, "bold": True, **HEADER_FILL, **BOX, "align": "center", "valign": "vcenter",
                       "text_wrap": True},
    }  # fmt: skip
    for kind in KINDS:
        base = {**body, **BOX, **ALIGNS.get(kind, RIGHT)}
        if kind in FORMATS:
            base["num_format"] = FORMATS[kind]
        styles[f"reg_{kind}"] = base
        styles[f"reg_{kind}_total"] = {**base, "bold": True, **TOTAL_FILL}
        styles[f"reg_{kind}_context"] = {**base, **CONTEXT_FILL}
    return styles


STYLES = _styles()


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


class Book:
    """An XlsxWriter workbook in constant_memory mode, written to an anonymous temporary file.

    Formats are made once per style (and once more for quote-prefixed text or a date in a
    column of another kind) and shared by every sheet.
    """

    def __init__(self):
        self.file = tempfile.TemporaryFile(suffix=".xlsx")
        self.workbook = xlsxwriter.Workbook(self.file, {"constant_memory": True})
        self._formats = {}
        self.row_heights_left = ROW_HEIGHTS
        self.sheets: list[SheetWriter] = []  # their widths are set when the workbook closes

    def format(self, style: str, variant: str = ""):
        """The format of a named style; variant "quoted" adds the quote prefix, "date"/"datetime" a date format."""
        key = (style, variant)
        fmt = self._formats.get(key)
        if fmt is None:
            properties = dict(STYLES[style])
            if variant == "quoted":
                properties["quote_prefix"] = True
            elif variant == "date":
                properties["num_format"] = DATE_FORMAT
            elif variant == "datetime":
                properties["num_format"] = DATETIME_FORMAT
            elif variant.startswith("#"):  # a fill colour
                properties.update(pattern=1, bg_color=variant)
            fmt = self._formats[key] = self.workbook.add_format(properties)
        return fmt

    def add_sheet(self, title: str):
        return self.workbook.add_worksheet(title)

    def finish(self):
        """Set every sheet's column widths and close the workbook; the temporary file, at its start, holds the .xlsx."""
        for sheet in self.sheets:
            sheet.set_widths()
        self.workbook.close()
        self.file.seek(0)
        return self.file

    def save(self, out) -> None:
        """Close the workbook and copy it to a file object (the temporary file is then closed)."""
        with self.finish() as f:
            shutil.copyfileobj(f, out)


def new_workbook() -> Book:
    """A workbook with the registry's styles, streaming its rows to temporary files."""
    return Book()


@dataclass
class Column:
    """One column: its header, how its values look, and how wide it may grow."""

    header: str
    kind: str = TEXT
    width: float | None = None  # fixed width; None fits the values
    max_width: float = 40
    context: bool = False  # read-only context in a template: shaded, never read back
    fills: dict | None = None  # a cell's text → its fill colour (status cells); the text stays


class SheetWriter:
    """Writes one sheet of a `Book` in row order: title rows, one header row, then streamed rows."""

    def __init__(
        self, book: Book, title: str, columns: list[Column], *, titles=(), freeze_cols: int = 0, header_cap: int = 16
    ):
        """`header_cap`: the most a header widens its column by itself (a longer header wraps in its row)."""
        self.book = book
        self.ws = book.add_sheet(title)
        book.sheets.append(self)
        self.columns = columns
        self.titles = list(titles)
        self.freeze_cols = freeze_cols
        self.widths = [min(display_width(str(c.header)), header_cap) + 2 for c in columns]
        self.header_row = len(self.titles) + 1
        self.rows_written = 0
        self._row_formats = {}  # total or not → each column's style name
        self._fills = [c.fills for c in columns] if any(c.fills for c in columns) else None
        self._formats = {}  # id of a list of style names → (that list, its formats)
        self._wrap = []  # (index, width) of the wrapping columns, set by `begin`
        self._started = False

    # --- widths -----------------------------------------------------------------------------------

    def fit(self, values) -> None:
        """Grow the column widths to fit one row of values (before the workbook closes)."""
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
        """Set panes and print setup, then write the title rows and the header row.

        A wrapping column's rows are measured against its widest width (fixed, or `max_width`): a
        text that would wrap at the fitted width is wider than the fitted width, so the column
        reaches `max_width` and the text wraps there; one that would not wraps at neither.
        """
        ws, n = self.ws, len(self.columns)
        for i, column in enumerate(self.columns):
            if column.kind == WRAP:
                width = column.width if column.width is not None else column.max_width
                self._wrap.append((i, max(width - 1, 2)))
        ws.freeze_panes(self.header_row, self.freeze_cols)
        ws.set_landscape()
        ws.set_paper(PAPER_A4)
        ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_header("", {"margin": 0.3})
        ws.set_footer("&C&P / &N", {"margin": 0.3})
        ws.repeat_rows(self.header_row - 1)
        self._started = True
        for r, text in enumerate(self.titles):
            style = "reg_title" if r == 0 else "reg_subtitle"
            if r == 0:
                ws.set_row(r, 30)
            if n > 1:
                ws.merge_range(r, 0, r, n - 1, "", self.book.format(style))
            self._append([text], [style])
        ws.set_row(self.header_row - 1, HEADER_HEIGHT)
        self._append([str(c.header) for c in self.columns], ["reg_header"] * n)

    def set_widths(self) -> None:
        """Set the fitted column widths (`Book.finish` does, as the workbook closes)."""
        for i, column in enumerate(self.columns):
            width = column.width if column.width is not None else min(self.widths[i], column.max_width)
            self.ws.set_column_pixels(i, i, round(width * PIXELS_PER_WIDTH))  # the file says `width`, as Excel sizes it

    def row(self, values, *, total: bool = False) -> None:
        """Append one row; `total` makes it a bold, shaded subtotal or total row."""
        if not self._started:
            self.begin()
        styles = self._row_formats.get(total)
        if styles is None:
            styles = [f"reg_{c.kind}{'_total' if total else ('_context' if c.context else '')}" for c in self.columns]
            self._row_formats[total] = styles
        if self._wrap and self.book.row_heights_left:
            self._fit_height(values)
        self._append(values, styles, self._fills)

    def _fit_height(self, values) -> None:
        """Give the next row the height of its longest wrapped text: Excel, WPS and LibreOffice do not all
        grow a row to its wrapped text on opening a file, so the text would overlap or be cut when printed."""
        lines = 1
        for i, width in self._wrap:
            v = values[i] if i < len(values) else None
            if type(v) is not str or (2 * len(v) <= width and "\n" not in v):
                continue  # one line at most: a character counts two at most
            n = sum(-(-display_width(part) // width) or 1 for part in v.split("\n"))
            if n > lines:
                lines = n
        if lines > 1:
            self.ws.set_row(self.rows_written, LINE_HEIGHT * lines + 1.5)
            self.book.row_heights_left -= 1

    def note(self, text: str) -> None:
        """A shaded line of text across all columns (a section heading or "none")."""
        if not self._started:
            self.begin()
        r, n = self.rows_written, len(self.columns)
        if n > 1:
            self.ws.merge_range(r, 0, r, n - 1, "", self.book.format("reg_text_total"))
        self._append([text], ["reg_text_total"])

    def _append(self, values, styles: list[str], fills: list | None = None) -> None:
        """Write one row of values, each with its style (the longer list is cut short); `fills` gives
        each column's text → fill colour, if any."""
        ws, fmt, r = self.ws, self.book.format, self.rows_written
        formats = self._formats.get(id(styles))
        if formats is None:  # the formats of a list of styles, resolved once (a row's list is reused)
            formats = self._formats[id(styles)] = (styles, [fmt(style) for style in styles])
        formats = formats[1]
        self.rows_written += 1
        write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
        for col, value in enumerate(values[: len(formats)]):
            kind = type(value)
            if kind is str:
                # Text stays text: written as a string, never parsed as a formula, a number or a link.
                f = fmt(styles[col], "quoted") if value.startswith(FORMULA_PREFIXES) else formats[col]
                if fills is not None and fills[col] and value in fills[col]:
                    f = fmt(styles[col], fills[col][value])
                if value.startswith("<r>") and value.endswith("</r>"):
                    # constant_memory would copy such a text into the sheet's XML unescaped (it takes it for
                    # rich-text runs): write it as runs in the cell's own font, which escapes it.
                    ws.write_rich_string(r, col, f, value[:1], f, value[1:-1], f, value[-1:], f)
                else:
                    write_string(r, col, value, f)
            elif value is None:
                write_blank(r, col, None, formats[col])
            elif kind is Decimal:
                # Amounts (14 digits) and rates survive a float exactly; XlsxWriter formats floats faster.
                write_number(r, col, float(value), formats[col])
            elif kind is int or kind is float:
                write_number(r, col, value, formats[col])
            elif kind is bool:
                ws.write_boolean(r, col, value, formats[col])
            elif isinstance(value, dt.datetime):
                ws.write_datetime(r, col, value, fmt(styles[col], "datetime"))
            elif isinstance(value, dt.date):
                date = styles[col].startswith("reg_date")
                ws.write_datetime(r, col, value, formats[col] if date else fmt(styles[col], "date"))
            else:
                write_string(r, col, str(value), formats[col])


class CellRecorder:
    """`SheetWriter`'s interface, keeping the bare values of every row it is given instead of writing them.

    Titles and notes are one-cell rows and the header is a row of texts, as `SheetWriter` writes them.
    `sink` gets one (sheet title, rows) pair per sheet. The benchmark writes these values with bare
    openpyxl as the export's floor.
    """

    def __init__(
        self, sink: list, title: str, columns: list[Column], *, titles=(), freeze_cols: int = 0, header_cap: int = 16
    ):
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


def xlsx_response(book: Book, filename: str) -> FileResponse:
    """Close the workbook and stream its temporary file as a download."""
    # FileResponse closes (and so deletes) the temporary file once the body is sent.
    response = FileResponse(book.finish(), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
