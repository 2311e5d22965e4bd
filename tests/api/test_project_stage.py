"""Staff keep their own unit's projects' stage and its dates (SPEC section 6); any other field is 403."""

import pytest

from projects.models import Project

from ..factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_staff_patch_the_stage_and_dates_of_their_projects_with_history(staff, unit):
    project = ProjectFactory(unit=unit, stage="prephase", actual_start=None)
    body = {"stage": "construction", "actual_start": "2026-04-01", "change_reason": "开始路基施工"}
    response = staff.patch(f"/api/projects/{project.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "construction" and response.json()["actual_start"] == "2026-04-01"
    response = staff.patch(f"/api/projects/{project.pk}/", {"completion_date": "2027-06-30"}, format="json")
    assert response.status_code == 200
    history = staff.get(f"/api/projects/{project.pk}/history/").json()
    assert history[-2]["user"] == "clerk" and history[-2]["change_reason"] == "开始路基施工"
    assert history[-2]["new"] == {"stage": "construction", "actual_start": "2026-04-01"}
    assert history[-1]["new"] == {"completion_date": "2027-06-30"}


@pytest.mark.parametrize(
    "body",
    [{"name": "改名"}, {"stage": "construction", "total_investment": "1.00"}, {"unit": None}, {"archived": True}],
)
def test_any_other_field_is_403(staff, unit, body):
    project = ProjectFactory(unit=unit, stage="prephase")
    response = staff.patch(f"/api/projects/{project.pk}/", body, format="json")
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.stage == "prephase" and project.name != "改名"


def test_not_another_units_project_and_not_leaders(staff, leader, other_unit, unit):
    theirs = ProjectFactory(unit=other_unit, stage="prephase")
    assert staff.patch(f"/api/projects/{theirs.pk}/", {"stage": "ready"}, format="json").status_code == 403
    mine = ProjectFactory(unit=unit, stage="prephase")
    assert leader.patch(f"/api/projects/{mine.pk}/", {"stage": "ready"}, format="json").status_code == 403
    assert set(Project.objects.values_list("stage", flat=True)) == {"prephase"}
