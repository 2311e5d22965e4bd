"""Projects: fields of SPEC section 6, roles, filters, delete refused when figures exist, history."""

from decimal import Decimal

import pytest

from projects.models import Project

from ..factories import AnnualPlanFactory, LeaderFactory, MonthlyActualFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db

KEY_FIELDS = {"id", "code", "name", "sector", "industry", "stage", "total_investment", "unit", "leader"}


def new_project(unit, leader=None, **extra):
    data = {
        "code": "XM-2026-001",
        "name": "城南污水处理厂",
        "sector": "ecology",
        "industry": "tertiary",
        "stage": "construction",
        "total_investment": "12345.60",
        "unit": unit.pk,
        "leader": leader.pk if leader else None,
    }
    data.update(extra)
    return data


def test_bureau_creates_a_project_from_the_key_fields_only(drc, unit):
    leader = LeaderFactory(name="李县长")
    response = drc.post("/api/projects/", new_project(unit, leader), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert KEY_FIELDS <= set(body)
    assert body["total_investment"] == "12345.60"
    assert body["unit_name"] == "县交通运输局" and body["leader_name"] == "李县长"
    assert body["level"] == "county" and body["archived"] is False and body["opening_balance"] == "0.00"
    assert "change_reason" not in body
    project = Project.objects.get(code="XM-2026-001")
    assert project.total_investment == Decimal("12345.60")
    assert project.history.get().history_user.username == "bureau"


def test_project_with_no_leader_has_a_null_leader_name(drc, unit):
    response = drc.post("/api/projects/", new_project(unit), format="json")
    assert response.status_code == 201
    assert response.json()["leader"] is None and response.json()["leader_name"] is None


@pytest.mark.parametrize("client_name", ["staff", "leader"])
def test_staff_and_leaders_cannot_create_or_change_projects(request, client_name, unit):
    client = request.getfixturevalue(client_name)
    response = client.post("/api/projects/", new_project(unit), format="json")
    assert response.status_code == 403
    assert "detail" in response.json()
    project = ProjectFactory(unit=unit)  # even staff's own unit's project is the bureau's to edit
    assert client.patch(f"/api/projects/{project.pk}/", {"name": "改名"}, format="json").status_code == 403
    assert client.put(f"/api/projects/{project.pk}/", new_project(unit), format="json").status_code == 403
    assert client.delete(f"/api/projects/{project.pk}/").status_code == 403
    project.refresh_from_db()
    assert project.name != "改名"


@pytest.mark.parametrize("client_name", ["staff", "leader", "drc"])
def test_everyone_reads_the_whole_county(request, client_name, other_unit):
    client = request.getfixturevalue(client_name)
    project = ProjectFactory(unit=other_unit)
    assert client.get("/api/projects/").json()["count"] == 1
    body = client.get(f"/api/projects/{project.pk}/").json()
    assert body["code"] == project.code and body["unit_name"] == "县水利局"


def test_bureau_patches_and_puts_with_a_reason_in_history(drc, unit):
    project = ProjectFactory(unit=unit, stage="prephase")
    response = drc.patch(f"/api/projects/{project.pk}/", {"stage": "ready", "change_reason": "已具备开工条件"})
    assert response.status_code == 200 and response.json()["stage"] == "ready"
    history = drc.get(f"/api/projects/{project.pk}/history/").json()
    assert history[-1]["old"] == {"stage": "prephase"} and history[-1]["new"] == {"stage": "ready"}
    assert history[-1]["change_reason"] == "已具备开工条件" and history[-1]["user"] == "bureau"
    response = drc.put(f"/api/projects/{project.pk}/", new_project(unit, code=project.code, name="新名称"))
    assert response.status_code == 200 and response.json()["name"] == "新名称"


def test_deleting_a_project_with_figures_is_refused_archive_instead(drc):
    project = ProjectFactory()
    MonthlyActualFactory(project=project)
    response = drc.delete(f"/api/projects/{project.pk}/")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [f"项目{project.code}已有月度完成数据,不能删除;请改为归档(设置 archived)。"]
    }
    assert Project.objects.filter(pk=project.pk).exists()
    response = drc.patch(f"/api/projects/{project.pk}/", {"archived": True})
    assert response.status_code == 200 and response.json()["archived"] is True


def test_bureau_deletes_a_project_without_figures(drc):
    project = ProjectFactory()
    AnnualPlanFactory(project=project)
    assert drc.delete(f"/api/projects/{project.pk}/").status_code == 204
    assert not Project.objects.filter(pk=project.pk).exists()
    assert drc.get(f"/api/projects/{project.pk}/").status_code == 404


def test_duplicate_code_names_the_code_field(drc, unit):
    ProjectFactory(code="XM-1")
    response = drc.post("/api/projects/", new_project(unit, code="XM-1"), format="json")
    assert response.status_code == 400 and "code" in response.json()


def ids(response):
    return sorted(row["id"] for row in response.json()["results"])


def test_project_filters(leader):
    road, water = UnitFactory(name="交通"), UnitFactory(name="水利")
    boss = LeaderFactory(name="张书记")
    a = ProjectFactory(unit=road, leader=boss, sector="transport", industry="tertiary", stage="construction",
                       name="环城公路")  # fmt: skip
    b = ProjectFactory(unit=water, sector="water", industry="primary", stage="prephase", name="灌区改造")
    c = ProjectFactory(unit=water, sector="water", industry="secondary", stage="completed", code="ZZ-9")
    AnnualPlanFactory(project=a, year=2026, pipeline="new")
    AnnualPlanFactory(project=b, year=2026, pipeline="planned")
    AnnualPlanFactory(project=b, year=2025, pipeline="planned")
    AnnualPlanFactory(project=c, year=2025, pipeline="continuing")
    get = lambda q: ids(leader.get(f"/api/projects/?{q}"))  # noqa: E731
    assert get("") == sorted([a.pk, b.pk, c.pk])
    assert get("year=2026") == sorted([a.pk, b.pk])
    assert get("year=2025") == sorted([b.pk, c.pk])
    assert get("pipeline=planned") == [b.pk]
    assert get("year=2025&pipeline=continuing") == [c.pk]
    assert get("year=2026&pipeline=continuing") == []
    assert get(f"unit={water.pk}") == sorted([b.pk, c.pk])
    assert get(f"leader={boss.pk}") == [a.pk]
    assert get("sector=transport") == [a.pk]
    assert get("industry=primary") == [b.pk]
    assert get("stage=completed") == [c.pk]
    assert get("search=灌区") == [b.pk]
    assert get("search=zz-9") == [c.pk]


@pytest.mark.parametrize(
    "query, field",
    [("year=1999", "year"), ("year=abc", "year"), ("pipeline=old", "pipeline"), ("unit=999999", "unit"),
     ("leader=x", "leader"), ("sector=mars", "sector"), ("stage=done", "stage")],
)  # fmt: skip
def test_bad_project_filters_are_400_naming_the_filter(leader, query, field):
    response = leader.get(f"/api/projects/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]
