"""Overdue milestones on the home pages (SPEC section 12): staff see their unit's, a linked leader their
projects', most overdue first with the days late; done ones and other units' are left out."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.selectors.nodeplans import overdue_milestones_for

from ..factories import ProjectFactory
from .factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def overdue_section(response) -> str:
    html = response.content.decode()
    assert 'id="overdue-milestones"' in html
    return html.split('id="overdue-milestones"')[1].split("</section>")[0]


def test_staff_see_their_units_overdue_milestones(client, staff_user, unit, other_unit):
    mine = ProjectFactory(unit=unit, name="客运站")
    MilestoneFactory(project=mine, name="主体封顶", planned_date=ago(17))
    MilestoneFactory(project=mine, name="桩基完成", planned_date=ago(40))
    MilestoneFactory(project=mine, name="已完成节点", planned_date=ago(30), done_on=ago(25))
    MilestoneFactory(project=mine, name="未到期节点", planned_date=ago(-5))
    MilestoneFactory(project=ProjectFactory(unit=other_unit, name="水厂"), name="他人节点", planned_date=ago(9))
    client.force_login(staff_user)
    section = overdue_section(client.get("/"))
    assert "主体封顶" in section and "桩基完成" in section and "客运站" in section
    assert "已完成节点" not in section and "未到期节点" not in section
    assert "他人节点" not in section and "水厂" not in section
    assert "逾期节点" in section and "共 2 个" in section
    # most overdue first: 40 days, then 17
    assert section.index("桩基完成") < section.index("主体封顶")
    assert f'href="/projects/{mine.pk}/"' in section
    days = [cell.split(">")[1].split("<")[0] for cell in section.split("data-days-late")[1:]]
    assert days == ["40", "17"]


def test_done_after_the_day_still_counts_and_done_before_does_not():
    project = ProjectFactory()
    day = dt.date(2026, 6, 30)
    MilestoneFactory(project=project, name="late done", planned_date=dt.date(2026, 6, 1), done_on=dt.date(2026, 7, 3))
    MilestoneFactory(project=project, name="done", planned_date=dt.date(2026, 6, 1), done_on=dt.date(2026, 6, 30))
    MilestoneFactory(project=project, name="due today", planned_date=day)
    rows, total = overdue_milestones_for(unit_id=project.unit_id, day=day)
    assert total == 2
    # 2026-06-01 → 2026-06-30: 29 days; due on the day itself: 0 days late
    assert [(o.milestone.name, o.days_late) for o in rows] == [("late done", 29), ("due today", 0)]


def test_a_linked_leader_sees_their_projects(client, leader_user, unit):
    theirs = ProjectFactory(unit=unit, leader=leader_user.leader, name="灌区改造")
    MilestoneFactory(project=theirs, name="渠首完工", planned_date=ago(12))
    MilestoneFactory(project=ProjectFactory(unit=unit), name="别人的节点", planned_date=ago(12))
    client.force_login(leader_user)
    section = overdue_section(client.get("/"))
    assert "渠首完工" in section and "灌区改造" in section and "别人的节点" not in section
    assert '<td class="num" data-days-late>12</td>' in section


def test_no_section_when_nothing_is_overdue(client, staff_user, unit):
    MilestoneFactory(project=ProjectFactory(unit=unit), planned_date=ago(3), done_on=ago(4))
    client.force_login(staff_user)
    assert 'id="overdue-milestones"' not in client.get("/").content.decode()


@pytest.mark.parametrize("n", [3, 60])
def test_constant_queries(n, unit):
    projects = ProjectFactory.create_batch(3, unit=unit)
    for i in range(n):
        MilestoneFactory(project=projects[i % 3], planned_date=ago(i + 1))
    with CaptureQueriesContext(connection) as ctx:
        rows, total = overdue_milestones_for(unit_id=unit.pk, day=timezone.localdate())
        [o.project.name for o in rows]
    assert total == n and len(rows) == min(n, 20)
    assert len(ctx.captured_queries) == 2
