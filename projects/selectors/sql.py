"""The SQL the engine is built from: the year's plans in scope, per-project sums, exact status conditions.

Statuses are decided in SQL with exact integer cross-multiplication (no floating point at the
thresholds, even on SQLite).
"""

import functools
from fractions import Fraction

from django.db import connection
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from ..choices import Pipeline, Status
from ..filtersets import project_q
from ..models import MONTHLY_PLAN_FIELDS, AnnualPlan, Milestone, PrephaseItem, ProjectSums
from ..periods import month_end
from ..sums import MONTHS
from .metrics import MONEY, PREPHASE_LAGGING_OVERDUE, PREPHASE_WARNING_OVERDUE, STARTED_STAGES, Thresholds
from .nodestate import done_q, due_q, overdue_q

# --- statements built once per process ------------------------------------------------------------

SQL_MEMO_SIZE = 512


def _frozen(value):
    """A hashable stand-in for an argument (dicts and lists frozen), or TypeError."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_frozen(v) for v in value))
    hash(value)
    return value


def memo_sql(build):
    """Memoise a keyword-only builder of (sql, params): the same arguments give the same statement, so
    a page asking for the same figures again (with other data: the data is never in the statement)
    skips compiling the ORM parts. Arguments that cannot be frozen are built afresh."""
    memo: dict = {}

    @functools.wraps(build)
    def wrapper(**kwargs):
        try:
            key = _frozen(kwargs)
        except TypeError:
            return build(**kwargs)
        found = memo.get(key)
        if found is None:
            if len(memo) >= SQL_MEMO_SIZE:
                memo.clear()
            found = memo[key] = build(**kwargs)
        sql, params = found
        return sql, list(params)

    wrapper.memo = memo
    return wrapper


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


def actual_sums_sql(
    year: int, month: int, cumulative: bool, within: tuple | None = None, months: bool = False
) -> tuple[str, list]:
    """Per project: actuals of the year to the month, of the month, and (if asked) of earlier years;
    with `months` also the year's actuals to each month (`m1` … `m12`, for the pace chart).

    Read from `ProjectSums` (per project and year, the actuals summed to each month, kept equal to
    the actuals by database triggers, `projects/sums.py`): the year to date is one column of one
    row per project and year, instead of a sum over every figure. `within` (SQL, params)
    selecting project ids limits the sums to those projects.
    """
    table = connection.ops.quote_name(ProjectSums._meta.db_table)
    scope, scope_params = ("", []) if within is None else (f"AND project_id IN ({within[0]})", list(within[1]))
    month = int(month)
    to_month = f"c{min(month, 12)}" if month >= 1 else "0"
    of_month = "c1" if month == 1 else f"(c{month} - c{month - 1})" if 2 <= month <= 12 else "0"
    if not cumulative:
        each = "".join(f", c{j} AS m{j}" for j in MONTHS) if months else ""
        sql = f"""
            SELECT project_id, {to_month} AS ytd, {of_month} AS month_amount, 0 AS before_year{each}
            FROM {table} WHERE year = %s {scope}
        """
        return sql, [year, *scope_params]
    each = (
        "".join(f", SUM(CASE WHEN year = {int(year)} THEN c{j} ELSE 0 END) AS m{j}" for j in MONTHS) if months else ""
    )
    sql = f"""
        SELECT project_id,
               SUM(CASE WHEN year = %s THEN {to_month} ELSE 0 END) AS ytd,
               SUM(CASE WHEN year = %s THEN {of_month} ELSE 0 END) AS month_amount,
               SUM(CASE WHEN year < %s THEN c12 ELSE 0 END) AS before_year{each}
        FROM {table}
        WHERE year <= %s {scope}
        GROUP BY project_id
    """
    return sql, [year, year, year, year, *scope_params]


def month_sums(*, year: int, project_ids) -> dict:
    """The year's actuals month by month (1–12) of the projects `project_ids` (a queryset of ids)
    selects, from `ProjectSums`: one row per project, not one per figure."""
    found = ProjectSums.objects.filter(year=year, project_id__in=project_ids).aggregate(
        **{f"c{m}": Sum(f"c{m}") for m in range(1, 13)}
    )
    return month_amounts([found[f"c{m}"] or 0 for m in MONTHS])


def month_amounts(to_month) -> dict:
    """Month m's own amount (1–12) from the running totals to months 1 … 12."""
    return {m: to_month[m - 1] - (to_month[m - 2] if m > 1 else 0) for m in MONTHS}


