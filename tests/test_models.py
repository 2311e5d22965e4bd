"""Database invariants of SPEC section 3, each with its Chinese message."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from projects.models import AnnualPlan, MonthlyActual, ProgressSettings, ReportingPeriod

from .factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_month_outside_1_to_12_is_refused_by_the_database():
    project = ProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyActual.objects.create(project=project, year=2026, month=13, amount=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyActual.objects.create(project=project, year=2026, month=0, amount=Decimal("1"))


def test_month_constraint_message_is_chinese():
    actual = MonthlyActual(project=ProjectFactory(), year=2026, month=13, amount=Decimal("1"))
    with pytest.raises(ValidationError) as exc:
        actual.validate_constraints()
    assert "月份必须在1到12之间" in messages(exc.value)


def test_negative_amounts_are_refused_with_chinese_message():
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyActualFactory(amount=Decimal("-0.01"))
    plan = AnnualPlan(project=ProjectFactory(), year=2026, pipeline="new", amount=Decimal("-5"))
    with pytest.raises(ValidationError) as exc:
        plan.full_clean()
    assert "金额不能为负数" in messages(exc.value)


def test_year_outside_2000_2100_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualPlanFactory(year=1999)
    with pytest.raises(ValidationError) as exc:
        ReportingPeriod(year=2101, month=1).full_clean()
    assert "年份必须在2000到2100之间" in messages(exc.value)


def test_one_plan_per_project_and_year():
    plan = AnnualPlanFactory(year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualPlanFactory(project=plan.project, year=2026)
    duplicate = AnnualPlan(project=plan.project, year=2026, pipeline="new", amount=Decimal("1"))
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "该项目当年已有年度计划" in messages(exc.value)
    AnnualPlanFactory(project=plan.project, year=2025)  # another year is fine
    assert AnnualPlan.objects.filter(project=plan.project).count() == 2


def test_one_actual_per_project_and_month():
    actual = MonthlyActualFactory(year=2026, month=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyActualFactory(project=actual.project, year=2026, month=3)
    duplicate = MonthlyActual(project=actual.project, year=2026, month=3, amount=Decimal("1"))
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "该项目该月已有数据" in messages(exc.value)


def test_amounts_keep_exactly_two_decimals():
    actual = MonthlyActualFactory(amount=Decimal("1234.56"))
    actual.refresh_from_db()
    assert actual.amount == Decimal("1234.56")
    too_fine = MonthlyActual(project=actual.project, year=2026, month=2, amount=Decimal("1.234"))
    with pytest.raises(ValidationError) as exc:
        too_fine.full_clean()
    assert "amount" in exc.value.message_dict


def test_threshold_order_is_enforced():
    settings_row = ProgressSettings.load()
    settings_row.warning_threshold = Decimal("-30")
    with pytest.raises(ValidationError) as exc:
        settings_row.full_clean()
    assert "阈值" in messages(exc.value)


def test_progress_settings_defaults_match_spec():
    s = ProgressSettings.load()
    assert (s.ahead_threshold, s.warning_threshold, s.lagging_threshold) == (
        Decimal("10"),
        Decimal("-10"),
        Decimal("-20"),
    )
    assert s.schedule_basis == "months"
    assert ProgressSettings.load().pk == s.pk


def test_month_without_period_row_is_open():
    from projects.services.figures import month_locked

    assert month_locked(2026, 5) is False
    ReportingPeriod.objects.create(year=2026, month=5, locked=False)
    assert month_locked(2026, 5) is False
    ReportingPeriod.objects.filter(year=2026, month=5).update(locked=True)
    assert month_locked(2026, 5) is True
