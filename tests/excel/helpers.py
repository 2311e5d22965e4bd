"""Helpers for the Excel tests: build uploads, read downloads, count queries."""

import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from projects.choices import Pipeline

from ..factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory

ACTUAL_HEADERS = ["项目编号", "项目名称", "年", "月", "本月完成投资(万元)", "形象进度"]


def make(plan="1000.00", actuals=(), *, year=2026, pipeline=Pipeline.CONTINUING, **project_kwargs):
    """A project with a plan for `year` and (month, amount) actuals in that year."""
    project = ProjectFactory(**project_kwargs)
    AnnualPlanFactory(project=project, year=year, pipeline=pipeline, amount=Decimal(plan))
    for month, amount in actuals:
        MonthlyActualFactory(project=project, year=year, month=month, amount=Decimal(amount))
    return project


def xlsx(rows, headers=ACTUAL_HEADERS, *, title_rows=()) -> bytes:
    """A workbook made the way a person would: optional title rows, one header row, then `rows`."""
    wb = Workbook()
    ws = wb.active
    for t in title_rows:
        ws.append([t])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload_file(content: bytes, name="filled.xlsx"):
    f = io.BytesIO(content)
    f.name = name
    return f


def post_import(client, url, content: bytes, **data):
    return client.post(url, {"file": upload_file(content), **data})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, url, params=None):
    """GET a workbook and open it with openpyxl (normal mode, so formats and panes can be read)."""
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(body(response)))


def header_row(ws, first="序号", search=6):
    """(row number, [headers]) of the first row whose first cell is `first`."""
    for r in range(1, search + 1):
        if ws.cell(r, 1).value == first:
            return r, [c.value for c in ws[r] if c.value is not None]
    raise AssertionError(f"no header starting with {first!r}")


def rows_after(ws, start):
    """Rows after `start` as dicts of header → cell."""
    headers = [c.value for c in ws[start]]
    out = []
    for row in ws.iter_rows(min_row=start + 1):
        if all(c.value is None for c in row):
            continue
        out.append({h: c for h, c in zip(headers, row, strict=False) if h})
    return out


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)
