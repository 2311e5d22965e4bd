"""generate_demo is deterministic for a seed and writes a consistent registry of any size."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from projects.models import AnnualPlan, MonthlyActual, Project, Unit

pytestmark = pytest.mark.django_db


def digest() -> str:
    h = hashlib.sha256()
    for model, fields in [
        (
            Project,
            ["code", "name", "sector", "stage", "unit__name", "leader__name", "total_investment", "planned_start"],
        ),
        (AnnualPlan, ["project__code", "year", "pipeline", "amount"]),
        (MonthlyActual, ["project__code", "year", "month", "amount", "progress"]),
    ]:
        for row in model.objects.order_by(*fields[:4]).values_list(*fields):
            h.update(repr(row).encode())
    return h.hexdigest()


def wipe():
    MonthlyActual.objects.all().delete()
    AnnualPlan.objects.all().delete()
    Project.objects.all().delete()
    from projects.models import Bottleneck, Leader, ReportingPeriod, UnitSubmission, User

    UnitSubmission.objects.all().delete()
    Bottleneck.objects.all().delete()
    ReportingPeriod.objects.all().delete()
    User.objects.all().delete()
    Leader.objects.all().delete()
    Unit.objects.all().delete()


def test_same_seed_same_registry_other_seed_other_registry():
    call_command("generate_demo", "--projects", "60", "--years", "2", "--seed", "5", "--no-history", verbosity=0)
    first = digest()
    assert Project.objects.count() == 60
    wipe()
    call_command("generate_demo", "--projects", "60", "--years", "2", "--seed", "5", "--no-history", verbosity=0)
    assert digest() == first
    wipe()
    call_command("generate_demo", "--projects", "60", "--years", "2", "--seed", "6", "--no-history", verbosity=0)
    assert digest() != first


def test_larger_registry_scales_units_and_stays_consistent():
    call_command("generate_demo", "--projects", "3000", "--years", "1", "--seed", "2", "--no-history", verbosity=0)
    assert Project.objects.count() == 3000
    assert Unit.objects.count() == 30  # two counties' worth of units
    assert not MonthlyActual.objects.filter(year=2026, month__gt=10).exists()
    assert set(MonthlyActual.objects.values_list("project_id", "year")) <= set(
        AnnualPlan.objects.values_list("project_id", "year")
    )


def test_refuses_a_database_that_already_has_projects():
    call_command("generate_demo", "--projects", "5", "--no-history", verbosity=0)
    with pytest.raises(CommandError):
        call_command("generate_demo", "--projects", "5", verbosity=0)
