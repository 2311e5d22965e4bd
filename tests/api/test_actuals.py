"""Monthly actuals: roles and units, locked periods, duplicates, optimistic versions, history, filters."""

from decimal import Decimal

import pytest

from projects.models import MonthlyActual

from ..factories import MonthlyActualFactory, ProjectFactory, ReportingPeriodFactory, UnitFactory

pytestmark = pytest.mark.django_db


def figure(project, **extra):
    data = {"project": project.pk, "year": 2026, "month": 3, "amount": "1234.50", "progress": "主体施工"}
    data.update(extra)
    return data


def test_staff_enters_a_figure_for_their_unit(staff, unit):
    project = ProjectFactory(unit=unit)
    response = staff.post("/api/actuals/", figure(project), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("project", "year", "month", "amount", "progress")} == {
        "project": project.pk,
        "year": 2026,
        "month": 3,
        "amount": "1234.50",
        "progress": "主体施工",
    }
    assert body["unit"] == unit.pk and body["unit_name"] == "县交通运输局" and body["project_code"] == project.code
    assert body["version"] == 1
    actual = MonthlyActual.objects.get(pk=body["id"])
    assert actual.amount == Decimal("1234.50")
    assert actual.history.get().history_user.username == "clerk"


def test_amount_defaults_to_zero_and_only_key_fields_are_needed(staff, unit):
    project = ProjectFactory(unit=unit)
    response = staff.post("/api/actuals/", {"project": project.pk, "year": 2026, "month": 1}, format="json")
    assert response.status_code == 201 and response.json()["amount"] == "0.00"


