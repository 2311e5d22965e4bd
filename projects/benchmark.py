"""Benchmark the measured paths against their floors (issue: scale and speed).

Each path is timed in this process (medians of several runs with the figure cache emptied before
each, with it kept, and for the figure pages right after a save) with its query count, and beside
it, in the same run, its floor: the bare SQL aggregate over the same rows, the bare openpyxl
write-only write of the same cells, or a bare bulk insert of the same figures with their history
rows (what an import must write). A path and its floor take turns run after run, so a machine whose
speed drifts (a shared host) slows both alike and their ratio holds.
"""

import gc
import io
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .cache import figure_cache
from .models import AnnualPlan, MonthlyActual, Project, User
from .periods import month_ended, reporting_month


@dataclass
class Measurement:
    """One path at one registry size: times in ms (cache cold and warm), query count, and its floor.

    cold: the figure cache emptied before each run (the first request after any data change);
    warm: the same request again with the data unchanged. Both are medians of several runs.
    """

    projects: int
    path: str
    cold_ms: float
    warm_ms: float
    queries: int
    floor: str
    floor_ms: float
    peak_mb: float | None = None
    status: int | None = None
    # Median with one figure saved through the service before each run (untimed): what users see
    # during the reporting week, when the figure cache never outlives the next save.
    after_write_ms: float | None = None

    @property
    def ratio(self) -> float | None:
        return round(self.warm_ms / self.floor_ms, 2) if self.floor_ms else None

    @property
    def cold_ratio(self) -> float | None:
        return round(self.cold_ms / self.floor_ms, 2) if self.floor_ms else None

    @property
    def after_write_ratio(self) -> float | None:
        return round(self.after_write_ms / self.floor_ms, 2) if self.floor_ms and self.after_write_ms else None

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "ratio": self.ratio,
            "cold_ratio": self.cold_ratio,
            "after_write_ratio": self.after_write_ratio,
        }


class Rollback(Exception):
    """Raised to undo a measured write."""


def _median_ms(fn: Callable, runs: int, *, clear_cache: bool) -> float:
    times = []
    for _ in range(runs):
        if clear_cache:
            figure_cache().clear()
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def _time(fn: Callable, runs: int) -> tuple[float, float]:
    """(median with the figure cache emptied before each run, median with it kept) in milliseconds.

    One untimed run first (connections, sessions, imports), as in a running server.
    """
    fn()
    return _median_ms(fn, runs, clear_cache=True), _median_ms(fn, runs, clear_cache=False)


def _time_in_turns(fn: Callable, floor: Callable, runs: int, write: Callable | None = None) -> tuple[float, ...]:
    """(cold, warm, floor) medians in milliseconds, taking turns run after run; with `write` also the
    median right after a write: (cold, warm, after write, floor).

    On a machine doing other work the load changes within seconds; taking turns gives the path
    and its floor the same load, so their ratio stays meaningful when the times do not.
    """
    fn()
    floor()
    timers = {
        "cold": lambda: _median_ms(fn, 1, clear_cache=True),
        "warm": lambda: _median_ms(fn, 1, clear_cache=False),
    }
    if write is not None:
        timers["after write"] = lambda: _time_after_write(fn, write, 1)
    timers["floor"] = lambda: _median_ms(floor, 1, clear_cache=False)
    times = {name: [] for name in timers}
    for _ in range(runs):
        for name, timer in timers.items():
            times[name].append(timer())
    return tuple(round(statistics.median(times[name]), 1) for name in timers)


def _count_queries(fn: Callable) -> int:
    """Queries of one run with the figure cache empty (the most a request costs)."""
    figure_cache().clear()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _peak_mb(fn: Callable) -> float:
    tracemalloc.start()
    try:
        fn()
        return round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    finally:
        tracemalloc.stop()


def _floor_progress_sql(year: int, month: int) -> Callable:
    """The bare SQL aggregate over the same rows: this year's and last year's plans with their actuals."""
    plan = connection.ops.quote_name(AnnualPlan._meta.db_table)
    project = connection.ops.quote_name(Project._meta.db_table)
    actual = connection.ops.quote_name(MonthlyActual._meta.db_table)
    sql = f"""
        SELECT COUNT(*), SUM(p.amount), SUM(a.s)
        FROM {plan} p JOIN {project} pr ON pr.id = p.project_id
        LEFT JOIN (SELECT project_id, SUM(amount) AS s FROM {actual} WHERE year = %s AND month <= %s
                   GROUP BY project_id) a ON a.project_id = p.project_id
        WHERE p.year = %s AND NOT pr.archived
    """

    def run():
        with connection.cursor() as cursor:
            for y in (year, year - 1):
                cursor.execute(sql, [y, month, y])
                cursor.fetchall()

    return run


