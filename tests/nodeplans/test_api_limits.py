"""The node-plan API keeps the registry's input limits: JSON depth and the delete reason (SPEC section 8)."""

import pytest

from ..factories import ProjectFactory
from .factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def test_milestones_refuse_deep_json_with_a_400(drc):
    body = "[" * 1000 + "]" * 1000
    response = drc.post("/api/milestones/", data=body, content_type="application/json")
    assert response.status_code == 400


def test_milestone_delete_refuses_a_nul_in_the_reason(drc, unit):
    milestone = MilestoneFactory(project=ProjectFactory(unit=unit))
    response = drc.delete(f"/api/milestones/{milestone.pk}/?change_reason=a%00b")
    assert response.status_code == 400
    assert "change_reason" in response.json()
