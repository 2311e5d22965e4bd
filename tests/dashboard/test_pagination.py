"""Lists paged and sorted in SQL: the order worked out by hand (ties, no rate), pages, totals, links, queries.

The small list (2026, month 6: the schedule is exactly 50 %, thresholds +10 / −10 / −20):

| code | plan | Jan–Jun | rate | status |
| A1 | 3000 | 1000 | 1/3 = 33.33 % | warning |
| A2 | 600 | 200 | 1/3 = 33.33 % (the same rate as A1) | warning |
| A3 | 0 | 0 | — | — |
| A4 | 1000 | 500 | 50 % | normal |
| A5 | 0 | 100 | — | — |
| A6 | 900 | 300.01 | 33.334… % (just above A1 and A2) | warning |
| A7 | 2000 | 0 | 0 % | lagging |
Totals: 7 projects, plan 7500, year to date 2100.01.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.choices import Pipeline
from projects.models import AnnualPlan, MonthlyActual, ProgressSettings, Project
from projects.selectors.listing import project_rows_page
from projects.selectors.progress import progress_report

from ..factories import AnnualPlanFactory, LeaderFactory, MonthlyActualFactory, ProjectFactory, UnitFactory
from .helpers import doc, table_rows

pytestmark = pytest.mark.django_db
PERIOD = {"year": 2026, "month": 6}
SMALL = {
    "A1": ("3000.00", "1000.00"),
    "A2": ("600.00", "200.00"),
    "A3": ("0.00", None),
    "A4": ("1000.00", "500.00"),
    "A5": ("0.00", "100.00"),
    "A6": ("900.00", "300.01"),
    "A7": ("2000.00", None),
}


@pytest.fixture
def small(unit, leader_user):
    ProgressSettings.load()
    made = {}
    for code, (plan, ytd) in SMALL.items():
        p = ProjectFactory(code=code, name=f"项目{code}", unit=unit, leader=leader_user.leader)
        AnnualPlanFactory(project=p, year=2026, pipeline=Pipeline.NEW, amount=Decimal(plan))
        if ytd:
            MonthlyActualFactory(project=p, year=2026, month=4, amount=Decimal(ytd))
        made[code] = p
    return made


def codes(**kwargs) -> list[str]:
    return [r.code for r in project_rows_page(year=2026, month=6, page_size=50, **kwargs).rows]


def test_rates_sort_exactly_with_ties_by_code_and_no_rate_last(small):
    assert codes(order="rate") == ["A7", "A1", "A2", "A6", "A4", "A3", "A5"]
    # descending: the highest rate first, equal rates still by code, projects without a rate still last
    assert codes(order="rate", descending=True) == ["A4", "A6", "A1", "A2", "A7", "A3", "A5"]
    assert codes(order="gap") == codes(order="rate")
    assert codes(order="plan") == ["A3", "A5", "A2", "A6", "A4", "A7", "A1"]
    assert codes(order="status") == ["A7", "A1", "A2", "A6", "A4", "A3", "A5"]
    assert codes(order="status", descending=True) == ["A4", "A1", "A2", "A6", "A7", "A3", "A5"]
    assert codes(order="ytd", descending=True) == ["A1", "A4", "A6", "A2", "A5", "A3", "A7"]  # equal 0s by code
    assert codes(order="rate", statuses=("warning",)) == ["A1", "A2", "A6"]
    assert codes(order="code", unrated=True) == ["A3", "A5"]


def test_pages_carry_the_whole_lists_count_and_sums(small):
    def page(n):
        return project_rows_page(year=2026, month=6, order="rate", page=n, page_size=2)

    assert [[r.code for r in page(n).rows] for n in (1, 2, 3, 4)] == [["A7", "A1"], ["A2", "A6"], ["A4", "A3"], ["A5"]]
    last = page(9)  # past the end: the last page
    assert (last.page, [r.code for r in last.rows], last.num_pages) == (4, ["A5"], 4)
    first = page(1)
    assert (first.count, first.plan, first.actual_to_date) == (7, Decimal("7500.00"), Decimal("2100.01"))
    totals = progress_report(year=2026, month=6).totals  # the engine's report of the same list agrees
    assert (totals.projects, totals.annual_plan, totals.actual_to_date) == (7, first.plan, first.actual_to_date)
    assert first.completion_rate == Decimal("28.0001333333")  # 2100.01 / 7500
    # the heading's counts: every status of the list, whatever status the rows are filtered by
    expected = {"ahead": 0, "normal": 1, "warning": 3, "lagging": 1}
    assert first.status_counts == totals.status_counts == expected
    lagging = project_rows_page(year=2026, month=6, statuses=("lagging",))
    assert (lagging.count, lagging.status_counts) == (1, expected)


def test_unknown_sort_column_is_refused_by_the_whitelist(small):
    with pytest.raises(KeyError):
        project_rows_page(year=2026, month=6, order="t.code; DROP TABLE projects_project")


def test_project_list_sorts_by_header_and_keeps_filters_in_links(client, drc_user, small, unit):
    client.force_login(drc_user)
    params = {**PERIOD, "unit": unit.pk, "sort": "-rate"}
    page = doc(client.get("/projects/", params))
    assert [r[0] for r in table_rows(page, "project-table")] == ["A4", "A6", "A1", "A2", "A7", "A3", "A5"]
    header = page.xpath("//table[@id='project-table']//th[@aria-sort]")
    assert [(h.text_content(), h.get("aria-sort")) for h in header] == [("投资完成率", "descending")]
    rate_link = page.xpath("//table[@id='project-table']//th[@aria-sort]/a/@href")[0]
    assert f"unit={unit.pk}" in rate_link and "sort=rate" in rate_link and "year=2026" in rate_link
    size_link = page.xpath("//a[@data-page-size='20']/@href")[0]
    assert "sort=-rate" in size_link and f"unit={unit.pk}" in size_link
    total = page.xpath("//table[@id='project-table']/tfoot//*[@data-total='plan']")[0].text_content()
    assert total.replace(",", "") == "7500.00"
    assert page.xpath("//form//input[@name='sort']/@value") == ["-rate"]  # the filter form keeps the order
    assert page.xpath("//a[@data-export]/@href")[0].startswith("/reports/progress.xlsx?year=2026&month=6")


def test_bad_page_options_are_reported_and_replaced(client, drc_user, small):
    client.force_login(drc_user)
    html = client.get("/projects/", {**PERIOD, "sort": "secret", "page_size": "7", "page": "x"}).content.decode()
    assert "不是有效选项" in html and "不是有效的页码" in html
    assert len(table_rows(doc(client.get("/projects/", {**PERIOD, "page": "99"})), "project-table")) == 7


def add_projects(n: int, units, leaders) -> None:
    """n projects with a plan and two figures each, inserted in bulk (the list's length is what varies)."""
    start = Project.objects.count()
    projects = Project.objects.bulk_create(
        [
            ProjectFactory.build(code=f"B{start + i:05d}", unit=units[i % len(units)], leader=leaders[i % len(leaders)])
            for i in range(n)
        ]
    )
    AnnualPlan.objects.bulk_create(
        [
            AnnualPlan(project=p, year=2026, pipeline=Pipeline.NEW, amount=Decimal(1000 + i))
            for i, p in enumerate(projects)
        ]
    )
    MonthlyActual.objects.bulk_create(
        [MonthlyActual(project=p, year=2026, month=m, amount=Decimal(10 + i % 700)) for i, p in enumerate(projects)
         for m in (2, 5)]
    )  # fmt: skip


@pytest.mark.parametrize("role_user", ["drc_user", "staff_user", "leader_user"])
def test_list_pages_cost_the_same_for_10_and_500_projects(client, role_user, request, unit):
    user = request.getfixturevalue(role_user)
    client.force_login(user)
    ProgressSettings.load()
    units = [unit, UnitFactory()]
    leaders = [user.leader or LeaderFactory(), LeaderFactory()]
    add_projects(10, units, leaders)
    paths = [
        "/",
        "/projects/",
        "/projects/?sort=-rate&page_size=20",
        "/lists/warning/?sort=status",
        "/lists/not-started/",
        f"/leaders/{leaders[0].pk}/?sort=name",
    ]

    def count(path):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, PERIOD) if "?" not in path else client.get(f"{path}&year=2026&month=6")
        assert response.status_code == 200, path
        return len(ctx.captured_queries), len(response.content)

    for path in paths:
        count(path)  # the session and the settings row, as in a running server
    small = {path: count(path)[0] for path in paths}
    add_projects(490, units, leaders)
    large = {path: count(path) for path in paths}
    assert {path: q for path, (q, _size) in large.items()} == small
    assert max(size for _q, size in large.values()) < 200_000
    page = doc(client.get("/projects/", {**PERIOD, "page_size": 20, "page": 25}))
    assert len(table_rows(page, "project-table")) == 20  # 500 rows: the last of 25 full pages


