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
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .choices import Industry, Level, Pipeline, ScheduleBasis, Sector, Stage, Status
from .filtersets import project_q
from .models import AnnualPlan, Leader, MonthlyActual, ProgressSettings, Unit

MONEY = DecimalField(max_digits=18, decimal_places=2)
BIG = DecimalField(max_digits=30, decimal_places=4)
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
    cumulative_to_date: Decimal = ZERO
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


def _sum_actuals(*, year: int, month: int, only_month: bool = False, since_start: bool = False) -> Subquery:
    """A correlated subquery: one project's actuals for the year up to the month (or the month itself)."""
    q = Q(project_id=OuterRef("project_id"))
    if since_start:
        q &= Q(year__lt=year) | Q(year=year, month__lte=month)
    elif only_month:
        q &= Q(year=year, month=month)
    else:
        q &= Q(year=year, month__lte=month)
    sub = MonthlyActual.objects.filter(q).order_by().values("project_id").annotate(s=Sum("amount")).values("s")
    return Coalesce(Subquery(sub, output_field=MONEY), Value(ZERO), output_field=MONEY)


def plans_in_scope(*, year: int, filters: dict | None = None):
    """The annual plans of `year` for the projects the filters select (archived projects left out)."""
    filters = filters or {}
    qs = AnnualPlan.objects.filter(year=year, project__archived=False).filter(project_q(filters, "project__"))
    if filters.get("pipeline"):
        qs = qs.filter(pipeline=filters["pipeline"])
    if filters.get("project_ids") is not None:
        qs = qs.filter(project_id__in=filters["project_ids"])
    return qs


class _Round(Func):
    function = "ROUND"
    arity = 2


def _sign_expr(schedule: Fraction, threshold: Fraction):
    """SQL expression whose sign is the sign of (gap − threshold) for a project with plan > 0.

    gap − T = 100·ytd/plan − s − T, so with s + T = n/d: sign = sign(100·d·ytd − n·plan).
    Both amounts have two decimals and n, d are integers, so the rounded value is exact.
    """
    bound = schedule + threshold
    expr = ExpressionWrapper(
        F("ytd") * Value(100 * bound.denominator) - F("amount") * Value(bound.numerator), output_field=BIG
    )
    if connection.vendor == "sqlite":  # SQLite sums decimals as doubles: round the noise away
        return _Round(expr, Value(4), output_field=BIG)
    return expr


def _aggregates(schedule: Fraction, thresholds: Thresholds) -> dict:
    rated = Q(amount__gt=0)
    return {
        "n": Count("pk"),
        "rated": Count("pk", filter=rated),
        "plan": Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
        "ytd_sum": Coalesce(Sum("ytd"), Value(ZERO), output_field=MONEY),
        "month_sum": Coalesce(Sum("month_amount"), Value(ZERO), output_field=MONEY),
        "total_inv": Coalesce(Sum("project__total_investment"), Value(ZERO), output_field=MONEY),
        "cum_sum": Coalesce(Sum("cumulative"), Value(ZERO), output_field=MONEY),
        "ahead": Count("pk", filter=rated & Q(sign_ahead__gte=0)),
        "warn_or_lag": Count("pk", filter=rated & Q(sign_warning__lte=0)),
        "lagging": Count("pk", filter=rated & Q(sign_lagging__lte=0)),
        "planned": Count("pk", filter=Q(pipeline=Pipeline.PLANNED)),
        "planned_started": Count("pk", filter=Q(pipeline=Pipeline.PLANNED, project__stage__in=STARTED_STAGES)),
    }


def _annotated_plans(*, year: int, month: int, filters: dict | None, schedule: Fraction, thresholds: Thresholds):
    return (
        plans_in_scope(year=year, filters=filters)
        .annotate(
            ytd=_sum_actuals(year=year, month=month),
            month_amount=_sum_actuals(year=year, month=month, only_month=True),
            cumulative=ExpressionWrapper(
                F("project__opening_balance") + _sum_actuals(year=year, month=month, since_start=True),
                output_field=MONEY,
            ),
        )
        .annotate(
            sign_ahead=_sign_expr(schedule, thresholds.ahead),
            sign_warning=_sign_expr(schedule, thresholds.warning),
            sign_lagging=_sign_expr(schedule, thresholds.lagging),
        )
    )


