"""Reading a filled template: the workbook, its header, and each cell, without touching the database.

Everything here is a pure function of the uploaded bytes: it finds the header row, maps columns
by their header names (SPEC section 7), skips blank rows and turns each row into typed values or
`Issue`s naming the spreadsheet's own row number and the header. Checks against stored data
(unknown projects, other units, locked months) are in `imports.py`.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .. import limits as L
from ..choices import Industry, Level, Pipeline, Sector, Stage
from . import headers as H
from .cells import (
    CellError,
    ChoiceReader,
    is_blank,
    normalize_header,
    parse_amount,
    parse_date,
    parse_int,
    parse_narrative,
    parse_text,
)
from .xlsx_values import FORMULA, UploadRefused, iter_rows, open_upload

MAX_UPLOAD_BYTES = L.UPLOAD_MAX_BYTES
MAX_UPLOAD_LABEL = L.UPLOAD_MAX_LABEL
MAX_DATA_ROWS = L.IMPORT_MAX_DATA_ROWS
HEADER_SEARCH_ROWS = 10
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and password-protected .xlsx


@dataclass
class Issue:
    """An error or warning: the spreadsheet row (None for the whole file), the header, the reason."""

    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class Sheet:
    """The data rows of an upload: header name → position in a row's values, and (row number, values) pairs.

    Each row keeps the values of the columns read, in that order. `special` holds the cells read
    as empty that are not blank: (row number, position) → a formula with no saved result
    (`FORMULA`) or the error value the cell shows.
    """

    columns: dict[str, int]
    labels: dict[str, str]  # canonical header → the header text as written in the file
    rows: list[tuple[int, tuple]]
    special: dict[tuple[int, int], str] = field(default_factory=dict)

    def get(self, values: tuple, name: str):
        i = self.columns.get(name)
        if i is None or i >= len(values):
            return None
        return values[i]

    def label(self, name: str) -> str:
        return self.labels.get(name, name)


def _file_issue(message) -> list[Issue]:
    return [Issue(None, None, message)]


def change_reason_issues(change_reason: str) -> list[Issue]:
    """The form field `change_reason` as the history can store it: no NUL characters."""
    if "\x00" in (change_reason or ""):
        return _file_issue(
            _('The field "change_reason" contains a NUL character (\\x00), which cannot be stored: remove it.')
        )
    return []


def read_sheet(
    upload, *, required: tuple[str, ...], optional: tuple[str, ...] = (), change_reason: str = ""
) -> tuple[Sheet | None, list]:
    """Open an uploaded .xlsx and return its data rows, or whole-file issues (row None).

    `change_reason`, the upload form's reason, is checked first (`change_reason_issues`)."""
    if issues := change_reason_issues(change_reason):
        return None, issues
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        return None, _file_issue(
            _("The file is %(size).1f MB; the limit is %(limit)s.")
            % {"size": size / 1024 / 1024, "limit": MAX_UPLOAD_LABEL}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(OLE_SIGNATURE):
        return None, _file_issue(
            _(
                "This is an old-format (.xls) or password-protected workbook: "
                "save it as an unprotected .xlsx and upload again."
            )
        )
    if not head.startswith(b"PK"):
        return None, _file_issue(_("The file is not an Excel workbook (.xlsx)."))
    try:
        book = open_upload(upload)  # checked against projects.limits before a cell is read
    except UploadRefused as exc:
        return None, _file_issue(str(exc))
    try:
        return _read_rows(book, required, optional)
    except Exception:  # noqa: BLE001 - a damaged sheet inside a valid zip
        return None, _file_issue(_("The file is not an Excel workbook (.xlsx) or it is damaged."))
    finally:
        book.close()


def _find_header(rows_iter, key: str):
    """Return (row number, normalized headers) of the first row naming `key`, within the first rows."""
    for number, values in rows_iter:
        if number > HEADER_SEARCH_ROWS:
            break
        names = [normalize_header(v) for v in values]
        if key in names:
            return number, names
    return None, None


def _read_rows(book, required, optional) -> tuple[Sheet | None, list]:
    key = required[0]
    for name, ws in book.sheets():
        rows_iter = iter_rows(ws)
        header_row, names = _find_header(rows_iter, key)
        if header_row is not None:
            title = name
            break
    else:
        return None, _file_issue(
            _('No header row with the column "%(column)s" was found in the first %(n)s rows.')
            % {"column": key, "n": HEADER_SEARCH_ROWS}
        )
    canonical = {normalize_header(h): h for h in (*required, *optional)}
    for alias, target in H.ALIASES.items():
        if target in required or target in optional:
            canonical.setdefault(normalize_header(alias), target)
    columns, labels, issues = {}, {}, []
    for i, name in enumerate(names):
        target = canonical.get(name)
        if target is None:
            continue
        if target in columns:
            issues.append(
                Issue(
                    header_row, target, _('The column "%(column)s" appears twice in the header.') % {"column": target}
                )
            )
            continue
        columns[target] = i
        labels[target] = name
    for name in required:
        if name not in columns:
            issues.append(Issue(None, name, _('The column "%(column)s" is missing.') % {"column": name}))
    if issues:
        return None, issues
    # Only the columns read are kept, in this order; a cell's position is its place among them.
    kept = list(columns.values())
    positions = {column: position for position, column in enumerate(kept)}
    special = {
        (row, positions[column - 1]): kind
        for (row, column), kind in book.special.get(title, {}).items()
        if row > header_row and column - 1 in positions
    }
    special_rows = {row for row, _position in special}
    rows = []
    for number, values in rows_iter:
        width = len(values)
        cells = tuple(values[i] if i < width else None for i in kept)
        if number not in special_rows and all(v is None or (type(v) is str and not v.strip()) for v in cells):
            continue
        rows.append((number, cells))
        if len(rows) > MAX_DATA_ROWS:
            return None, _file_issue(_("The file has more than %(n)s data rows; split it.") % {"n": MAX_DATA_ROWS})
    return Sheet({name: positions[i] for name, i in columns.items()}, labels, rows, special), []


# --- rows ---------------------------------------------------------------------------------------


class RowReader:
    """Reads one row's cells by header name, collecting every bad cell as an Issue."""

    def __init__(self, sheet: Sheet, number: int, values: tuple, issues: list):
        self.sheet, self.number, self.values, self.issues = sheet, number, values, issues
        self.ok = True
        self.bad: set[str] = set()  # the columns already reported

    def raw(self, name: str):
        return self.sheet.get(self.values, name)

    def special(self, name: str) -> str | None:
        """Why the cell is unreadable although calamine reads it as empty (a formula with no result, an error)."""
        position = self.sheet.columns.get(name)
        kind = self.sheet.special.get((self.number, position)) if position is not None else None
        if kind is None:
            return None
        if kind == FORMULA:
            return _(
                "This cell holds a formula with no saved result: open the file in Excel or WPS, "
                "let it calculate and save it again, or type the value."
            )
        return _("This cell shows the error %(value)s: correct the formula or type the value.") % {"value": kind}

    def has_special(self) -> bool:
        return bool(self.sheet.special) and any(self.special(name) for name in self.sheet.columns)

    def error(self, name: str, message) -> None:
        self.issues.append(Issue(self.number, self.sheet.label(name), str(message)))
        self.ok = False
        self.bad.add(name)

    def read(self, name: str, parser, *, required_message=None, **kwargs):
        special = self.special(name) if self.sheet.special else None
        if special is not None:
            self.error(name, special)
            return None
        try:
            value = parser(self.raw(name), **kwargs)
        except CellError as exc:
            self.error(name, exc)
            return None
        if value is None and required_message is not None:
            self.error(name, required_message)
        return value

    def text(self, name: str, parser=parse_text) -> str:
        """The cell's text ("" when blank or bad, the error collected)."""
        return self.read(name, parser) or ""


def year_of(reader: RowReader, messages: dict | None = None):
    messages = messages or _year_messages()
    return reader.read(H.YEAR, parse_int, low=2000, high=2100, **messages)


def _year_messages() -> dict:
    return {
        "message": _("The year must be a whole number between 2000 and 2100."),
        "required_message": _("Fill in the year."),
    }


@dataclass(slots=True)
class ParsedActual:
    """One monthly figure read from a row; progress/problems None leave the stored text as it is."""

    row: int
    code: str
    year: int
    month: int
    amount: Decimal
    progress: str | None
    problems: str | None
    name: str | None = None  # as written in the file: checked against the registry, never stored


def parse_actual_rows(sheet: Sheet) -> tuple[list[ParsedActual], list[Issue]]:
    """Every filled row of a monthly template; rows with no amount and no narrative are skipped."""
    parsed, issues, seen = [], [], {}
    # The messages are translated once, not for every row.
    no_code, year_messages = _("Fill in the project code."), _year_messages()
    month_messages = {
        "message": _("The month must be a whole number between 1 and 12."),
        "required_message": _("Fill in the month."),
    }
    no_amount = _("Fill in this month's investment (0 if none was completed).")
    for number, values in sheet.rows:
        r = RowReader(sheet, number, values, issues)
        progress, problems = r.text(H.PROGRESS, parse_narrative), r.text(H.PROBLEMS, parse_narrative)
        if r.ok and is_blank(r.raw(H.AMOUNT)) and not progress and not problems and not r.has_special():
            continue
        code = r.text(H.CODE)
        if not code and H.CODE not in r.bad:
            r.error(H.CODE, no_code)
        year = year_of(r, year_messages)
        month = r.read(H.MONTH, parse_int, low=1, high=12, **month_messages)
        amount = r.read(H.AMOUNT, parse_amount, required_message=no_amount)
        if not r.ok:
            continue
        key = (code, year, month)
        if key in seen:
            r.error(H.CODE, _("Duplicate of row %(row)s (same project, year and month).") % {"row": seen[key]})
            continue
        seen[key] = number
        parsed.append(
            ParsedActual(number, code, year, month, amount, progress or None, problems or None, r.text(H.NAME) or None)
        )
    return parsed, issues


@dataclass
class ParsedPlanRow:
    """One row of the annual list: the project's attributes given (None = not given) and its plan."""

    row: int
    code: str
    year: int
    pipeline: str
    amount: Decimal
    name: str | None = None
    unit_name: str | None = None
    leader_name: str | None = None
    sector: str | None = None
    industry: str | None = None
    stage: str | None = None
    level: str | None = None
    total_investment: Decimal | None = None
    planned_start: dt.date | None = None
    content: str | None = None


def parse_list_rows(sheet: Sheet) -> tuple[list[ParsedPlanRow], list[Issue]]:
    """Every filled row of an annual list; each project may appear once per year."""
    readers = {
        H.PIPELINE: ChoiceReader(Pipeline),
        H.SECTOR: ChoiceReader(Sector),
        H.INDUSTRY: ChoiceReader(Industry),
        H.STAGE: ChoiceReader(Stage),
        H.LEVEL: ChoiceReader(Level),
    }
    parsed, issues, seen = [], [], {}
    for number, values in sheet.rows:
        r = RowReader(sheet, number, values, issues)
        code = r.text(H.CODE)
        if not code and H.CODE not in r.bad:
            r.error(H.CODE, _("Fill in the project code."))
        year = year_of(r)
        pipeline = r.read(
            H.PIPELINE, readers[H.PIPELINE], required_message=_("Fill in the pipeline (续建, 新建 or 谋划).")
        )
        amount = r.read(H.PLAN_AMOUNT, parse_amount, required_message=_("Fill in the annual plan (0 if none)."))
        row = ParsedPlanRow(
            row=number,
            code=code,
            year=year,
            pipeline=pipeline,
            amount=amount,
            name=r.text(H.NAME) or None,
            unit_name=r.text(H.UNIT) or None,
            leader_name=r.text(H.LEADER) or None,
            sector=r.read(H.SECTOR, readers[H.SECTOR]),
            industry=r.read(H.INDUSTRY, readers[H.INDUSTRY]),
            stage=r.read(H.STAGE, readers[H.STAGE]),
            level=r.read(H.LEVEL, readers[H.LEVEL]),
            total_investment=r.read(H.TOTAL_INVESTMENT, parse_amount),
            planned_start=r.read(H.PLANNED_START, parse_date),
            content=r.text(H.CONTENT) or None,
        )
        if row.name and len(row.name) > 200:
            r.error(H.NAME, _("The project name is longer than 200 characters."))
        if len(code) > 40:
            r.error(H.CODE, _("The project code is longer than 40 characters."))
        if not r.ok:
            continue
        key = (code, year)
        if key in seen:
            r.error(H.CODE, _("Duplicate of row %(row)s (same project and year).") % {"row": seen[key]})
            continue
        seen[key] = number
        parsed.append(row)
    return parsed, issues


def oversize_issue(content_length) -> Issue | None:
    """A whole-file error when a request announces a body over the limit (checked before reading it)."""
    try:
        size = int(content_length or 0)
    except (TypeError, ValueError):
        return None
    if size > MAX_UPLOAD_BYTES + 64 * 1024:  # room for the form's other fields and boundaries
        return Issue(
            None,
            None,
            _("The file is %(size).1f MB; the limit is %(limit)s.")
            % {"size": size / 1024 / 1024, "limit": MAX_UPLOAD_LABEL},
        )
    return None
