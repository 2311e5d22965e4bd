"""Peak memory of reading uploaded workbooks: the worst files inside the upload limits, and a legal template.

`python benchmarks/upload_memory.py` (or `manage.py benchmark --upload-memory`) builds each file
once, then reads it in a fresh Python process exactly as an import does up to the database
(`read_sheet` then `parse_actual_rows`: the checks of projects/limits.py, python-calamine, the
row checks) and reports that process's peak resident memory (VmHWM, which counts
python-calamine's Rust allocations, unlike tracemalloc) before and after, with the outcome.
The files:
- hostile ones from the issue (a value in column XFD on 20,000 rows; 5 million shared strings;
  a zip bomb), refused before calamine reads a cell;
- the worst ones that pass every limit: a sheet filled to the row and column limits with numbers
  (calamine's dense rectangle at its largest); the shared-text limit spent on one long shared
  string of four-byte characters in the narrative column (a new Python copy per cell); the
  unpacked-size limit spent on inline narratives;
- a legal 20,000-row monthly template (XlsxWriter, the registry's own columns), filled in.
"""

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADERS = ["项目编号", "项目名称", "年", "月", "本月完成投资(万元)", "形象进度", "存在问题"]


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectreg.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def _package(sheet: str, shared: str | None = None, extra: dict | None = None) -> bytes:
    """A minimal workbook with one sheet (and a shared-string table, and other parts, if given)."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        f'"/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{kind}.worksheet+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{rel}"><sheets>'
            '<sheet name="填报" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        shared_rel = f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            f'Target="worksheets/sheet1.xml"/>{shared_rel if shared else ""}</Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared:
            z.writestr("xl/sharedStrings.xml", shared)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def _letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _sheet(rows) -> str:
    head = "".join(f'<c r="{_letters(i + 1)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADERS))
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">{head}</row>{"".join(rows)}</sheetData></worksheet>'  # noqa: E501


def hostile_far_right() -> bytes:
    return _package(_sheet(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(2, 20_002)))


def hostile_shared_strings() -> bytes:
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">' + "<si><t>a</t></si>" * 5_000_000 + "</sst>"
    return _package(_sheet([]), sst)


def hostile_zip_bomb() -> bytes:
    return _package(_sheet([]), extra={"xl/padding.xml": b" " * (1024 * 2**20)})


def worst_dense_sheet() -> bytes:
    """Every cell up to the row and column limits holds a number (the first rows a real template's)."""
    from projects import limits as L

    columns = L.SHEET_MAX_COLUMNS
    letters = [_letters(c) for c in range(1, columns + 1)]
    rows = []
    for r in range(2, L.SHEET_MAX_ROWS + 1):
        cells = f'<c r="A{r}" t="inlineStr"><is><t>XM{r}</t></is></c>'
        cells += f'<c r="C{r}"><v>2026</v></c><c r="D{r}"><v>2</v></c>'
        cells += f'<c r="{letters[4]}{r}"><v>1</v></c>' + "<c><v>1</v></c>" * (columns - 5)  # the shortest cells
        rows.append(f'<row r="{r}">{cells}</row>')
    return _package(_sheet(rows))


def worst_shared_text() -> bytes:
    """The shared-text limit spent on one 32,767-character narrative of four-byte characters, in every row."""
    from projects import limits as L

    text = "😀" * L.CELL_MAX_CHARS
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>{text}</t></si></sst>'
    n = L.WORKBOOK_MAX_TEXT_CHARS // L.CELL_MAX_CHARS
    rows = (
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>XM{r}</t></is></c><c r="C{r}"><v>2026</v></c>'
        f'<c r="D{r}"><v>2</v></c><c r="E{r}"><v>1</v></c><c r="F{r}" t="s"><v>0</v></c></row>'
        for r in range(2, n + 2)
    )
    return _package(_sheet(rows), sst)


def worst_inline_text() -> bytes:
    """The unpacked-size limit spent on inline narratives of four-byte characters (each cell its own text)."""
    from projects import limits as L

    per_row = 1500  # characters of each of the two narratives; 4 bytes each in UTF-8
    n = int(L.WORKBOOK_MAX_UNCOMPRESSED_BYTES * 0.95) // (2 * 4 * per_row + 200)
    rows = []
    for r in range(2, n + 2):
        text = chr(0x1F600 + r % 64) * per_row
        rows.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>XM{r}</t></is></c><c r="C{r}"><v>2026</v></c>'
            f'<c r="D{r}"><v>2</v></c><c r="E{r}"><v>1</v></c><c r="F{r}" t="inlineStr"><is><t>{text}</t></is></c>'
            f'<c r="G{r}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        )
    return _package(_sheet(rows))


def legal_template(rows: int = 20_000) -> bytes:
    """A filled 20,000-row monthly template with the registry's own columns, written by its own writer."""
    from decimal import Decimal

    from projects.reports import headers as H
    from projects.reports.xlsx import CENTER, INT, MONEY, TEXT, WRAP, Column, SheetWriter, new_workbook

    book = new_workbook()
    columns = [
        Column(H.CODE, TEXT), Column(H.NAME, WRAP), Column(H.YEAR, INT), Column(H.MONTH, INT),
        Column(H.AMOUNT, MONEY), Column(H.PROGRESS, WRAP), Column(H.PROBLEMS, WRAP),
        Column(H.CONTEXT_UNIT, TEXT, context=True), Column(H.CONTEXT_PIPELINE, CENTER, context=True),
        Column(H.CONTEXT_PLAN, MONEY, context=True), Column(H.context_cumulative(1), MONEY, context=True),
    ]  # fmt: skip
    sheet = SheetWriter(book, "月度完成投资", columns, freeze_cols=2)
    sheet.begin()
    for i in range(rows):
        sheet.row([
            f"XM{i:06d}", f"第{i}号重点建设项目（一期）", 2026, 2, Decimal(f"{5 + i % 500 * 0.37:.2f}"),
            f"按计划推进，完成主体结构第{i % 30}层，累计完成投资{i % 90}%", "征迁未完成" if i % 7 == 0 else "",
            f"县第{i % 40}局", "续建", Decimal("1000.00") + i, Decimal("300.50"),
        ])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def worst_combined() -> bytes:
    """The dense sheet and the shared-text limit in one file."""
    from projects import limits as L

    text = "😀" * L.CELL_MAX_CHARS
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>{text}</t></si></sst>'
    n = L.WORKBOOK_MAX_TEXT_CHARS // L.CELL_MAX_CHARS
    rows = []
    for r in range(2, L.SHEET_MAX_ROWS + 1):
        narrative = f'<c r="F{r}" t="s"><v>0</v></c>' if r < n + 2 else f'<c r="F{r}"><v>1</v></c>'
        rows.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>XM{r}</t></is></c><c r="C{r}"><v>2026</v></c>'
            f'<c r="D{r}"><v>2</v></c><c r="E{r}"><v>1</v></c>{narrative}'
            + "<c><v>1</v></c>" * (L.SHEET_MAX_COLUMNS - 6)
            + "</row>"
        )
    return _package(_sheet(rows), sst)


