"""A small county with figures worked out by hand (year 2026, month 6: the schedule is exactly 50 %).

| project | unit | leader | pipeline | plan | Jan–Jun | rate | gap | status | sector / industry |
| P1 | 交通 | 王 | continuing | 10000 | 6000 | 60 % | +10 | ahead | transport / tertiary |
| P2 | 交通 | 李 | new | 4000 | 1000 | 25 % | −25 | lagging | transport / tertiary |
| P3 | 水利 | 王 | new | 6000 | 2400 | 40 % | −10 | warning | water / tertiary |
| P4 | 城关镇 | — | new | 2000 | 0 | 0 % | −50 | lagging | urban / tertiary |
| P5 | 城关镇 | 李 | planned | 0 | 0 | — | — | — | social / tertiary |
| P6 | 水利 | — | new | 3000 | 0 | 0 % | −50 | lagging | water / secondary |
Totals: plan 25000, actual 9400 → 37.6 %, gap −12.4 (warning). 2025: only P1, plan 8000, Jan–Jun 2000 → 25 %.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from projects.choices import Industry, Pipeline, Sector, Stage, UnitKind

from ..factories import AnnualPlanFactory, BottleneckFactory, LeaderFactory, MonthlyActualFactory, ProjectFactory

YEAR, MONTH = 2026, 6


def make_project(*, unit, leader, pipeline, plan, actuals=(), year=YEAR, **kwargs):
    """A project with a plan for `year` and (month, amount) actuals in that year."""
    project = ProjectFactory(unit=unit, leader=leader, **kwargs)
    AnnualPlanFactory(project=project, year=year, pipeline=pipeline, amount=Decimal(plan))
    for month, amount in actuals:
        MonthlyActualFactory(project=project, year=year, month=month, amount=Decimal(amount))
    return project


@pytest.fixture
def county(unit, other_unit, leader_user):
    from ..factories import UnitFactory

    town = UnitFactory(name="城关镇", kind=UnitKind.TOWNSHIP)
    wang = leader_user.leader
    li = LeaderFactory(name="李副县长", rank=200)
    today = timezone.localdate()
    p1 = make_project(
        unit=unit, leader=wang, pipeline=Pipeline.CONTINUING, plan="10000.00",
        actuals=[(1, "1000.00"), (3, "2000.00"), (6, "3000.00"), (7, "999.00")],
        name="县城环城路", sector=Sector.TRANSPORT,
    )  # fmt: skip
    AnnualPlanFactory(project=p1, year=2025, pipeline=Pipeline.NEW, amount=Decimal("8000.00"))
    MonthlyActualFactory(project=p1, year=2025, month=2, amount=Decimal("2000.00"))
    MonthlyActualFactory(project=p1, year=2025, month=9, amount=Decimal("3000.00"))
    p2 = make_project(
        unit=unit, leader=li, pipeline=Pipeline.NEW, plan="4000.00", actuals=[(2, "1000.00")],
        name="客运站", sector=Sector.TRANSPORT, planned_start=dt.date(2026, 3, 1), actual_start=dt.date(2026, 4, 1),
    )  # fmt: skip
    p3 = make_project(
        unit=other_unit, leader=wang, pipeline=Pipeline.NEW, plan="6000.00", actuals=[(5, "2400.00")],
        name="灌区改造", sector=Sector.WATER, planned_start=dt.date(2026, 5, 1), actual_start=dt.date(2026, 7, 15),
    )  # fmt: skip
    p4 = make_project(
        unit=town, leader=None, pipeline=Pipeline.NEW, plan="2000.00",
        name="老旧小区改造", sector=Sector.URBAN, planned_start=dt.date(2026, 6, 30), stage=Stage.PREPHASE,
    )  # fmt: skip
    p5 = make_project(
        unit=town, leader=li, pipeline=Pipeline.PLANNED, plan="0.00",
        name="养老中心", sector=Sector.SOCIAL, stage=Stage.PREPHASE,
    )  # fmt: skip
    p6 = make_project(
        unit=other_unit, leader=None, pipeline=Pipeline.NEW, plan="3000.00",
        name="水厂", sector=Sector.WATER, industry=Industry.SECONDARY, planned_start=dt.date(2026, 8, 1),
    )  # fmt: skip
    b1 = BottleneckFactory(
        project=p2, category="funding", description="资金未到位", raised=today - dt.timedelta(days=30)
    )
    b2 = BottleneckFactory(
        project=p3, category="land_acquisition", description="征迁未完成", raised=today - dt.timedelta(days=10)
    )
    BottleneckFactory(
        project=p1, category="approvals", description="已解决", raised=today - dt.timedelta(days=50), resolved=today
    )
    return SimpleNamespace(
        transport=unit,
        water=other_unit,
        town=town,
        wang=wang,
        li=li,
        p1=p1,
        p2=p2,
        p3=p3,
        p4=p4,
        p5=p5,
        p6=p6,
        b1=b1,
        b2=b2,
        today=today,
    )
