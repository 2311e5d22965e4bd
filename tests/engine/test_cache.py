"""The figure cache: every write path changes the data version, so a cached figure is never stale."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from projects.cache import data_version
from projects.choices import Pipeline
from projects.models import AnnualPlan, Bottleneck, Leader, MonthlyActual, ProgressSettings, Project, Unit
from projects.selectors.progress import monthly_series, progress_report
from projects.services.figures import actual_set

from ..factories import AnnualPlanFactory, BottleneckFactory, MonthlyActualFactory, ProjectFactory

pytestmark = pytest.mark.django_db
YEAR, MONTH = 2026, 6


@pytest.fixture
def project():
    ProgressSettings.load()
    p = ProjectFactory()
    AnnualPlanFactory(project=p, year=YEAR, pipeline=Pipeline.CONTINUING, amount=Decimal("200.00"))
    MonthlyActualFactory(project=p, year=YEAR, month=1, amount=Decimal("30.00"))
    BottleneckFactory(project=p, unit=p.unit)
    cache.clear()
    return p


def changes_version(write) -> bool:
    before = data_version()
    write()
    return data_version() != before


def total_rate(**kwargs):
    return progress_report(year=YEAR, month=MONTH, **kwargs).totals.completion_rate


def test_the_token_exists_after_migrate():
    assert data_version()


@pytest.mark.parametrize(
    "write",
    [
        lambda p: Unit.objects.filter(pk=p.unit_id).update(name="新名称"),
        lambda p: Leader.objects.filter(pk=p.leader_id).update(name="新领导"),
        lambda p: Project.objects.filter(pk=p.pk).update(archived=True),
        lambda p: AnnualPlan.objects.filter(project=p).update(amount=Decimal("300.00")),
        lambda p: MonthlyActual.objects.filter(project=p).update(amount=Decimal("31.00")),
        lambda p: MonthlyActual.objects.filter(project=p).delete(),
        lambda p: MonthlyActual.objects.bulk_create([MonthlyActual(project=p, year=YEAR, month=2, amount=1)]),
        lambda p: BottleneckFactory(project=p, unit=p.unit),
        lambda p: Bottleneck.objects.filter(project=p).update(description="x"),
        lambda p: ProgressSettings.objects.update(warning_threshold=Decimal("-5")),
    ],
    ids=[
        "unit", "leader", "project", "plan", "actual update", "actual delete", "actual bulk insert",
        "bottleneck insert", "bottleneck update", "settings",
    ],
)  # fmt: skip
def test_every_tracked_table_changes_the_version(project, write):
    assert changes_version(lambda: write(project))


def test_raw_sql_changes_the_version(project):
    table = MonthlyActual._meta.db_table
    with connection.cursor() as cursor:
        assert changes_version(lambda: cursor.execute(f"UPDATE {table} SET amount = amount + 1"))


def test_a_rolled_back_write_rolls_the_version_back(project):
    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        MonthlyActual.objects.update(amount=Decimal("99.00"))
        assert data_version() != before  # the writer sees its own new state under a new token
        raise RuntimeError
    assert data_version() == before


def test_reads_leave_the_version_alone(project):
    assert not changes_version(lambda: (total_rate(), list(Project.objects.all())))


def test_cached_figures_follow_every_kind_of_write(project, drc_user):
    # 30 of 200 = 15 %: computed by hand, not by the engine.
    assert total_rate() == Decimal("15")
    # A service write (with history).
    actual = MonthlyActual.objects.get(project=project, month=1)
    actual_set(
        project=project, year=YEAR, month=1, amount=Decimal("50.00"), user=drc_user, expected_version=actual.version,
        progress="施工中", change_reason="核对",
    )  # fmt: skip
    assert total_rate() == Decimal("25")  # 50 / 200
    # A write that bypasses every service and signal.
    MonthlyActual.objects.filter(project=project).update(amount=Decimal("100.00"))
    assert total_rate() == Decimal("50")
    # A plan change, and a project archived (it leaves the list).
    AnnualPlan.objects.filter(project=project).update(amount=Decimal("400.00"))
    assert total_rate() == Decimal("25")
    Project.objects.filter(pk=project.pk).update(archived=True)
    assert progress_report(year=YEAR, month=MONTH).totals.projects == 0


def test_a_repeated_report_costs_one_query_and_is_equal(project):
    first = progress_report(year=YEAR, month=MONTH, group_by="unit")
    with CaptureQueriesContext(connection) as ctx:
        again = progress_report(year=YEAR, month=MONTH, group_by="unit")
    assert len(ctx.captured_queries) == 1  # the data version
    assert again.as_api() == first.as_api()
    assert again.totals.exact_rate == first.totals.exact_rate


def test_different_arguments_are_different_entries(project):
    other = ProjectFactory()
    AnnualPlanFactory(project=other, year=YEAR, pipeline=Pipeline.NEW, amount=Decimal("100.00"))
    assert total_rate() == Decimal("10")  # 30 of 300
    assert total_rate(filters={"unit": project.unit_id}) == Decimal("15")
    assert total_rate(filters={"unit": other.unit_id}) == Decimal("0")
    assert progress_report(year=YEAR, month=MONTH, group_by="pipeline").groups[0].key == Pipeline.CONTINUING
    series = monthly_series(year=YEAR)
    assert series[0]["actual_cumulative"] == Decimal("30.00")
    assert monthly_series(year=YEAR, project_id=other.pk)[0]["actual_cumulative"] == Decimal("0.00")


def test_labels_are_cached_per_language(project):
    with translation.override("zh-hans"):
        chinese = progress_report(year=YEAR, month=MONTH).totals.label
    with translation.override("en"):
        english = progress_report(year=YEAR, month=MONTH).totals.label
    assert chinese != english


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers are PostgreSQL's")
def test_truncate_changes_the_version(project):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's deferred foreign-key checks
        assert changes_version(lambda: cursor.execute(f"TRUNCATE {Bottleneck._meta.db_table} CASCADE"))


# --- the tokens of the years: last year's figures outlive this year's saves --------------------------


def test_a_write_to_a_year_changes_that_year_and_the_whole_version_only(project):
    before_all, before_this, before_last = data_version(), data_version([YEAR]), data_version([YEAR - 1])
    MonthlyActual.objects.filter(project=project, year=YEAR).update(amount=Decimal("31.00"))
    assert data_version() != before_all
    assert data_version([YEAR]) != before_this
    assert data_version([YEAR - 1]) == before_last  # last year's figures did not change
    AnnualPlanFactory(project=project, year=YEAR - 1, amount=Decimal("10.00"))
    assert data_version([YEAR - 1]) != before_last


def test_moving_a_figure_between_years_changes_both(project):
    before_this, before_last = data_version([YEAR]), data_version([YEAR - 1])
    MonthlyActual.objects.filter(project=project, year=YEAR).update(year=YEAR - 1)
    assert data_version([YEAR]) != before_this and data_version([YEAR - 1]) != before_last


def test_a_write_without_a_year_changes_every_years_version(project):
    before_last = data_version([YEAR - 1])
    Project.objects.filter(pk=project.pk).update(name="改名")
    assert data_version([YEAR - 1]) != before_last


def test_rebuilding_the_sums_changes_the_version(project):
    from projects.sums import rebuild

    before = data_version([YEAR - 1])
    rebuild()
    assert data_version([YEAR - 1]) != before


def report_statements(**kwargs) -> tuple[object, int]:
    """A report and how many figure statements (the engine's `WITH per`) it ran."""
    with CaptureQueriesContext(connection) as ctx:
        report = progress_report(year=YEAR, month=MONTH, **kwargs)
    return report, sum("WITH per" in q["sql"] for q in ctx.captured_queries)


def test_last_years_rates_are_kept_across_this_years_saves_and_follow_last_years(project, drc_user):
    AnnualPlanFactory(project=project, year=YEAR - 1, pipeline=Pipeline.CONTINUING, amount=Decimal("400.00"))
    MonthlyActualFactory(project=project, year=YEAR - 1, month=2, amount=Decimal("100.00"))
    report, statements = report_statements()
    # By hand: this year 30 / 200 = 15 %, last year 100 / 400 = 25 %.
    assert (report.totals.completion_rate, report.totals.yoy_rate, statements) == (Decimal("15"), Decimal("25"), 2)
    actual = MonthlyActual.objects.get(project=project, year=YEAR, month=1)
    actual_set(
        project=project, year=YEAR, month=1, amount=Decimal("50.00"), user=drc_user, expected_version=actual.version,
        change_reason="核对",
    )  # fmt: skip
    report, statements = report_statements()
    # This year's figures again (50 / 200 = 25 %); last year's from the cache, unchanged.
    assert (report.totals.completion_rate, report.totals.yoy_rate, statements) == (Decimal("25"), Decimal("25"), 1)
    MonthlyActual.objects.filter(project=project, year=YEAR - 1).update(amount=Decimal("200.00"))
    report, statements = report_statements()
    # 200 / 400: a save to last year changes last year's rates (the report is computed afresh, both years).
    assert (report.totals.yoy_rate, statements) == (Decimal("50"), 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers are PostgreSQL's")
def test_emptying_the_figures_changes_every_years_version(project):
    before_last = data_version([YEAR - 1])
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {MonthlyActual._meta.db_table} CASCADE")
    assert data_version([YEAR - 1]) != before_last
