"""The progress engine: every figure of SPEC section 4, computed in one place.

Pages, the API and the Excel export call these functions; nothing else computes a rate.
Sums are SQL aggregates; statuses are counted in SQL with exact integer cross-multiplication
(no floating point at the thresholds, even on SQLite); the query count does not depend on the
number of projects. Rates are exact (`fractions.Fraction`) until they are turned into Decimals
for output and rounded to one decimal only by `display_rate`.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import connection
from django.db.models import (
    DecimalField,
    F,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .cache import cached_figures
from .choices import Industry, Level, Pipeline, ScheduleBasis, Sector, Stage, Status
from .filtersets import project_q
from .models import AnnualPlan, Bottleneck, Leader, MonthlyActual, ProgressSettings, Unit

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
STARTED_STAGES = (Stage.READY, Stage.CONSTRUCTION, Stage.COMPLETED)
GROUP_FIELDS = {
    "pipeline": "pipeline",
    "unit": "project__unit_id",
    "leader": "project__leader_id",
    "sector": "project__sector",
    "industry": "project__industry",
    "stage": "project__stage",
    "level": "project__level",
}
CHOICE_LABELS = {
    "pipeline": Pipeline,
    "sector": Sector,
    "industry": Industry,
    "stage": Stage,
    "level": Level,
}


# --- exact arithmetic helpers ------------------------------------------------------------------


def to_decimal(value: Fraction | None, places: int = 10) -> Decimal | None:
    """An exact fraction as a Decimal with `places` decimals (None stays None)."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )


def display_rate(value: Decimal | Fraction | None) -> float | None:
    """A rate or gap rounded half-up to one decimal for pages and the API; None stays None."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = to_decimal(value, 12)
    return float(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def money(value) -> Decimal:
    """An amount from the database as an exact two-decimal Decimal (SQLite sums come back as doubles)."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def rate(numerator, denominator) -> Fraction | None:
    """numerator / denominator × 100, exactly; None when the denominator is zero."""
    if not denominator:
        return None
    return Fraction(Decimal(numerator)) * 100 / Fraction(Decimal(denominator))


@dataclass(frozen=True)
class Thresholds:
    """The bureau's status thresholds in points (SPEC defaults +10 / −10 / −20)."""

    ahead: Fraction
    warning: Fraction
    lagging: Fraction

    @classmethod
    def from_settings(cls, s: ProgressSettings) -> "Thresholds":
        return cls(Fraction(s.ahead_threshold), Fraction(s.warning_threshold), Fraction(s.lagging_threshold))

    def status(self, gap: Fraction | None) -> str | None:
        """ahead if g ≥ A; normal if W < g < A; warning if L < g ≤ W; lagging if g ≤ L."""
        if gap is None:
            return None
        if gap >= self.ahead:
            return Status.AHEAD
        if gap <= self.lagging:
            return Status.LAGGING
        if gap <= self.warning:
            return Status.WARNING
        return Status.NORMAL


def schedule_fraction(year: int, month: int, basis: str = ScheduleBasis.MONTHS) -> Fraction:
    """Time-elapsed schedule in percent: M/12 × 100, or days elapsed to month end / days in year × 100."""
    if basis == ScheduleBasis.DAYS:
        days = (dt.date(year, month, calendar.monthrange(year, month)[1]) - dt.date(year, 1, 1)).days + 1
        return Fraction(100 * days, 366 if calendar.isleap(year) else 365)
    return Fraction(100 * month, 12)


# --- results -------------------------------------------------------------------------------------


def empty_counts() -> dict[str, int]:
    return {s.value: 0 for s in Status}


