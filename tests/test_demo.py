"""The demo county loads and is internally consistent."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction

from projects.choices import Pipeline, Sector
from projects.demo import DEMO_PASSWORD
from projects.models import (
    REPORTED_STATES,
    AnnualPlan,
    Bottleneck,
    Leader,
    MonthlyActual,
    Project,
    ReportingPeriod,
    SubmissionStatus,
    Unit,
    UnitSubmission,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The fixture loaded once for the module (these tests only read it), rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("loaddata", "demo", verbosity=0)
        yield
        atomic.__exit__(Exception, Exception("rollback"), None)


def test_demo_has_a_realistic_county(demo):
    assert 12 <= Unit.objects.count() <= 20
    assert 8 <= Leader.objects.count() <= 12
    assert 140 <= Project.objects.count() <= 160
    assert set(Project.objects.values_list("sector", flat=True)) == set(Sector.values)
    assert {y for y in AnnualPlan.objects.values_list("year", flat=True)} == {2025, 2026}
    assert set(AnnualPlan.objects.filter(year=2026).values_list("pipeline", flat=True)) == set(Pipeline.values)
    assert Bottleneck.objects.filter(resolved__isnull=True).exists()


def test_demo_actuals_belong_to_projects_on_that_years_list(demo):
    planned = set(AnnualPlan.objects.values_list("project_id", "year"))
    actual_keys = set(MonthlyActual.objects.values_list("project_id", "year"))
    assert actual_keys <= planned
    assert not MonthlyActual.objects.filter(year=2026, month__gt=10).exists()
    assert ReportingPeriod.objects.get(year=2026, month=9).locked
    assert not ReportingPeriod.objects.get(year=2026, month=10).locked


def test_demo_has_a_spread_of_statuses(demo):
    """Each project's gap computed here by hand: year-to-date / plan against 10/12."""
    plans = {p.project_id: p.amount for p in AnnualPlan.objects.filter(year=2026, amount__gt=0)}
    ytd = Counter()
    for a in MonthlyActual.objects.filter(year=2026, month__lte=10):
        ytd[a.project_id] += a.amount
    statuses = Counter()
    for pid, plan in plans.items():
        gap = ytd[pid] / plan * 100 - Decimal(10) / 12 * 100
        statuses["ahead" if gap >= 10 else "normal" if gap > -10 else "warning" if gap > -20 else "lagging"] += 1
    assert all(statuses[s] >= 5 for s in ("ahead", "normal", "warning", "lagging")), statuses


def test_demo_users_of_each_role_log_in(demo):
    for username, role in [("fgj", "drc"), ("jtj", "staff"), ("leader1", "leader")]:
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert list(user.groups.values_list("name", flat=True)) == [role]
    assert authenticate(username="jtj", password=DEMO_PASSWORD).unit.name == "县交通运输局"


def test_demo_figures_have_history(demo):
    actual = MonthlyActual.objects.select_related("project__unit").first()
    record = actual.history.first()
    assert record is not None and record.history_user.unit_id == actual.project.unit_id


def test_demo_names_are_unique_and_units_have_a_reporting_history(demo):
    """The fixture itself (150 projects): no two projects share a name; September was reported by
    every unit on the list, October (open) by all but one, with one more only saved as a draft."""
    names = list(Project.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names) == 150
    listed = set(AnnualPlan.objects.filter(year=2026).values_list("project__unit_id", flat=True))
    september = UnitSubmission.objects.filter(year=2026, month=9, status__in=REPORTED_STATES)
    assert set(september.values_list("unit_id", flat=True)) == listed
    october = dict(UnitSubmission.objects.filter(year=2026, month=10).values_list("unit_id", "status"))
    assert len(listed - set(october)) == 1
    assert list(october.values()).count(SubmissionStatus.DRAFT) == 1
    assert ReportingPeriod.objects.get(year=2026, month=10).deadline == dt.date(2026, 11, 10)
