"""The SQL the engine is built from: the year's plans in scope, per-project sums, exact status conditions.

Statuses are decided in SQL with exact integer cross-multiplication (no floating point at the
thresholds, even on SQLite).
"""

from fractions import Fraction

from django.db import connection
from django.db.models import (
    F,
)

from ..choices import Pipeline, Status
from ..filtersets import project_q
from ..models import AnnualPlan, MonthlyActual
from .metrics import STARTED_STAGES, Thresholds

# --- queries -------------------------------------------------------------------------------------


def plans_in_scope(*, year: int, filters: dict | None = None):
    """The annual plans of `year` for the projects the filters select (archived projects left out)."""
    filters = filters or {}
    qs = AnnualPlan.objects.filter(year=year, project__archived=False).filter(project_q(filters, "project__"))
    if filters.get("pipeline"):
        qs = qs.filter(pipeline=filters["pipeline"])
    if filters.get("project_ids") is not None:
        qs = qs.filter(project_id__in=filters["project_ids"])
    return qs


def plan_columns(*, year: int, filters: dict | None = None, **columns):
    """One row per plan of the year's list with the project columns the figures need.

    `columns` adds named columns (e.g. group_key=F("project__unit_id")).
    """
    return (
        plans_in_scope(year=year, filters=filters)
        .order_by()
        .values(
            "project_id",
            plan=F("amount"),
            pipeline_code=F("pipeline"),
            stage_code=F("project__stage"),
            opening=F("project__opening_balance"),
            total_inv=F("project__total_investment"),
            **columns,
        )
    )


def actual_sums_sql(year: int, month: int, cumulative: bool, within: tuple | None = None) -> tuple[str, list]:
    """Per project: actuals of the year to the month, of the month, and (if asked) of earlier years.

    `within` (SQL, params) selecting project ids limits the sums to those projects.
    """
    table = connection.ops.quote_name(MonthlyActual._meta.db_table)
    scope, scope_params = ("", []) if within is None else (f"AND project_id IN ({within[0]})", list(within[1]))
    if not cumulative:
        sql = f"""
            SELECT project_id, SUM(amount) AS ytd,
                   SUM(CASE WHEN month = %s THEN amount ELSE 0 END) AS month_amount, 0 AS before_year
            FROM {table} WHERE year = %s AND month <= %s {scope} GROUP BY project_id
        """
        return sql, [month, year, month, *scope_params]
    sql = f"""
        SELECT project_id,
               SUM(CASE WHEN year = %s THEN amount ELSE 0 END) AS ytd,
               SUM(CASE WHEN year = %s AND month = %s THEN amount ELSE 0 END) AS month_amount,
               SUM(CASE WHEN year < %s THEN amount ELSE 0 END) AS before_year
        FROM {table}
        WHERE (year < %s OR (year = %s AND month <= %s)) {scope}
        GROUP BY project_id
    """
    return sql, [year, year, month, year, year, year, month, *scope_params]


def sign_sql(schedule: Fraction, threshold: Fraction) -> str:
    """SQL whose sign is the sign of (gap − threshold) for a project with plan > 0.

    gap − T = 100·ytd/plan − s − T, so with s + T = n/d: sign = sign(100·d·ytd − n·plan).
    Both amounts have two decimals and n, d are integers, so the value rounded to four places
    is exact (SQLite sums decimals as doubles; the rounding removes that noise; PostgreSQL's
    numeric arithmetic is exact and needs none).
    """
    bound = schedule + threshold
    value = f"t.ytd * {100 * bound.denominator} - t.plan * {bound.numerator}"
    return value if connection.vendor == "postgresql" else f"ROUND({value}, 4)"  # PostgreSQL numeric is exact


def status_sql(statuses, schedule: Fraction, thresholds: Thresholds) -> str:
    """SQL true for a rated project (plan > 0) whose status is one of `statuses` (exact, as `grouped_sums` counts)."""
    ahead = f"{sign_sql(schedule, thresholds.ahead)} >= 0"
    warn_or_lag = f"{sign_sql(schedule, thresholds.warning)} <= 0"
    lagging = f"{sign_sql(schedule, thresholds.lagging)} <= 0"
    conditions = {
        Status.AHEAD.value: ahead,
        Status.NORMAL.value: f"NOT ({ahead}) AND NOT ({warn_or_lag})",
        Status.WARNING.value: f"{warn_or_lag} AND NOT ({lagging})",
        Status.LAGGING.value: lagging,
    }
    chosen = [f"({conditions[s]})" for s in statuses]
    return f"t.plan > 0 AND ({' OR '.join(chosen) or '1 = 0'})"


