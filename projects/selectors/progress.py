"""The progress engine: every figure of SPEC section 4 for a set of projects, computed in one place.

Pages, the API and the Excel export call these functions; nothing else computes a rate. Sums are SQL
aggregates (`selectors.sql`); the query count does not depend on the number of projects.
"""

from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ..cache import cached, cached_figures
from ..choices import Industry, Level, Pipeline, ScheduleBasis, Sector, Stage, Status
from ..models import MONTHLY_PLAN_FIELDS, Leader, ProgressSettings, Unit
from .metrics import (
    MONEY,
    ZERO,
    Figures,
    ProgressReport,
    Thresholds,
    group_schedule,
    money,
    rate,
    schedule_fraction,
    to_decimal,
)
from .sql import grouped_sums, month_amounts, month_sums, plans_in_scope

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


def _figures_from_row(row: dict, thresholds: Thresholds, schedule: Fraction, month: int, paced: bool) -> Figures:
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
        pace_sum=money(row["pace_sum"]),
        unpaced_plan=money(row["unpaced_plan"]),
        milestones_due=int(row["ms_due"] or 0),
        milestones_done=int(row["ms_done"] or 0),
        starts_due=int(row["starts_due"] or 0),
        starts_made=int(row["starts_made"] or 0),
    )
    lagging, warn_or_lag, ahead = (int(row[k] or 0) for k in ("lagging", "warn_or_lag", "ahead"))
    f.status_counts = {
        Status.AHEAD.value: ahead,
        Status.NORMAL.value: f.rated_projects - ahead - warn_or_lag,
        Status.WARNING.value: warn_or_lag - lagging,
        Status.LAGGING.value: lagging,
    }
    _rate_against_schedule(f, thresholds, schedule, month, paced)
    return f


def _rate_against_schedule(f: Figures, thresholds: Thresholds, schedule: Fraction, month: int, paced: bool) -> None:
    """Set the set's schedule (its own under basis `plan`), completion rate, gap and status."""
    f.exact_schedule = group_schedule(schedule, month, f.annual_plan, f.pace_sum, f.unpaced_plan, paced)
    f.exact_rate = rate(f.actual_to_date, f.annual_plan)
    f.exact_gap = None if f.exact_rate is None else f.exact_rate - f.exact_schedule
    f.status = thresholds.status(f.exact_gap)


SUMMED_FIELDS = (
    "projects", "rated_projects", "annual_plan", "actual_to_date", "month_actual", "total_investment",
    "cumulative_to_date", "planned_projects", "planned_started", "pace_sum", "unpaced_plan", "milestones_due",
    "milestones_done", "starts_due", "starts_made",
)  # fmt: skip