def sign_sql(schedule: Fraction, threshold: Fraction, paced: bool = False) -> str:
    """SQL whose sign is the sign of (gap − threshold) for a project with plan > 0.

    gap − T = 100·ytd/plan − s − T, so with s + T = n/d: sign = sign(100·d·ytd − n·plan).
    Under basis `plan` (`paced`) a project with a monthly plan has s = 100·pace/plan, so with
    T = n/d: sign = sign(100·d·(ytd − pace) − n·plan); one without keeps the common s.
    All amounts have two decimals and n, d are integers, so the value rounded to four places
    is exact (SQLite sums decimals as doubles; the rounding removes that noise; PostgreSQL's
    numeric arithmetic is exact and needs none).
    """
    bound = schedule + threshold
    value = f"t.ytd * {100 * bound.denominator} - t.plan * {bound.numerator}"
    if paced:
        own = f"(t.ytd - t.pace) * {100 * threshold.denominator} - t.plan * {threshold.numerator}"
        value = f"CASE WHEN t.pace IS NULL THEN {value} ELSE {own} END"
    return value if connection.vendor == "postgresql" else f"ROUND({value}, 4)"  # PostgreSQL numeric is exact


PLANNED_SQL = f"t.pipeline_code = '{Pipeline.PLANNED.value}'"
# Rated by investment: a plan above zero, not on the planned list. Rated by pre-phase items: on the
# planned list with at least one item (SPEC section 10).
BY_MONEY_SQL = f"(t.plan > 0 AND NOT ({PLANNED_SQL}))"
BY_ITEMS_SQL = f"({PLANNED_SQL} AND t.pp_n > 0)"


def status_conditions(schedule: Fraction, thresholds: Thresholds, paced: bool = False) -> dict[str, str]:
    """SQL conditions on a per-project row `t`: rated, ahead, warning-or-lagging, lagging.

    Investment-rated projects by their gap (exact, see `sign_sql`); planned projects by their
    overdue pre-phase items (`metrics.prephase_status`). Ahead and warning-or-lagging never overlap,
    so normal = rated − ahead − warning-or-lagging.
    """

    def money(threshold: Fraction, op: str) -> str:
        return f"{BY_MONEY_SQL} AND {sign_sql(schedule, threshold, paced)} {op} 0"

    return {
        "rated": f"({BY_MONEY_SQL} OR {BY_ITEMS_SQL})",
        "ahead": f"(({money(thresholds.ahead, '>=')}) OR ({BY_ITEMS_SQL} AND t.pp_overdue = 0 AND t.pp_done = t.pp_n))",
        "warn_or_lag": f"(({money(thresholds.warning, '<=')}) "
        f"OR ({BY_ITEMS_SQL} AND t.pp_overdue >= {PREPHASE_WARNING_OVERDUE}))",
        "lagging": f"(({money(thresholds.lagging, '<=')}) "
        f"OR ({BY_ITEMS_SQL} AND t.pp_overdue >= {PREPHASE_LAGGING_OVERDUE}))",
    }


def status_sql(statuses, schedule: Fraction, thresholds: Thresholds, paced: bool = False) -> str:
    """SQL true for a rated project whose status is one of `statuses` (exact, as `grouped_sums` counts)."""
    c = status_conditions(schedule, thresholds, paced)
    conditions = {
        Status.AHEAD.value: c["ahead"],
        Status.NORMAL.value: f"{c['rated']} AND NOT {c['ahead']} AND NOT {c['warn_or_lag']}",
        Status.WARNING.value: f"{c['warn_or_lag']} AND NOT {c['lagging']}",
        Status.LAGGING.value: c["lagging"],
    }
    chosen = [f"({conditions[s]})" for s in statuses]
    return f"{c['rated']} AND ({' OR '.join(chosen) or '1 = 0'})"


def monthly_pace(month: int) -> ExpressionWrapper:
    """A plan's planned months 1..M (NULL without a monthly plan): one stored running total, exact."""
    return ExpressionWrapper(F(MONTHLY_PLAN_FIELDS[month - 1]), output_field=MONEY)