def per_project_sql(
    *, year: int, month: int, filters: dict | None, cumulative: bool, within: tuple | None = None, **columns
) -> tuple[str, list]:
    """One row per plan of the year's list with its project's actual sums (ytd, month_amount, before_year)."""
    plans_sql, plan_params = plan_columns(
        year=year, filters=filters, code=F("project__code"), **columns
    ).query.sql_with_params()
    sums_sql, sums_params = actual_sums_sql(year, month, cumulative, within)
    sql = f"""
        SELECT t.*, COALESCE(a.ytd, 0) AS ytd, COALESCE(a.month_amount, 0) AS month_amount,
               COALESCE(a.before_year, 0) AS before_year
        FROM ({plans_sql}) t LEFT JOIN ({sums_sql}) a ON a.project_id = t.project_id
    """
    return sql, [*plan_params, *sums_params]


# Furthest behind first, by the database's (rounded) ratio of year-to-date to plan, then code.
BEHIND_ORDER = "t.ytd * 1.0 / t.plan, t.code"


def worst_sql(statuses, schedule: Fraction, thresholds: Thresholds, limit: int) -> str:
    """Ids of the `limit` projects in `per` furthest behind whose status is in `statuses` (callers sort
    their rows again with exact fractions)."""
    where = status_sql(statuses, schedule, thresholds)
    return f"SELECT t.project_id FROM per t WHERE {where} ORDER BY {BEHIND_ORDER} LIMIT {int(limit)}"


def grouped_sums(
    *,
    year: int,
    month: int,
    filters: dict | None,
    schedule: Fraction,
    thresholds: Thresholds,
    key,
    cumulative: bool,
    light: bool = False,
    worst: tuple | None = None,
) -> tuple[list[dict], list[int]]:
    """Sums and status counts of the year's list per `key` (an expression, or None for one total row).

    One query: the year's plans joined to their projects' actuals summed per project, grouped
    and counted around it: the shape of the bare SQL aggregate, with the status counts added.
    `light` computes only the projects, plan and year-to-date sums (all that last year's rate
    needs); its other columns are 0. `worst` = (statuses, limit) also returns, from the same
    per-project sums, the ids of the `limit` projects furthest behind with one of those statuses.
    """
    columns = {"group_key": key} if key is not None else {}
    # A filtered set (a leader's or a unit's projects) sums only its own projects' actuals.
    within = None
    if filters:
        within = plans_in_scope(year=year, filters=filters).values("project_id").query.sql_with_params()
    per_sql, params = per_project_sql(
        year=year, month=month, filters=filters, cumulative=cumulative, within=within, **columns
    )
    group = "t.group_key" if key is not None else "NULL"
    rated = "t.plan > 0"
    started = ", ".join(f"'{s.value}'" for s in STARTED_STAGES)
    planned = f"t.pipeline_code = '{Pipeline.PLANNED.value}'"
    heavy = {
        "rated": f"SUM(CASE WHEN {rated} THEN 1 ELSE 0 END)",
        "month_sum": "SUM(t.month_amount)",
        "total_inv": "SUM(t.total_inv)",
        "cum_sum": "SUM(t.opening + t.before_year + t.ytd)",
        "ahead": f"SUM(CASE WHEN {rated} AND {sign_sql(schedule, thresholds.ahead)} >= 0 THEN 1 ELSE 0 END)",
        "warn_or_lag": f"SUM(CASE WHEN {rated} AND {sign_sql(schedule, thresholds.warning)} <= 0 THEN 1 ELSE 0 END)",
        "lagging": f"SUM(CASE WHEN {rated} AND {sign_sql(schedule, thresholds.lagging)} <= 0 THEN 1 ELSE 0 END)",
        "planned": f"SUM(CASE WHEN {planned} THEN 1 ELSE 0 END)",
        "planned_started": f"SUM(CASE WHEN {planned} AND t.stage_code IN ({started}) THEN 1 ELSE 0 END)",
    }
    extra = ",\n".join(f"{'0' if light else expression} AS {name}" for name, expression in heavy.items())
    sql = f"""
        WITH per AS ({per_sql})
        SELECT {group} AS group_key, COUNT(*) AS n, SUM(t.plan) AS plan, SUM(t.ytd) AS ytd_sum,
               {extra}, NULL AS worst_id
        FROM per t
        {"GROUP BY t.group_key" if key is not None else ""}
    """
    if worst is not None:
        nulls = ", ".join(["NULL"] * (4 + len(heavy)))
        sql += f" UNION ALL SELECT {nulls}, w.project_id FROM ({worst_sql(worst[0], schedule, thresholds, worst[1])}) w"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        found = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    rows = [r for r in found if r["worst_id"] is None]
    worst_ids = [r["worst_id"] for r in found if r["worst_id"] is not None]
    if key is None and rows and rows[0]["n"] == 0:
        rows[0] = {name: 0 for name in names}
    return rows, worst_ids