@dataclass
class Figures:
    """Progress of a set of projects (a group or the totals) at a month."""

    key: object = None
    label: str = ""
    projects: int = 0
    rated_projects: int = 0
    annual_plan: Decimal = ZERO
    actual_to_date: Decimal = ZERO
    month_actual: Decimal = ZERO
    total_investment: Decimal = ZERO
    cumulative_to_date: Decimal | None = ZERO
    status_counts: dict = field(default_factory=empty_counts)
    planned_projects: int = 0
    planned_started: int = 0
    exact_rate: Fraction | None = None
    exact_gap: Fraction | None = None
    exact_yoy_rate: Fraction | None = None
    status: str | None = None
    project_share: Decimal | None = None

    @property
    def completion_rate(self) -> Decimal | None:
        return to_decimal(self.exact_rate)

    @property
    def gap_points(self) -> Decimal | None:
        return to_decimal(self.exact_gap)

    @property
    def yoy_rate(self) -> Decimal | None:
        return to_decimal(self.exact_yoy_rate)

    @property
    def yoy_points(self) -> Decimal | None:
        if self.exact_rate is None or self.exact_yoy_rate is None:
            return None
        return to_decimal(self.exact_rate - self.exact_yoy_rate)

    @property
    def prephase_rate(self) -> Decimal | None:
        """Share of this set's planned-pipeline projects that are ready, under way or completed."""
        return to_decimal(rate(self.planned_started, self.planned_projects))

    @property
    def cumulative_rate(self) -> Decimal | None:
        """Cumulative investment since start (opening balance included) against total investment."""
        if self.cumulative_to_date is None:
            return None
        return to_decimal(rate(self.cumulative_to_date, self.total_investment))

    def as_api(self) -> dict:
        """The SPEC section 6 shape: amounts as two-decimal strings, rates as one-decimal numbers."""
        data = {
            "projects": self.projects,
            "annual_plan": f"{self.annual_plan:.2f}",
            "actual_to_date": f"{self.actual_to_date:.2f}",
            "completion_rate": display_rate(self.exact_rate),
            "gap_points": display_rate(self.exact_gap),
            "status": self.status,
            "yoy_points": display_rate(self.yoy_points),
            "status_counts": dict(self.status_counts),
        }
        return data


@dataclass
class ProgressReport:
    """Totals and groups at a month, with the time-elapsed schedule they are measured against."""

    year: int
    month: int
    exact_schedule: Fraction
    thresholds: Thresholds
    totals: Figures
    groups: list[Figures]
    group_by: str | None = None
    worst_ids: list[int] = field(default_factory=list)  # asked for with `worst=(statuses, limit)`; unordered

    @property
    def time_elapsed_rate(self) -> Decimal:
        return to_decimal(self.exact_schedule)

    def as_api(self) -> dict:
        totals = self.totals.as_api()
        totals["prephase_rate"] = display_rate(self.totals.prephase_rate)
        return {
            "year": self.year,
            "month": self.month,
            "time_elapsed_rate": display_rate(self.exact_schedule),
            "totals": totals,
            "groups": [{"key": g.key, "label": g.label, **g.as_api()} for g in self.groups],
        }


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


def _actual_sums_sql(year: int, month: int, cumulative: bool, within: tuple | None = None) -> tuple[str, list]:
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


def _sign_sql(schedule: Fraction, threshold: Fraction) -> str:
    """SQL whose sign is the sign of (gap − threshold) for a project with plan > 0.

    gap − T = 100·ytd/plan − s − T, so with s + T = n/d: sign = sign(100·d·ytd − n·plan).
    Both amounts have two decimals and n, d are integers, so the value rounded to four places
    is exact (SQLite sums decimals as doubles; the rounding removes that noise; PostgreSQL's
    numeric arithmetic is exact and needs none).
    """
    bound = schedule + threshold
    value = f"t.ytd * {100 * bound.denominator} - t.plan * {bound.numerator}"
    return value if connection.vendor == "postgresql" else f"ROUND({value}, 4)"  # PostgreSQL numeric is exact


def _status_sql(statuses, schedule: Fraction, thresholds: Thresholds) -> str:
    """SQL true for a rated project (plan > 0) whose status is one of `statuses` (exact, as `_grouped` counts)."""
    ahead = f"{_sign_sql(schedule, thresholds.ahead)} >= 0"
    warn_or_lag = f"{_sign_sql(schedule, thresholds.warning)} <= 0"
    lagging = f"{_sign_sql(schedule, thresholds.lagging)} <= 0"
    conditions = {
        Status.AHEAD.value: ahead,
        Status.NORMAL.value: f"NOT ({ahead}) AND NOT ({warn_or_lag})",
        Status.WARNING.value: f"{warn_or_lag} AND NOT ({lagging})",
        Status.LAGGING.value: lagging,
    }
    chosen = [f"({conditions[s]})" for s in statuses]
    return f"t.plan > 0 AND ({' OR '.join(chosen) or '1 = 0'})"


