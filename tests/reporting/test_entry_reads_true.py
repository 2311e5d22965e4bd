"""The entry sheet and the status page read true: what was submitted, separators, no absurd rates,
"entered, not submitted", and a new-build project's first investment may mark it started."""

import datetime as dt
from decimal import Decimal

import pytest

from projects.choices import Pipeline, Stage
from projects.models import Project
from tests.factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory

from .conftest import MONTH, YEAR, entry_url, form_data, make_projects

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_submitting_says_the_month_and_the_projects(staff_client, sheet):
    page = staff_client.get(entry_url())
    data = form_data(page, **{f"p{p.pk}-amount": "50" for p in sheet}, submit="1")
    response = staff_client.post(entry_url(), data, follow=True)
    assert messages_of(response) == ["已报送 2026年10月 3个项目"]


def test_a_draft_says_how_many_projects_changed(staff_client, sheet):
    page = staff_client.get(entry_url())
    response = staff_client.post(
        entry_url(), form_data(page, **{f"p{sheet[0].pk}-amount": "50"}, draft="1"), follow=True
    )
    assert messages_of(response) == ["草稿已保存:2026年10月,1个项目有修改。"]


def test_amounts_carry_thousands_separators(staff_client, unit, open_period):
    make_projects(unit, 1, plan="123456.00")
    html = staff_client.get(entry_url()).content.decode()
    assert "123,456.00" in html  # the plan
    assert "900.00" in html  # the year to date before October


def test_an_absurd_rate_is_shown_as_a_dash(staff_client, unit, open_period):
    project = ProjectFactory(unit=unit)
    AnnualPlanFactory(project=project, year=YEAR, amount=Decimal("1.00"))
    MonthlyActualFactory(project=project, year=YEAR, month=MONTH, amount=Decimal("99999999999.00"))
    page = staff_client.get(entry_url())
    item = page.context["items"][0]
    assert item.rate_after is None
    assert 'class="rate-after" aria-live="polite">—<' in page.content.decode()
    assert 'data-rate-limit="1000"' in page.content.decode()


def test_the_entry_form_refuses_an_amount_the_model_cannot_hold(staff_client, sheet):
    page = staff_client.get(entry_url())
    response = staff_client.post(
        entry_url(), form_data(page, **{f"p{sheet[0].pk}-amount": "13376834800103"}, draft="1")
    )
    assert response.status_code == 400


@pytest.fixture
def new_build(unit, open_period):
    project = ProjectFactory(unit=unit, stage=Stage.PREPHASE, actual_start=None, planned_start=dt.date(2026, 5, 1))
    AnnualPlanFactory(project=project, year=YEAR, pipeline=Pipeline.NEW, amount=Decimal("1000.00"))
    return project


def test_a_new_build_projects_first_investment_may_mark_it_started(staff_client, staff_user, new_build):
    page = staff_client.get(entry_url())
    assert f'name="p{new_build.pk}-started"' in page.content.decode()
    data = form_data(page, **{f"p{new_build.pk}-amount": "520", f"p{new_build.pk}-started": "on"}, draft="1")
    response = staff_client.post(entry_url(), data, follow=True)
    assert response.status_code == 200
    new_build.refresh_from_db()
    assert new_build.stage == Stage.CONSTRUCTION and new_build.actual_start == dt.date(YEAR, MONTH, 1)
    last = new_build.history.order_by("-history_date").first()
    assert last.history_user == staff_user and last.stage == Stage.CONSTRUCTION
    assert "1个项目已标记为在建。" in messages_of(response)
    # once started, the sheet no longer offers it
    assert f'name="p{new_build.pk}-started"' not in staff_client.get(entry_url()).content.decode()


def test_marking_started_needs_the_months_investment(staff_client, new_build):
    page = staff_client.get(entry_url())
    data = form_data(page, **{f"p{new_build.pk}-amount": "0", f"p{new_build.pk}-started": "on"}, draft="1")
    response = staff_client.post(entry_url(), data)
    assert response.status_code == 400
    assert Project.objects.get(pk=new_build.pk).stage == Stage.PREPHASE


def test_a_unit_with_every_figure_entered_but_not_submitted_reads_entered(drc_client, staff_client, sheet, other_unit):
    make_projects(other_unit, 1)
    page = staff_client.get(entry_url())
    staff_client.post(entry_url(), form_data(page, **{f"p{p.pk}-amount": "50" for p in sheet}, draft="1"))
    response = drc_client.get(f"/reporting/status/?year={YEAR}&month={MONTH}")
    rows = {r.unit.name: r for r in response.context["rows"]}
    assert rows["县交通运输局"].status == "entered" and rows["县交通运输局"].status_label == "已填未报"
    assert rows["县水利局"].status_label == "未填报"
    assert response.context["summary"]["counts"]["entered"] == 1
    assert "已填未报" in response.content.decode()
