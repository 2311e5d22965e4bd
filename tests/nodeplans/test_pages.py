"""The pages of SPEC section 10: wall chart, pre-phase grid, project milestones and their form."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.choices import Pipeline, Role, Stage
from projects.models import Milestone, PrephaseItem, ProgressSettings

from ..factories import AnnualPlanFactory, LeaderFactory, MonthlyActualFactory, ProjectFactory, UserFactory
from .factories import MilestoneFactory, PrephaseItemFactory

pytestmark = pytest.mark.django_db


def county(unit, n, leader=None):
    for i in range(n):
        p = ProjectFactory(unit=unit, leader=leader or LeaderFactory())
        AnnualPlanFactory(project=p, year=2026, pipeline=Pipeline.PLANNED if i % 2 else Pipeline.NEW)
        MonthlyActualFactory(project=p, year=2026, month=2)
        MilestoneFactory(project=p, planned_date=dt.date(2026, 2, 1), name="开工")
        MilestoneFactory(project=p, planned_date=dt.date(2026, 2, 15), name="主体", done_on=dt.date(2026, 2, 10))
        PrephaseItemFactory(project=p, kind="proposal", planned_date=dt.date(2026, 1, 31))


def test_wallchart_shows_each_projects_late_nodes_by_days(client, leader_user, unit):
    project = ProjectFactory(unit=unit, name="城南大道", leader=leader_user.leader)
    AnnualPlanFactory(project=project, year=2026)
    MilestoneFactory(project=project, name="管网完工", planned_date=dt.date(2026, 3, 1))
    MilestoneFactory(project=project, name="路面完工", planned_date=dt.date(2026, 3, 10), done_on=dt.date(2026, 3, 5))
    client.force_login(leader_user)
    page = client.get(f"/wallchart/leader/{leader_user.leader.pk}/", {"year": 2026, "month": 3})
    assert page.status_code == 200
    html = page.content.decode()
    assert "城南大道" in html and 'data-state="overdue"' in html and 'data-state="done"' in html
    late = page.context["rows"][0].overdue[0]
    assert late.obj.name == "管网完工" and late.days_late == (page.context["day"] - dt.date(2026, 3, 1)).days
    assert page.context["timeline"]["nodes"][0]["state"] == "overdue"
    assert client.get(f"/wallchart/unit/{unit.pk}/", {"year": 2026, "month": 3}).status_code == 200
    assert client.get("/wallchart/unit/999999/").status_code == 404


@pytest.mark.parametrize("url", ["/wallchart/", "/lists/prephase/", "/overview/", "/ranking/units/", "/leaders/"])
def test_pages_cost_the_same_queries_at_4_and_60_projects(client, drc_user, unit, url):
    client.force_login(drc_user)

    def count():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"year": 2026, "month": 3}).status_code == 200
        return len(ctx.captured_queries)

    ProgressSettings.load()  # the first request would create the settings row
    county(unit, 4)
    small = count()
    county(unit, 56)
    assert count() == small


def test_prephase_grid_ticks_and_overdue_marks(client, leader_user, unit):
    reserve = ProjectFactory(unit=unit, stage=Stage.PREPHASE, name="物流园")
    AnnualPlanFactory(project=reserve, year=2026, pipeline=Pipeline.PLANNED)
    PrephaseItemFactory(
        project=reserve, kind="proposal", planned_date=dt.date(2026, 1, 10), done_on=dt.date(2026, 1, 9)
    )
    PrephaseItemFactory(project=reserve, kind="land", planned_date=dt.date(2026, 2, 1))
    client.force_login(leader_user)
    page = client.get("/lists/prephase/", {"year": 2026, "month": 3})
    html = page.content.decode()
    assert "物流园" in html
    states = [n.state if n else None for n in page.context["rows"][0].items]
    assert states == ["done", None, "overdue", None, None, None, None, None]
    assert page.context["rows"][0].row.status == "warning"  # one overdue item


def test_staff_of_the_unit_keep_milestones_on_the_project_page(client, staff_user, other_staff_user, unit):
    project = ProjectFactory(unit=unit)
    AnnualPlanFactory(project=project, year=2026)
    url = f"/projects/{project.pk}/nodes/?year=2026&month=3"
    client.force_login(other_staff_user)
    assert (
        client.post(
            url, {"action": "milestone", "year": 2026, "name": "开工", "planned_date": "2026-04-01"}
        ).status_code
        == 403
    )
    client.force_login(staff_user)
    saved = client.post(url, {"action": "milestone", "year": 2026, "name": "开工", "planned_date": "2026-04-01"})
    assert saved.status_code == 302 and Milestone.objects.get().history.first().history_user == staff_user
    bad = client.post(url, {"action": "milestone", "year": 2026, "name": "竣工", "planned_date": "2026-13-01"})
    assert bad.status_code == 400 and Milestone.objects.count() == 1
    future = client.post(
        url, {"action": "item", "kind": "permit", "planned_date": "2026-04-01", "done_on": "2099-01-01"}
    )
    assert future.status_code == 400 and not PrephaseItem.objects.exists()
    assert (
        client.post(
            url, {"action": "item", "kind": "permit", "planned_date": "2026-04-01", "document_no": "施许〔2026〕3号"}
        ).status_code
        == 302
    )
    detail = client.get(f"/projects/{project.pk}/", {"year": 2026, "month": 3})
    assert "开工" in detail.content.decode() and "施许〔2026〕3号" in detail.content.decode()
    leader = UserFactory(role=Role.LEADER)
    client.force_login(leader)
    assert client.get(url).status_code == 200 and b'id="milestone-form"' not in client.get(url).content


def test_wallchart_shows_a_reserve_projects_late_paperwork_first(client, leader_user, unit):
    ordinary = ProjectFactory(unit=unit, code="A1")
    AnnualPlanFactory(project=ordinary, year=2026)
    reserve = ProjectFactory(unit=unit, code="B1", stage=Stage.PREPHASE)
    AnnualPlanFactory(project=reserve, year=2026, pipeline=Pipeline.PLANNED)
    PrephaseItemFactory(project=reserve, kind="land", planned_date=dt.date(2026, 2, 1))
    client.force_login(leader_user)
    page = client.get("/wallchart/", {"year": 2026, "month": 3})
    rows = page.context["rows"]
    assert [r.row.code for r in rows] == ["B1", "A1"]  # the late one first
    assert rows[0].overdue[0].obj.name == "用地预审与选址" and rows[0].row.status == "warning"


def test_the_bureau_keeps_milestones_in_the_admin(client, drc_user, unit):
    project = ProjectFactory(unit=unit)
    client.force_login(drc_user)
    assert client.get("/admin/projects/milestone/").status_code == 200
    added = client.post(
        "/admin/projects/milestone/add/",
        {"project": project.pk, "year": 2026, "name": "开工", "planned_date": "2026-04-01", "note": ""},
    )
    assert added.status_code == 302 and Milestone.objects.get().history.first().history_user == drc_user
    future = client.post(
        "/admin/projects/prephaseitem/add/",
        {"project": project.pk, "kind": "permit", "planned_date": "2026-04-01", "done_on": "2099-01-01"},
    )
    assert future.status_code == 200 and not PrephaseItem.objects.exists()  # the form again, with the reason
    assert "完成日期不能晚于今天" in future.content.decode()


def test_a_leaders_menu_opens_their_own_wall_chart(client, leader_user):
    client.force_login(leader_user)
    html = client.get("/wallchart/").content.decode()
    assert f'href="/wallchart/leader/{leader_user.leader.pk}/' in html


@pytest.mark.parametrize("url", ["/wallchart/", "/lists/prephase/", "/wallchart/?year=2030&page=9"])
def test_an_empty_year_is_an_empty_page_not_an_error(client, leader_user, url):
    client.force_login(leader_user)
    assert client.get(url).status_code == 200


def test_staff_delete_their_milestone_from_its_row(client, staff_user, unit):
    project = ProjectFactory(unit=unit)
    milestone = MilestoneFactory(project=project)
    client.force_login(staff_user)
    url = f"/projects/{project.pk}/nodes/?year=2026&month=3"
    assert f"edit={milestone.pk}" in client.get(url).content.decode()
    assert client.post(url, {"action": "delete-milestone", "id": milestone.pk}).status_code == 302
    assert not Milestone.objects.exists() and Milestone.history.filter(history_type="-").exists()