def _per_project_sql(
    *, year: int, month: int, filters: dict | None, cumulative: bool, within: tuple | None = None, **columns
) -> tuple[str, list]:
    """One row per plan of the year's list with its project's actual sums (ytd, month_amount, before_year)."""
    plans_sql, plan_params = plan_columns(
        year=year, filters=filters, code=F("project__code"), **columns
    ).query.sql_with_params()
    sums_sql, sums_params = _actual_sums_sql(year, month, cumulative, within)
    sql = f"""
        SELECT t.*, COALESCE(a.ytd, 0) AS ytd, COALESCE(a.month_amount, 0) AS month_amount,
               COALESCE(a.before_year, 0) AS before_year
        FROM ({plans_sql}) t LEFT JOIN ({sums_sql}) a ON a.project_id = t.project_id
    """
    return sql, [*plan_params, *sums_params]


# Furthest behind first, by the database's (rounded) ratio of year-to-date to plan, then code.
BEHIND_ORDER = "t.ytd * 1.0 / t.plan, t.code"


def _worst_sql(statuses, schedule: Fraction, thresholds: Thresholds, limit: int) -> str:
    """Ids of the `limit` projects in `per` furthest behind whose status is in `statuses` (callers sort
    their rows again with exact fractions)."""
    where = _status_sql(statuses, schedule, thresholds)
    return f"SELECT t.project_id FROM per t WHERE {where} ORDER BY {BEHIND_ORDER} LIMIT {int(limit)}"