def _floor_ledger_sql(year: int, month: int) -> Callable:
    """The bare SQL of the reporting ledger's counts: each unit's plans of the year, and how many of
    their projects have the month's figure (the bureau's and staff's home pages show both)."""
    plan = connection.ops.quote_name(AnnualPlan._meta.db_table)
    project = connection.ops.quote_name(Project._meta.db_table)
    actual = connection.ops.quote_name(MonthlyActual._meta.db_table)
    sql = f"""
        SELECT pr.unit_id, COUNT(*), COUNT(m.id)
        FROM {plan} p JOIN {project} pr ON pr.id = p.project_id
        LEFT JOIN {actual} m ON m.project_id = p.project_id AND m.year = %s AND m.month = %s
        WHERE p.year = %s AND NOT pr.archived GROUP BY pr.unit_id
    """

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, [year, month, year])
            cursor.fetchall()

    return run


def _floor_list_json(page_size: int) -> Callable:
    """The bare SELECT of the API list's rows with the same columns (labels joined in), as dicts,
    serialised by the standard library's json (dates and amounts as strings)."""
    import json

    columns = (
        "id", "code", "name", "sector", "industry", "stage", "total_investment", "unit_id", "leader_id", "level",
        "opening_balance", "owner", "location", "content", "planned_start", "actual_start", "completion_date",
        "archived", "unit__name", "leader__name", "created_at", "updated_at",
    )  # fmt: skip

    def run():
        rows = list(Project.objects.order_by("code").values(*columns)[:page_size])
        json.dumps(rows, default=str, ensure_ascii=False, separators=(",", ":")).encode()

    return run


def _figure_saver(year: int, month: int) -> Callable:
    """Save one figure through the service (alternating its amount by a cent), as a clerk saves one."""
    from .services.figures import actual_set

    bureau = User.objects.filter(groups__name="drc").first()
    actual = MonthlyActual.objects.filter(year=year, month=month).select_related("project").order_by("pk").first()
    if actual is None:
        return lambda: None
    project, base = actual.project, actual.amount
    state = {"n": 0}

    def save():
        state["n"] += 1
        actual_set(
            user=bureau, project=project, year=year, month=month, amount=base + Decimal("0.01") * (state["n"] % 2),
            change_reason="benchmark",
        )  # fmt: skip

    return save


def _time_after_write(fn: Callable, write: Callable, runs: int) -> float:
    """Median of `fn` with `write` (untimed) before each run: the figure cache is stale every time."""
    times = []
    for _ in range(runs):
        write()
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def _floor_openpyxl(sheets: list[tuple[str, list[list]]]) -> Callable:
    """The bare openpyxl write-only write of the same cells as the export.

    `sheets` holds the export's own cell values, gathered before the timing by
    `ProgressWorkbook.cell_rows()`: the same four sheets, each with the same rows (titles, header,
    totals, subtotals, projects, notes) of the same length, holding the same values and types (str,
    Decimal, int, None). Timed: a write-only workbook, one sheet per title, every row appended as
    plain values, saved to memory. Left out: the engine's queries, styles (fonts, borders, fills,
    number formats), column widths, frozen panes, merged titles and the print setup.
    """
    from openpyxl import Workbook

    def run():
        wb = Workbook(write_only=True)
        for title, rows in sheets:
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(row)
        wb.save(io.BytesIO())

    return run


def _floor_bulk_insert(rows: list[tuple[int, int, int, Decimal, str]], user: User) -> Callable:
    """The bare bulk insert of what an import of `rows` must write: the figures and one history row each.

    `bulk_create_with_history` (django-simple-history, as the import uses it) of the same
    (project, year, month, amount, progress) rows for the same user, in a rolled-back transaction,
    with Django's default batching: no file, no reading, no checks, no validation. Every figure an
    import writes needs its history row, so the floor counts both inserts; it used to count the
    figures alone (`MonthlyActual.objects.bulk_create`), about 40% of this.
    """
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    def run():
        try:
            with transaction.atomic():
                bulk_create_with_history(
                    [
                        MonthlyActual(project_id=p, year=y, month=m, amount=amount, progress=progress)
                        for p, y, m, amount, progress in rows
                    ],
                    MonthlyActual,
                    default_user=user,
                    default_change_reason="benchmark",
                    default_date=timezone.now(),
                )
                raise Rollback
        except Rollback:
            pass

    return run