def _total_of(groups: list[Figures], thresholds: Thresholds, schedule: Fraction, month: int, paced: bool) -> Figures:
    """The totals of a grouping: the groups partition the set, so their sums and counts add up."""
    t = Figures()
    for g in groups:
        for name in SUMMED_FIELDS:
            setattr(t, name, getattr(t, name) + getattr(g, name))
        for status, count in g.status_counts.items():
            t.status_counts[status] += count
    _rate_against_schedule(t, thresholds, schedule, month, paced)
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
    months: bool = False,
) -> ProgressReport:
    """Totals (and groups, if `group_by`) of the year's list at month M, with last year's rate beside them.

    Cached under the data version (exact: see `projects.cache`).
    `cumulative=True` also sums every earlier year's actuals for the cumulative-since-start
    figures (`cumulative_to_date`, `cumulative_rate`); without it they are not computed (None).
    `worst` = (statuses, limit) also lists in `worst_ids` about the `limit` projects furthest
    behind with one of those statuses, from the same pass (see `grouped_sums`). `months` also gives
    `actual_to_month`, the set's actuals of the year to each month, from that pass (for `monthly_series`).

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
    paced = settings_row.schedule_basis == ScheduleBasis.PLAN
    key = F(GROUP_FIELDS[group_by]) if group_by else None

    to_month = None

    def figures(y: int, s: Fraction, light: bool = False, **options) -> tuple[list[Figures], list[int]]:
        nonlocal to_month
        out = []
        rows, worst_ids = grouped_sums(
            year=y, month=month, filters=filters, schedule=s, thresholds=thresholds, key=key, light=light,
            paced=paced, **options,
        )  # fmt: skip
        for row in rows:
            f = _figures_from_row(row, thresholds, s, month, paced and not light)
            f.key = row["group_key"]
            out.append(f)
        if options.get("months"):
            to_month = tuple(sum((money(row[f"m{j}"]) for row in rows), ZERO) for j in range(1, 13))
        return out, worst_ids

    groups, worst_ids = figures(year, schedule, cumulative=cumulative, worst=worst, months=months)
    # Only last year's rates are used; they read last year's figures alone, so they stay cached
    # while this year's figures change (see `projects.cache`).
    last_groups, _none = cached(
        "last_year_figures",
        lambda: figures(year - 1, last_schedule, cumulative=False, light=True),
        years=(year - 1,), year=year - 1, month=month, filters=filters, group_by=group_by,
    )  # fmt: skip
    if group_by:
        totals = _total_of(groups, thresholds, schedule, month, paced)
        last_total = _total_of(last_groups, thresholds, last_schedule, month, False)
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
    # Under basis `plan` the report's schedule is its totals' own (SPEC section 10).
    return ProgressReport(
        year, month, totals.exact_schedule, thresholds, totals, groups, group_by, worst_ids, actual_to_month=to_month
    )


@cached_figures("monthly_series")
def monthly_series(
    *,
    year: int,
    filters: dict | None = None,
    project_id: int | None = None,
    plan_total: Decimal | None = None,
    actual_to_month: tuple | None = None,
) -> list[dict]:
    """Month by month for a set of projects (or one): planned pace against cumulative actual.

    planned_cumulative at month m = annual plan × schedule(m) / 100; under basis `plan` it is the
    set's planned months 1..m (its monthly plans, M/12 of the plans without one), the curve the
    set's own schedule follows. Two queries in all (one if the caller already has the set's
    `plan_total` and the basis is not `plan`; none more if it also has the set's `actual_to_month`,
    from `progress_report(months=True)`), cached under the data version.
    """
    filters = dict(filters or {})
    if project_id is not None:
        filters["project_ids"] = [project_id]
    settings_row = ProgressSettings.load()
    paced = settings_row.schedule_basis == ScheduleBasis.PLAN
    plans = plans_in_scope(year=year, filters=filters)
    to_month = [ZERO] * 12
    unpaced_plan = ZERO
    if paced:
        sums = plans.aggregate(
            s=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
            unpaced=Coalesce(
                Sum("amount", filter=Q(**{f"{MONTHLY_PLAN_FIELDS[0]}__isnull": True})), Value(ZERO), output_field=MONEY
            ),
            **{f: Coalesce(Sum(f), Value(ZERO), output_field=MONEY) for f in MONTHLY_PLAN_FIELDS},
        )
        plan_total, unpaced_plan = money(sums["s"]), money(sums["unpaced"])
        to_month = [money(sums[f]) for f in MONTHLY_PLAN_FIELDS]  # running totals of the monthly plans
    elif plan_total is None:
        plan_total = money(plans.aggregate(s=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY))["s"])
    if actual_to_month is None:
        by_month = month_sums(year=year, project_ids=plans.values("project_id"))
    else:
        by_month = month_amounts(actual_to_month)
    series, cumulative = [], ZERO
    for m in range(1, 13):
        month_amount = money(by_month.get(m))
        cumulative += month_amount
        if paced:
            pace = Fraction(Decimal(to_month[m - 1])) + Fraction(m, 12) * Fraction(Decimal(unpaced_plan))
        else:
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
