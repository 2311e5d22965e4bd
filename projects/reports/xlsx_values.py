"""An uploaded .xlsx: what reading it would cost, checked first, then its cells read with python-calamine.

python-calamine reads a sheet into one dense rectangle (a cell in column XFD makes every row
16,384 cells wide) and the whole shared-string table into memory, and a failed allocation in it
ends the process. So before calamine sees a byte, `open_upload` checks the package against
`projects.limits`: the number of parts and their unpacked size (from the zip's directory, which
both Python's zipfile and calamine's zip reader hold each part to), then it parses every XML part
once with expat, counting what calamine would build: the shared strings and their length, and in
each sheet the highest row and column holding a value (placed as calamine places cells, never
fewer) and the shared text its cells refer to. Parts that pass are copied, uncompressed, into a
temporary package that is all calamine opens, so it never reads a part that was not counted.

The same pass notes the cells calamine reads as empty that the importer must not take for
blanks: formulas with no saved result and error values (#DIV/0!, #N/A, …).
"""

import tempfile
import zipfile
from array import array
from dataclasses import dataclass, field
from pyexpat import ParserCreate

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook, SheetTypeEnum

from .. import limits as L

CHUNK = 64 * 1024
FORMULA = "formula"  # a formula cell with no saved result


class UploadRefused(ValueError):
    """The upload is not a workbook, is damaged, or would cost more than the limits allow to read."""


def _damaged() -> UploadRefused:
    return UploadRefused(_("The file is not an Excel workbook (.xlsx) or it is damaged."))


