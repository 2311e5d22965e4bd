"""Read helpers for the dashboard pages, around the progress engine (never beside it).

Every rate, gap and status here comes from `projects.selectors`; this module only picks, orders
and dates what the engine computed (ranking order, not-started lists, history,
reporting state). Each function costs a constant number of queries whatever the number of projects.
"""

from dataclasses import dataclass

from ..cache import cached
from ..choices import Pipeline, Stage, Status
from ..models import AnnualPlan
from ..periods import month_end
from .metrics import ProgressReport
from .progress import progress_report
from .ranking import order_leaders, rank_units
from .rows import ProjectRow, project_rows

LIST_STATUSES = (Status.WARNING.value, Status.LAGGING.value)


def available_years() -> list[int]:
    """Years that have a key-project list, newest first (one query)."""
    return sorted(set(AnnualPlan.objects.order_by().values_list("year", flat=True).distinct()), reverse=True)


# --- rankings and groupings ----------------------------------------------------------------------


def unit_ranking(*, year: int, month: int, filters: dict | None = None, min_plan, kind: str = "") -> dict:
    """Units ranked by the ranking rule (`selectors.ranking`); those under `min_plan` (万元) or without a rate apart."""
    report = progress_report(year=year, month=month, filters=filters, group_by="unit")
    ranked, unranked = rank_units(report, min_plan=min_plan, kind=kind)
    return {"report": report, "ranked": ranked, "unranked": unranked}


def leader_overview(*, year: int, month: int, filters: dict | None = None) -> dict:
    """Each leader's linked projects in total, in the leaders' order (projects with no leader last)."""
    report = progress_report(year=year, month=month, filters=filters, group_by="leader")
    return {"report": report, "rows": order_leaders(report)}


# --- project lists -------------------------------------------------------------------------------


def furthest_behind(
    *, year: int, month: int, filters: dict | None, statuses, limit: int, group_by: str = "pipeline", months=False
) -> tuple[ProgressReport, list[ProjectRow]]:
    """The report grouped by `group_by` and the `limit` projects furthest behind schedule among those
    with one of `statuses`, in exact order.

    The report's own pass picks twice the limit by the database's (rounded) ratio; their rows are
    then sorted by the exact gap, so a near-tie cannot pick the wrong last project. `months`: the
    report also carries the year's actuals to each month (`progress_report`).
    """
    report = progress_report(
        year=year, month=month, filters=filters, group_by=group_by, worst=(tuple(statuses), 2 * limit), months=months
    )
    if not report.worst_ids:
        return report, []
    scope = {**(filters or {}), "project_ids": sorted(report.worst_ids)}

    def compute():
        rows = project_rows(year=year, month=month, filters=scope)
        return sorted(rows, key=lambda r: r.behind_key)[:limit]

    return report, cached("furthest_behind", compute, year=year, month=month, filters=scope, limit=limit)


def warning_rows(*, year: int, month: int, filters: dict | None = None, statuses=LIST_STATUSES) -> list[ProjectRow]:
    """Projects whose engine status is in `statuses` (chosen in SQL), furthest behind schedule first."""
    rows = project_rows(year=year, month=month, filters=filters, statuses=statuses)
    return sorted(rows, key=lambda r: r.behind_key)


@dataclass
class NotStarted:
    """A new-build project past its planned start with no start by the month's end."""

    row: ProjectRow
    days_overdue: int

    @property
    def stage_label(self) -> str:
        return str(Stage(self.row.stage).label)


def not_started(*, year: int, month: int, filters: dict | None = None) -> list[NotStarted]:
    """New-build projects of the year whose planned start has passed at the month's end, not started by then.

    A project that started after that month still counts as not started for that month's list.
    """
    filters = dict(filters or {})
    if filters.get("pipeline") not in (None, "", Pipeline.NEW):
        return []
    filters["pipeline"] = Pipeline.NEW.value
    end = month_end(year, month)
    # Chosen in SQL by the rule the paged list uses (`selectors.rows.rows_sql`, `not_started_by`).
    out = [
        NotStarted(r, (end - r.planned_start).days)
        for r in project_rows(year=year, month=month, filters=filters, not_started_by=end)
    ]
    return sorted(out, key=lambda n: (-n.days_overdue, n.row.code))