FILES = {
    "hostile: a value in column XFD on 20,000 rows": hostile_far_right,
    "hostile: 5,000,000 shared strings": hostile_shared_strings,
    "hostile: a part unpacking to 1 GB": hostile_zip_bomb,
    "worst inside the limits: every cell of 25,000 rows × 50 columns a number": worst_dense_sheet,
    "worst inside the limits: 8M characters of shared text, 4-byte characters": worst_shared_text,
    "worst inside the limits: 32 MB of inline narratives, 4-byte characters": worst_inline_text,
    "worst inside the limits: both of the first two": worst_combined,
    "legal: 20,000-row monthly template, filled": legal_template,
}


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # elsewhere: the closest there is


def read_one(path: str) -> dict:
    """Read one file as an import does (no database) in this process; its peak memory and the outcome."""
    _setup()
    from projects.reports import headers as H
    from projects.reports.importers import parse_actual_rows, read_sheet

    before = _peak_rss_mb()
    start = time.perf_counter()
    with open(path, "rb") as f:
        sheet, issues = read_sheet(f, required=H.ACTUALS_REQUIRED, optional=H.ACTUALS_OPTIONAL)
        if sheet is not None:
            rows, issues = parse_actual_rows(sheet)
            outcome = f"read: {len(rows):,} rows, {len(issues):,} row errors"
        else:
            outcome = f"refused: {issues[0].message}"
    return {
        "ms": round((time.perf_counter() - start) * 1000),
        "rss_before_mb": before,
        "peak_rss_mb": _peak_rss_mb(),
        "outcome": outcome,
    }


def measure() -> list[dict]:
    """Build every file, then read each in a fresh process; one result per file."""
    _setup()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in FILES.items():
            content = build()
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(content)
            unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
            child = subprocess.run(
                [sys.executable, __file__, "--one", str(path)], capture_output=True, text=True, check=True, cwd=ROOT
            )
            result = json.loads(child.stdout.strip().splitlines()[-1])
            results.append({"file": name, "kb": len(content) // 1024, "unpacked_mb": round(unpacked / 2**20, 1),
                            **result})  # fmt: skip
    return results


def format_table(results: list[dict]) -> str:
    lines = [
        "| file | size KB | unpacked MB | read ms | RSS before MB | peak RSS MB | outcome |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        outcome = r["outcome"].replace("|", "/")
        lines.append(
            f"| {r['file']} | {r['kb']:,} | {r['unpacked_mb']} | {r['ms']:,} | {r['rss_before_mb']} "
            f"| {r['peak_rss_mb']} | {outcome} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(read_one(sys.argv[2]), ensure_ascii=False))
    else:
        print(format_table(measure()))