def _grouped(
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
    per_sql, params = _per_project_sql(year=year, month=month, filters=filters, cumulative=cumulative, **columns)
    group = "t.group_key" if key is not None else "NULL"
    rated = "t.plan > 0"
    started = ", ".join(f"'{s.value}'" for s in STARTED_STAGES)
    planned = f"t.pipeline_code = '{Pipeline.PLANNED.value}'"
    heavy = {
        "rated": f"SUM(CASE WHEN {rated} THEN 1 ELSE 0 END)",
        "month_sum": "SUM(t.month_amount)",
        "total_inv": "SUM(t.total_inv)",
        "cum_sum": "SUM(t.opening + t.before_year + t.ytd)",
        "ahead": f"SUM(CASE WHEN {rated} AND {_sign_sql(schedule, thresholds.ahead)} >= 0 THEN 1 ELSE 0 END)",
        "warn_or_lag": f"SUM(CASE WHEN {rated} AND {_sign_sql(schedule, thresholds.warning)} <= 0 THEN 1 ELSE 0 END)",
        "lagging": f"SUM(CASE WHEN {rated} AND {_sign_sql(schedule, thresholds.lagging)} <= 0 THEN 1 ELSE 0 END)",
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
        sql += (
            f" UNION ALL SELECT {nulls}, w.project_id FROM ({_worst_sql(worst[0], schedule, thresholds, worst[1])}) w"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        found = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    rows = [r for r in found if r["worst_id"] is None]
    worst_ids = [r["worst_id"] for r in found if r["worst_id"] is not None]
    if key is None and rows and rows[0]["n"] == 0:
        rows[0] = {name: 0 for name in names}
    return rows, worst_ids


def _figures_from_row(row: dict, thresholds: Thresholds, schedule: Fraction) -> Figures:
    f = Figures(
        projects=int(row["n"] or 0),
        rated_projects=int(row["rated"] or 0),
        annual_plan=money(row["plan"]),
        actual_to_date=money(row["ytd_sum"]),
        month_actual=money(row["month_sum"]),
        total_investment=money(row["total_inv"]),
        cumulative_to_date=money(row["cum_sum"]),
        planned_projects=int(row["planned"] or 0),
        planned_started=int(row["planned_started"] or 0),
    )
    lagging, warn_or_lag, ahead = (int(row[k] or 0) for k in ("lagging", "warn_or_lag", "ahead"))
    f.status_counts = {
        Status.AHEAD.value: ahead,
        Status.NORMAL.value: f.rated_projects - ahead - warn_or_lag,
        Status.WARNING.value: warn_or_lag - lagging,
        Status.LAGGING.value: lagging,
    }
    f.exact_rate = rate(f.actual_to_date, f.annual_plan)
    f.exact_gap = None if f.exact_rate is None else f.exact_rate - schedule
    f.status = thresholds.status(f.exact_gap)
    return f


def _total_of(groups: list[Figures], thresholds: Thresholds, schedule: Fraction) -> Figures:
    """The totals of a grouping: the groups partition the set, so their sums and counts add up."""
    t = Figures()
    for g in groups:
        for name in (
            "projects", "rated_projects", "annual_plan", "actual_to_date", "month_actual", "total_investment",
            "cumulative_to_date", "planned_projects", "planned_started",
        ):  # fmt: skip
            setattr(t, name, getattr(t, name) + getattr(g, name))
        for status, count in g.status_counts.items():
            t.status_counts[status] += count
    t.exact_rate = rate(t.actual_to_date, t.annual_plan)
    t.exact_gap = None if t.exact_rate is None else t.exact_rate - schedule
    t.status = thresholds.status(t.exact_gap)
    return t


def _group_labels(group_by: str, keys) -> dict:
    if group_by in CHOICE_LABELS:
        return {k: str(CHOICE_LABELS[group_by](k).label) for k in keys if k is not None}
    model = {"unit": Unit, "leader": Leader}[group_by]
    return dict(model.objects.filter(pk__in=[k for k in keys if k is not None]).values_list("pk", "name"))


@cached_figures("progress_report")
def progress_report(
    *,
    year: int,
    month: int,
    filters: dict | None = None,
    group_by: str | None = None,
    cumulative: bool = False,
    worst: tuple | None = None,
) -> ProgressReport:
    """Totals (and groups, if `group_by`) of the year's list at month M, with last year's rate beside them.

    Cached under the data version (exact: see `projects.cache`).
    `cumulative=True` also sums every earlier year's actuals for the cumulative-since-start
    figures (`cumulative_to_date`, `cumulative_rate`); without it they are not computed (None).
    `worst` = (statuses, limit) also lists in `worst_ids` about the `limit` projects furthest
    behind with one of those statuses, from the same pass (see `_grouped`).

    Queries: the settings, this year's figures and last year's (grouped when `group_by` is
    given; the totals then add up the groups), and for units and leaders their names:
    constant in the number of projects.
    """
    if group_by is not None and group_by not in GROUP_FIELDS:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_FIELDS)}")
    settings_row = ProgressSettings.load()
    thresholds = Thresholds.from_settings(settings_row)
    schedule = schedule_fraction(year, month, settings_row.schedule_basis)
    last_schedule = schedule_fraction(year - 1, month, settings_row.schedule_basis)
    key = F(GROUP_FIELDS[group_by]) if group_by else None

    def figures(y: int, s: Fraction, **options) -> tuple[list[Figures], list[int]]:
        out = []
        rows, worst_ids = _grouped(
            year=y, month=month, filters=filters, schedule=s, thresholds=thresholds, key=key, **options
        )
        for row in rows:
            f = _figures_from_row(row, thresholds, s)
            f.key = row["group_key"]
            out.append(f)
        return out, worst_ids

    groups, worst_ids = figures(year, schedule, cumulative=cumulative, worst=worst)
    last_groups, _none = figures(year - 1, last_schedule, cumulative=False, light=True)  # only its rates are used
    if group_by:
        totals = _total_of(groups, thresholds, schedule)
        last_total = _total_of(last_groups, thresholds, last_schedule)
        last_by_key = {g.key: g.exact_rate for g in last_groups}
        labels = _group_labels(group_by, [g.key for g in groups])
        for g in groups:
            g.label = labels.get(g.key) or _("(none)")
            g.exact_yoy_rate = last_by_key.get(g.key)
            g.project_share = to_decimal(rate(g.projects, totals.projects))
        if group_by == "pipeline":
            order = {p.value: i for i, p in enumerate(Pipeline)}
            groups.sort(key=lambda g: order.get(g.key, 99))
        else:
            groups.sort(key=lambda g: (g.key is None, str(g.label)) if group_by in ("unit", "leader") else str(g.key))
    else:
        totals, last_total, groups = groups[0], last_groups[0], []
        totals.key = None
    if not cumulative:
        for f in (totals, *groups):
            f.cumulative_to_date = None
    totals.label = _("Total")
    totals.exact_yoy_rate = last_total.exact_rate
    totals.project_share = to_decimal(rate(totals.projects, totals.projects))
    return ProgressReport(year, month, schedule, thresholds, totals, groups, group_by, worst_ids)


# --- per-project rows and monthly series ------------------------------------------------------


@dataclass
class ProjectRow:
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

    @property
    def completion_rate(self) -> Decimal | None:
        return to_decimal(self.exact_rate)

    @property
    def gap_points(self) -> Decimal | None:
        return to_decimal(self.exact_gap)

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


def _rows_sql(
    *,
    year: int,
    month: int,
    filters: dict | None,
    statuses,
    schedule: Fraction,
    thresholds: Thresholds,
    order: str,
) -> tuple[str, list]:
    """One statement for `iter_project_rows`: each plan of the year's list with its project, sums,
    latest report and open bottlenecks; the actuals, reports and bottlenecks read only for those projects."""
    columns = {
        "pname": F("project__name"), "unit_id": F("project__unit_id"), "unit_name": F("project__unit__name"),
        "leader_id": F("project__leader_id"), "leader_name": F("project__leader__name"),
        "sector": F("project__sector"), "industry": F("project__industry"), "level": F("project__level"),
        "planned_start": F("project__planned_start"), "actual_start": F("project__actual_start"),
    }  # fmt: skip
    scope_sql, scope_params = plans_in_scope(year=year, filters=filters).values("project_id").query.sql_with_params()
    # The derived tables read only the scope's projects (a project page must not sum the county).
    per_sql, per_params = _per_project_sql(
        year=year, month=month, filters=filters, cumulative=True, within=(scope_sql, scope_params), **columns
    )
    actual = connection.ops.quote_name(MonthlyActual._meta.db_table)
    bottleneck = connection.ops.quote_name(Bottleneck._meta.db_table)
    where = _status_sql(statuses, schedule, thresholds) if statuses is not None else "1 = 1"
    ordering = BEHIND_ORDER if order == "behind" else "t.code"
    sql = f"""
        WITH per AS ({per_sql})
        SELECT t.*, r.progress, r.problems, COALESCE(b.c, 0) AS open_bottlenecks
        FROM per t
        LEFT JOIN (
            SELECT project_id, progress, problems FROM (
                SELECT project_id, progress, problems,
                       ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY month DESC) AS rn
                FROM {actual} WHERE year = %s AND month <= %s AND project_id IN ({scope_sql})
            ) x WHERE rn = 1
        ) r ON r.project_id = t.project_id
        LEFT JOIN (
            SELECT project_id, COUNT(*) AS c FROM {bottleneck}
            WHERE resolved IS NULL AND project_id IN ({scope_sql}) GROUP BY project_id
        ) b ON b.project_id = t.project_id
        WHERE {where}
        ORDER BY {ordering}
    """
    return sql, [*per_params, year, month, *scope_params, *scope_params]


def iter_project_rows(
    *,
    year: int,
    month: int,
    filters: dict | None = None,
    statuses=None,
    order: str = "code",
):
    """Each project of the year's list with its figures at month M, one at a time.

    Two queries (the settings and one statement read in chunks from a server-side cursor on
    PostgreSQL), so memory stays flat however many projects there are. Ordered by code, or with
    `order="behind"` by year-to-date over plan (furthest behind first; callers needing the exact
    order sort by `exact_gap`). `progress` and `problems` are those of the project's latest report
    of the year up to M. `statuses` keeps only projects with one of those statuses, exactly (in
    SQL).
    """
    settings_row = ProgressSettings.load()
    thresholds = Thresholds.from_settings(settings_row)
    schedule = schedule_fraction(year, month, settings_row.schedule_basis)
    sql, params = _rows_sql(
        year=year, month=month, filters=filters, statuses=statuses, schedule=schedule, thresholds=thresholds,
        order=order,
    )  # fmt: skip
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        while chunk := cursor.fetchmany(ROW_CHUNK):
            for values in chunk:
                r = dict(zip(names, values, strict=True))
                ytd = money(r["ytd"])
                exact = rate(ytd, r["plan"])
                gap = None if exact is None else exact - schedule
                yield ProjectRow(
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
                    plan=money(r["plan"]),
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
                    status=thresholds.status(gap),
                )
    finally:
        cursor.close()


def project_rows(*, year: int, month: int, filters: dict | None = None, statuses=None) -> list[ProjectRow]:
    """Every project of the year's list with its figures at month M, by code (see `iter_project_rows`).

    `statuses` keeps only projects with one of those statuses, chosen in SQL (exactly), so a list
    of the lagging projects of a large registry does not build every project's row.
    """
    return list(iter_project_rows(year=year, month=month, filters=filters, statuses=statuses))


@cached_figures("monthly_series")
def monthly_series(
    *, year: int, filters: dict | None = None, project_id: int | None = None, plan_total: Decimal | None = None
) -> list[dict]:
    """Month by month for a set of projects (or one): planned pace against cumulative actual.

    planned_cumulative at month m = annual plan × schedule(m) / 100; two queries in all (one if
    the caller already has the set's `plan_total`, e.g. from its progress report), cached under
    the data version.
    """
    filters = dict(filters or {})
    if project_id is not None:
        filters["project_ids"] = [project_id]
    settings_row = ProgressSettings.load()
    plans = plans_in_scope(year=year, filters=filters)
    if plan_total is None:
        plan_total = money(plans.aggregate(s=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY))["s"])
    by_month = dict(
        MonthlyActual.objects.filter(year=year, project_id__in=plans.values("project_id"))
        .order_by()
        .values("month")
        .annotate(s=Sum("amount"))
        .values_list("month", "s")
    )
    series, cumulative = [], ZERO
    for m in range(1, 13):
        month_amount = money(by_month.get(m))
        cumulative += month_amount
        pace = Fraction(Decimal(plan_total)) * schedule_fraction(year, m, settings_row.schedule_basis) / 100
        series.append(
            {
                "month": m,
                "actual_month": month_amount,
                "actual_cumulative": cumulative,
                "planned_cumulative": to_decimal(pace, 2),
                "completion_rate": to_decimal(rate(cumulative, plan_total)),
            }
        )
    return series