def nodes_sql(year: int, month: int, within: tuple | None) -> tuple[str, list]:
    """Per project: milestones of `year` due and done by the month's end; pre-phase items, done and overdue then.

    Two derived tables (one pass over each table; only the milestones due, by the year and date
    index), joined to the per-project rows as `m` and `p`. They are querysets counted by the rule's
    own conditions (`selectors.nodestate`), compiled by Django, so the engine counts what the pages flag.
    """
    end = month_end(year, month)
    scope = Q() if within is None else Q(project_id__in=RawSQL(*within))
    milestones = (
        Milestone.objects.filter(due_q(end), scope, year=year)
        .order_by()
        .values("project_id")
        .annotate(ms_due=Count("pk"), ms_done=Count("pk", filter=done_q(end)))
    )
    items = (
        PrephaseItem.objects.filter(scope)
        .order_by()
        .values("project_id")
        .annotate(
            pp_n=Count("pk"), pp_done=Count("pk", filter=done_q(end)), pp_overdue=Count("pk", filter=overdue_q(end))
        )
    )
    milestones_sql, milestones_params = milestones.query.sql_with_params()
    items_sql, items_params = items.query.sql_with_params()
    sql = f"""
        LEFT JOIN ({milestones_sql}) m ON m.project_id = t.project_id
        LEFT JOIN ({items_sql}) p ON p.project_id = t.project_id
    """
    return sql, [*milestones_params, *items_params]


def per_project_sql(
    *,
    year: int,
    month: int,
    filters: dict | None,
    cumulative: bool,
    within: tuple | None = None,
    paced: bool = False,
    nodes: bool = False,
    months: bool = False,
    **columns,
) -> tuple[str, list]:
    """One row per plan of the year's list with its project's actual sums (ytd, month_amount, before_year,
    and with `months` the year's actuals to each month, m1 … m12).

    Each row also has `pace` (planned months 1..M when `paced` and the plan has a monthly plan, else
    NULL) and, when `nodes`, its milestones (`ms_due`, `ms_done`) and pre-phase items (`pp_n`,
    `pp_done`, `pp_overdue`) at the month; without `nodes` those are 0.
    """
    # A typed NULL: PostgreSQL would take an untyped one in a derived table for text.
    pace = monthly_pace(month) if paced else Cast(Value(None), output_field=MONEY)
    plans_sql, plan_params = plan_columns(
        year=year, filters=filters, code=F("project__code"), pace=pace, **columns
    ).query.sql_with_params()
    sums_sql, sums_params = actual_sums_sql(year, month, cumulative, within, months)
    if nodes:
        joins, join_params = nodes_sql(year, month, within)
        node_columns = """COALESCE(m.ms_due, 0) AS ms_due, COALESCE(m.ms_done, 0) AS ms_done,
               COALESCE(p.pp_n, 0) AS pp_n, COALESCE(p.pp_done, 0) AS pp_done,
               COALESCE(p.pp_overdue, 0) AS pp_overdue"""
    else:
        joins, join_params = "", []
        node_columns = "0 AS ms_due, 0 AS ms_done, 0 AS pp_n, 0 AS pp_done, 0 AS pp_overdue"
    month_columns = "".join(f", COALESCE(a.m{j}, 0) AS m{j}" for j in MONTHS) if months else ""
    sql = f"""
        SELECT t.*, COALESCE(a.ytd, 0) AS ytd, COALESCE(a.month_amount, 0) AS month_amount,
               COALESCE(a.before_year, 0) AS before_year, {node_columns}{month_columns}
        FROM ({plans_sql}) t LEFT JOIN ({sums_sql}) a ON a.project_id = t.project_id
        {joins}
    """
    return sql, [*plan_params, *sums_params, *join_params]


def choice_rank(column: str, choices) -> str:
    """SQL ranking a choice column in the order its choices are declared (as the pages list them)."""
    whens = " ".join(f"WHEN '{value}' THEN {i}" for i, value in enumerate(choices.values))
    return f"CASE {column} {whens} END"


def behind_order(schedule: Fraction) -> str:
    """ORDER BY for "furthest behind first": investment-rated projects by the database's (rounded)
    gap, then planned ones by most overdue pre-phase items, then code (callers needing the exact order
    sort by `ProjectRow.behind_key`)."""
    common = f"t.plan * {schedule.numerator} / {100 * schedule.denominator}.0"
    return (
        f"CASE WHEN {BY_MONEY_SQL} THEN 0 ELSE 1 END, "
        f"CASE WHEN {BY_MONEY_SQL} THEN (t.ytd - COALESCE(t.pace, {common})) * 1.0 / t.plan END, "
        f"CASE WHEN {BY_MONEY_SQL} THEN 0 ELSE -t.pp_overdue END, t.code"
    )


