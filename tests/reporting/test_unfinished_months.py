"""A month that has not ended takes no figures from anyone, on any path (SPEC section 6): 400 naming `month`.

The current month (by the date in TIME_ZONE) has never ended, whatever day the suite runs.
"""

from decimal import Decimal

import pytest

from projects import periods
from projects.models import MonthlyActual
from projects.services.figures import ActualRow, actual_set, actuals_bulk_set
from tests.clients import api_client, client_for
from tests.excel.helpers import post_import, xlsx
from tests.factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory

from .conftest import entry_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def now_month():
    today = periods.today()
    return today.year, today.month


@pytest.fixture
def project(unit, now_month):
    p = ProjectFactory(unit=unit)
    AnnualPlanFactory(project=p, year=now_month[0], amount=Decimal("1200.00"))
    return p


@pytest.mark.parametrize("who", ["staff_user", "drc_user"])
def test_the_api_refuses_a_figure_for_this_month(request, who, project, now_month):
    year, month = now_month
    response = api_client(request.getfixturevalue(who)).post(
        "/api/actuals/", {"project": project.pk, "year": year, "month": month, "amount": "10.00"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["month"]
    assert "尚未结束" in response.json()["month"][0]
    # and a month years ahead (the 2030-01)
    response = api_client(request.getfixturevalue(who)).post(
        "/api/actuals/", {"project": project.pk, "year": year + 4, "month": 1, "amount": "10.00"}, format="json"
    )
    assert response.status_code == 400 and "month" in response.json()
    assert not MonthlyActual.objects.exists()


def test_patch_cannot_move_a_figure_into_or_change_one_in_an_unfinished_month(staff_user, project, now_month):
    year, month = now_month
    last_year, last_month = periods.last_ended_month()
    ended = MonthlyActualFactory(project=project, year=last_year, month=last_month, amount=Decimal("5.00"))
    client = api_client(staff_user)
    response = client.patch(f"/api/actuals/{ended.pk}/", {"year": year, "month": month}, format="json")
    assert response.status_code == 400 and "month" in response.json()
    # a figure written before the rule existed
    stray = MonthlyActualFactory(project=project, year=year, month=month, amount=Decimal("5.00"))
    response = client.patch(f"/api/actuals/{stray.pk}/", {"amount": "6.00"}, format="json")
    assert response.status_code == 400 and "month" in response.json()
    stray.refresh_from_db()
    ended.refresh_from_db()
    assert stray.amount == Decimal("5.00") and (ended.year, ended.month) == (last_year, last_month)


def test_the_bureau_may_delete_a_stray_figure_of_an_unfinished_month(drc_user, project, now_month):
    stray = MonthlyActualFactory(project=project, year=now_month[0], month=now_month[1])
    assert api_client(drc_user).delete(f"/api/actuals/{stray.pk}/").status_code == 204


def test_the_entry_page_takes_no_figures_for_this_month(staff_user, project, now_month):
    year, month = now_month
    client = client_for(staff_user)
    page = client.get(entry_url(year=year, month=month))
    assert page.status_code == 200 and not page.context["editable"]
    assert "本月尚未结束" in page.content.decode()
    data = {f"p{project.pk}-amount": "10", f"initial-p{project.pk}-amount": "", f"p{project.pk}-version": "0"}
    response = client.post(entry_url(year=year, month=month), {**data, "submit": "1"})
    assert response.status_code == 400
    assert "尚未结束" in response.content.decode()
    assert not MonthlyActual.objects.exists()


def test_the_import_takes_no_figures_for_this_month(client, staff_user, project, now_month):
    year, month = now_month
    client.force_login(staff_user)
    response = post_import(client, "/api/import/actuals/", xlsx([[project.code, project.name, year, month, 10, ""]]))
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert any(f"{year}年{month:02d}月尚未结束" in m for m in messages), messages
    assert not MonthlyActual.objects.exists()


def test_every_write_service_refuses_it(drc_user, project, now_month):
    """The admin and any other path write through these services."""
    from django.core.exceptions import ValidationError

    year, month = now_month
    with pytest.raises(ValidationError) as exc:
        actual_set(user=drc_user, project=project, year=year, month=month, amount=Decimal("1.00"))
    assert set(exc.value.message_dict) == {"month"}
    with pytest.raises(ValidationError) as exc:
        actuals_bulk_set(user=drc_user, rows=[ActualRow(project, year, month, Decimal("1.00"))])
    assert set(exc.value.message_dict) == {"month"}


def test_an_ended_month_still_takes_figures(staff_user, project):
    year, month = periods.last_ended_month()
    AnnualPlanFactory(project=ProjectFactory(unit=project.unit), year=year)
    result = actual_set(user=staff_user, project=project, year=year, month=month, amount=Decimal("1.00"))
    assert result.outcome == "created"


def test_the_entry_and_status_pages_open_on_the_month_being_reported(staff_user, drc_user, project, now_month):
    from projects.models import ReportingPeriod

    year, month = now_month
    ReportingPeriod.objects.create(year=year, month=month, locked=False)  # opened before it ended
    expected = periods.last_ended_month()
    assert client_for(staff_user).get("/reporting/entry/").context["month"] == expected[1]
    status = client_for(drc_user).get("/reporting/status/")
    assert (status.context["year"], status.context["month"]) == expected
