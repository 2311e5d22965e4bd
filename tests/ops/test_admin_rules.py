"""The admin keeps the rules: only superusers grant privileges, and figures edited there go through
the services the API uses (reason for a locked month, `version` bumped, history with the reason)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from projects.limits import NARRATIVE_MAX_LENGTH
from tests.factories import (
    AnnualPlanFactory,
    MonthlyActualFactory,
    ProjectFactory,
    ReportingPeriodFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(client):
    user = UserFactory(username="bureau", role="drc", is_staff=True)
    client.force_login(user)
    return user


def user_form(user, **changes) -> dict:
    """The admin change form of `user` as the browser would send it back, with `changes`."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "unit": user.unit_id or "",
        "leader": user.leader_id or "",
        "groups": [g.pk for g in user.groups.all()],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_bureau_user_cannot_make_itself_superuser(client, bureau):
    drc = Group.objects.get(name="drc")
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    url = reverse("admin:projects_user_change", args=[bureau.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        user_form(
            bureau,
            first_name="改名",
            is_superuser="on",
            is_staff="on",
            groups=[drc.pk, Group.objects.get(name="leader").pk],
            user_permissions=every_permission,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bureau.refresh_from_db()
    assert bureau.first_name == "改名"  # the ordinary fields are saved
    assert not bureau.is_superuser
    assert list(bureau.groups.values_list("name", flat=True)) == ["drc"]
    assert not bureau.user_permissions.exists()


def test_a_bureau_user_cannot_grant_staff_or_roles_to_others(client, bureau):
    clerk = UserFactory(username="clerk", role="staff", unit=UnitFactory())
    url = reverse("admin:projects_user_change", args=[clerk.pk])
    client.post(url, user_form(clerk, is_staff="on", is_superuser="on", groups=[Group.objects.get(name="drc").pk]))
    clerk.refresh_from_db()
    assert not clerk.is_staff and not clerk.is_superuser
    assert list(clerk.groups.values_list("name", flat=True)) == ["staff"]


def test_a_bureau_user_cannot_touch_a_superusers_account(client, bureau):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert client.get(reverse("admin:projects_user_change", args=[root.pk])).status_code == 200  # view only
    response = client.post(
        reverse("admin:projects_user_change", args=[root.pk]), user_form(root, first_name="x", is_active=None)
    )
    assert response.status_code == 403
    password = reverse("admin:auth_user_password_change", args=[root.pk])  # Django names it so for any user model
    assert client.post(password, {"password1": "Taken-over-2026", "password2": "Taken-over-2026"}).status_code == 403
    root.refresh_from_db()
    assert root.is_active and root.check_password("pw-Test-2026")


def test_a_superuser_grants_privileges(client, db):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    clerk = UserFactory(username="clerk", role="staff")
    drc = Group.objects.get(name="drc")
    client.post(
        reverse("admin:projects_user_change", args=[clerk.pk]), user_form(clerk, is_staff="on", groups=[drc.pk])
    )
    clerk.refresh_from_db()
    assert clerk.is_staff and list(clerk.groups.values_list("name", flat=True)) == ["drc"]


def test_the_add_form_of_a_bureau_user_offers_no_groups(client, bureau):
    response = client.get(reverse("admin:projects_user_add"))
    assert response.status_code == 200
    assert 'name="groups"' not in response.content.decode()


def actual_form(row, **changes) -> dict:
    data = {"amount": str(row.amount), "progress": row.progress, "problems": row.problems, "change_reason": ""}
    return data | changes


def test_a_locked_months_figure_needs_a_reason_in_the_admin_too(client, bureau):
    row = MonthlyActualFactory(year=2026, month=3, amount=Decimal("100.00"))
    ReportingPeriodFactory(year=2026, month=3, locked=True)
    url = reverse("admin:projects_monthlyactual_change", args=[row.pk])
    response = client.post(url, actual_form(row, amount="150.00"))
    assert response.status_code == 200  # the form again, with the error
    assert "已锁定" in response.content.decode()
    row.refresh_from_db()
    assert row.amount == Decimal("100.00") and row.version == 1
    response = client.post(url, actual_form(row, amount="150.00", change_reason="审计调整"))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.amount == Decimal("150.00") and row.version == 2
    last = row.history.order_by("-history_id").first()
    assert last.history_change_reason == "审计调整" and last.history_user == bureau


def test_the_admin_keeps_a_figures_identity_and_checks_the_narrative_limit(client, bureau):
    row = MonthlyActualFactory(year=2026, month=3)
    other = ProjectFactory()
    url = reverse("admin:projects_monthlyactual_change", args=[row.pk])
    response = client.post(
        url, actual_form(row, project=other.pk, month="4", progress="进" * (NARRATIVE_MAX_LENGTH + 1))
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.progress == "" and row.version == 1
    client.post(url, actual_form(row, project=other.pk, month="4", progress="完成主体"))
    row.refresh_from_db()
    assert (row.project_id, row.month, row.progress) == (row.project_id, 3, "完成主体")
    assert row.project_id != other.pk


def test_adding_a_figure_in_the_admin_goes_through_the_service(client, bureau):
    project = ProjectFactory()
    response = client.post(
        reverse("admin:projects_monthlyactual_add"),
        {"project": project.pk, "year": "2026", "month": "5", "amount": "12.50", "change_reason": "补录"},
    )
    assert response.status_code == 302
    row = project.actuals.get()
    assert row.amount == Decimal("12.50")
    assert row.history.get().history_change_reason == "补录"


def test_an_annual_plan_edited_in_the_admin_keeps_the_reason(client, bureau):
    plan = AnnualPlanFactory(year=2026, pipeline="new", amount=Decimal("100"))
    url = reverse("admin:projects_annualplan_change", args=[plan.pk])
    response = client.post(url, {"pipeline": "continuing", "amount": "80.00", "change_reason": "计划调整"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.pipeline == "continuing" and plan.amount == Decimal("80.00")
    assert plan.history.order_by("-history_id").first().history_change_reason == "计划调整"


def test_figures_on_the_project_page_are_read_only(client, bureau):
    row = MonthlyActualFactory(year=2026, month=3)
    response = client.get(reverse("admin:projects_project_change", args=[row.project_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="actuals-0-amount"' not in html and 'name="plans-0-amount"' not in html
    assert "admin:projects_monthlyactual_delete" not in html
    assert client.get(reverse("admin:projects_monthlyactual_delete", args=[row.pk])).status_code == 403
