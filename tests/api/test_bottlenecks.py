"""Bottlenecks: staff raise and update them for their unit's projects; the bureau for any; leaders read."""

import pytest

from projects.models import Bottleneck

from ..factories import BottleneckFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


def bottleneck(project, **extra):
    data = {"project": project.pk, "category": "land_acquisition", "description": "征迁未完成"}
    data.update(extra)
    return data


def test_staff_raises_a_bottleneck_for_their_project(staff, unit, other_unit):
    project = ProjectFactory(unit=unit)
    response = staff.post("/api/bottlenecks/", bottleneck(project, unit=other_unit.pk), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["category_display"] == "征迁" and body["unit_name"] == "县水利局" and body["is_open"] is True
    assert body["raised"]  # defaults to today
    pk = body["id"]
    response = staff.patch(f"/api/bottlenecks/{pk}/", {"resolved": body["raised"], "resolution": "已解决"})
    assert response.status_code == 200 and response.json()["is_open"] is False
    history = staff.get(f"/api/bottlenecks/{pk}/history/").json()
    assert history[-1]["new"]["resolution"] == "已解决" and history[-1]["user"] == "clerk"


def test_staff_cannot_touch_another_units_bottleneck(staff, unit, other_unit):
    theirs = BottleneckFactory(project=ProjectFactory(unit=other_unit))
    assert staff.post("/api/bottlenecks/", bottleneck(theirs.project), format="json").status_code == 403
    assert staff.patch(f"/api/bottlenecks/{theirs.pk}/", {"resolution": "x"}, format="json").status_code == 403
    # nor move their own bottleneck onto another unit's project
    mine = BottleneckFactory(project=ProjectFactory(unit=unit))
    response = staff.patch(f"/api/bottlenecks/{mine.pk}/", {"project": theirs.project.pk}, format="json")
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.project.unit == unit
    assert staff.delete(f"/api/bottlenecks/{mine.pk}/").status_code == 403


def test_leaders_read_bottlenecks_only(leader):
    item = BottleneckFactory()
    assert leader.get(f"/api/bottlenecks/{item.pk}/").status_code == 200
    assert leader.post("/api/bottlenecks/", bottleneck(item.project), format="json").status_code == 403
    assert leader.patch(f"/api/bottlenecks/{item.pk}/", {"resolution": "x"}, format="json").status_code == 403


def test_bureau_writes_and_deletes_any_bottleneck(drc, other_unit):
    project = ProjectFactory(unit=other_unit)
    pk = drc.post("/api/bottlenecks/", bottleneck(project), format="json").json()["id"]
    assert drc.delete(f"/api/bottlenecks/{pk}/").status_code == 204
    assert not Bottleneck.objects.exists()


def test_dates_before_raised_are_refused_naming_the_field(staff, unit):
    project = ProjectFactory(unit=unit)
    data = bottleneck(project, raised="2026-05-01", due="2026-04-01")
    response = staff.post("/api/bottlenecks/", data, format="json")
    assert response.status_code == 400 and response.json() == {"due": ["限办日期不能早于提出日期。"]}
    data = bottleneck(project, raised="2026-05-01", resolved="2026-04-30", resolution="已解决")
    assert list(staff.post("/api/bottlenecks/", data, format="json").json()) == ["resolved"]
    assert list(staff.post("/api/bottlenecks/", bottleneck(project, category="weather")).json()) == ["category"]


def test_bottleneck_filters(leader):
    road, water = UnitFactory(), UnitFactory()
    a = BottleneckFactory(project=ProjectFactory(unit=road), category="funding")
    b = BottleneckFactory(project=ProjectFactory(unit=water), category="approvals", unit=road)
    c = BottleneckFactory(project=ProjectFactory(unit=water), category="funding", resolved="2099-01-01")

    def get(q):
        return sorted(r["id"] for r in leader.get(f"/api/bottlenecks/?{q}").json()["results"])

    assert get("category=funding") == sorted([a.pk, c.pk])
    assert get("open=true") == sorted([a.pk, b.pk])
    assert get(f"project_unit={water.pk}") == sorted([b.pk, c.pk])
    assert get(f"unit={road.pk}") == [b.pk]
    assert get(f"project={a.project.pk}") == [a.pk]
