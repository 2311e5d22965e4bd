"""Exact arithmetic of SPEC section 4: amounts, rates as fractions, the schedule, thresholds and the result types.

Rates are exact (`fractions.Fraction`) until they are turned into Decimals for output and rounded to one
decimal only by `display_rate`.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import (
    DecimalField,
)

from ..choices import ScheduleBasis, Stage, Status
from ..models import ProgressSettings
from ..periods import month_end

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
STARTED_STAGES = (Stage.READY, Stage.CONSTRUCTION, Stage.COMPLETED)


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
        days = (month_end(year, month) - dt.date(year, 1, 1)).days + 1
        return Fraction(100 * days, 366 if calendar.isleap(year) else 365)
    return Fraction(100 * month, 12)


def project_schedule(base: Fraction, plan, pace) -> Fraction:
    """A project's schedule: its planned months 1..M (`pace`) / its plan × 100 when it has a monthly
    plan (basis `plan`), else the common schedule `base`."""
    if pace is None or not plan:
        return base
    return Fraction(Decimal(pace)) * 100 / Fraction(Decimal(plan))


def group_schedule(base: Fraction, month: int, plan, pace_sum, unpaced_plan, paced: bool) -> Fraction:
    """A set's schedule under basis `plan`: (Σ planned months 1..M of projects with a monthly plan +
    M/12 × Σ plans of those without) / Σ plans × 100; the common schedule otherwise or for a zero plan."""
    if not paced or not plan:
        return base
    planned = Fraction(Decimal(pace_sum)) + Fraction(month, 12) * Fraction(Decimal(unpaced_plan))
    return planned * 100 / Fraction(Decimal(plan))


# A project on the planned (reserve) list is rated by its pre-phase items (SPEC section 10): this many
# overdue items make it a warning, this many lagging; none overdue is normal, all done ahead.
PREPHASE_WARNING_OVERDUE = 1
PREPHASE_LAGGING_OVERDUE = 2


def prephase_status(items: int, done: int, overdue: int) -> str | None:
    """The status of a planned project by its pre-phase items at a month (None without items)."""
    if not items:
        return None
    if overdue >= PREPHASE_LAGGING_OVERDUE:
        return Status.LAGGING
    if overdue >= PREPHASE_WARNING_OVERDUE:
        return Status.WARNING
    return Status.AHEAD if done >= items else Status.NORMAL


# --- results -------------------------------------------------------------------------------------


def empty_counts() -> dict[str, int]:
    return {s.value: 0 for s in Status}


class RatedFigures:
    """What a set's figures and a project's row both show from their exact rate and gap and their
    milestones due and done by the month's end (the attributes of `Figures` and `ProjectRow`)."""

    exact_rate: Fraction | None
    exact_gap: Fraction | None
    milestones_due: int
    milestones_done: int

    @property
    def completion_rate(self) -> Decimal | None:
        return to_decimal(self.exact_rate)

    @property
    def gap_points(self) -> Decimal | None:
        return to_decimal(self.exact_gap)

    @property
    def node_rate(self) -> Decimal | None:
        """Milestones done among those due by the month's end (SPEC section 10)."""
        return to_decimal(rate(self.milestones_done, self.milestones_due))

    @property
    def overdue_milestones(self) -> int:
        """Milestones due by the month's end and not done by then."""
        return self.milestones_due - self.milestones_done


@dataclass
class Figures(RatedFigures):
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
    # SPEC section 10: the schedule this set is measured against (its own under basis `plan`),
    # the sums it is built from, milestones due and done, and new-build starts due and made.
    exact_schedule: Fraction | None = None
    pace_sum: Decimal = ZERO
    unpaced_plan: Decimal = ZERO
    milestones_due: int = 0
    milestones_done: int = 0
    starts_due: int = 0
    starts_made: int = 0

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
    def new_start_rate(self) -> Decimal | None:
        """New-build projects started by the month's end / those planned to start by then (SPEC section 10)."""
        return to_decimal(rate(self.starts_made, self.starts_due))

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
            "time_elapsed_rate": display_rate(self.exact_schedule),
            "node_rate": display_rate(self.node_rate),
            "overdue_milestones": self.overdue_milestones,
            "new_start_rate": display_rate(self.new_start_rate),
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
    actual_to_month: tuple | None = None  # asked for with `months=True`: the year's actuals to month 1 … 12

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