def column_letters(number: int) -> str:
    """1 → A, 28 → AB, 16384 → XFD."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class PartScan:
    """What one XML part holds, as far as calamine would build it."""

    max_row: int = -1  # 0-based, -1 for none
    max_column: int = -1
    shared_text: int = 0  # characters of shared strings the part's cells refer to
    strings: array = field(default_factory=lambda: array("l"))  # a shared-string table: each string's length
    special: dict = field(default_factory=dict)  # (row, column) → FORMULA or the error value shown
    sheets: list = field(default_factory=list)  # workbook.xml: (name, relationship id)
    targets: dict = field(default_factory=dict)  # a .rels part: relationship id → target


class _Scanner:
    """Expat handlers counting one part (see the module docstring); raises UploadRefused past a limit.

    Only start tags are handled (half the calls of start and end): a cell is finished when the
    next cell, row or the end of the part begins, a shared string when the next one does.
    """

    def __init__(self, strings: array | None):
        self.scan = scan = PartScan()
        special, lengths = scan.special, scan.strings
        columns = {}  # column letters → 0-based column, as calamine reads them
        text: list[str] = []
        # The cell being read: [row, column, type, has a formula, has a value], or None.
        state = {"row": 0, "column": 0, "cell": None, "string": False}
        parser = self.parser = ParserCreate()
        parser.buffer_text = True

        def finish_cell():
            row, column, kind, formula, value = state["cell"]
            state["cell"] = None
            if formula and (not value or (kind != "str" and kind != "inlineStr" and not "".join(text).strip())):
                special[(row, column)] = FORMULA  # no <v>, or an empty one where only a text result may be empty
            elif kind == "e":
                special[(row, column)] = "".join(text).strip() or "#VALUE!"
            if value or formula:
                if row > scan.max_row:
                    if row >= L.SHEET_MAX_ROWS:
                        raise _too_many_rows(row)
                    scan.max_row = row
                if column > scan.max_column:
                    if column >= L.SHEET_MAX_COLUMNS:
                        raise _too_many_columns(row, column)
                    scan.max_column = column
            if kind == "s" and strings is not None and text:
                try:
                    scan.shared_text += strings[int("".join(text))]
                except (ValueError, IndexError):
                    raise _damaged() from None
                if scan.shared_text > L.WORKBOOK_MAX_TEXT_CHARS:
                    raise UploadRefused(
                        _("The cells of the file hold more than %(n)s characters of text; split it.")
                        % {"n": f"{L.WORKBOOK_MAX_TEXT_CHARS:,}"}
                    )
            if len(special) > L.IMPORT_MAX_DATA_ROWS:
                raise UploadRefused(
                    _("More than %(n)s cells hold formulas with no saved result or error values.")
                    % {"n": f"{L.IMPORT_MAX_DATA_ROWS:,}"}
                )
            if text:
                text.clear()
            parser.CharacterDataHandler = None

        def finish_string():
            length = sum(map(len, text))
            text.clear()
            if length > L.CELL_MAX_CHARS:
                raise UploadRefused(
                    _("A text in the file is longer than %(n)s characters, the most a cell may hold.")
                    % {"n": f"{L.CELL_MAX_CHARS:,}"}
                )
            lengths.append(length)
            if len(lengths) > L.WORKBOOK_MAX_SHARED_STRINGS:
                raise UploadRefused(
                    _("The file holds more than %(n)s different texts; the limit is %(n)s.")
                    % {"n": f"{L.WORKBOOK_MAX_SHARED_STRINGS:,}"}
                )

        def start(name, attrs):
            if name == "c":
                if state["cell"] is not None:
                    finish_cell()
                ref = attrs.get("r")
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    column = columns.get(letters)
                    if column is None:
                        column = columns[letters] = _column(letters)
                    digits = ref[len(letters) :]
                    if not digits.isdigit():
                        raise _damaged()
                    row = int(digits) - 1
                else:
                    row, column = state["row"], state["column"]
                state["column"] = column + 1
                state["cell"] = [row, column, attrs.get("t", "n"), False, False]
            elif name == "v" or name == "is":
                cell = state["cell"]
                if cell is not None:
                    cell[4] = True
                    if name == "v" and (cell[2] == "s" or cell[2] == "e" or cell[3]):
                        parser.CharacterDataHandler = text.append
            elif name == "f":
                cell = state["cell"]
                if cell is not None:
                    cell[3] = True
            elif name == "row":
                if state["cell"] is not None:
                    finish_cell()
                ref = attrs.get("r")
                if ref:
                    if not ref.isdigit():
                        raise _damaged()
                    state["row"] = int(ref) - 1
                elif state["started"]:
                    state["row"] += 1  # calamine counts a row without a number one after the last
                state["started"] = True
                state["column"] = 0
            elif name == "si":
                if state["string"]:
                    finish_string()
                state["string"] = True
                parser.CharacterDataHandler = text.append
            elif ":" in name:
                start(name.rpartition(":")[2], attrs)  # a prefixed name: read as calamine reads it, unprefixed
            elif name == "sheet":
                rid = next((v for k, v in attrs.items() if k.rpartition(":")[2] == "id"), None)
                scan.sheets.append((attrs.get("name", ""), rid))
            elif name == "Relationship":
                scan.targets[attrs.get("Id")] = attrs.get("Target", "")

        def finish():
            if state["cell"] is not None:
                finish_cell()
            if state["string"]:
                finish_string()

        state["started"] = False
        self.finish = finish
        parser.StartElementHandler = start
        parser.StartDoctypeDeclHandler = _refuse
        parser.EntityDeclHandler = _refuse

    def feed(self, data: bytes, final: bool = False) -> None:
        self.parser.Parse(data, final)
        if final:
            self.finish()


_DIGITS = "0123456789"


def _refuse(*args):
    raise _damaged()  # a DTD or an entity: never part of a workbook


def _column(letters: str) -> int:
    """Column letters as calamine reads them ("A" → 0, "ab" → 27); anything else is a damaged file."""
    if not letters or not letters.isascii() or not letters.isalpha():
        raise _damaged()
    column = 0
    for ch in letters.upper():
        column = column * 26 + ord(ch) - 64
    return column - 1


def _too_many_rows(row: int) -> UploadRefused:
    return UploadRefused(
        _("Row %(row)s holds a value; a sheet may use at most %(n)s rows: delete the rows below the data.")
        % {"row": row + 1, "n": f"{L.SHEET_MAX_ROWS:,}"}
    )


def _too_many_columns(row: int, column: int) -> UploadRefused:
    return UploadRefused(
        _(
            "Cell %(cell)s holds a value; a sheet may use at most %(n)s columns (up to %(last)s): "
            "delete the columns to the right of the data."
        )
        % {
            "cell": f"{column_letters(column + 1)}{row + 1}",
            "n": L.SHEET_MAX_COLUMNS,
            "last": column_letters(L.SHEET_MAX_COLUMNS),
        }
    )


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _check_directory(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The package's XML parts, after checking every part's count, kind and unpacked size."""
    infos = archive.infolist()
    if len(infos) > L.WORKBOOK_MAX_PARTS:
        raise UploadRefused(
            _("The file holds more than %(n)s parts; it is not a workbook a spreadsheet program saves.")
            % {"n": L.WORKBOOK_MAX_PARTS}
        )
    names = {info.filename for info in infos}
    if len(names) != len(infos) or any(info.flag_bits & 0x1 for info in infos):
        raise _damaged()  # the same part twice, or an encrypted part
    unpacked = sum(info.file_size for info in infos)
    if unpacked > L.WORKBOOK_MAX_UNCOMPRESSED_BYTES:
        raise UploadRefused(
            _("Unpacked, the file would take %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": f"{unpacked / 2**20:,.0f}",
                "limit": f"{L.WORKBOOK_MAX_UNCOMPRESSED_BYTES / 2**20:,.0f}",
            }
        )
    if "[Content_Types].xml" not in names:
        raise _damaged()
    xml = [info for info in infos if _is_xml(info.filename) and not info.is_dir()]
    # The shared strings first: a sheet's cells are counted against their lengths.
    xml.sort(key=lambda info: not info.filename.lower().endswith("sharedstrings.xml"))
    return xml


