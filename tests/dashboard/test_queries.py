"""Every page costs the same number of SQL queries for 5 projects as for 40 (and for 2 or 12 figures)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.choices import Pipeline
from projects.models import ProgressSettings

from ..factories import (
    AnnualPlanFactory,
    BottleneckFactory,
    LeaderFactory,
    MonthlyActualFactory,
    ProjectFactory,
    UnitFactory,
)
from .helpers import PAGES

pytestmark = pytest.mark.django_db


def add_projects(n: int, units, leaders) -> list:
    made = []
    for i in range(n):
        pipeline = [Pipeline.CONTINUING, Pipeline.NEW, Pipeline.PLANNED][i % 3]
        p = ProjectFactory(
            unit=units[i % len(units)], leader=leaders[i % len(leaders)], planned_start=dt.date(2026, 2, 1)
        )
        AnnualPlanFactory(project=p, year=2026, pipeline=pipeline, amount=Decimal(1000 + i))
        AnnualPlanFactory(project=p, year=2025, pipeline=Pipeline.NEW, amount=Decimal(900))
        for month in (1, 4):
            MonthlyActualFactory(project=p, year=2026, month=month, amount=Decimal(50 + i), progress="施工中")
        BottleneckFactory(project=p, unit=units[0])
        made.append(p)
    return made


def count(client, path, params, *, cold: bool = True):
    """Queries of one GET; `cold` empties the figure cache first (a page right after a data change)."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def cold_and_warm(client, path, params) -> tuple[int, int]:
    return count(client, path, params), count(client, path, params, cold=False)


@pytest.mark.parametrize("role_user", ["drc_user", "staff_user", "leader_user"])
def test_pages_cost_the_same_for_5_and_40_projects(client, role_user, request, unit):
    user = request.getfixturevalue(role_user)
    client.force_login(user)
    ProgressSettings.load()
    units = [unit, UnitFactory(), UnitFactory()]
    leaders = [LeaderFactory(), LeaderFactory()]
    if user.leader_id:
        leaders.append(user.leader)
    first = add_projects(5, units, leaders)
    params = {"year": 2026, "month": 6}
    paths = [*PAGES, f"/leaders/{leaders[0].pk}/", f"/projects/{first[0].pk}/"]
    for path in paths:
        count(client, path, params)  # warm the session and caches
    small = {path: cold_and_warm(client, path, params) for path in paths}
    add_projects(35, units, leaders)
    large = {path: cold_and_warm(client, path, params) for path in paths}
    assert small == large
    # The figure cache answers the overview's engine queries when the data has not changed.
    assert small["/overview/"][1] < small["/overview/"][0]
    filtered = {**params, "unit": units[1].pk, "pipeline": "new"}
    assert count(client, "/overview/", filtered) == count(client, "/overview/", filtered)


def test_project_page_costs_the_same_for_2_or_12_figures_and_more_history(client, leader_user, unit):
    client.force_login(leader_user)
    ProgressSettings.load()
    p = ProjectFactory(unit=unit)
    AnnualPlanFactory(project=p, year=2026, amount=Decimal("1200.00"))
    MonthlyActualFactory(project=p, year=2026, month=1)
    MonthlyActualFactory(project=p, year=2026, month=2)
    BottleneckFactory(project=p)
    path, params = f"/projects/{p.pk}/", {"year": 2026, "month": 6}
    count(client, path, params)
    small = count(client, path, params)
    for month in range(3, 13):
        MonthlyActualFactory(project=p, year=2026, month=month)
    for year in (2023, 2024, 2025):
        AnnualPlanFactory(project=p, year=year)
    BottleneckFactory.create_batch(4, project=p)
    p.name = "改名后的项目"
    p.save()
    assert count(client, path, params) == small