def _figures_from_row(row: dict, thresholds: Thresholds, schedule: Fraction) -> Figures:
    f = Figures(
        projects=row["n"],
        rated_projects=row["rated"],
        annual_plan=money(row["plan"]),
        actual_to_date=money(row["ytd_sum"]),
        month_actual=money(row["month_sum"]),
        total_investment=money(row["total_inv"]),
        cumulative_to_date=money(row["cum_sum"]),
        planned_projects=row["planned"],
        planned_started=row["planned_started"],
    )
    lagging, warn_or_lag, ahead = row["lagging"], row["warn_or_lag"], row["ahead"]
    f.status_counts = {
        Status.AHEAD.value: ahead,
        Status.NORMAL.value: row["rated"] - ahead - warn_or_lag,
        Status.WARNING.value: warn_or_lag - lagging,
        Status.LAGGING.value: lagging,
    }
    f.exact_rate = rate(f.actual_to_date, f.annual_plan)
    f.exact_gap = None if f.exact_rate is None else f.exact_rate - schedule
    f.status = thresholds.status(f.exact_gap)
    return f


def _group_labels(group_by: str, keys) -> dict:
    if group_by in CHOICE_LABELS:
        return {k: str(CHOICE_LABELS[group_by](k).label) for k in keys if k is not None}
    model = {"unit": Unit, "leader": Leader}[group_by]
    return dict(model.objects.filter(pk__in=[k for k in keys if k is not None]).values_list("pk", "name"))


def progress_report(
    *, year: int, month: int, filters: dict | None = None, group_by: str | None = None
) -> ProgressReport:
    """Totals (and groups, if `group_by`) of the year's list at month M, with last year's rate beside them.

    Queries: settings, this year's totals, last year's totals, and for a grouping this year's
    groups, last year's groups and the group labels — constant in the number of projects.
    """
    if group_by is not None and group_by not in GROUP_FIELDS:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_FIELDS)}")
    settings_row = ProgressSettings.load()
    thresholds = Thresholds.from_settings(settings_row)
    schedule = schedule_fraction(year, month, settings_row.schedule_basis)
    last_schedule = schedule_fraction(year - 1, month, settings_row.schedule_basis)

    def query(y: int, s: Fraction):
        return _annotated_plans(year=y, month=month, filters=filters, schedule=s, thresholds=thresholds)

    aggs = _aggregates(schedule, thresholds)
    totals = _figures_from_row(query(year, schedule).aggregate(**aggs), thresholds, schedule)
    last = query(year - 1, last_schedule).aggregate(
        plan=aggs["plan"], ytd_sum=Coalesce(Sum("ytd"), Value(ZERO), output_field=MONEY)
    )
    totals.exact_yoy_rate = rate(money(last["ytd_sum"]), money(last["plan"]))
    totals.label = _("Total")
    totals.project_share = to_decimal(rate(totals.projects, totals.projects))

    groups: list[Figures] = []
    if group_by:
        column = GROUP_FIELDS[group_by]
        rows = list(query(year, schedule).values(key=F(column)).annotate(**aggs).order_by("key"))
        last_rows = {
            r["key"]: rate(money(r["ytd_sum"]), money(r["plan"]))
            for r in query(year - 1, last_schedule)
            .values(key=F(column))
            .annotate(plan=aggs["plan"], ytd_sum=Coalesce(Sum("ytd"), Value(ZERO), output_field=MONEY))
            .order_by("key")
        }
        labels = _group_labels(group_by, [r["key"] for r in rows])
        for r in rows:
            g = _figures_from_row(r, thresholds, schedule)
            g.key = r["key"]
            g.label = labels.get(r["key"]) or _("(none)")
            g.exact_yoy_rate = last_rows.get(r["key"])
            g.project_share = to_decimal(rate(g.projects, totals.projects))
            groups.append(g)
        if group_by == "pipeline":
            order = {p.value: i for i, p in enumerate(Pipeline)}
            groups.sort(key=lambda g: order.get(g.key, 99))
    return ProgressReport(year, month, schedule, thresholds, totals, groups, group_by)


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


