"""Units, leaders and reporting periods: everyone reads, the bureau writes."""

import pytest

from projects.models import Leader, ReportingPeriod, Unit

from ..factories import LeaderFactory, ProjectFactory, ReportingPeriodFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_bureau_keeps_units(drc):
    response = drc.post("/api/units/", {"name": "城关镇", "kind": "township"}, format="json")
    assert response.status_code == 201
    assert response.json() | {"id": 0} == {
        "id": 0,
        "name": "城关镇",
        "kind": "township",
        "contact_person": "",
        "contact_phone": "",
        "kind_display": "乡镇(街道)",
    }
    pk = response.json()["id"]
    assert drc.patch(f"/api/units/{pk}/", {"contact_phone": "0000-1234567"}).json()["contact_phone"] == "0000-1234567"
    assert drc.delete(f"/api/units/{pk}/").status_code == 204
    assert not Unit.objects.filter(pk=pk).exists()


def test_unit_with_projects_cannot_be_deleted(drc, unit):
    ProjectFactory(unit=unit)
    response = drc.delete(f"/api/units/{unit.pk}/")
    assert response.status_code == 400
    assert "县交通运输局" in response.json()["non_field_errors"][0]
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_unit_name_is_unique_and_kind_is_a_code(drc, unit):
    assert list(drc.post("/api/units/", {"name": "县交通运输局"}, format="json").json()) == ["name"]
    assert list(drc.post("/api/units/", {"name": "新单位", "kind": "部门"}, format="json").json()) == ["kind"]


@pytest.mark.parametrize("client_name", ["staff", "leader"])
def test_staff_and_leaders_read_units_and_leaders(request, client_name, unit):
    client = request.getfixturevalue(client_name)
    LeaderFactory(name="赵县长")
    assert client.get("/api/units/").json()["count"] >= 1
    assert any(row["name"] == "赵县长" for row in client.get("/api/leaders/").json()["results"])
    assert client.post("/api/units/", {"name": "新单位"}, format="json").status_code == 403
    assert client.patch(f"/api/units/{unit.pk}/", {"name": "改名"}, format="json").status_code == 403
    assert client.post("/api/leaders/", {"name": "新领导"}, format="json").status_code == 403


def test_unit_and_leader_filters(leader):
    UnitFactory(name="城关镇", kind="township")
    UnitFactory(name="县财政局", kind="department")
    LeaderFactory(name="孙副县长")
    names = [u["name"] for u in leader.get("/api/units/?kind=township").json()["results"]]
    assert names == ["城关镇"]
    assert [u["name"] for u in leader.get("/api/units/?search=财政").json()["results"]] == ["县财政局"]
    assert [x["name"] for x in leader.get("/api/leaders/?search=孙").json()["results"]] == ["孙副县长"]


def test_bureau_keeps_leaders(drc):
    response = drc.post("/api/leaders/", {"name": "周县长", "title": "县长"}, format="json")
    assert response.status_code == 201 and response.json()["rank"] == 100
    pk = response.json()["id"]
    assert drc.delete(f"/api/leaders/{pk}/").status_code == 204
    assert not Leader.objects.filter(pk=pk).exists()


def test_bureau_opens_and_locks_periods(drc):
    response = drc.post("/api/periods/", {"year": 2026, "month": 10}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body | {"id": 0} == {"id": 0, "year": 2026, "month": 10, "locked": False, "deadline": None}
    response = drc.patch(f"/api/periods/{body['id']}/", {"locked": True, "deadline": "2026-11-05"}, format="json")
    assert response.status_code == 200 and response.json()["locked"] is True
    assert ReportingPeriod.objects.get(year=2026, month=10).locked
    duplicate = drc.post("/api/periods/", {"year": 2026, "month": 10, "locked": True}, format="json")
    assert duplicate.status_code == 400 and duplicate.json()["id"] == body["id"]
    assert ReportingPeriod.objects.count() == 1


def test_period_filters(leader):
    a = ReportingPeriodFactory(year=2026, month=9, locked=True)
    ReportingPeriodFactory(year=2026, month=10, locked=False)
    rows = leader.get("/api/periods/?locked=true").json()["results"]
    assert [r["id"] for r in rows] == [a.pk]
    assert leader.get("/api/periods/?year=2026&month=10").json()["count"] == 1


@pytest.mark.parametrize("client_name", ["staff", "leader"])
def test_others_only_read_periods(request, client_name):
    client = request.getfixturevalue(client_name)
    period = ReportingPeriodFactory(year=2026, month=9)
    assert client.get("/api/periods/").json()["count"] == 1
    created = client.post("/api/periods/", {"year": 2026, "month": 11}, format="json")
    changed = client.patch(f"/api/periods/{period.pk}/", {"locked": True}, format="json")
    # The refusal the reporting pages and the admin give: one rule, one message.
    for response in (created, changed):
        assert (response.status_code, response.json()["detail"]) == (403, "只有县发改局可以管理填报期。")
    assert client.delete(f"/api/periods/{period.pk}/").status_code == 403
    period.refresh_from_db()
    assert period.locked is False
