"""SPEC section 10 in the engine: node rate, overdue milestones, pre-phase statuses, the plan basis, starts.

Every expectation is worked out by hand in the comments beside it.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.choices import Pipeline, PrephaseKind, ScheduleBasis, Stage
from projects.models import ProgressSettings
from projects.selectors.dashboard import warning_rows
from projects.selectors.metrics import display_rate
from projects.selectors.progress import monthly_series, progress_report
from projects.selectors.rows import project_rows

from ..factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory, UnitFactory
from .factories import MilestoneFactory, PrephaseItemFactory

pytestmark = pytest.mark.django_db
D = Decimal


def make(plan, actuals=(), pipeline=Pipeline.CONTINUING, monthly=None, year=2026, **project_kwargs):
    project = ProjectFactory(**project_kwargs)
    plan_row = AnnualPlanFactory(project=project, year=year, pipeline=pipeline, amount=D(plan))
    if monthly is not None:
        plan_row.monthly_amounts = [D(v) for v in monthly]
        plan_row.full_clean()
        plan_row.save()
    for month, amount in actuals:
        MonthlyActualFactory(project=project, year=year, month=month, amount=D(amount))
    return project


def use_plan_basis():
    settings_row = ProgressSettings.load()
    settings_row.schedule_basis = ScheduleBasis.PLAN
    settings_row.save()


# --- milestones ----------------------------------------------------------------------------------


def test_node_rate_and_overdue_milestones_by_month_end():
    p = make("1000.00")
    MilestoneFactory(project=p, planned_date=dt.date(2026, 2, 10), done_on=dt.date(2026, 2, 20))
    MilestoneFactory(project=p, planned_date=dt.date(2026, 3, 31), done_on=dt.date(2026, 4, 2))  # due on the last day
    MilestoneFactory(project=p, planned_date=dt.date(2026, 4, 15))
    MilestoneFactory(project=p, planned_date=dt.date(2026, 6, 1), done_on=dt.date(2026, 3, 1))  # done early
    MilestoneFactory(project=p, year=2025, planned_date=dt.date(2025, 12, 1))  # last year's: not counted
    # March: due Feb 10 and Mar 31 (2); done by Mar 31 only the first → 1/2 = 50 %, one overdue.
    march = progress_report(year=2026, month=3).totals
    assert (march.milestones_due, march.milestones_done) == (2, 1)
    assert display_rate(march.node_rate) == 50.0 and march.overdue_milestones == 1
    # April: due 3; done Feb 10 and Mar 31 (on Apr 2) → 2/3 = 66.7 %, Apr 15 overdue.
    april = progress_report(year=2026, month=4).totals
    assert display_rate(april.node_rate) == 66.7 and april.overdue_milestones == 1
    # January: nothing due → null, never 0.
    assert progress_report(year=2026, month=1).totals.node_rate is None
    # June: 4 due, 3 done (the early one counts once it is due) → 75 %.
    assert display_rate(progress_report(year=2026, month=6).totals.node_rate) == 75.0
    row = project_rows(year=2026, month=4)[0]
    assert (row.milestones_due, row.milestones_done, row.overdue_milestones) == (3, 2, 1)


def test_node_figures_in_every_group_and_the_api(client, django_user_model):
    from projects.choices import Role

    from ..factories import UserFactory

    u1, u2 = UnitFactory(name="甲局"), UnitFactory(name="乙镇")
    a, b = make("100.00", unit=u1), make("100.00", unit=u2)
    MilestoneFactory(project=a, planned_date=dt.date(2026, 1, 5), done_on=dt.date(2026, 1, 5))
    MilestoneFactory(project=b, planned_date=dt.date(2026, 1, 5))
    MilestoneFactory(project=b, planned_date=dt.date(2026, 1, 6))
    client.force_login(UserFactory(role=Role.LEADER))
    data = client.get("/api/progress/", {"year": 2026, "month": 1, "group_by": "unit"}).json()
    # Totals: 3 due, 1 done → 33.3 %, 2 overdue; 甲局 1/1 = 100 %; 乙镇 0/2 = 0 %, 2 overdue.
    assert data["totals"]["node_rate"] == 33.3 and data["totals"]["overdue_milestones"] == 2
    groups = {g["label"]: g for g in data["groups"]}
    assert groups["甲局"]["node_rate"] == 100.0 and groups["甲局"]["overdue_milestones"] == 0
    assert groups["乙镇"]["node_rate"] == 0.0 and groups["乙镇"]["overdue_milestones"] == 2


# --- pre-phase items -------------------------------------------------------------------------------


def items(project, *dates):
    """Pre-phase items in SPEC order with (planned, done) dates."""
    for kind, (planned, done) in zip(PrephaseKind.values, dates, strict=False):
        PrephaseItemFactory(project=project, kind=kind, planned_date=planned, done_on=done)


MAR31, APR1 = dt.date(2026, 3, 31), dt.date(2026, 4, 1)


def test_planned_projects_are_rated_by_their_items_not_by_investment():
    reserve = {"pipeline": Pipeline.PLANNED, "stage": Stage.PREPHASE}
    none = make("160.00", **reserve)  # no items: no status, though 0 of 160 spent
    done = make("160.00", **reserve)
    items(done, (dt.date(2026, 1, 10), dt.date(2026, 1, 9)), (MAR31, MAR31))  # all done by Mar 31 → ahead
    fine = make("160.00", **reserve)
    items(fine, (dt.date(2026, 1, 10), dt.date(2026, 1, 9)), (APR1, None))  # not due yet → normal
    one = make("160.00", **reserve)
    items(one, (MAR31, APR1), (dt.date(2026, 5, 1), None))  # due Mar 31, done Apr 1: overdue at March → warning
    two = make("0.00", **reserve)
    items(two, (dt.date(2026, 2, 1), None), (MAR31, None), (APR1, None))  # 2 overdue (tie at 2) → lagging
    money = make("1200.00", [(3, "300.00")])  # 25 % against 25 %: normal, by investment
    rows = {r.project_id: r for r in project_rows(year=2026, month=3)}
    assert rows[none.pk].status is None
    assert rows[done.pk].status == "ahead"
    assert rows[fine.pk].status == "normal"
    assert rows[one.pk].status == "warning"
    assert rows[two.pk].status == "lagging" and rows[two.pk].prephase_overdue == 2
    assert rows[money.pk].status == "normal"
    assert rows[one.pk].exact_gap is None  # no investment gap for a reserve project
    totals = progress_report(year=2026, month=3).totals
    assert totals.status_counts == {"ahead": 1, "normal": 2, "warning": 1, "lagging": 1}
    # In April `one` is done (Apr 1) and `fine`'s second item falls due on Apr 1 and is not done:
    april = {r.project_id: r.status for r in project_rows(year=2026, month=4)}
    assert april[one.pk] == "normal" and april[fine.pk] == "warning"
    # The lists find them by the same rule, investment-rated projects first.
    listed = [r.project_id for r in warning_rows(year=2026, month=3)]
    assert listed == [two.pk, one.pk]
    laggards = progress_report(year=2026, month=3, worst=(("lagging",), 5))
    assert laggards.worst_ids == [two.pk]


def test_prephase_rate_unchanged_seed_18_of_44_is_40_9():
    # The seeds: 44 planned projects, 12 started construction and 6 finished pre-phase work → 18/44 = 40.9 %.
    for i in range(44):
        stage = Stage.CONSTRUCTION if i < 12 else Stage.READY if i < 18 else Stage.PREPHASE
        make("0.00", pipeline=Pipeline.PLANNED, stage=stage)
    totals = progress_report(year=2026, month=5).totals
    assert display_rate(totals.prephase_rate) == 40.9
    assert sum(totals.status_counts.values()) == 0  # no items anywhere: none of them is rated


# --- the monthly plan --------------------------------------------------------------------------------


def test_plan_basis_measures_each_project_and_group_against_its_own_months():
    use_plan_basis()
    back = make("1200.00", monthly=["0"] * 6 + ["200"] * 6)  # nothing planned before July; 0 done: gap 0
    straight = make("600.00", [(6, "300.00")])  # no monthly plan: M/12 = 50 %, 50 % done: gap 0
    tie = make("1000.00", [(6, "500.00")], monthly=["100"] * 10 + ["0", "0"])  # 600 planned: 50 − 60 = −10
    rows = {r.project_id: r for r in project_rows(year=2026, month=6)}
    assert display_rate(rows[back.pk].exact_schedule) == 0.0 and rows[back.pk].status == "normal"
    assert display_rate(rows[straight.pk].exact_schedule) == 50.0 and rows[straight.pk].status == "normal"
    assert rows[tie.pk].exact_gap == -10 and rows[tie.pk].status == "warning"  # −10 exactly is a warning
    report = progress_report(year=2026, month=6)
    t = report.totals
    # schedule = (0 + 600 + 6/12 × 600) / 2800 = 900 / 2800 = 32.142857 %; rate 800 / 2800 = 28.571428 %
    assert display_rate(report.exact_schedule) == 32.1 and display_rate(t.exact_rate) == 28.6
    assert display_rate(t.exact_gap) == -3.6 and t.status == "normal"
    assert t.status_counts == {"ahead": 0, "normal": 2, "warning": 1, "lagging": 0}
    series = monthly_series(year=2026)
    assert series[5]["planned_cumulative"] == D("900.00") and series[11]["planned_cumulative"] == D("2800.00")
    # With months elapsed (the default) the back-loaded project is 50 points behind: lagging.
    settings_row = ProgressSettings.load()
    settings_row.schedule_basis = ScheduleBasis.MONTHS
    settings_row.save()
    assert {r.project_id: r.status for r in project_rows(year=2026, month=6)}[back.pk] == "lagging"


def test_plan_basis_thresholds_tie_exactly_on_sqlite_and_postgresql():
    use_plan_basis()
    # Plan 300.30 split unevenly; planned to March 100.10; 10 points of 300.30 = 30.03.
    monthly = ["33.37", "33.37", "33.36"] + ["22.24"] * 8 + ["22.28"]
    ahead = make("300.30", [(3, "130.13")], monthly=monthly)  # (130.13 − 100.10) / 300.30 = +10 exactly
    warn = make("300.30", [(3, "70.07")], monthly=monthly)  # −10 exactly
    lag = make("300.30", [(3, "40.04")], monthly=monthly)  # −20 exactly
    near = make("300.30", [(3, "70.08")], monthly=monthly)  # just above −10: normal
    rows = {r.project_id: r.status for r in project_rows(year=2026, month=3)}
    assert (rows[ahead.pk], rows[warn.pk], rows[lag.pk], rows[near.pk]) == ("ahead", "warning", "lagging", "normal")
    counts = progress_report(year=2026, month=3).totals.status_counts
    assert counts == {"ahead": 1, "normal": 1, "warning": 1, "lagging": 1}
    assert [r.project_id for r in warning_rows(year=2026, month=3, statuses=("warning",))] == [warn.pk]


# --- starts -------------------------------------------------------------------------------------------


def test_new_start_rate_from_planned_and_actual_start():
    new = {"pipeline": Pipeline.NEW}
    make("100.00", planned_start=dt.date(2026, 3, 15), actual_start=dt.date(2026, 3, 20), **new)
    make("100.00", planned_start=dt.date(2026, 3, 31), **new)  # due on the last day, not started
    make("100.00", planned_start=dt.date(2026, 4, 1), actual_start=dt.date(2026, 4, 1), **new)  # due in April
    make("100.00", planned_start=dt.date(2026, 1, 1), actual_start=dt.date(2026, 1, 1))  # continuing: not counted
    # March: due 2, started by Mar 31 1 → 50 %; April: due 3, started 2 → 66.7 %; January: none due → null.
    assert display_rate(progress_report(year=2026, month=3).totals.new_start_rate) == 50.0
    assert display_rate(progress_report(year=2026, month=4).totals.new_start_rate) == 66.7
    assert progress_report(year=2026, month=1).totals.new_start_rate is None
    by_pipeline = {g.key: g for g in progress_report(year=2026, month=3, group_by="pipeline").groups}
    assert by_pipeline["new"].starts_due == 2 and by_pipeline["continuing"].starts_due == 0


# --- constant queries -------------------------------------------------------------------------------


def registry_of(n: int) -> None:
    unit = UnitFactory()
    for i in range(n):
        monthly = ["10"] * 12 if i % 2 else None
        p = make(
            "120.00",
            [(2, "20.00")],
            monthly=monthly,
            unit=unit,
            pipeline=Pipeline.PLANNED if i % 3 == 0 else Pipeline.NEW,
        )
        MilestoneFactory(project=p, planned_date=dt.date(2026, 2, 1))
        PrephaseItemFactory(project=p)


@pytest.mark.parametrize("group_by", [None, "unit", "pipeline"])
def test_progress_query_count_is_the_same_at_10_and_200_projects(group_by):
    use_plan_basis()

    def count():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            progress_report(year=2026, month=3, group_by=group_by)
            list(project_rows(year=2026, month=3))
            monthly_series(year=2026)
        return len(ctx.captured_queries)

    registry_of(10)
    small = count()
    registry_of(190)
    assert count() == small