def test_staff_cannot_write_another_units_project(staff, other_unit):
    project = ProjectFactory(unit=other_unit)
    response = staff.post("/api/actuals/", figure(project), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": f"项目{project.code}属于其他单位,您只能填报本单位的项目。"}
    actual = MonthlyActualFactory(project=project, month=3)
    assert staff.patch(f"/api/actuals/{actual.pk}/", {"amount": "1.00"}, format="json").status_code == 403
    actual.refresh_from_db()
    assert actual.amount == Decimal("100.00")
    assert not MonthlyActual.objects.filter(project=project, amount=Decimal("1234.50")).exists()


def test_leader_reads_only(leader, unit):
    project = ProjectFactory(unit=unit)
    actual = MonthlyActualFactory(project=project)
    assert leader.get("/api/actuals/").json()["count"] == 1
    response = leader.post("/api/actuals/", figure(project, month=4), format="json")
    assert response.status_code == 403 and response.json() == {"detail": "您的角色对这些记录只有查看权限。"}
    assert leader.patch(f"/api/actuals/{actual.pk}/", {"amount": "1.00"}, format="json").status_code == 403
    assert leader.delete(f"/api/actuals/{actual.pk}/").status_code == 403
    assert MonthlyActual.objects.count() == 1


def test_staff_cannot_delete_even_their_own_figure(staff, drc, unit):
    actual = MonthlyActualFactory(project=ProjectFactory(unit=unit))
    assert staff.delete(f"/api/actuals/{actual.pk}/").status_code == 403
    assert drc.delete(f"/api/actuals/{actual.pk}/").status_code == 204
    assert not MonthlyActual.objects.exists()


def test_locked_month_refuses_staff_naming_the_period(staff, unit):
    project = ProjectFactory(unit=unit)
    actual = MonthlyActualFactory(project=project, month=2)
    ReportingPeriodFactory(year=2026, month=2, locked=True)
    response = staff.post("/api/actuals/", figure(project, month=2), format="json")
    assert response.status_code == 400
    assert response.json()["month"] == ["2026年02月填报期已锁定,只有县发改局可以修改。"]
    response = staff.patch(f"/api/actuals/{actual.pk}/", {"amount": "5.00"}, format="json")
    assert response.status_code == 400 and "month" in response.json()
    actual.refresh_from_db()
    assert actual.amount == Decimal("100.00")


def test_bureau_changes_a_locked_month_only_with_a_reason(drc):
    actual = MonthlyActualFactory(month=2)
    ReportingPeriodFactory(year=2026, month=2, locked=True)
    response = drc.patch(f"/api/actuals/{actual.pk}/", {"amount": "5.00"}, format="json")
    assert response.status_code == 400
    assert "原因" in response.json()["change_reason"][0]
    response = drc.patch(f"/api/actuals/{actual.pk}/", {"amount": "5.00", "change_reason": "统计局核定"})
    assert response.status_code == 200 and response.json()["amount"] == "5.00"
    history = drc.get(f"/api/actuals/{actual.pk}/history/").json()
    assert [set(entry) >= {"changed_at", "user", "change_reason", "old", "new"} for entry in history] == [True, True]
    assert history[-1]["old"] == {"amount": "100.00"} and history[-1]["new"] == {"amount": "5.00"}
    assert history[-1]["change_reason"] == "统计局核定" and history[-1]["user"] == "bureau"


def test_posting_the_same_month_twice_is_400_naming_the_existing_id(staff, unit):
    project = ProjectFactory(unit=unit)
    first = staff.post("/api/actuals/", figure(project), format="json").json()
    response = staff.post("/api/actuals/", figure(project, amount="99.00"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["id"] == first["id"]
    assert body["non_field_errors"] == [
        f"项目{project.code}已有2026年03月的数据(编号 {first['id']}),请改用 PATCH 修改。"
    ]
    assert MonthlyActual.objects.filter(project=project).count() == 1
    # PATCH changes it
    response = staff.patch(f"/api/actuals/{first['id']}/", {"amount": "99.00", "change_reason": "更正"})
    assert response.status_code == 200 and response.json()["amount"] == "99.00" and response.json()["version"] == 2
    assert MonthlyActual.objects.get(project=project).amount == Decimal("99.00")


def test_put_replaces_and_patch_keeps_other_fields(staff, unit):
    actual = MonthlyActualFactory(project=ProjectFactory(unit=unit), month=5, progress="基础", problems="无")
    response = staff.patch(f"/api/actuals/{actual.pk}/", {"progress": "主体"}, format="json")
    assert response.status_code == 200
    assert response.json()["amount"] == "100.00" and response.json()["problems"] == "无"
    body = figure(actual.project, month=5, amount="150.00")
    response = staff.put(f"/api/actuals/{actual.pk}/", body, format="json")
    assert response.status_code == 200 and response.json()["amount"] == "150.00"


def test_a_figure_cannot_move_to_another_month(staff, unit):
    actual = MonthlyActualFactory(project=ProjectFactory(unit=unit), month=5)
    response = staff.patch(f"/api/actuals/{actual.pk}/", {"month": 6}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["month"]
    actual.refresh_from_db()
    assert actual.month == 5


def test_stale_version_is_refused(staff, unit):
    actual = MonthlyActualFactory(project=ProjectFactory(unit=unit))
    assert staff.patch(f"/api/actuals/{actual.pk}/", {"amount": "1.00", "version": 1}).status_code == 200
    response = staff.patch(f"/api/actuals/{actual.pk}/", {"amount": "2.00", "version": 1})
    assert response.status_code == 400 and "version" in response.json()
    actual.refresh_from_db()
    assert actual.amount == Decimal("1.00")


def test_actual_filters(leader):
    road, water = UnitFactory(), UnitFactory()
    p1, p2 = ProjectFactory(unit=road), ProjectFactory(unit=water)
    a = MonthlyActualFactory(project=p1, year=2026, month=1)
    b = MonthlyActualFactory(project=p1, year=2026, month=2)
    c = MonthlyActualFactory(project=p2, year=2025, month=2)

    def get(q):
        return sorted(r["id"] for r in leader.get(f"/api/actuals/?{q}").json()["results"])

    assert get("year=2026") == sorted([a.pk, b.pk])
    assert get("month=2") == sorted([b.pk, c.pk])
    assert get(f"project={p2.pk}") == [c.pk]
    assert get(f"unit={road.pk}") == sorted([a.pk, b.pk])
    assert get(f"year=2026&month=2&unit={road.pk}") == [b.pk]
    assert leader.get("/api/actuals/?month=13").status_code == 400
    assert list(leader.get("/api/actuals/?project=999999").json()) == ["project"]


def test_bureau_deletes_a_locked_months_figure_only_with_a_reason(drc):
    actual = MonthlyActualFactory(month=2)
    ReportingPeriodFactory(year=2026, month=2, locked=True)
    response = drc.delete(f"/api/actuals/{actual.pk}/")
    assert response.status_code == 400 and "change_reason" in response.json()
    assert MonthlyActual.objects.filter(pk=actual.pk).exists()
    assert drc.delete(f"/api/actuals/{actual.pk}/?change_reason=重复填报").status_code == 204
    deleted = MonthlyActual.history.filter(id=actual.pk, history_type="-").get()
    assert deleted.history_change_reason == "重复填报" and deleted.history_user.username == "bureau"