def test_home_shows_the_first_20_of_ones_own_projects_with_the_pager(client, leader_user, unit):
    ProgressSettings.load()
    add_projects(25, [unit], [leader_user.leader])
    client.force_login(leader_user)
    page = doc(client.get("/", PERIOD))
    assert [r[0] for r in table_rows(page, "my-projects")][:2] == ["B00000", "B00001"]
    assert len(table_rows(page, "my-projects")) == 20
    assert page.xpath("//*[@class='pager-count']")[0].text_content() == "第1–20条,共25条"
    second = doc(client.get("/", {**PERIOD, "page": 2, "sort": "-plan"}))
    assert [r[0] for r in table_rows(second, "my-projects")] == ["B00004", "B00003", "B00002", "B00001", "B00000"]


def test_not_started_list_sorts_by_any_column(client, leader_user, unit):
    import datetime as dt

    ProgressSettings.load()
    for code, start in (("N1", dt.date(2026, 5, 1)), ("N2", dt.date(2026, 2, 1)), ("N3", dt.date(2026, 5, 1))):
        p = ProjectFactory(code=code, name=f"新建{code}", unit=unit, planned_start=start)
        AnnualPlanFactory(project=p, year=2026, pipeline=Pipeline.NEW)
    client.force_login(leader_user)
    rows = table_rows(doc(client.get("/lists/not-started/", PERIOD)), "not-started-table")
    assert [(r[0][:4], r[4]) for r in rows] == [("新建N2", "149"), ("新建N1", "60"), ("新建N3", "60")]
    rows = table_rows(doc(client.get("/lists/not-started/", {**PERIOD, "sort": "overdue"})), "not-started-table")
    assert [r[0][:4] for r in rows] == ["新建N1", "新建N3", "新建N2"]  # fewest days first, equal days by code
