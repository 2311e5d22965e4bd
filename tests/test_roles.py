"""One vocabulary for who may do what: the role predicates, one `restrict()`, one locked-month rule."""

import pytest
from django.core.exceptions import ValidationError

from projects.choices import Role
from projects.models import AnnualPlan, Leader, Project, ReportingPeriod, Unit, UnitSubmission
from projects.roles import is_bureau, is_leader, is_staff, own_unit_id
from projects.services.figures import LOCKED_MESSAGE, LOCKED_REASON_MESSAGE, lock_check

from .factories import AnnualPlanFactory, LeaderFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_role_predicates(drc_user, staff_user, leader_user, unit):
    superuser = UserFactory(username="root", is_superuser=True, role=Role.LEADER)
    assert is_bureau(drc_user) and is_bureau(superuser)
    assert is_staff(staff_user) and not is_staff(drc_user) and not is_bureau(staff_user)
    assert is_leader(leader_user) and not is_bureau(leader_user)
    assert own_unit_id(staff_user) == unit.pk
    assert own_unit_id(drc_user) is None and own_unit_id(leader_user) is None


def test_one_restrict_for_every_model(
    drc_user, staff_user, other_staff_user, leader_user, roleless_user, unit, other_unit
):
    mine, theirs = ProjectFactory(unit=unit), ProjectFactory(unit=other_unit)
    AnnualPlanFactory(project=mine, year=2026), AnnualPlanFactory(project=theirs, year=2026)
    LeaderFactory()
    UnitSubmission.objects.create(unit=unit, year=2026, month=5)
    for model in (Project, AnnualPlan, Unit, Leader, UnitSubmission):
        everything = set(model.objects.values_list("pk", flat=True))
        for user in (drc_user, staff_user, leader_user):
            assert set(model.objects.restrict(user).values_list("pk", flat=True)) == everything
        assert not model.objects.restrict(roleless_user).exists()
        assert set(model.objects.restrict(drc_user, "change").values_list("pk", flat=True)) == everything
        assert not model.objects.restrict(leader_user, "change").exists()
    change = "change"
    assert list(Project.objects.restrict(staff_user, change)) == [mine]
    assert list(AnnualPlan.objects.restrict(staff_user, change).values_list("project", flat=True)) == [mine.pk]
    assert list(Unit.objects.restrict(staff_user, change)) == [unit]
    assert list(UnitSubmission.objects.restrict(other_staff_user, change)) == []
    assert not Leader.objects.restrict(staff_user, change).exists()
    assert not ReportingPeriod.objects.restrict(staff_user, change).exists()


def test_the_locked_month_rule(drc_user, staff_user):
    lock_check(user=staff_user, year=2026, month=5, locked=False)
    with pytest.raises(ValidationError) as exc:
        lock_check(user=staff_user, year=2026, month=5, locked=True, change_reason="fix")
    assert exc.value.message_dict == {"month": [LOCKED_MESSAGE % {"year": 2026, "month": 5}]}
    with pytest.raises(ValidationError) as exc:
        lock_check(user=drc_user, year=2026, month=5, locked=True, change_reason=" ")
    assert exc.value.message_dict == {"change_reason": [LOCKED_REASON_MESSAGE % {"year": 2026, "month": 5}]}
    lock_check(user=drc_user, year=2026, month=5, locked=True, change_reason="county audit")
    lock_check(user=drc_user, year=2026, month=5, locked=True)  # the reason checked figure by figure


def test_the_entry_page_says_what_the_api_says_about_a_locked_month(client, staff_user, unit):
    project = ProjectFactory(unit=unit)
    AnnualPlanFactory(project=project, year=2026, amount="1000.00")
    ReportingPeriod.objects.create(year=2026, month=2, locked=True)
    client.force_login(staff_user)
    response = client.post(
        "/reporting/entry/?year=2026&month=2",
        {f"p{project.pk}-amount": "10", f"initial-p{project.pk}-amount": "", f"p{project.pk}-version": "0"},
        follow=True,
    )
    assert "2026年02月填报期已锁定,只有县发改局可以修改。" in response.content.decode()
    api = client.post(
        "/api/actuals/", {"project": project.pk, "year": 2026, "month": 2, "amount": "10.00"}, "application/json"
    )
    assert api.json()["month"] == ["2026年02月填报期已锁定,只有县发改局可以修改。"]
