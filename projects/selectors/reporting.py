"""Read side of monthly reporting: the entry sheet, the submission ledger and on-time rates.

Project figures (plan, year to date, rates, cumulative) come from the progress engine
(`selectors.project_rows`); this module adds what only reporting needs, each in one query.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, FilteredRelation, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ..cache import cached
from ..choices import Pipeline, Stage
from ..models import REPORTED_STATES, AnnualPlan, MonthlyActual, ReportingPeriod, SubmissionStatus, Unit, UnitSubmission
from ..periods import previous_month
from .metrics import money, rate, to_decimal
from .rows import ProjectRow, project_rows

# How many earlier months with investment a project needs before "its usual" means something.
USUAL_MIN_MONTHS = 2
USUAL_WINDOW_MONTHS = 12


def period_for(year: int, month: int) -> ReportingPeriod | None:
    """The month's period row, or None (an open month without a deadline)."""
    return ReportingPeriod.objects.filter(year=year, month=month).first()


@dataclass
class EntryLine:
    """One project on a unit's entry sheet: the engine's figures plus this month's stored values."""

    row: ProjectRow
    amount: Decimal | None
    progress: str
    problems: str
    version: int
    last_progress: str
    usual: Decimal | None

    @property
    def project_id(self) -> int:
        return self.row.project_id

    @property
    def can_mark_started(self) -> bool:
        """A new-build project not yet under construction: its first investment may mark it started."""
        return self.row.pipeline == Pipeline.NEW and self.row.stage in (Stage.PREPHASE, Stage.READY)

    @property
    def ytd_before(self) -> Decimal:
        """Year to date without this month's stored figure."""
        return self.row.actual_to_date - self.row.month_actual

    @property
    def cumulative_before(self) -> Decimal:
        """Since the start (opening balance included) without this month's stored figure."""
        return self.row.cumulative_to_date - self.row.month_actual


def usual_monthly_amounts(*, project_ids, year: int, month: int) -> dict[int, Decimal]:
    """Each project's average monthly investment over the 12 months before this one (months with
    investment only), for projects with at least USUAL_MIN_MONTHS such months. One query."""
    window = Q(year=year, month__lt=month) | Q(year=year - 1, month__gte=month)
    rows = (
        MonthlyActual.objects.filter(window, project_id__in=project_ids, amount__gt=0)
        .order_by()
        .values("project_id")
        .annotate(avg=Avg("amount"), n=Count("pk"))
    )
    return {r["project_id"]: money(r["avg"]) for r in rows if r["n"] >= USUAL_MIN_MONTHS}


def entry_sheet(*, unit_id: int, year: int, month: int) -> list[EntryLine]:
    """Every project of the unit on the year's list, ready for the month's entry form.

    Queries: the engine's rows, this month's stored actuals, last month's narratives and the
    usual monthly amounts — constant in the number of projects.
    """
    rows = project_rows(year=year, month=month, filters={"unit": unit_id})
    ids = [r.project_id for r in rows]
    if not ids:
        return []
    stored = {
        a["project_id"]: a
        for a in MonthlyActual.objects.filter(project_id__in=ids, year=year, month=month).values(
            "project_id", "amount", "progress", "problems", "version"
        )
    }
    py, pm = previous_month(year, month)
    last = dict(
        MonthlyActual.objects.filter(project_id__in=ids, year=py, month=pm).values_list("project_id", "progress")
    )
    usual = usual_monthly_amounts(project_ids=ids, year=year, month=month)
    lines = []
    for r in rows:
        a = stored.get(r.project_id)
        lines.append(
            EntryLine(
                row=r,
                amount=a["amount"] if a else None,
                progress=a["progress"] if a else "",
                problems=a["problems"] if a else "",
                version=a["version"] if a else 0,
                last_progress=last.get(r.project_id, ""),
                usual=usual.get(r.project_id),
            )
        )
    return lines


def submission_for(*, unit_id: int, year: int, month: int) -> UnitSubmission | None:
    return UnitSubmission.objects.filter(unit_id=unit_id, year=year, month=month).first()


def units_on_list(year: int):
    """Units with at least one (non-archived) project on the year's list, with that count."""
    plans = AnnualPlan.objects.filter(year=year, project__archived=False, project__unit_id=OuterRef("pk"))
    count = plans.order_by().values("project__unit_id").annotate(c=Count("pk")).values("c")
    return (
        Unit.objects.annotate(n_projects=Coalesce(Subquery(count), Value(0))).filter(n_projects__gt=0).order_by("name")
    )


def is_late(submission: UnitSubmission | None, deadline: dt.date | None, today: dt.date) -> bool:
    """Past the deadline without a report, or first reported after it."""
    if deadline is None:
        return False
    if submission is None or submission.first_submitted_at is None or submission.status not in REPORTED_STATES:
        return today > deadline
    return timezone.localdate(submission.first_submitted_at) > deadline


# A unit that entered a figure for every project but has not submitted (已填未报): shown, never stored.
ENTERED = "entered"


