"""SPEC section 11 over the API: owner, coordinating leader, level, measures, progress notes by the
unit and the bureau, instructions (批示) by leaders only, resolution required, overdue by due date."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.history import history_entries
from projects.limits import NARRATIVE_MAX_LENGTH
from projects.models import Bottleneck, BottleneckInstruction, BottleneckUpdate
from tests.clients import api_client as api
from tests.factories import BottleneckFactory, LeaderFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def problem(unit):
    return BottleneckFactory(project=ProjectFactory(unit=unit), raised="2026-05-01")


def test_the_handling_fields_are_written_and_kept_in_history(staff_user, unit):
    leader = LeaderFactory(name="李副县长")
    project = ProjectFactory(unit=unit)
    response = api(staff_user).post(
        "/api/bottlenecks/",
        {"project": project.pk, "category": "land_acquisition", "description": "3户未签协议", "owner": "张科长",
         "leader": leader.pk, "level": "leader", "measures": "逐户上门做工作"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["owner"], body["leader"], body["level"], body["measures"]) == (
        "张科长",
        leader.pk,
        "leader",
        "逐户上门做工作",
    )
    pk = body["id"]
    assert api(staff_user).patch(f"/api/bottlenecks/{pk}/", {"level": "meeting"}, format="json").status_code == 200
    history = api(staff_user).get(f"/api/bottlenecks/{pk}/history/").json()
    assert history[-1]["new"]["level"] == "meeting" and history[-1]["old"]["level"] == "leader"
    bad = api(staff_user).patch(f"/api/bottlenecks/{pk}/", {"level": "province"}, format="json")
    assert bad.status_code == 400 and list(bad.json()) == ["level"]
    long = api(staff_user).patch(
        f"/api/bottlenecks/{pk}/", {"measures": "字" * (NARRATIVE_MAX_LENGTH + 1)}, format="json"
    )
    assert long.status_code == 400 and list(long.json()) == ["measures"]


def test_resolving_needs_a_resolution(staff_user, problem):
    response = api(staff_user).patch(f"/api/bottlenecks/{problem.pk}/", {"resolved": "2026-06-01"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["resolution"]
    problem.refresh_from_db()
    assert problem.resolved is None


def test_notes_by_the_unit_and_the_bureau_not_others(staff_user, other_staff_user, drc_user, leader_user, problem):
    url = f"/api/bottlenecks/{problem.pk}/updates/"
    assert api(staff_user).post(url, {"text": "已约谈3户"}, format="json").status_code == 201
    assert api(drc_user).post(url, {"text": "发改局已督办"}, format="json").status_code == 201
    assert api(other_staff_user).post(url, {"text": "x"}, format="json").status_code == 403
    assert api(leader_user).post(url, {"text": "x"}, format="json").status_code == 403
    assert api(staff_user).post(url, {"text": "  "}, format="json").status_code == 400
    too_long = api(staff_user).post(url, {"text": "字" * (NARRATIVE_MAX_LENGTH + 1)}, format="json")
    assert too_long.status_code == 400 and list(too_long.json()) == ["text"]
    listed = api(leader_user).get(url).json()
    assert [(n["text"], n["user"]) for n in listed["results"]] == [("已约谈3户", "clerk"), ("发改局已督办", "bureau")]
    assert set(listed["results"][0]) == {"id", "text", "created_at", "user"}
    note = BottleneckUpdate.objects.first()
    assert history_entries(note)[0]["user"] == "clerk"


def test_instructions_are_the_one_write_a_leader_has(staff_user, drc_user, leader_user, problem):
    url = f"/api/bottlenecks/{problem.pk}/instructions/"
    response = api(leader_user).post(url, {"text": "请县自然资源局一周内办结"}, format="json")
    assert response.status_code == 201
    assert response.json()["leader"] == leader_user.leader_id
    assert api(staff_user).post(url, {"text": "x"}, format="json").status_code == 403
    assert api(drc_user).post(url, {"text": "x"}, format="json").status_code == 403
    assert api(leader_user).patch(f"/api/bottlenecks/{problem.pk}/", {"owner": "x"}, format="json").status_code == 403
    assert [i["text"] for i in api(staff_user).get(url).json()["results"]] == ["请县自然资源局一周内办结"]
    assert BottleneckInstruction.objects.get().user == leader_user
    assert api(leader_user).get("/api/bottlenecks/987654/instructions/").status_code == 404


def test_notes_list_costs_the_same_at_any_length(staff_user, problem):
    client = api(staff_user)
    url = f"/api/bottlenecks/{problem.pk}/updates/"
    client.post(url, {"text": "1"}, format="json")
    client.get(url)  # warm the role cache of this client
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(30):
        client.post(url, {"text": str(i)}, format="json")
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).json()["count"] == 31
    assert len(small) == len(large)
    assert Bottleneck.objects.count() == 1