def measure(*, projects: int, year: int, month: int, runs: int = 5) -> list[Measurement]:
    """Measure every path on the registry now in the database."""
    from django.urls import NoReverseMatch, resolve

    bureau = User.objects.filter(groups__name="drc").first()
    client = Client()
    client.force_login(bureau)
    results: list[Measurement] = []
    n_plans = AnnualPlan.objects.filter(year=year).count()

    def get(url: str, as_client: Client = client) -> Callable:
        def run():
            response = as_client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            if getattr(response, "streaming", False):
                for _chunk in response.streaming_content:
                    pass

        return run

    def exists(path: str) -> bool:
        try:
            resolve(path.split("?")[0])
            return True
        except (NoReverseMatch, Exception):  # noqa: BLE001 - a path not built in this checkout
            return False

    floor_progress = _floor_progress_sql(year, month)
    ledger_floor = _floor_ledger_sql(*reporting_month())
    cases = [
        ("GET /api/progress/", f"/api/progress/?year={year}&month={month}", "SQL aggregate", floor_progress),
        (
            "GET /api/progress/?group_by=unit",
            f"/api/progress/?year={year}&month={month}&group_by=unit",
            "SQL aggregate",
            floor_progress,
        ),
        ("GET /overview/ (page)", f"/overview/?year={year}&month={month}", "SQL aggregate", floor_progress),
        ("GET / (home page, bureau)", "/", "SQL aggregate + ledger counts", lambda: (floor_progress(), ledger_floor())),
    ]
    save_figure = _figure_saver(year, month)
    overview_after_write = None
    for name, url, floor, floor_fn in cases:
        if not exists(url):
            continue
        # The page and its floor take turns (cold, warm, right after a write, floor), as the export does.
        cold, warm, after_write, floor_ms = _time_in_turns(get(url), floor_fn, runs, write=save_figure)
        results.append(
            Measurement(
                projects, name, cold, warm, _count_queries(get(url)), floor, floor_ms, after_write_ms=after_write
            )
        )
        if name == "GET /overview/ (page)":
            overview_after_write = get(url)

    # Every role's home page against the overview, both right after a write (issue: the home page
    # within 1.5x the overview for each role), the two taking turns.
    for role in ("drc", "leader", "staff") if overview_after_write else ():
        user = User.objects.filter(groups__name=role).order_by("pk").first()
        if user is None:
            continue
        role_client = Client()
        role_client.force_login(user)
        home = get("/", role_client)
        cold, warm = _time(home, runs)
        turns = {"home": [], "overview": []}
        for _ in range(runs):
            turns["home"].append(_time_after_write(home, save_figure, 1))
            turns["overview"].append(_time_after_write(overview_after_write, save_figure, 1))
        after_write, overview_ms = (round(statistics.median(turns[k]), 1) for k in ("home", "overview"))
        results.append(
            Measurement(
                projects,
                f"GET / (home page, {role}) vs overview",
                cold,
                warm,
                _count_queries(home),
                "/overview/ right after a write",
                overview_ms,
                after_write_ms=after_write,
            )  # fmt: skip
        )

    page = min(1000, projects)
    url = f"/api/projects/?page_size={page}"
    if exists(url):
        cold, warm, floor_ms = _time_in_turns(get(url), _floor_list_json(page), runs)
        results.append(
            Measurement(
                projects,
                f"GET {page}-row /api/projects/",
                cold,
                warm,
                _count_queries(get(url)),
                "SQL select of the same columns + json.dumps",
                floor_ms,
            )  # fmt: skip
        )

    url = f"/reports/progress.xlsx?year={year}&month={month}"
    if exists(url):
        from django.conf import settings
        from django.utils import translation

        from .reports.workbook import ProgressWorkbook

        export = get(url)
        queries, peak_mb = _count_queries(export), _peak_mb(export)
        # The floor writes the download's own cells (no filters: the year's whole list), gathered untimed.
        with translation.override(settings.LANGUAGE_CODE):
            sheets = ProgressWorkbook(year=year, month=month).cell_rows()
        rows = sum(len(r) for _title, r in sheets)
        cells = sum(len(row) for _title, r in sheets for row in r)
        cold, warm, floor_ms = _time_in_turns(export, _floor_openpyxl(sheets), runs)
        del sheets
        results.append(
            Measurement(
                projects,
                "GET /reports/progress.xlsx",
                cold,
                warm,
                queries,
                f"openpyxl write-only, same {rows:,} rows / {cells:,} cells ({n_plans:,} plans)",
                floor_ms,
                peak_mb=peak_mb,
            )  # fmt: skip
        )

    results.extend(_measure_import(projects=projects, year=year, month=month, runs=runs, client=client))
    return results


