"""Reporting months: the year bounds, month arithmetic, which month has ended and which month a page opens on.

Every page, form, API view, import and service asks this module; nothing else restates the
2000–2100 bounds, adds months or decides a default month (SPEC sections 5, 6 and 8).

- "Ended" is judged by the date in the app's time zone (`TIME_ZONE`, `timezone.localdate()`):
  month M of Y has ended once its last day is past.
- Dashboards open on `default_month()`: the latest month of the current year the bureau has locked,
  or before any is locked the month before the current one. Unlocked drafts never move it.
- The entry and reporting-status pages open on `reporting_month()`: the latest month the bureau
  opened and has not locked, or else the month before the current one. Never an unfinished month.
"""

import calendar
import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_YEAR = 2000
MAX_YEAR = 2100
YEAR_MESSAGE = _("The year must be between 2000 and 2100.")
MONTH_MESSAGE = _("The month must be between 1 and 12.")
UNFINISHED_MESSAGE = _("%(year)s-%(month)02d has not ended yet; a month takes figures only once it has ended.")

YearMonth = tuple[int, int]


# --- bounds and arithmetic ---------------------------------------------------------------------------


def valid_year(year) -> bool:
    return type(year) is int and MIN_YEAR <= year <= MAX_YEAR


def valid_month(month) -> bool:
    return type(month) is int and 1 <= month <= 12


def period_check(year, month) -> None:
    """Raise a ValidationError naming `year` or `month` when either is outside the SPEC's range."""
    errors = {}
    if not valid_year(year):
        errors["year"] = YEAR_MESSAGE
    if not valid_month(month):
        errors["month"] = MONTH_MESSAGE
    if errors:
        raise ValidationError(errors)


def shift_month(year: int, month: int, delta: int) -> YearMonth:
    """The month `delta` months away (negative for earlier months)."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def previous_month(year: int, month: int) -> YearMonth:
    return shift_month(year, month, -1)


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# --- the calendar ------------------------------------------------------------------------------------


def today() -> dt.date:
    """Today in the app's time zone (`TIME_ZONE`)."""
    return timezone.localdate()


def month_ended(year: int, month: int, on: dt.date | None = None) -> bool:
    """Whether month `month` of `year` has ended by `on` (default: today in `TIME_ZONE`)."""
    return month_end(year, month) < (on or today())


def last_ended_month(on: dt.date | None = None) -> YearMonth:
    """The month before the current one (December of last year in January)."""
    on = on or today()
    return previous_month(on.year, on.month)


def unfinished_check(year: int, month: int, on: dt.date | None = None) -> None:
    """Refuse figures for a month that has not ended: a ValidationError naming `month`."""
    if not month_ended(year, month, on):
        raise ValidationError({"month": UNFINISHED_MESSAGE % {"year": year, "month": month}})


# --- the month a page opens on ------------------------------------------------------------------------


def _latest_period(on: dt.date, *, locked: bool, year: int | None = None) -> YearMonth | None:
    """The latest ended month with a period row that is (or is not) locked; one query."""
    from .models import ReportingPeriod  # the models import the bounds above

    last_year, last_month = last_ended_month(on)
    qs = ReportingPeriod.objects.filter(Q(year__lt=last_year) | Q(year=last_year, month__lte=last_month), locked=locked)
    if year is not None:
        qs = qs.filter(year=year)
    row = qs.order_by("-year", "-month").values_list("year", "month").first()
    return tuple(row) if row else None


def default_month(on: dt.date | None = None) -> YearMonth:
    """The dashboards' month: the latest locked month of the current year, else the month before the current one."""
    on = on or today()
    return _latest_period(on, locked=True, year=on.year) or last_ended_month(on)


def reporting_month(on: dt.date | None = None) -> YearMonth:
    """The month being reported: the latest ended month the bureau opened and has not locked, else last month."""
    on = on or today()
    return _latest_period(on, locked=False) or last_ended_month(on)


def month_of_year(year: int, default: YearMonth, on: dt.date | None = None) -> int:
    """The month a page opens on when only `year` is chosen: `default`'s month in its own year, else the
    year's latest locked month, else its last ended month (December of a past year; January of a year
    that has not started)."""
    if year == default[0]:
        return default[1]
    on = on or today()
    locked = _latest_period(on, locked=True, year=year)
    if locked:
        return locked[1]
    last_year, last_month = last_ended_month(on)
    if year < last_year:
        return 12
    return last_month if year == last_year else 1


# --- the period picker ---------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """The year and month a page, report or template is for; both optional, each checked against the SPEC's range."""

    year = forms.IntegerField(
        label=_("year"),
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": YEAR_MESSAGE, "min_value": YEAR_MESSAGE, "max_value": YEAR_MESSAGE},
    )
    month = forms.IntegerField(
        label=_("month"),
        required=False,
        min_value=1,
        max_value=12,
        error_messages={"invalid": MONTH_MESSAGE, "min_value": MONTH_MESSAGE, "max_value": MONTH_MESSAGE},
    )

    def period(self, default=default_month) -> YearMonth:
        """(year, month) chosen, the missing parts filled from `default()` (call after is_valid())."""
        year, month = self.cleaned_data.get("year"), self.cleaned_data.get("month")
        if year is not None and month is not None:
            return year, month
        fallback = default()
        if year is None:
            return fallback[0], month or fallback[1]
        return year, month_of_year(year, fallback)

    def messages(self) -> list[str]:
        return [str(e) for errors in self.errors.values() for e in errors]


def resolve_period(params, default=default_month) -> tuple[int, int, list[str]]:
    """The (year, month) asked for in `params` (a QueryDict), with the default filling what is missing
    or invalid, and the messages for invalid input."""
    form = PeriodForm(params)
    form.is_valid()
    return (*form.period(default), form.messages())
