"""/api/milestones/, /api/prephase-items/ and the monthly plan on /api/plans/ (SPEC section 10)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.choices import Pipeline
from projects.models import AnnualPlan, Milestone

from ..factories import AnnualPlanFactory, ProjectFactory
from .factories import MilestoneFactory, PrephaseItemFactory

pytestmark = pytest.mark.django_db
M_URL, P_URL = "/api/milestones/", "/api/prephase-items/"


def milestone_body(project, **extra):
    return {"project": project.pk, "year": 2026, "name": "主体封顶", "planned_date": "2026-06-30", **extra}


def test_staff_keep_their_own_units_milestones_only(staff, unit, other_unit):
    own, theirs = ProjectFactory(unit=unit), ProjectFactory(unit=other_unit)
    created = staff.post(M_URL, milestone_body(own), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {k: body[k] for k in ("year", "name", "planned_date", "done_on", "note")} == {
        "year": 2026, "name": "主体封顶", "planned_date": "2026-06-30", "done_on": None, "note": "",
    }  # fmt: skip
    assert staff.post(M_URL, milestone_body(theirs), format="json").status_code == 403
    # Nor move their own row onto another unit's project, nor change another unit's row.
    moved = staff.patch(f"{M_URL}{body['id']}/", {"project": theirs.pk}, format="json")
    assert moved.status_code == 403
    other = MilestoneFactory(project=theirs)
    assert staff.patch(f"{M_URL}{other.pk}/", {"done_on": "2026-01-05"}, format="json").status_code == 403
    done = staff.patch(f"{M_URL}{body['id']}/", {"done_on": "2026-01-05", "change_reason": "验收"}, format="json")
    assert done.status_code == 200 and done.json()["done_on"] == "2026-01-05"
    history = staff.get(f"{M_URL}{body['id']}/history/").json()
    assert [e["change_reason"] for e in history][-1] == "验收"
    assert staff.delete(f"{M_URL}{other.pk}/").status_code == 403
    assert staff.delete(f"{M_URL}{body['id']}/").status_code == 204


def test_leaders_read_but_write_nothing_and_the_bureau_writes_all(leader, drc, unit):
    project = ProjectFactory(unit=unit)
    assert leader.get(M_URL).status_code == 200
    assert leader.post(M_URL, milestone_body(project), format="json").status_code == 403
    assert (
        leader.post(P_URL, {"project": project.pk, "kind": "proposal", "planned_date": "2026-01-31"}).status_code == 403
    )
    assert drc.post(M_URL, milestone_body(project), format="json").status_code == 201
    item = drc.post(
        P_URL,
        {"project": project.pk, "kind": "feasibility", "planned_date": "2026-03-31", "done_on": "2026-03-20",
         "document_no": "X发改审批〔2026〕12号"},
        format="json",
    )  # fmt: skip
    assert item.status_code == 201 and item.json()["document_no"] == "X发改审批〔2026〕12号"


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"done_on": "2099-01-01"}, "done_on"),
        ({"planned_date": "2026-13-01"}, "planned_date"),
        ({"year": 1999}, "year"),
        ({"name": "节" * 101}, "name"),
        ({"note": "字" * 2001}, "note"),
    ],
)
def test_bad_milestones_answer_400_naming_the_field(drc, unit, extra, field):
    response = drc.post(M_URL, milestone_body(ProjectFactory(unit=unit), **extra), format="json")
    assert response.status_code == 400 and field in response.json(), response.json()


def test_duplicates_are_400_not_500(drc, unit):
    project = ProjectFactory(unit=unit)
    assert drc.post(M_URL, milestone_body(project), format="json").status_code == 201
    assert drc.post(M_URL, milestone_body(project), format="json").status_code == 400
    body = {"project": project.pk, "kind": "land", "planned_date": "2026-01-31"}
    assert drc.post(P_URL, body, format="json").status_code == 201
    assert drc.post(P_URL, body, format="json").status_code == 400
    assert drc.post(P_URL, {**body, "kind": "licence"}, format="json").status_code == 400


def test_filters_and_spec_order(leader, unit, other_unit):
    a, b = ProjectFactory(unit=unit), ProjectFactory(unit=other_unit)
    AnnualPlanFactory(project=a, year=2026, pipeline=Pipeline.PLANNED)
    MilestoneFactory(project=a, year=2026)
    MilestoneFactory(project=a, year=2025, planned_date=dt.date(2025, 5, 1))
    MilestoneFactory(project=b, year=2026)
    for kind in ("permit", "proposal", "environment"):
        PrephaseItemFactory(project=a, kind=kind)
    PrephaseItemFactory(project=b, kind="proposal")
    assert leader.get(M_URL, {"year": 2026}).json()["count"] == 2
    assert leader.get(M_URL, {"unit": unit.pk}).json()["count"] == 2
    assert leader.get(M_URL, {"project": b.pk}).json()["count"] == 1
    items = leader.get(P_URL, {"year": 2026}).json()["results"]
    assert [i["kind"] for i in items] == ["proposal", "environment", "permit"]  # SPEC order, on 2026's list
    assert leader.get(P_URL, {"unit": other_unit.pk}).json()["count"] == 1
    assert leader.get(M_URL, {"year": 1999}).status_code == 400


def test_list_query_count_is_the_same_for_3_and_60_rows(leader, unit):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert leader.get(url, {"page_size": 1000}).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for _i in range(n):
            p = ProjectFactory(unit=unit)
            MilestoneFactory(project=p)
            PrephaseItemFactory(project=p, kind="design")

    add(3)
    small = (count(M_URL), count(P_URL))
    add(57)
    assert (count(M_URL), count(P_URL)) == small


# --- the monthly plan on /api/plans/ -----------------------------------------------------------------

MONTHLY = ["0.00"] * 6 + ["200.00"] * 6


def test_monthly_amounts_are_written_and_read_on_plans(drc, unit):
    project = ProjectFactory(unit=unit)
    body = {"project": project.pk, "year": 2026, "pipeline": "new", "amount": "1200.00", "monthly_amounts": MONTHLY}
    created = drc.post("/api/plans/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["monthly_amounts"] == MONTHLY
    plan = AnnualPlan.objects.get(pk=created.json()["id"])
    assert plan.monthly_amounts[6] == Decimal("200.00")
    # Changing the amount alone would break the sum: a 400 with the reason, never a 500.
    alone = drc.patch(f"/api/plans/{plan.pk}/", {"amount": "1300.00"}, format="json")
    assert alone.status_code == 400 and "non_field_errors" in alone.json()
    both = drc.patch(
        f"/api/plans/{plan.pk}/", {"amount": "1300.00", "monthly_amounts": ["100.00"] * 12 + []}, format="json"
    )
    assert both.status_code == 400  # 1,200 ≠ 1,300
    fixed = drc.patch(
        f"/api/plans/{plan.pk}/", {"amount": "1300.00", "monthly_amounts": ["100.00"] * 11 + ["200.00"]}, format="json"
    )
    assert fixed.status_code == 200 and fixed.json()["monthly_amounts"][11] == "200.00"
    dropped = drc.patch(f"/api/plans/{plan.pk}/", {"monthly_amounts": None}, format="json")
    assert dropped.status_code == 200 and dropped.json()["monthly_amounts"] is None
    assert [e["new"] for e in drc.get(f"/api/plans/{plan.pk}/history/").json()][-1].get("plan_to_m12") is None


@pytest.mark.parametrize(
    "monthly",
    [["100.00"] * 11, ["100.00"] * 13, ["-1.00"] + ["100.00"] * 11, ["abc"] * 12, ["100.001"] * 12],
)
def test_bad_monthly_amounts_are_400(drc, unit, monthly):
    body = {
        "project": ProjectFactory(unit=unit).pk, "year": 2026, "pipeline": "new", "amount": "1200.00",
        "monthly_amounts": monthly,
    }  # fmt: skip
    response = drc.post("/api/plans/", body, format="json")
    assert response.status_code == 400 and "monthly_amounts" in response.json()
    assert not Milestone.objects.exists() and not AnnualPlan.objects.exists()