def latest_month_with_data(year: int | None = None) -> tuple[int, int] | None:
    """The most recent (year, month) that has any monthly actual (the pages' default month)."""
    qs = MonthlyActual.objects.all()
    if year is not None:
        qs = qs.filter(year=year)
    row = qs.order_by("-year", "-month").values_list("year", "month").first()
    return tuple(row) if row else None


# --- published reports (通报) -----------------------------------------------------------------


def snapshot_payload(*, year: int, month: int) -> dict:
    """The figures a published report freezes: totals by pipeline and every project's row."""
    report = progress_report(year=year, month=month, group_by="pipeline")
    rows = project_rows(year=year, month=month)
    return {
        "progress": report.as_api(),
        "projects": {
            str(r.project_id): {
                "code": r.code,
                "name": r.name,
                "plan": f"{r.plan:.2f}",
                "actual_to_date": f"{r.actual_to_date:.2f}",
                "completion_rate": display_rate(r.exact_rate),
                "status": r.status,
            }
            for r in rows
        },
    }


def published_differences(published) -> dict:
    """What changed since `published` was sent: totals and each project whose figures moved."""
    current = snapshot_payload(year=published.year, month=published.month)
    keys = ("projects", "annual_plan", "actual_to_date", "completion_rate", "gap_points", "status")
    then_totals, now_totals = published.data["progress"]["totals"], current["progress"]["totals"]
    totals = {k: {"published": then_totals.get(k), "current": now_totals.get(k)} for k in keys}
    projects = []
    then_projects, now_projects = published.data["projects"], current["projects"]
    for pid in sorted(set(then_projects) | set(now_projects), key=int):
        before, after = then_projects.get(pid), now_projects.get(pid)
        if before == after:
            continue
        changed = sorted(
            k for k in set(before or {}) | set(after or {}) if (before or {}).get(k) != (after or {}).get(k)
        )
        projects.append(
            {
                "project_id": int(pid),
                "code": (after or before)["code"],
                "name": (after or before)["name"],
                "fields": changed,
                "published": before,
                "current": after,
            }
        )
    return {
        "changed": bool(projects) or any(v["published"] != v["current"] for v in totals.values()),
        "totals": totals,
        "projects": projects,
    }