def ledger_states() -> list[tuple[str, str]]:
    """The states a unit's line shows, in the ledger's order, with their labels."""
    states = [(code, str(label)) for code, label in SubmissionStatus.choices]
    draft = [code for code, _label in states].index(SubmissionStatus.DRAFT)
    states.insert(draft + 1, (ENTERED, str(_("Entered, not submitted"))))
    return states


@dataclass
class LedgerRow:
    """A unit's line on the reporting-status page."""

    unit: Unit
    projects: int
    entered: int
    submission: UnitSubmission | None
    late: bool

    @property
    def status(self) -> str:
        stored = self.submission.status if self.submission else SubmissionStatus.NOT_STARTED
        unsent = stored in (SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT)
        return ENTERED if unsent and self.projects and self.entered >= self.projects else stored

    @property
    def status_label(self) -> str:
        return dict(ledger_states())[self.status]

    @property
    def reported(self) -> bool:
        return self.status in REPORTED_STATES


def submission_ledger(*, year: int, month: int, today: dt.date | None = None) -> tuple[list[LedgerRow], dict]:
    """Every unit with projects on the year's list: its submission for the month and how many of its
    projects have a figure. Units that have not reported come first. Four queries."""
    today = today or timezone.localdate()
    period = period_for(year, month)
    deadline = period.deadline if period else None
    # One grouped pass over the year's plans joined to the month's figures (at most one a project:
    # the unique (project, year, month) constraint), not a subquery per unit or per plan: the home
    # page and the status page open on this, right after every save in the reporting week.
    # Both counts come from figure tables only, so they are cached under the data version.
    figure = FilteredRelation(
        "project__actuals", condition=Q(project__actuals__year=year, project__actuals__month=month)
    )
    per_unit = cached(
        "ledger_counts",
        lambda: {
            row["project__unit_id"]: row
            for row in AnnualPlan.objects.filter(year=year, project__archived=False)
            .annotate(figure=figure)
            .order_by()
            .values("project__unit_id")
            .annotate(n=Count("pk"), entered=Count("figure__pk"))
        },
        year=year,
        month=month,
    )
    units = list(Unit.objects.filter(pk__in=list(per_unit)).order_by("name"))
    for u in units:
        u.n_projects, u.n_entered = per_unit[u.pk]["n"], per_unit[u.pk]["entered"]
    submissions = {
        s.unit_id: s
        for s in UnitSubmission.objects.filter(year=year, month=month).select_related("submitted_by", "reviewed_by")
    }
    rows = []
    for u in units:
        s = submissions.get(u.pk)
        rows.append(LedgerRow(u, u.n_projects, u.n_entered, s, is_late(s, deadline, today)))
    order = {state: i for i, (state, _label) in enumerate(ledger_states())}
    pending_first = {SubmissionStatus.RETURNED: -1}
    rows.sort(key=lambda r: (r.reported, pending_first.get(r.status, order[r.status]), r.unit.name))
    counts = {state: 0 for state in order}
    for r in rows:
        counts[r.status] += 1
    summary = {
        "period": period,
        "deadline": deadline,
        "counts": counts,
        "units": len(rows),
        "reported": sum(1 for r in rows if r.reported),
        "late": sum(1 for r in rows if r.late and not r.reported),
    }
    return rows, summary


@dataclass
class OnTimeRate:
    """How many of a unit's due months it reported by the deadline, and the rate (None if none due)."""

    unit_id: int
    due: int
    on_time: int

    @property
    def rate(self) -> Decimal | None:
        return to_decimal(rate(self.on_time, self.due))


def on_time_rates(*, year: int, unit_ids=None, as_of: dt.date | None = None) -> dict[int, OnTimeRate]:
    """Per unit, its on-time reporting rate for `year` (for the unit ranking and dashboards).

    A month is due once its deadline has passed (deadline < `as_of`, default today); months
    without a deadline do not count. A unit reported on time when its first submission was on
    or before the deadline and it stands submitted or accepted now (a returned report must be
    resubmitted). Units are those with projects on the year's list. Three queries.
    """
    as_of = as_of or timezone.localdate()
    deadlines = dict(
        ReportingPeriod.objects.filter(year=year, deadline__isnull=False, deadline__lt=as_of).values_list(
            "month", "deadline"
        )
    )
    units = units_on_list(year)
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    result = {pk: OnTimeRate(pk, len(deadlines), 0) for pk in units.values_list("pk", flat=True)}
    if not deadlines or not result:
        return result
    submitted = UnitSubmission.objects.filter(
        year=year,
        month__in=list(deadlines),
        unit_id__in=list(result),
        status__in=REPORTED_STATES,
        first_submitted_at__isnull=False,
    ).values_list("unit_id", "month", "first_submitted_at")
    for unit_id, month, first in submitted:
        if timezone.localdate(first) <= deadlines[month]:
            result[unit_id].on_time += 1
    return result
