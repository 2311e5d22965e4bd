"""Per-project rows: each project of a year's list with its figures at a month, for lists, pages and exports."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import connection
from django.db.models import (
    F,
)

from ..choices import Pipeline, ScheduleBasis, Status
from ..models import Bottleneck, MonthlyActual, ProgressSettings
from .metrics import (
    RatedFigures,
    Thresholds,
    money,
    prephase_status,
    project_schedule,
    rate,
    schedule_fraction,
    to_decimal,
)
from .sql import behind_order, choice_rank, memo_sql, per_project_sql, plans_in_scope, status_sql


@dataclass
class ProjectRow(RatedFigures):
    """One project's figures at a month, for lists, the project page and the export."""

    project_id: int
    code: str
    name: str
    unit_id: int
    unit_name: str
    leader_id: int | None
    leader_name: str
    sector: str
    industry: str
    stage: str
    level: str
    pipeline: str
    plan: Decimal
    actual_to_date: Decimal
    month_actual: Decimal
    total_investment: Decimal
    cumulative_to_date: Decimal
    planned_start: dt.date | None
    actual_start: dt.date | None
    progress: str
    problems: str
    open_bottlenecks: int
    exact_rate: Fraction | None
    exact_gap: Fraction | None
    status: str | None
    # SPEC section 10: the project's own schedule, its milestones and pre-phase items at the month.
    exact_schedule: Fraction | None = None
    milestones_due: int = 0
    milestones_done: int = 0
    prephase_items: int = 0
    prephase_done: int = 0
    prephase_overdue: int = 0

    @property
    def behind_key(self) -> tuple:
        """Furthest behind first: investment-rated by exact gap, then planned ones by overdue items."""
        if self.exact_gap is not None:
            return (0, self.exact_gap, 0, self.code)
        return (1, 0, -self.prephase_overdue, self.code)

    @property
    def cumulative_rate(self) -> Decimal | None:
        return to_decimal(rate(self.cumulative_to_date, self.total_investment))

    def get_pipeline_display(self) -> str:
        return str(Pipeline(self.pipeline).label)

    def get_status_display(self) -> str:
        return str(Status(self.status).label) if self.status else ""


ROW_CHUNK = 2000  # rows fetched at a time by `iter_project_rows`


