"""One periods module: bounds, month arithmetic, ended months and the month each page opens on."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from projects import periods
from projects.models import ReportingPeriod
from projects.services.figures import report_publish

D = dt.date


def test_month_arithmetic():
    assert periods.shift_month(2026, 1, -1) == (2025, 12)
    assert periods.shift_month(2026, 12, 1) == (2027, 1)
    assert periods.shift_month(2026, 5, -17) == (2024, 12)
    assert periods.previous_month(2026, 3) == (2026, 2)
    assert periods.month_end(2024, 2) == D(2024, 2, 29)
    assert periods.month_end(2026, 12) == D(2026, 12, 31)


def test_a_month_ends_after_its_last_day():
    assert not periods.month_ended(2026, 12, D(2026, 12, 31))
    assert periods.month_ended(2026, 12, D(2027, 1, 1))
    assert not periods.month_ended(2030, 1, D(2026, 12, 2))
    assert periods.last_ended_month(D(2027, 1, 5)) == (2026, 12)


def test_ended_is_judged_in_the_app_time_zone(settings, monkeypatch):
    # 2026-12-31 20:00 UTC is already 2027-01-01 in Asia/Shanghai: December has ended there
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC))
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert periods.today() == D(2027, 1, 1)
    assert periods.month_ended(2026, 12)


def test_period_check_names_the_bad_field():
    with pytest.raises(ValidationError) as exc:
        periods.period_check(1999, 5)
    assert set(exc.value.message_dict) == {"year"}
    with pytest.raises(ValidationError) as exc:
        periods.period_check(2026, 13)
    assert set(exc.value.message_dict) == {"month"}
    periods.period_check(2100, 12)


@pytest.mark.django_db
def test_publishing_a_bad_year_is_reported_under_year(drc_user):
    with pytest.raises(ValidationError) as exc:
        report_publish(user=drc_user, year=1999, month=5)
    assert set(exc.value.message_dict) == {"year"}


@pytest.mark.django_db
def test_default_month_is_the_latest_locked_month_of_the_year():
    on = D(2026, 8, 15)
    assert periods.default_month(on) == (2026, 7)  # nothing locked: the month before
    ReportingPeriod.objects.create(year=2026, month=5, locked=True)
    ReportingPeriod.objects.create(year=2026, month=6, locked=False)
    assert periods.default_month(on) == (2026, 5)
    # a month locked before it ended does not count
    ReportingPeriod.objects.create(year=2026, month=8, locked=True)
    assert periods.default_month(on) == (2026, 5)


@pytest.mark.django_db
def test_default_month_in_january_is_last_december():
    ReportingPeriod.objects.create(year=2026, month=11, locked=True)
    assert periods.default_month(D(2027, 1, 10)) == (2026, 12)


@pytest.mark.django_db
def test_reporting_month_is_the_open_month_never_an_unfinished_one():
    on = D(2026, 12, 2)
    assert periods.reporting_month(on) == (2026, 11)
    ReportingPeriod.objects.create(year=2026, month=10, locked=False)
    ReportingPeriod.objects.create(year=2026, month=9, locked=True)
    assert periods.reporting_month(on) == (2026, 10)
    ReportingPeriod.objects.create(year=2026, month=12, locked=False)  # opened early
    assert periods.reporting_month(on) == (2026, 10)


@pytest.mark.django_db
def test_resolve_period_fills_what_is_missing(monkeypatch):
    monkeypatch.setattr(periods, "today", lambda: D(2026, 8, 15))
    assert periods.resolve_period(QueryDict("")) == (2026, 7, [])
    assert periods.resolve_period(QueryDict("month=3")) == (2026, 3, [])
    assert periods.resolve_period(QueryDict("year=2024")) == (2024, 12, [])
    assert periods.resolve_period(QueryDict("year=2027")) == (2027, 1, [])
    year, month, errors = periods.resolve_period(QueryDict("year=1999&month=13"))
    assert (year, month) == (2026, 7)
    assert len(errors) == 2