def _measure_import(*, projects: int, year: int, month: int, runs: int, client: Client) -> list[Measurement]:
    """POST the bureau's monthly template, filled in on up to 5,000 rows (ended months after M), rolled back.

    The file is the real one: GET /reports/actuals-template.xlsx's workbook for month M+1 (its
    styles, widths, validations, shaded context columns and instructions sheet), opened and saved
    again as a spreadsheet program would, with an amount and a narrative typed into each row. Rows
    past 5,000 are removed; a list shorter than that is repeated for the following months. The
    floor inserts exactly the rows imported, with the same values.
    """
    from django.urls import resolve

    try:
        resolve("/api/import/actuals/")
    except Exception:  # noqa: BLE001 - the import is not built in this checkout
        return []
    from copy import copy

    from openpyxl import load_workbook

    from .reports.templates_xlsx import actuals_template

    # Months after M that have ended (a month still running takes no figures), else M itself.
    months = [m for m in range(month + 1, 13) if month_ended(year, m)] or [month]
    template = io.BytesIO()
    actuals_template(year=year, month=months[0]).save(template)
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    column = {cell.value: cell.column for cell in ws[1]}
    width, listed = ws.max_column, ws.max_row - 1
    total = min(5000, listed * len(months))
    kept = min(total, listed)
    if listed > kept:
        ws.delete_rows(kept + 2, listed - kept)
    for i in range(kept, total):  # the list again for the next months, cell styles and all
        source, target = 2 + i % kept, 2 + i
        for c in range(1, width + 1):
            cell, original = ws.cell(target, c, ws.cell(source, c).value), ws.cell(source, c)
            for attribute in ("font", "fill", "border", "alignment", "protection", "number_format"):
                setattr(cell, attribute, copy(getattr(original, attribute)))
    ids = dict(Project.objects.values_list("code", "pk"))
    rows = []
    for i in range(total):
        r, m = 2 + i, months[i // kept]
        amount = round(5 + (i % 500) * 0.37, 2)
        progress = "按计划推进，完成主体结构"
        ws.cell(r, column["月"]).value = m
        ws.cell(r, column["本月完成投资(万元)"]).value = amount
        ws.cell(r, column["形象进度"]).value = progress
        rows.append((ids[ws.cell(r, column["项目编号"]).value], year, m, Decimal(str(amount)), progress))
    buffer = io.BytesIO()
    wb.save(buffer)
    payload = buffer.getvalue()

    def run():
        try:
            with transaction.atomic():
                response = client.post(
                    "/api/import/actuals/", {"file": io.BytesIO(payload), "change_reason": "benchmark"}
                )
                if response.status_code != 200 or response.json()["created"] != total:
                    raise RuntimeError(f"import answered {response.status_code}: {response.content[:300]!r}")
                raise Rollback
        except Rollback:
            pass

    floor = _floor_bulk_insert(rows, user=User.objects.filter(groups__name="drc").first())

    def once(fn) -> float:
        gc.collect()
        start = time.perf_counter()
        fn()
        return (time.perf_counter() - start) * 1000

    # The import and its floor take turns: each rolled-back run leaves dead index entries for
    # the same keys behind (on PostgreSQL, until a vacuum), which slow whichever runs later.
    import_ms, floor_runs = [], []
    for _ in range(max(1, runs // 2) + 1):
        import_ms.append(once(run))
        floor_runs.append(once(floor))
    cold, warm = round(import_ms[0], 1), round(statistics.median(import_ms[1:]), 1)
    floor_ms = round(statistics.median(floor_runs[1:]), 1)
    return [
        Measurement(
            projects,
            f"POST /api/import/actuals/ ({total} rows)",
            cold,
            warm,
            _count_queries(run),
            "bulk insert + history",
            floor_ms,
        )  # fmt: skip
    ]


def format_table(results: list[Measurement], vendor: str) -> str:
    """A Markdown table of the results."""
    lines = [
        f"| projects | path ({vendor}) | cold ms | warm ms | after write ms | queries | floor | floor ms "
        "| cold ratio | warm ratio | after-write ratio | peak MB |",
        "| ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.projects:,} | {r.path} | {r.cold_ms} | {r.warm_ms} "
            f"| {r.after_write_ms if r.after_write_ms is not None else '–'} | {r.queries} | {r.floor} | {r.floor_ms} "
            f"| {r.cold_ratio if r.cold_ratio is not None else '–'} | {r.ratio if r.ratio is not None else '–'} "
            f"| {r.after_write_ratio if r.after_write_ratio is not None else '–'} "
            f"| {r.peak_mb if r.peak_mb is not None else ''} |"
        )
    return "\n".join(lines)
