"""One page of a project list, sorted in SQL: the columns a list may be sorted by (a whitelist), their
exact orderings, and `project_rows_page` with the whole list's count and sums beside the page's rows.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import connection

from ..cache import cached_figures
from ..choices import Pipeline, ScheduleBasis, Stage, Status
from ..models import ProgressSettings
from .metrics import Thresholds, money, rate, schedule_fraction, to_decimal
from .rows import ProjectRow, build_row, rows_sql
from .sql import BY_MONEY_SQL, choice_rank, status_sql


def _amount(column: str) -> str:
    """An amount column for an exact quotient: as it is on PostgreSQL (exact numeric); on SQLite, whose
    sums are doubles, rounded to a whole number of fen (a common scale leaves a quotient unchanged)."""
    if connection.vendor == "postgresql":
        return column
    return f"CAST(ROUND({column} * 100) AS INTEGER)"


def _exact_quotient(numerator: str, denominator: str) -> str:
    """SQL for numerator / denominator (a positive denominator) that orders rows exactly.

    PostgreSQL divides numerics at 40 decimal places: amounts have two decimals and at most 14
    digits, so two different quotients differ by more than 10^-28 and keep their order, and equal
    ones (1/3 and 2/6) are equal. On SQLite both sides are whole numbers of fen (`_amount`) and
    `exact_ratio`, a Python function, gives the same 40-place quotient as text.
    """
    if connection.vendor == "postgresql":
        return f"CAST({numerator} AS NUMERIC(60, 40)) / ({denominator})"
    return f"exact_ratio({numerator}, {denominator})"


def _ytd_over_plan() -> str:
    """SQL for year-to-date over plan as an exact quotient (for rows with plan > 0)."""
    return _exact_quotient(_amount("t.ytd"), _amount("t.plan"))


def _rate_key() -> str:
    """SQL ordering projects exactly by year-to-date over plan (NULL without a plan)."""
    return f"CASE WHEN t.plan > 0 THEN {_ytd_over_plan()} END"


def _gap_key(schedule: Fraction, paced: bool) -> str:
    """SQL ordering projects exactly by their gap (NULL for those without one: no plan, or rated by
    pre-phase items), as `rows.build_row` computes it.

    gap = 100 × (ytd − planned) / plan, where planned is the part of the plan the project's schedule
    has reached. With one schedule s for every project (planned = plan × s / 100) the gap orders as
    ytd / plan. Under basis `plan` a project with a monthly plan has planned = its months 1..M
    (`pace`), one without keeps plan × s / 100; with s = n/d, over the common denominator 100·d:
    gap / 100 = (100·d·ytd − (100·d·pace or n·plan)) / (100·d·plan), whole numbers on SQLite
    (s = M/12 × 100, so 100·d ≤ 300).
    """
    if not paced:
        return f"CASE WHEN {BY_MONEY_SQL} THEN {_ytd_over_plan()} END"
    scale, n = 100 * schedule.denominator, schedule.numerator
    planned = f"CASE WHEN t.pace IS NULL THEN {_amount('t.plan')} * {n} ELSE {_amount('t.pace')} * {scale} END"
    quotient = _exact_quotient(f"{_amount('t.ytd')} * {scale} - {planned}", f"{_amount('t.plan')} * {scale}")
    return f"CASE WHEN {BY_MONEY_SQL} THEN {quotient} END"


RATIO_PLACES = 40
RATIO_OFFSET = 10**80  # added to the floored quotient so that negative ones sort as text too


def _ratio_text(numerator: int, denominator: int) -> str:
    """numerator/denominator (denominator > 0) floored to 40 decimal places, offset and written as
    fixed-width digits, so that the texts sort as the numbers do, negative ones included."""
    return str(numerator * 10**RATIO_PLACES // denominator + RATIO_OFFSET).zfill(81)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: give each new SQLite connection `exact_ratio` once, when it opens
    (registering it per query raced with statements running on the connection in other threads)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("exact_ratio", 2, _ratio_text, deterministic=True)


def _status_rank(schedule: Fraction, thresholds: Thresholds, paced: bool = False) -> str:
    """SQL: 0 lagging, 1 warning, 2 normal, 3 ahead, NULL without a plan (exact, as `status_sql` decides)."""
    ranks = [Status.LAGGING.value, Status.WARNING.value, Status.NORMAL.value, Status.AHEAD.value]
    whens = " ".join(f"WHEN {status_sql((s,), schedule, thresholds, paced)} THEN {i}" for i, s in enumerate(ranks))
    return f"CASE {whens} END"


def sort_columns(schedule: Fraction, thresholds: Thresholds, paced: bool = False) -> dict[str, str]:
    """The columns a list may be sorted by: name → SQL over the per-project row `t` (a whitelist).

    The rate and the gap order exactly (the gap by each project's own schedule under basis `plan`).
    Days overdue order as the planned start, reversed.
    """
    return {
        "code": "t.code",
        "name": "t.pname",
        "pipeline": choice_rank("t.pipeline_code", Pipeline),
        "unit": "t.unit_name",
        "leader": "t.leader_name",
        "stage": choice_rank("t.stage_code", Stage),
        "plan": "t.plan",
        "ytd": "t.ytd",
        "month": "t.month_amount",
        "rate": _rate_key(),
        "gap": _gap_key(schedule, paced),
        "status": _status_rank(schedule, thresholds, paced),
        "planned_start": "t.planned_start",
        "overdue": "t.planned_start",
    }


# Sorting by these puts the largest value first when ascending is asked for (days overdue).
REVERSED = {"overdue"}


def order_sql(column: str, descending: bool, columns: dict[str, str]) -> str:
    """ORDER BY for one whitelisted column: rows without a value last either way, then by code."""
    expression = columns[column]  # KeyError for anything not on the whitelist
    if column in REVERSED:
        descending = not descending
    direction = " DESC" if descending else ""
    return f"CASE WHEN {expression} IS NULL THEN 1 ELSE 0 END, {expression}{direction}, t.code, t.project_id"


@dataclass
class RowsPage:
    """One page of a list: its rows, and the whole list's count and sums (not the page's).

    `status_counts` counts the statuses of every project in scope before a status choice (as
    `progress_report`'s totals do), and `time_elapsed_rate` is the schedule, so a list page needs
    no report of its own for its heading.
    """

    rows: list[ProjectRow]
    count: int
    page: int
    page_size: int
    plan: Decimal
    actual_to_date: Decimal
    month_actual: Decimal
    status_counts: dict
    exact_schedule: Fraction

    @property
    def time_elapsed_rate(self) -> Decimal:
        return to_decimal(self.exact_schedule)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def completion_rate(self) -> Decimal | None:
        return to_decimal(rate(self.actual_to_date, self.plan))


@cached_figures("project_rows_page")
def project_rows_page(
    *,
    year: int,
    month: int,
    filters: dict | None = None,
    statuses=None,
    order: str = "code",
    descending: bool = False,
    page: int = 1,
    page_size: int = 50,
    not_started_by: dt.date | None = None,
    unrated: bool = False,
) -> RowsPage:
    """One page of the year's list at month M, sorted by `order` (a key of `sort_columns`) in SQL.

    Two queries (the settings and one statement), whatever the list's length: the statement sorts
    the per-project sums, keeps `page_size` rows from `page` (1-based), joins their latest report
    and open bottlenecks, and carries the whole list's count and plan, year-to-date and month sums
    beside each row. A page past the end gives the last page (two more statements). `statuses`,
    `unrated` and `not_started_by` filter as in `rows_sql`. Cached under the data version (see
    `projects.cache`), like `progress_report`.
    """
    settings_row = ProgressSettings.load()
    thresholds = Thresholds.from_settings(settings_row)
    schedule = schedule_fraction(year, month, settings_row.schedule_basis)
    paced = settings_row.schedule_basis == ScheduleBasis.PLAN
    ordering = order_sql(order, descending, sort_columns(schedule, thresholds, paced))
    page = max(1, page)

    def fetch(number: int) -> list[dict]:
        sql, params = rows_sql(
            year=year, month=month, filters=filters, statuses=statuses, schedule=schedule, thresholds=thresholds,
            order=ordering, page=(page_size, (number - 1) * page_size), not_started_by=not_started_by,
            unrated=unrated, paced=paced,
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

    found = fetch(page)
    if not found and page > 1:
        found = fetch(1)
        if found:
            page = max(1, -(-int(found[0]["full_count"]) // page_size))
            found = fetch(page) if page > 1 else found
        else:
            page = 1
    first = found[0] if found else {}
    return RowsPage(
        rows=[build_row(r, schedule, thresholds) for r in found],
        count=int(first.get("full_count") or 0),
        page=page,
        page_size=page_size,
        plan=money(first.get("full_plan")),
        actual_to_date=money(first.get("full_ytd")),
        month_actual=money(first.get("full_month")),
        status_counts={status: int(first.get(f"full_{status}") or 0) for status in Status.values},
        exact_schedule=schedule,
    )