def worst_sql(statuses, schedule: Fraction, thresholds: Thresholds, limit: int, paced: bool = False) -> str:
    """Ids of the `limit` projects in `per` furthest behind whose status is in `statuses` (callers sort
    their rows again with exact fractions)."""
    where = status_sql(statuses, schedule, thresholds, paced)
    return f"SELECT t.project_id FROM per t WHERE {where} ORDER BY {behind_order(schedule)} LIMIT {int(limit)}"


@memo_sql
def grouped_sql(
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
    paced: bool = False,
    months: bool = False,
) -> tuple[str, list]:
    """Sums and status counts of the year's list per `key` (an expression, or None for one total row).

    One query: the year's plans joined to their projects' actuals, milestones and pre-phase items
    summed per project, grouped and counted around it: the shape of the bare SQL aggregate, with
    the status counts added. `light` computes only the projects, plan and year-to-date sums (all
    that last year's rate needs); its other columns are 0. `worst` = (statuses, limit) also
    returns, from the same per-project sums, the ids of the `limit` projects furthest behind with
    one of those statuses. `paced` (basis `plan`) measures projects with a monthly plan against it.
    `months` also sums the year's actuals to each month (`m1` … `m12`: the pace chart's figures,
    from the same pass instead of a statement of their own).
    """
    paced = paced and not light
    months = months and not light
    columns = {"group_key": key} if key is not None else {}
    columns.update(pstart=F("project__planned_start"), astart=F("project__actual_start"))
    # A filtered set (a leader's or a unit's projects) sums only its own projects' actuals.
    within = None
    if filters:
        within = plans_in_scope(year=year, filters=filters).order_by().values("project_id").query.sql_with_params()
    per_sql, params = per_project_sql(
        year=year,
        month=month,
        filters=filters,
        cumulative=cumulative,
        paced=paced,
        nodes=not light,
        within=within,
        months=months,
        **columns,
    )
    group = "t.group_key" if key is not None else "NULL"
    c = status_conditions(schedule, thresholds, paced)
    started = ", ".join(f"'{s.value}'" for s in STARTED_STAGES)
    new = f"t.pipeline_code = '{Pipeline.NEW.value}'"
    end = month_end(year, month).isoformat()
    heavy = {
        "rated": f"SUM(CASE WHEN {c['rated']} THEN 1 ELSE 0 END)",
        "month_sum": "SUM(t.month_amount)",
        "total_inv": "SUM(t.total_inv)",
        "cum_sum": "SUM(t.opening + t.before_year + t.ytd)",
        "ahead": f"SUM(CASE WHEN {c['ahead']} THEN 1 ELSE 0 END)",
        "warn_or_lag": f"SUM(CASE WHEN {c['warn_or_lag']} THEN 1 ELSE 0 END)",
        "lagging": f"SUM(CASE WHEN {c['lagging']} THEN 1 ELSE 0 END)",
        "planned": f"SUM(CASE WHEN {PLANNED_SQL} THEN 1 ELSE 0 END)",
        "planned_started": f"SUM(CASE WHEN {PLANNED_SQL} AND t.stage_code IN ({started}) THEN 1 ELSE 0 END)",
        "pace_sum": "SUM(CASE WHEN t.pace IS NULL THEN 0 ELSE t.pace END)",
        "unpaced_plan": "SUM(CASE WHEN t.pace IS NULL THEN t.plan ELSE 0 END)",
        "ms_due": "SUM(t.ms_due)",
        "ms_done": "SUM(t.ms_done)",
        # Dates are compared as ISO text on SQLite and as dates on PostgreSQL; the literal is safe (built here).
        "starts_due": f"SUM(CASE WHEN {new} AND t.pstart <= '{end}' THEN 1 ELSE 0 END)",
        "starts_made": f"SUM(CASE WHEN {new} AND t.astart <= '{end}' THEN 1 ELSE 0 END)",
    }
    if months:
        heavy.update({f"m{j}": f"SUM(t.m{j})" for j in MONTHS})
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
        sql += (
            f" UNION ALL SELECT {nulls}, w.project_id "
            f"FROM ({worst_sql(worst[0], schedule, thresholds, worst[1], paced)}) w"
        )
    return sql, params


def grouped_sums(**arguments) -> tuple[list[dict], list[int]]:
    """Run `grouped_sql(**arguments)`: the rows (one per group, or one total row) and the `worst` ids."""
    sql, params = grouped_sql(**arguments)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        found = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    rows = [r for r in found if r["worst_id"] is None]
    worst_ids = [r["worst_id"] for r in found if r["worst_id"] is not None]
    if arguments["key"] is None and rows and rows[0]["n"] == 0:
        rows[0] = {name: 0 for name in names}
    return rows, worst_ids
