"""The progress engine against hand computations (SPEC section 4 and the seeds' worked figures).

Every expectation here is computed in the test from the data it creates, never by the engine.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.choices import Industry, Pipeline, Stage
from projects.models import AnnualPlan, MonthlyActual, ProgressSettings, Project
from projects.selectors.metrics import display_rate
from projects.selectors.progress import monthly_series, progress_report
from projects.selectors.rows import project_rows

from ..factories import AnnualPlanFactory, LeaderFactory, MonthlyActualFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


def make(plan, actuals=(), year=2026, pipeline=Pipeline.CONTINUING, **project_kwargs):
    """A project with a plan for `year` and (month, amount) actuals in that year."""
    project = ProjectFactory(**project_kwargs)
    AnnualPlanFactory(project=project, year=year, pipeline=pipeline, amount=Decimal(plan))
    for month, amount in actuals:
        MonthlyActualFactory(project=project, year=year, month=month, amount=Decimal(amount))
    return project


def test_seed_worked_example_109_projects_35_6_against_41_7():
    # 109 projects with a plan of 1,000 each: P = 109,000; Jan–May actuals total 0.356 P = 38,804.
    unit, leader = UnitFactory(), LeaderFactory()
    per_project = [Decimal("356.00")] * 109  # 356 = 0.356 × 1,000, split over months below
    for i, total in enumerate(per_project):
        p = make("1000.00", [(1, "56.00"), (3, "100.00"), (5, str(total - 156))], unit=unit, leader=leader)
        if i % 10 == 0:  # June and other years' figures must not count
            MonthlyActualFactory(project=p, year=2026, month=6, amount=Decimal("500"))
            MonthlyActualFactory(project=p, year=2025, month=2, amount=Decimal("500"))
    report = progress_report(year=2026, month=5)
    t = report.totals
    assert t.projects == 109
    assert t.annual_plan == Decimal("109000.00")
    assert t.actual_to_date == Decimal("38804.00")
    assert display_rate(t.completion_rate) == 35.6
    assert display_rate(report.time_elapsed_rate) == 41.7
    assert display_rate(t.gap_points) == -6.1
    assert t.status == "normal"
    api = report.as_api()
    assert api["totals"]["completion_rate"] == 35.6 and api["totals"]["gap_points"] == -6.1
    assert api["time_elapsed_rate"] == 41.7 and api["totals"]["annual_plan"] == "109000.00"


def test_seed_prephase_conversion_18_of_44_is_40_9():
    stages = [Stage.CONSTRUCTION] * 12 + [Stage.READY] * 6 + [Stage.PREPHASE] * 26
    for stage in stages:
        make("0.00", pipeline=Pipeline.PLANNED, stage=stage)
    make("500.00", pipeline=Pipeline.NEW, stage=Stage.CONSTRUCTION)  # not on the planned list
    report = progress_report(year=2026, month=5)
    assert report.totals.projects == 45
    assert display_rate(report.totals.prephase_rate) == round(18 / 44 * 100, 1) == 40.9
    assert report.as_api()["totals"]["prephase_rate"] == 40.9


def test_seed_industry_share_17_of_169_is_10_1():
    for i in range(169):
        make("100.00", industry=Industry.SECONDARY if i < 17 else Industry.TERTIARY)
    report = progress_report(year=2026, month=5, group_by="industry")
    secondary = next(g for g in report.groups if g.key == "secondary")
    assert secondary.projects == 17
    assert display_rate(secondary.project_share) == 10.1


# Month 6: the schedule is exactly 50 %; plan 100 makes the rate equal to the year-to-date figure.
@pytest.mark.parametrize(
    "ytd, expected",
    [
        ("60.00", "ahead"),  # gap exactly +10
        ("59.99", "normal"),
        ("40.01", "normal"),
        ("40.00", "warning"),  # gap exactly −10
        ("30.01", "warning"),
        ("30.00", "lagging"),  # gap exactly −20
        ("0.00", "lagging"),
    ],
)
def test_threshold_boundaries(ytd, expected):
    make("100.00", [(6, ytd)])
    report = progress_report(year=2026, month=6)
    assert report.totals.status == expected
    assert report.totals.status_counts[expected] == 1  # SQL count agrees with the exact rule
    assert project_rows(year=2026, month=6)[0].status == expected


def test_exact_boundary_with_a_repeating_schedule():
    # Month 5: schedule 41.666…; plan 60 and 19 done is 31.666…: a gap of exactly −10 (warning).
    # Floating point gets −10.000000000000004 or −9.999999999999996 depending on the order of operations.
    make("60.00", [(5, "19.00")])
    make("60.00", [(2, "31.00")])  # 51.666… − 41.666… = exactly +10: ahead
    make("60.00", [(5, "13.00")])  # 21.666… − 41.666… = exactly −20: lagging
    report = progress_report(year=2026, month=5)
    assert report.totals.status_counts == {"ahead": 1, "normal": 0, "warning": 1, "lagging": 1}
    assert sorted(r.status for r in project_rows(year=2026, month=5)) == ["ahead", "lagging", "warning"]


def test_zero_plan_projects_are_counted_but_unrated():
    make("0.00", [(1, "10.00")], pipeline=Pipeline.PLANNED)
    make("0.00", pipeline=Pipeline.PLANNED)
    report = progress_report(year=2026, month=3)
    assert report.totals.projects == 2
    assert report.totals.rated_projects == 0
    assert report.totals.actual_to_date == Decimal("10.00")
    assert report.totals.completion_rate is None and report.totals.status is None
    assert sum(report.totals.status_counts.values()) == 0
    assert report.as_api()["totals"]["completion_rate"] is None
    assert all(r.completion_rate is None and r.status is None for r in project_rows(year=2026, month=3))
    make("200.00", [(1, "50.00")])
    mixed = progress_report(year=2026, month=3).totals
    # zero-plan projects' actuals still count in the set's totals: (10 + 50) / (0 + 0 + 200)
    assert mixed.projects == 3 and mixed.rated_projects == 1
    assert display_rate(mixed.completion_rate) == 30.0


def test_no_projects_gives_nulls_not_errors():
    report = progress_report(year=2026, month=4, group_by="unit")
    assert report.totals.projects == 0 and report.groups == []
    api = report.as_api()
    assert api["totals"]["completion_rate"] is None and api["totals"]["yoy_points"] is None
    assert api["totals"]["prephase_rate"] is None


def test_year_on_year_compares_with_last_years_list_at_the_same_month():
    this_year = make("1000.00", [(1, "200.00"), (2, "100.00"), (3, "999.00")])
    AnnualPlanFactory(project=this_year, year=2025, amount=Decimal("400.00"))
    MonthlyActualFactory(project=this_year, year=2025, month=2, amount=Decimal("40.00"))
    MonthlyActualFactory(project=this_year, year=2025, month=5, amount=Decimal("300.00"))  # after M
    only_last_year = ProjectFactory()
    AnnualPlanFactory(project=only_last_year, year=2025, amount=Decimal("600.00"))
    MonthlyActualFactory(project=only_last_year, year=2025, month=1, amount=Decimal("110.00"))
    report = progress_report(year=2026, month=2)
    # this year 300/1000 = 30 %; last year (40 + 110) / (400 + 600) = 15 %
    assert display_rate(report.totals.completion_rate) == 30.0
    assert display_rate(report.totals.yoy_rate) == 15.0
    assert report.as_api()["totals"]["yoy_points"] == 15.0


def test_pipeline_groups_compare_with_last_years_list_of_the_same_pipeline():
    p = make("100.00", [(1, "50.00")], pipeline=Pipeline.CONTINUING)
    AnnualPlanFactory(project=p, year=2025, pipeline=Pipeline.NEW, amount=Decimal("100.00"))
    MonthlyActualFactory(project=p, year=2025, month=1, amount=Decimal("20.00"))
    q = make("100.00", [(1, "10.00")], pipeline=Pipeline.NEW)
    AnnualPlanFactory(project=q, year=2025, pipeline=Pipeline.CONTINUING, amount=Decimal("100.00"))
    MonthlyActualFactory(project=q, year=2025, month=1, amount=Decimal("70.00"))
    groups = {g.key: g for g in progress_report(year=2026, month=1, group_by="pipeline").groups}
    assert list(groups) == ["continuing", "new"]
    # continuing now 50 %, last year's continuing list (q) 70 %; new now 10 %, last year's new list (p) 20 %
    assert display_rate(groups["continuing"].yoy_points) == -20.0
    assert display_rate(groups["new"].yoy_points) == -10.0
    filtered = progress_report(year=2026, month=1, filters={"pipeline": "new"})
    assert filtered.totals.projects == 1 and display_rate(filtered.totals.yoy_rate) == 20.0


def test_groupings_and_filters():
    u1, u2 = UnitFactory(name="甲局"), UnitFactory(name="乙镇")
    l1 = LeaderFactory(name="张县长")
    make("100.00", [(1, "10.00")], unit=u1, leader=l1, sector="water")
    make("300.00", [(1, "90.00")], unit=u1, leader=None, sector="transport")
    make("200.00", [(1, "100.00")], unit=u2, leader=l1, sector="water")
    by_unit = {g.label: g for g in progress_report(year=2026, month=1, group_by="unit").groups}
    assert by_unit["甲局"].annual_plan == Decimal("400.00") and by_unit["甲局"].actual_to_date == Decimal("100.00")
    assert display_rate(by_unit["甲局"].completion_rate) == 25.0
    assert display_rate(by_unit["乙镇"].completion_rate) == 50.0
    by_leader = {g.key: g for g in progress_report(year=2026, month=1, group_by="leader").groups}
    assert by_leader[l1.pk].projects == 2 and by_leader[None].projects == 1
    by_sector = {g.key: g for g in progress_report(year=2026, month=1, group_by="sector").groups}
    assert by_sector["water"].actual_to_date == Decimal("110.00") and by_sector["water"].label == "水利"
    only = progress_report(year=2026, month=1, filters={"unit": u1.pk, "sector": "water"}).totals
    assert only.projects == 1 and only.actual_to_date == Decimal("10.00")
    assert progress_report(year=2026, month=1, filters={"leader": l1.pk}).totals.projects == 2
    assert progress_report(year=2026, month=1, filters={"search": "测试项目"}).totals.projects == 3


def test_archived_projects_and_other_years_plans_are_left_out():
    make("100.00", [(1, "10.00")], archived=True)
    make("100.00", [(1, "10.00")], year=2025)
    assert progress_report(year=2026, month=12).totals.projects == 0


def test_cumulative_since_start_includes_opening_balance():
    p = make("1000.00", [(1, "100.00"), (4, "50.00")], total_investment=Decimal("5000.00"))
    Project.objects.filter(pk=p.pk).update(opening_balance=Decimal("2000.00"))
    AnnualPlanFactory(project=p, year=2025, amount=Decimal("900.00"))
    MonthlyActualFactory(project=p, year=2025, month=11, amount=Decimal("850.00"))
    row = project_rows(year=2026, month=3)[0]
    assert row.cumulative_to_date == Decimal("2950.00")  # 2000 + 850 + 100 (April not yet)
    assert display_rate(row.cumulative_rate) == 59.0
    assert progress_report(year=2026, month=3, cumulative=True).totals.cumulative_to_date == Decimal("2950.00")
    by_unit = progress_report(year=2026, month=3, cumulative=True, group_by="unit")
    assert by_unit.groups[0].cumulative_to_date == Decimal("2950.00")
    assert display_rate(by_unit.totals.cumulative_rate) == 59.0
    assert progress_report(year=2026, month=3).totals.cumulative_rate is None  # not asked for


def test_thresholds_and_schedule_basis_are_bureau_settings_with_history():
    make("100.00", [(6, "45.00")])  # gap −5 at month 6
    assert progress_report(year=2026, month=6).totals.status == "normal"
    s = ProgressSettings.load()
    s.warning_threshold = Decimal("-5")
    s.save()
    assert progress_report(year=2026, month=6).totals.status == "warning"
    assert s.history.count() == 2
    s.schedule_basis = "days"
    s.save()
    report = progress_report(year=2026, month=6)
    # days basis: 1 January to 30 June 2026 is 181 days of 365
    assert display_rate(report.time_elapsed_rate) == round(181 / 365 * 100, 1)


def test_monthly_series_planned_pace_against_cumulative_actual():
    make("1200.00", [(1, "50.00"), (2, "150.00"), (4, "300.00")])
    make("0.00", [(2, "20.00")], pipeline=Pipeline.PLANNED)
    series = monthly_series(year=2026)
    assert [s["planned_cumulative"] for s in series[:4]] == [
        Decimal(x) for x in ("100.00", "200.00", "300.00", "400.00")
    ]
    assert [s["actual_cumulative"] for s in series[:5]] == [Decimal(x) for x in ("50", "220", "220", "520", "520")]
    one = monthly_series(year=2026, project_id=Project.objects.get(plans__amount=0).pk)
    assert one[1]["actual_month"] == Decimal("20.00") and one[0]["completion_rate"] is None


def bulk_registry(n: int) -> None:
    units = [UnitFactory() for _ in range(3)]
    start = Project.objects.count()
    projects = Project.objects.bulk_create(
        [Project(code=f"B{i:05d}", name=f"批量{i}", unit=units[i % 3]) for i in range(start, start + n)]
    )
    AnnualPlan.objects.bulk_create(
        [AnnualPlan(project=p, year=y, pipeline="new", amount=Decimal("100")) for p in projects for y in (2025, 2026)]
    )
    MonthlyActual.objects.bulk_create(
        [MonthlyActual(project=p, year=2026, month=m, amount=Decimal("7.5")) for p in projects for m in (1, 2, 3)]
    )


@pytest.mark.parametrize("group_by", [None, "pipeline", "unit", "leader", "sector", "industry"])
def test_query_count_is_the_same_for_10_and_500_projects(group_by):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            report = progress_report(year=2026, month=3, group_by=group_by)
            project_rows(year=2026, month=3)
            monthly_series(year=2026)
        return len(ctx.captured_queries), report.totals.projects

    ProgressSettings.load()  # the settings row exists on a running system
    bulk_registry(10)
    small, n_small = count()
    bulk_registry(490)
    large, n_large = count()
    assert (n_small, n_large) == (10, 500)
    assert small == large


def test_project_rows_carry_the_latest_report_up_to_the_month_and_open_bottlenecks():
    p = make("100.00")
    MonthlyActualFactory(project=p, year=2026, month=2, amount=Decimal("1"), progress="基础施工", problems="资金紧张")
    MonthlyActualFactory(project=p, year=2026, month=3, amount=Decimal("1"), progress="主体封顶", problems="")
    MonthlyActualFactory(project=p, year=2026, month=5, amount=Decimal("1"), progress="竣工验收")
    MonthlyActualFactory(project=p, year=2025, month=12, amount=Decimal("1"), progress="去年")
    from ..factories import BottleneckFactory

    BottleneckFactory(project=p)
    BottleneckFactory(project=p, resolved="2026-04-01", raised="2026-03-01")
    [row] = project_rows(year=2026, month=4)
    assert (row.progress, row.problems) == ("主体封顶", "")  # month 3 is the latest report by April
    assert row.open_bottlenecks == 1
    assert row.actual_to_date == Decimal("2.00") and row.month_actual == Decimal("0.00")


@pytest.mark.parametrize("group_by", [None, "pipeline", "unit"])
@pytest.mark.parametrize("cumulative", [False, True])
def test_report_months_are_the_pace_charts_own_figures(group_by, cumulative):
    """`progress_report(months=True)` sums the year's actuals to each month in its own pass; they must
    be the figures summed by hand, and the chart drawn from them the chart `monthly_series` draws alone:
    a filtered set, an archived project, a project off the list and last year's figures left out."""
    unit = UnitFactory()
    a = make("1000.00", [(1, "10.10"), (3, "20.20"), (12, "5.05")], unit=unit)
    MonthlyActualFactory(project=a, year=2025, month=3, amount=Decimal("99.00"))
    make("500.00", [(2, "7.00")], pipeline=Pipeline.NEW)
    make("300.00", [(3, "1.00")], unit=unit, archived=True)
    off_list = ProjectFactory(unit=unit)
    MonthlyActualFactory(project=off_list, year=2026, month=3, amount=Decimal("50.00"))
    make("200.00", unit=unit)  # on the list, no figures
    for filters, expected_by_month in (
        ({}, {1: "10.10", 2: "7.00", 3: "20.20", 12: "5.05"}),
        ({"unit": unit.pk}, {1: "10.10", 3: "20.20", 12: "5.05"}),
    ):
        report = progress_report(
            year=2026, month=6, filters=filters, group_by=group_by, cumulative=cumulative, months=True
        )
        running, expected = Decimal("0"), []
        for m in range(1, 13):
            running += Decimal(expected_by_month.get(m, "0"))
            expected.append(running)
        assert list(report.actual_to_month) == expected
        folded = monthly_series(
            year=2026, filters=filters, plan_total=report.totals.annual_plan, actual_to_month=report.actual_to_month
        )
        assert folded == monthly_series(year=2026, filters=filters)