def _latest_text(field_name: str, *, year: int, month: int) -> Subquery:
    """The project's most recent non-empty narrative of the year up to the month."""
    sub = (
        MonthlyActual.objects.filter(project_id=OuterRef("project_id"), year=year, month__lte=month)
        .exclude(**{field_name: ""})
        .order_by("-month")
        .values(field_name)[:1]
    )
    return Coalesce(Subquery(sub), Value(""), output_field=TextField())


def project_rows(*, year: int, month: int, filters: dict | None = None, order_by: tuple = ("project__code",)):
    """Every project of the year's list with its figures at month M, in two queries."""
    from .models import Bottleneck

    settings_row = ProgressSettings.load()
    thresholds = Thresholds.from_settings(settings_row)
    schedule = schedule_fraction(year, month, settings_row.schedule_basis)
    open_bottlenecks = (
        Bottleneck.objects.filter(project_id=OuterRef("project_id"), resolved__isnull=True)
        .order_by()
        .values("project_id")
        .annotate(c=Count("pk"))
        .values("c")
    )
    qs = (
        plans_in_scope(year=year, filters=filters)
        .annotate(
            ytd=_sum_actuals(year=year, month=month),
            month_amount=_sum_actuals(year=year, month=month, only_month=True),
            cumulative=ExpressionWrapper(
                F("project__opening_balance") + _sum_actuals(year=year, month=month, since_start=True),
                output_field=MONEY,
            ),
            latest_progress=_latest_text("progress", year=year, month=month),
            latest_problems=_latest_text("problems", year=year, month=month),
            open_bottlenecks=Coalesce(Subquery(open_bottlenecks), Value(0)),
        )
        .order_by(*order_by)
        .values(
            "project_id", "pipeline", "amount", "ytd", "month_amount", "cumulative", "latest_progress",
            "latest_problems", "open_bottlenecks", "project__code", "project__name", "project__unit_id",
            "project__unit__name", "project__leader_id", "project__leader__name", "project__sector",
            "project__industry", "project__stage", "project__level", "project__total_investment",
            "project__planned_start", "project__actual_start",
        )
    )  # fmt: skip
    rows = []
    for r in qs:
        exact = rate(money(r["ytd"]), r["amount"])
        gap = None if exact is None else exact - schedule
        rows.append(
            ProjectRow(
                project_id=r["project_id"],
                code=r["project__code"],
                name=r["project__name"],
                unit_id=r["project__unit_id"],
                unit_name=r["project__unit__name"],
                leader_id=r["project__leader_id"],
                leader_name=r["project__leader__name"] or "",
                sector=r["project__sector"],
                industry=r["project__industry"],
                stage=r["project__stage"],
                level=r["project__level"],
                pipeline=r["pipeline"],
                plan=money(r["amount"]),
                actual_to_date=money(r["ytd"]),
                month_actual=money(r["month_amount"]),
                total_investment=money(r["project__total_investment"]),
                cumulative_to_date=money(r["cumulative"]),
                planned_start=r["project__planned_start"],
                actual_start=r["project__actual_start"],
                progress=r["latest_progress"],
                problems=r["latest_problems"],
                open_bottlenecks=r["open_bottlenecks"],
                exact_rate=exact,
                exact_gap=gap,
                status=thresholds.status(gap),
            )
        )
    return rows


def monthly_series(*, year: int, filters: dict | None = None, project_id: int | None = None) -> list[dict]:
    """Month by month for a set of projects (or one): planned pace against cumulative actual.

    planned_cumulative at month m = annual plan × schedule(m) / 100; two queries in all.
    """
    filters = dict(filters or {})
    if project_id is not None:
        filters["project_ids"] = [project_id]
    settings_row = ProgressSettings.load()
    plans = plans_in_scope(year=year, filters=filters)
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