@dataclass
class Upload:
    """A checked upload: its sheets in calamine, and each sheet's special cells by 1-based (row, column)."""

    workbook: CalamineWorkbook
    file: object  # the temporary package calamine reads, deleted on close
    special: dict[str, dict]  # sheet name → {(row, column): FORMULA or error value}

    def sheets(self):
        """(name, sheet) for every worksheet in workbook order (chart sheets left out)."""
        for meta in self.workbook.sheets_metadata:
            if meta.typ == SheetTypeEnum.WorkSheet:
                yield meta.name, self.workbook.get_sheet_by_name(meta.name)

    def close(self) -> None:
        self.workbook.close()
        self.file.close()


def open_upload(upload) -> Upload:
    """Check an uploaded .xlsx against the limits and open it with python-calamine; UploadRefused if not."""
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged() from None
    package = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by Upload.close
    try:
        scans, strings = {}, None
        with archive, zipfile.ZipFile(package, "w", zipfile.ZIP_STORED) as out:
            for info in _check_directory(archive):
                scanner = _Scanner(strings)
                with archive.open(info) as source, out.open(info.filename, "w") as copy:
                    while chunk := source.read(CHUNK):
                        scanner.feed(chunk)
                        copy.write(chunk)
                    scanner.feed(b"", True)
                scans[info.filename] = scan = scanner.scan
                if strings is None and info.filename.lower().endswith("sharedstrings.xml"):
                    strings = scan.strings
        if any(scan.strings is not strings and len(scan.strings) for scan in scans.values()):
            raise _damaged()  # a second string table, or one the sheets were not counted against
        package.flush()
        workbook = CalamineWorkbook.from_path(package.name)
    except UploadRefused:
        package.close()
        raise
    except Exception as exc:  # noqa: BLE001 - expat's, zipfile's and calamine's errors (XmlError, ZipError, …)
        package.close()
        raise _damaged() from exc
    return Upload(workbook, package, _special_cells(scans))


def _special_cells(scans: dict[str, PartScan]) -> dict[str, dict]:
    """Each sheet's formulas with no saved result and error values, found by the workbook's relationships."""
    book = scans.get("xl/workbook.xml")
    rels = scans.get("xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return {}
    out = {}
    for name, rid in book.sheets:
        target = rels.targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        scan = scans.get(path)
        if scan is not None and scan.special:
            out[name] = {(r + 1, c + 1): kind for (r, c), kind in scan.special.items()}
    return out


def iter_rows(sheet):
    """(row number, values) for each row of a calamine sheet from its first row holding a value.

    Values start at column A (None before the sheet's first column); an empty cell is "" or
    None; numbers are floats; dates are dates or datetimes, as python-calamine gives them.
    """
    start = sheet.start
    if start is None:
        return
    first_row, first_column = start
    pad = [None] * first_column
    for i, values in enumerate(sheet.iter_rows()):
        yield first_row + i + 1, (pad + values if pad else values)
