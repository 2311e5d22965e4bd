"""SPEC section 8 through the API: every bad input is a 400 naming the field (404 for unknown ids).

Messages are Chinese (the default language), and nothing is stored by a refused request.
"""

import pytest

from projects.models import AnnualPlan, Bottleneck, MonthlyActual, Project

from ..factories import MonthlyActualFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(unit):
    return ProjectFactory(unit=unit)


def actual(project, **extra):
    data = {"project": project.pk, "year": 2026, "month": 3, "amount": "10.00"}
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"amount": "-1.00"}, "amount", "金额不能为负数。"),
        ({"amount": "abc"}, "amount", "请填写合法的数字。"),
        ({"amount": "1.234"}, "amount", "请确保总计不超过 2 个小数位。"),
        ({"amount": "1e20"}, "amount", "请确保总计不超过 14 个数字。"),
        ({"amount": "NaN"}, "amount", "请填写合法的数字。"),
        ({"month": 0}, "month", "月份必须在1到12之间。"),
        ({"month": 13}, "month", "月份必须在1到12之间。"),
        ({"month": "三月"}, "month", "请填写合法的整数值。"),
        ({"year": 1999}, "year", "年份必须在2000到2100之间。"),
        ({"year": 2101}, "year", "年份必须在2000到2100之间。"),
        ({"year": "2026年"}, "year", "请填写合法的整数值。"),
        ({"project": 999999}, "project", "无效主键 “999999” － 对象不存在。"),
        ({"project": "XM-1"}, "project", "类型错误。期望为主键，获得的类型为 str。"),
        ({"project": None}, "project", "该字段不能为 null。"),
        ({"progress": "a\x00b"}, "progress", "不允许包含空字符(NUL)。"),
    ],
)
def test_bad_actual_fields_are_400_naming_the_field(staff, project, extra, field, message):
    response = staff.post("/api/actuals/", actual(project) | extra, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert not MonthlyActual.objects.exists()


def test_missing_key_fields_are_named(staff):
    response = staff.post("/api/actuals/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {f: ["该字段是必填项。"] for f in ("project", "year", "month")}


def test_negative_amount_on_patch_keeps_the_stored_value(staff, project):
    row = MonthlyActualFactory(project=project)
    response = staff.patch(f"/api/actuals/{row.pk}/", {"amount": "-5"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["amount"]
    row.refresh_from_db()
    assert str(row.amount) == "100.00"


@pytest.mark.parametrize(
    "extra, field",
    [({"amount": "-1"}, "amount"), ({"year": 1999}, "year"), ({"pipeline": "reserve"}, "pipeline"),
     ({"project": 424242}, "project"), ({"amount": "x"}, "amount")],
)  # fmt: skip
def test_bad_plan_fields(drc, project, extra, field):
    data = {"project": project.pk, "year": 2026, "pipeline": "new", "amount": "10"} | extra
    response = drc.post("/api/plans/", data, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]
    assert not AnnualPlan.objects.exists()


@pytest.mark.parametrize(
    "extra, field",
    [({"unit": 999999}, "unit"), ({"leader": 999999}, "leader"), ({"total_investment": "-3"}, "total_investment"),
     ({"sector": "space"}, "sector"), ({"planned_start": "2026-02-30"}, "planned_start"),
     ({"total_investment": "很多"}, "total_investment")],
)  # fmt: skip
def test_bad_project_fields(drc, unit, extra, field):
    data = {"code": "XM-9", "name": "测试", "unit": unit.pk} | extra
    response = drc.post("/api/projects/", data, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]
    assert not Project.objects.filter(code="XM-9").exists()


@pytest.mark.parametrize(
    "data, field",
    [({"year": 2026, "month": 13}, "month"), ({"year": 1900, "month": 1}, "year"), ({"year": 2026}, "month"),
     ({"year": 2026, "month": 1, "locked": "maybe"}, "locked"), ({"year": 2026, "month": 1, "deadline": "soon"},
     "deadline")],
)  # fmt: skip
def test_bad_period_fields(drc, data, field):
    response = drc.post("/api/periods/", data, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]


@pytest.mark.parametrize("path", ["actuals", "plans", "projects", "units", "periods", "bottlenecks", "leaders"])
def test_malformed_json_is_400(drc, path):
    response = drc.generic("POST", f"/api/{path}/", '{"year": 2026,', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON 格式错误:")


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "null", "42"])
def test_json_that_is_not_an_object_is_400(drc, body):
    response = drc.generic("POST", "/api/actuals/", body, content_type="application/json")
    assert response.status_code == 400
    not_a_dict = "无效数据。期待为字典类型，得到的是 {} 。"
    expected = {"[1, 2]": not_a_dict.format("list"), '"text"': not_a_dict.format("str"), "42": not_a_dict.format("int"),
                "null": "未提供数据。"}  # fmt: skip
    assert response.json() == {"non_field_errors": [expected[body]]}


def test_a_form_encoded_body_is_415(drc):
    response = drc.post("/api/units/", {"name": "x"}, format="multipart")
    assert response.status_code == 415
    assert "detail" in response.json()


@pytest.mark.parametrize("path", ["actuals", "plans", "projects", "units", "periods", "bottlenecks", "leaders"])
def test_unknown_ids_are_404(drc, path):
    assert drc.get(f"/api/{path}/987654/").status_code == 404
    assert drc.patch(f"/api/{path}/987654/", {}, format="json").status_code == 404
    assert drc.delete(f"/api/{path}/987654/").status_code == 404
    assert drc.get(f"/api/{path}/99999999999999999999/").status_code == 404
    if path in ("actuals", "plans", "projects", "bottlenecks"):
        assert drc.get(f"/api/{path}/987654/history/").status_code == 404


def test_unknown_page_is_404_and_bad_page_size_is_400(leader):
    ProjectFactory.create_batch(3)
    assert leader.get("/api/projects/?page=9").status_code == 404
    assert leader.get("/api/projects/?page=abc").status_code == 404
    assert leader.get("/api/projects/?page_size=3").json()["count"] == 3
    for bad in ("-1", "0", "abc", "1.5"):
        response = leader.get(f"/api/projects/?page_size={bad}")
        assert response.status_code == 400 and list(response.json()) == ["page_size"]


def test_bottleneck_needs_a_known_project_and_a_description(staff):
    response = staff.post("/api/bottlenecks/", {"project": 999999, "category": "funding"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"project", "description"}
    assert not Bottleneck.objects.exists()


def test_messages_are_chinese_whatever_the_clients_language(staff, project):
    response = staff.post("/api/actuals/", actual(project, month=13), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"month": ["月份必须在1到12之间。"]}


def test_an_unforeseen_integrity_error_is_a_400_not_a_500(drc, monkeypatch):
    from django.db import IntegrityError

    def clash(*args, **kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr("projects.services.records.save_with_history", clash)
    response = drc.post("/api/units/", {"name": "城关镇"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["与同时保存的记录冲突,请刷新后重试。"]}
