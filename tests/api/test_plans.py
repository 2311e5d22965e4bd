"""Annual plans: the bureau keeps them; duplicates name the existing row; history; filters."""

from decimal import Decimal

import pytest

from projects.models import AnnualPlan

from ..factories import AnnualPlanFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


def plan(project, **extra):
    data = {"project": project.pk, "year": 2026, "pipeline": "new", "amount": "8000.00"}
    data.update(extra)
    return data


def test_bureau_creates_a_plan_with_labels(drc, unit):
    project = ProjectFactory(unit=unit)
    response = drc.post("/api/plans/", plan(project), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("project", "year", "pipeline", "amount")} == {
        "project": project.pk,
        "year": 2026,
        "pipeline": "new",
        "amount": "8000.00",
    }
    assert body["pipeline_display"] == "新建" and body["unit_name"] == "县交通运输局"
    assert AnnualPlan.objects.get().amount == Decimal("8000.00")


@pytest.mark.parametrize("client_name", ["staff", "leader"])
def test_only_the_bureau_writes_plans(request, client_name, unit):
    client = request.getfixturevalue(client_name)
    project = ProjectFactory(unit=unit)
    assert client.post("/api/plans/", plan(project), format="json").status_code == 403
    existing = AnnualPlanFactory(project=project)
    assert client.patch(f"/api/plans/{existing.pk}/", {"amount": "1.00"}, format="json").status_code == 403
    assert client.delete(f"/api/plans/{existing.pk}/").status_code == 403
    assert client.get(f"/api/plans/{existing.pk}/").status_code == 200
    existing.refresh_from_db()
    assert existing.amount == Decimal("1000.00")


def test_duplicate_plan_names_the_existing_id_and_patch_changes_it(drc):
    existing = AnnualPlanFactory(year=2026)
    response = drc.post("/api/plans/", plan(existing.project), format="json")
    assert response.status_code == 400
    assert response.json()["id"] == existing.pk and str(existing.pk) in response.json()["non_field_errors"][0]
    assert AnnualPlan.objects.count() == 1
    response = drc.patch(f"/api/plans/{existing.pk}/", {"amount": "9000.00", "change_reason": "年中调整"})
    assert response.status_code == 200 and response.json()["amount"] == "9000.00"
    history = drc.get(f"/api/plans/{existing.pk}/history/").json()
    assert history[-1]["old"] == {"amount": "1000.00"} and history[-1]["new"] == {"amount": "9000.00"}
    assert history[-1]["change_reason"] == "年中调整"


def test_plan_cannot_move_to_another_year(drc):
    existing = AnnualPlanFactory(year=2026)
    response = drc.patch(f"/api/plans/{existing.pk}/", {"year": 2027}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["year"]


def test_plan_filters(leader):
    road, water = UnitFactory(), UnitFactory()
    p1, p2 = ProjectFactory(unit=road), ProjectFactory(unit=water)
    a = AnnualPlanFactory(project=p1, year=2026, pipeline="new")
    b = AnnualPlanFactory(project=p1, year=2025, pipeline="planned")
    c = AnnualPlanFactory(project=p2, year=2026, pipeline="continuing")

    def get(q):
        return sorted(r["id"] for r in leader.get(f"/api/plans/?{q}").json()["results"])

    assert get("year=2026") == sorted([a.pk, c.pk])
    assert get("pipeline=planned") == [b.pk]
    assert get(f"unit={water.pk}") == [c.pk]
    assert get(f"project={p1.pk}") == sorted([a.pk, b.pk])
    assert get(f"year=2026&unit={road.pk}&pipeline=new") == [a.pk]
    assert list(leader.get("/api/plans/?pipeline=reserve").json()) == ["pipeline"]


def test_a_plan_created_meanwhile_is_still_a_400_naming_it(drc, monkeypatch):
    """Another request inserts the same plan between our check and our insert: 400, not 500."""
    from django.db import IntegrityError

    from projects.services import records as services_api

    project = ProjectFactory()

    def losing_plan_set(**kwargs):
        # The other request's row is committed first; our insert then violates the unique constraint.
        AnnualPlanFactory(project=project, year=2026)
        raise IntegrityError("duplicate key value violates unique constraint plan_one_per_project_year")

    monkeypatch.setattr(services_api, "plan_set", losing_plan_set)
    response = drc.post("/api/plans/", plan(project), format="json")
    assert response.status_code == 400
    # (the other request's row was rolled back with ours here; in reality it is committed and stays)
    existing_id = response.json()["id"]
    assert isinstance(existing_id, int) and f"编号 {existing_id}" in response.json()["non_field_errors"][0]
