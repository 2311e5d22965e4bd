"""SPEC section 8 limits through the API: text lengths, NUL in reasons, JSON depth and body size.

Each answer is a 400 naming the field, or 413 / 400 with `{"detail"}`, never a 500; nothing is stored.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.choices import PrephaseKind
from projects.limits import CHANGE_REASON_MAX_LENGTH, NARRATIVE_MAX_LENGTH
from projects.models import Bottleneck, Milestone, MonthlyActual, PrephaseItem, ReportingPeriod
from projects.services.figures import ActualRow, actuals_bulk_set
from tests.clients import api_client

from ..factories import AnnualPlanFactory, BottleneckFactory, MonthlyActualFactory, ProjectFactory

pytestmark = pytest.mark.django_db

LONG = "进" * (NARRATIVE_MAX_LENGTH + 1)
FULL = "进" * NARRATIVE_MAX_LENGTH
ZERO_AMOUNT = Decimal("0.00")
TOO_LONG_MESSAGE = f"请确保这个字段不能超过 {NARRATIVE_MAX_LENGTH} 个字符。"


@pytest.fixture
def project(unit):
    return ProjectFactory(unit=unit)


def actual(project, **extra):
    return {"project": project.pk, "year": 2026, "month": 3, "amount": "10.00"} | extra


def test_the_narrative_limit_is_2000_characters():
    assert NARRATIVE_MAX_LENGTH == 2000
    assert CHANGE_REASON_MAX_LENGTH == 500


@pytest.mark.parametrize("field", ["progress", "problems"])
def test_an_actuals_narrative_over_the_limit_is_400_naming_it(staff, project, field):
    response = staff.post("/api/actuals/", actual(project, **{field: LONG}), format="json")
    assert response.status_code == 400
    assert response.json() == {field: [TOO_LONG_MESSAGE]}
    assert not MonthlyActual.objects.exists()
    response = staff.post("/api/actuals/", actual(project, **{field: FULL}), format="json")
    assert response.status_code == 201
    row = MonthlyActual.objects.get()
    response = staff.patch(f"/api/actuals/{row.pk}/", {field: LONG}, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]
    row.refresh_from_db()
    assert getattr(row, field) == FULL


@pytest.mark.parametrize("field", ["description", "resolution"])
def test_a_bottlenecks_texts_over_the_limit_are_400(staff, project, field):
    data = {"project": project.pk, "category": "funding", "description": "征迁未完成"} | {field: LONG}
    response = staff.post("/api/bottlenecks/", data, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]
    assert not Bottleneck.objects.exists()


def test_a_projects_construction_content_over_the_limit_is_400(drc, unit):
    data = {"code": "XM-9", "name": "测试", "unit": unit.pk, "content": LONG}
    response = drc.post("/api/projects/", data, format="json")
    assert response.status_code == 400 and list(response.json()) == ["content"]


def test_the_model_enforces_the_limit_in_full_clean(project):
    row = MonthlyActualFactory.build(project=project, progress=LONG)
    with pytest.raises(ValidationError) as raised:
        row.full_clean()
    assert list(raised.value.message_dict) == ["progress"]
    bottleneck = BottleneckFactory.build(project=project, description=LONG)
    with pytest.raises(ValidationError) as raised:
        bottleneck.full_clean()
    assert "description" in raised.value.message_dict
    # A milestone's or pre-phase item's note (the node services and the admin save through full_clean).
    day = dt.date(2026, 3, 1)
    for node in (
        Milestone(project=project, year=2026, name="开工", planned_date=day, note=LONG),
        PrephaseItem(project=project, kind=PrephaseKind.values[0], planned_date=day, note=LONG),
    ):
        with pytest.raises(ValidationError) as raised:
            node.full_clean()
        assert list(raised.value.message_dict) == ["note"]
        node.note = FULL
        node.full_clean(exclude=["project"])  # at the limit it passes


def test_the_imports_bulk_write_enforces_the_limit_too(drc_user, project):
    """The bulk path skips full_clean for rows that cannot fail it; a long narrative can."""
    rows = [ActualRow(project, 2026, 3, amount=ZERO_AMOUNT, progress=LONG)]
    with pytest.raises(ValidationError) as raised:
        actuals_bulk_set(user=drc_user, rows=rows)
    assert "progress" in raised.value.message_dict
    assert not MonthlyActual.objects.exists()


def test_a_change_reason_over_its_limit_is_400(drc, project):
    response = drc.post("/api/actuals/", actual(project, change_reason="因" * 501), format="json")
    assert response.status_code == 400
    assert response.json() == {"change_reason": ["请确保这个字段不能超过 500 个字符。"]}
    AnnualPlanFactory(project=project, year=2026)
    plan = project.plans.get()
    response = drc.patch(f"/api/plans/{plan.pk}/", {"amount": "5", "change_reason": "因" * 501}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["change_reason"]


@pytest.mark.parametrize("path", ["actuals", "plans", "projects"])
def test_nul_in_a_change_reason_is_400_naming_it(drc, project, path):
    data = {
        "actuals": actual(project),
        "plans": {"project": project.pk, "year": 2026, "pipeline": "new", "amount": "1"},
        "projects": {"code": "XM-N", "name": "测试", "unit": project.unit_id},
    }[path]
    response = drc.post(f"/api/{path}/", data | {"change_reason": "a\x00b"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"change_reason": ["不允许包含空字符(NUL)。"]}


@pytest.mark.parametrize("reason", ["a%00b", "%E5%9B%A0" * 501], ids=["nul", "long"])
def test_a_bad_change_reason_on_delete_is_400_and_deletes_nothing(drc, project, reason):
    row = MonthlyActualFactory(project=project, year=2026, month=3)
    response = drc.delete(f"/api/actuals/{row.pk}/", QUERY_STRING=f"change_reason={reason}")
    assert response.status_code == 400
    assert list(response.json()) == ["change_reason"]
    assert MonthlyActual.objects.filter(pk=row.pk).exists()
    response = drc.delete(f"/api/units/{project.unit_id}/?change_reason=%00")
    assert response.status_code == 400 and list(response.json()) == ["change_reason"]


def test_the_service_refuses_nul_in_a_reason_whatever_calls_it(drc_user, project):
    with pytest.raises(ValidationError) as raised:
        actuals_bulk_set(user=drc_user, rows=[ActualRow(project, 2026, 3, ZERO_AMOUNT)], change_reason="x\x00")
    assert list(raised.value.message_dict) == ["change_reason"]


def nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [1000, 100_000, 40])
def test_deeply_nested_json_is_400(drc, depth):
    response = drc.generic("POST", "/api/actuals/", nested(depth), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON 嵌套层数过多(最多 32 层)。"}


@pytest.mark.parametrize("depth", [1000, 40])
def test_deeply_nested_json_on_the_token_endpoint_is_400(anon, depth):
    body = '{"username": "x", "password": "y", "extra": ' + "[" * depth + "]" * depth + "}"
    response = anon.generic("POST", "/api/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]


def test_json_nested_within_the_limit_is_read(drc, project):
    body = json.dumps(actual(project) | {"ignored": [[[[{"x": [1]}]]]]})
    response = drc.generic("POST", "/api/actuals/", body, content_type="application/json")
    assert response.status_code == 201


def test_a_json_body_over_2_mb_is_413(drc, project):
    body = json.dumps(actual(project, progress="x" * (2 * 1024 * 1024)))
    response = drc.generic("POST", "/api/actuals/", body, content_type="application/json")
    assert response.status_code == 413
    assert "detail" in response.json() and "2 MB" in response.json()["detail"]
    assert not MonthlyActual.objects.exists()


def test_a_body_over_2_mb_without_a_declared_length_is_413_too(drc):
    """Chunked bodies carry no Content-Length: the parser stops reading at the limit."""
    body = '{"name": "' + "x" * (3 * 1024 * 1024) + '"}'
    response = drc.generic("POST", "/api/units/", body, content_type="application/json", CONTENT_LENGTH="")
    assert response.status_code in (400, 413)  # no length: Django hands DRF no body at all
    response = drc.generic("POST", "/api/periods/", body, content_type="application/json")
    assert response.status_code == 413
    assert not ReportingPeriod.objects.exists()


def test_a_form_body_over_2_mb_on_the_token_endpoint_is_413(anon):
    body = "username=x&password=" + "y" * (3 * 1024 * 1024)
    response = anon.generic("POST", "/api/auth/token/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "detail" in response.json()


def test_a_user_without_a_role_gets_403_from_progress(roleless_user):
    client = api_client(roleless_user)
    assert client.get("/api/progress/?year=2026&month=3").status_code == 403
    assert client.get("/api/progress/").status_code == 403
