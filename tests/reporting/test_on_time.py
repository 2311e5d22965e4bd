"""On-time reporting rate per unit and year (shown by the unit ranking and the status page)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.models import SubmissionStatus, UnitSubmission
from projects.selectors.reporting import on_time_rates
from tests.factories import ReportingPeriodFactory, UnitFactory

from .conftest import make_projects

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def submitted(unit, month, when, status=SubmissionStatus.SUBMITTED):
    return UnitSubmission.objects.create(
        unit=unit, year=2026, month=month, status=status, submitted_at=when, first_submitted_at=when
    )


@pytest.fixture
def periods(db):
    # Jan-Apr have deadlines on the 10th of the next month; May's deadline (Jun 10) is still ahead.
    for m in range(1, 6):
        ReportingPeriodFactory(year=2026, month=m, locked=m < 5, deadline=dt.date(2026, m + 1, 10))
    ReportingPeriodFactory(year=2026, month=6, deadline=None)


def test_rate_counts_due_months_reported_by_the_deadline(periods, unit, other_unit):
    make_projects(unit, 1)
    make_projects(other_unit, 1)
    submitted(unit, 1, at(dt.date(2026, 2, 10), 23))  # last hour of the deadline day: on time
    submitted(unit, 2, at(dt.date(2026, 3, 11), 0))  # next day: late
    submitted(unit, 3, at(dt.date(2026, 4, 1)), SubmissionStatus.ACCEPTED)  # on time
    submitted(unit, 4, at(dt.date(2026, 5, 2)), SubmissionStatus.RETURNED)  # returned, not resubmitted
    submitted(unit, 5, at(dt.date(2026, 5, 20)))  # May is not due yet
    rates = on_time_rates(year=2026, as_of=AS_OF)
    assert (rates[unit.pk].due, rates[unit.pk].on_time) == (4, 2)
    assert rates[unit.pk].rate == Decimal("50")
    assert (rates[other_unit.pk].due, rates[other_unit.pk].on_time, rates[other_unit.pk].rate) == (4, 0, Decimal("0"))


def test_units_without_projects_on_the_list_are_left_out_and_no_due_month_gives_none(unit):
    make_projects(unit, 1)
    UnitFactory()
    rates = on_time_rates(year=2026, as_of=AS_OF)
    assert list(rates) == [unit.pk]
    assert rates[unit.pk].due == 0 and rates[unit.pk].rate is None


def test_rate_for_selected_units_in_three_queries(periods, unit, other_unit, django_assert_num_queries):
    make_projects(unit, 1)
    make_projects(other_unit, 1)
    submitted(unit, 1, at(dt.date(2026, 2, 1)))
    with django_assert_num_queries(3):
        rates = on_time_rates(year=2026, unit_ids=[unit.pk], as_of=AS_OF)
    assert list(rates) == [unit.pk] and rates[unit.pk].on_time == 1