def _as_date(value) -> dt.date | None:
    """A date column from raw SQL (SQLite gives ISO text, PostgreSQL a date)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


@memo_sql
def rows_sql(
    *,
    year: int,
    month: int,
    filters: dict | None,
    statuses,
    schedule: Fraction,
    thresholds: Thresholds,
    order: str,
    page: tuple[int, int] | None = None,
    not_started_by: dt.date | None = None,
    unrated: bool = False,
    paced: bool = False,
) -> tuple[str, list]:
    """One statement for `iter_project_rows`: each plan of the year's list with its project, sums,
    latest report and open bottlenecks; the actuals, reports and bottlenecks read only for those projects.

    `order` is an ORDER BY over the per-project columns (`t.`); `page` = (limit, offset) keeps only
    that slice, chosen before the latest reports and bottlenecks are joined (so only the page's rows
    are built), with the whole list's count and sums beside each row (window aggregates). Rows chosen
    by a condition below are likewise chosen before those joins.
    `not_started_by` keeps the new-build projects whose planned start is on or before that date and
    that had not started by then; `unrated` only those without a planned amount (no rate, no status).
    """
    columns = {
        "pname": F("project__name"), "unit_id": F("project__unit_id"), "unit_name": F("project__unit__name"),
        "leader_id": F("project__leader_id"), "leader_name": F("project__leader__name"),
        "sector": F("project__sector"), "industry": F("project__industry"), "level": F("project__level"),
        "planned_start": F("project__planned_start"), "actual_start": F("project__actual_start"),
    }  # fmt: skip
    scope = plans_in_scope(year=year, filters=filters).order_by().values("project_id")  # a set: no ORDER BY
    scope_sql, scope_params = scope.query.sql_with_params()
    # The derived tables read only the scope's projects (a project page must not sum the county).
    per_sql, per_params = per_project_sql(
        year=year, month=month, filters=filters, cumulative=True, within=(scope_sql, scope_params), paced=paced,
        nodes=True, **columns,
    )  # fmt: skip
    actual = connection.ops.quote_name(MonthlyActual._meta.db_table)
    bottleneck = connection.ops.quote_name(Bottleneck._meta.db_table)
    conditions, where_params = [], []
    if statuses is not None:
        conditions.append(status_sql(statuses, schedule, thresholds, paced))
    if unrated:
        conditions.append("NOT (t.plan > 0)")
    if not_started_by is not None:
        conditions.append("t.planned_start <= %s AND (t.actual_start IS NULL OR t.actual_start > %s)")
        where_params += [not_started_by, not_started_by]
    where = " AND ".join(f"({c})" for c in conditions) or "1 = 1"
    if page is None and not conditions:
        rows_from, rows_params, ids = "per t", [], f"IN ({scope_sql})"
        ids_params = list(scope_params)
        head = f"WITH per AS ({per_sql})"
    elif page is None:
        # The chosen rows first (a status, not started): latest reports and bottlenecks only for them.
        head = f"WITH per AS ({per_sql}), chosen AS (SELECT t.* FROM per t WHERE {where})"
        rows_from, rows_params, where, where_params = "chosen t", where_params, "1 = 1", []
        ids, ids_params = "IN (SELECT project_id FROM chosen)", []
    else:
        # Status counts over the whole scope (before the status choice), then the chosen rows' count and sums.
        counts = ", ".join(
            f"SUM(CASE WHEN {status_sql((s,), schedule, thresholds, paced)} THEN 1 ELSE 0 END) OVER () AS full_{s}"
            for s in Status.values
        )
        head = f"""
            WITH per AS ({per_sql}),
            page AS (
                SELECT t.*, COUNT(*) OVER () AS full_count, SUM(t.plan) OVER () AS full_plan,
                       SUM(t.ytd) OVER () AS full_ytd, SUM(t.month_amount) OVER () AS full_month
                FROM (SELECT t.*, {counts} FROM per t) t
                WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s
            )"""
        rows_from, rows_params, where, where_params = "page t", [*where_params, *page], "1 = 1", []
        ids, ids_params = "IN (SELECT project_id FROM page)", []
    sql = f"""
        {head}
        SELECT t.*, r.progress, r.problems, COALESCE(b.c, 0) AS open_bottlenecks
        FROM {rows_from}
        LEFT JOIN (
            SELECT project_id, progress, problems FROM (
                SELECT project_id, progress, problems,
                       ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY month DESC) AS rn
                FROM {actual} WHERE year = %s AND month <= %s AND project_id {ids}
            ) x WHERE rn = 1
        ) r ON r.project_id = t.project_id
        LEFT JOIN (
            SELECT project_id, COUNT(*) AS c FROM {bottleneck}
            WHERE resolved IS NULL AND project_id {ids} GROUP BY project_id
        ) b ON b.project_id = t.project_id
        WHERE {where}
        ORDER BY {order}
    """
    return sql, [*per_params, *rows_params, year, month, *ids_params, *ids_params, *where_params]


def build_row(r: dict, schedule: Fraction, thresholds: Thresholds) -> "ProjectRow":
    """A `ProjectRow` from one row of the statement, with its exact rate, gap and status (its own
    schedule under basis `plan`; planned-pipeline projects rated by their pre-phase items)."""
    ytd, plan = money(r["ytd"]), money(r["plan"])  # SQLite gives doubles: back to exact cents
    exact = rate(ytd, plan)
    pace = money(r["pace"]) if r["pace"] is not None else None
    own_schedule = project_schedule(schedule, plan, pace)
    items = (int(r["pp_n"] or 0), int(r["pp_done"] or 0), int(r["pp_overdue"] or 0))
    if r["pipeline_code"] == Pipeline.PLANNED:
        # Rated by its pre-phase items, not by investment (SPEC section 10).
        gap, status = None, prephase_status(*items)
    else:
        gap = None if exact is None else exact - own_schedule
        status = thresholds.status(gap)
    return ProjectRow(
        project_id=r["project_id"],
        code=r["code"],
        name=r["pname"],
        unit_id=r["unit_id"],
        unit_name=r["unit_name"],
        leader_id=r["leader_id"],
        leader_name=r["leader_name"] or "",
        sector=r["sector"],
        industry=r["industry"],
        stage=r["stage_code"],
        level=r["level"],
        pipeline=r["pipeline_code"],
        plan=plan,
        actual_to_date=ytd,
        month_actual=money(r["month_amount"]),
        total_investment=money(r["total_inv"]),
        cumulative_to_date=money(r["opening"]) + money(r["before_year"]) + ytd,
        planned_start=_as_date(r["planned_start"]),
        actual_start=_as_date(r["actual_start"]),
        progress=r["progress"] or "",
        problems=r["problems"] or "",
        open_bottlenecks=int(r["open_bottlenecks"] or 0),
        exact_rate=exact,
        exact_gap=gap,
        status=status,
        exact_schedule=own_schedule,
        milestones_due=int(r["ms_due"] or 0),
        milestones_done=int(r["ms_done"] or 0),
        prephase_items=items[0],
        prephase_done=items[1],
        prephase_overdue=items[2],
    )


def iter_project_rows(
    *,
    year: int,
    month: int,
    filters: dict | None = None,
    statuses=None,
    order: str = "code",
    not_started_by: dt.date | None = None,
    chunked: bool = True,
):
    """Each project of the year's list with its figures at month M, one at a time.

    Two queries (the settings and one statement read in chunks from a server-side cursor on
    PostgreSQL), so memory stays flat however many projects there are; `chunked=False` reads the
    statement at once instead (a short list: no cursor to declare, hold and close). Ordered by code, with
    `order="pipeline"` by pipeline (in the order pipelines are declared) then code, or with
    `order="behind"` by year-to-date over plan (furthest behind first; callers needing the exact
    order sort by `exact_gap`). `progress` and `problems` are those of the project's latest report
    of the year up to M. `statuses` keeps only projects with one of those statuses, exactly (in
    SQL); `not_started_by` only those planned to start by that date and not started by then.
    """
    settings_row = ProgressSettings.load()
    thresholds = Thresholds.from_settings(settings_row)
    schedule = schedule_fraction(year, month, settings_row.schedule_basis)
    paced = settings_row.schedule_basis == ScheduleBasis.PLAN
    sql, params = rows_sql(
        year=year, month=month, filters=filters, statuses=statuses, schedule=schedule, thresholds=thresholds,
        order=_iter_order(order, schedule), not_started_by=not_started_by, paced=paced,
    )  # fmt: skip
    cursor = connection.chunked_cursor() if chunked else connection.cursor()
    try:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        while chunk := cursor.fetchmany(ROW_CHUNK):
            for values in chunk:
                yield build_row(dict(zip(names, values, strict=True)), schedule, thresholds)
    finally:
        cursor.close()


def _iter_order(order: str, schedule: Fraction) -> str:
    if order == "behind":
        return behind_order(schedule)
    if order == "pipeline":
        return f"{choice_rank('t.pipeline_code', Pipeline)}, t.code"
    return "t.code"


def project_rows(
    *, year: int, month: int, filters: dict | None = None, statuses=None, not_started_by: dt.date | None = None
) -> list[ProjectRow]:
    """Every project of the year's list with its figures at month M, by code (see `iter_project_rows`).

    `statuses` keeps only projects with one of those statuses, chosen in SQL (exactly), so a list
    of the lagging projects of a large registry does not build every project's row.
    """
    return list(
        iter_project_rows(
            year=year, month=month, filters=filters, statuses=statuses, not_started_by=not_started_by, chunked=False
        )
    )
