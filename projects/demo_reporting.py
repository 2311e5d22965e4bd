"""The demo county's reporting history: when each unit entered and submitted each month.

Every past month each unit on the year's list submitted its report, most before the period's
deadline (the 10th of the next month), a slow unit or two sometimes after it, and the bureau
accepted it a few days later. In the open month (the latest, still unlocked) most units have
submitted, one has entered every figure but not pressed submit (已填未报), and one has not
reported at all. States and timestamps follow `services.reporting` (`_record`, `submission_accept`):
a submission carries submitted_at / first_submitted_at / submitted_by, a draft saved_at, an
accepted report reviewed_at / reviewed_by.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .choices import UnitKind
from .models import SubmissionStatus, UnitSubmission

DEADLINE_DAY = 10  # of the month after the reported month
ON_TIME_LATE_SHARE = 0.03
SLOW_UNIT_LATE_SHARE = 0.3


@dataclass
class _Report:
    status: str
    at: dt.datetime  # submitted (or, for a draft, saved)
    reviewed_at: dt.datetime | None = None


class ReportingCalendar:
    """Who reported which month and when, decided once so figures and submissions agree."""

    def __init__(self, *, rng: random.Random, units, first_year: int, last_year: int, last_month: int, active):
        self.open = (last_year, last_month)
        self.tz = timezone.get_default_timezone()
        active = sorted(active)
        townships = [i for i in active if units[i].kind == UnitKind.TOWNSHIP] or active
        self.unreported = rng.choice(townships)
        others = [i for i in active if i != self.unreported and units[i].kind != UnitKind.TOWNSHIP]
        self.draft = rng.choice(others or [i for i in active if i != self.unreported] or [None])
        slow = set(rng.sample(active, min(2, len(active))))
        self.reports: dict[tuple[int, int, int], _Report] = {}
        for year in range(first_year, last_year + 1):
            for month in range(1, 13 if year < last_year else last_month + 1):
                deadline = self.deadline(year, month)
                for idx in active:
                    if (year, month) == self.open and idx == self.unreported:
                        continue
                    late = rng.random() < (SLOW_UNIT_LATE_SHARE if idx in slow else ON_TIME_LATE_SHARE)
                    day = deadline + dt.timedelta(days=rng.randint(1, 6) if late else -rng.randint(1, 8))
                    at = self._at(day, rng)
                    if (year, month) == self.open and idx == self.draft:
                        self.reports[idx, year, month] = _Report(SubmissionStatus.DRAFT, at)
                    elif (year, month) == self.open and rng.random() < 0.6:
                        self.reports[idx, year, month] = _Report(SubmissionStatus.SUBMITTED, at)
                    else:
                        reviewed = self._at(day + dt.timedelta(days=rng.randint(1, 4)), rng)
                        self.reports[idx, year, month] = _Report(SubmissionStatus.ACCEPTED, at, reviewed)

    def _at(self, day: dt.date, rng: random.Random) -> dt.datetime:
        minute = rng.randint(8 * 60 + 30, 17 * 60 + 30)
        return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=self.tz)

    @staticmethod
    def deadline(year: int, month: int) -> dt.date:
        return dt.date(year + (month == 12), month % 12 + 1, DEADLINE_DAY)

    def reports_month(self, unit_idx: int, year: int, month: int) -> bool:
        """Whether the unit entered its figures for the month (all but the one unreported unit)."""
        return (unit_idx, year, month) in self.reports

    def entered_at(self, unit_idx: int, year: int, month: int) -> dt.datetime:
        """When the unit's clerk entered the month's figures: a little before submitting them."""
        return self.reports[unit_idx, year, month].at - dt.timedelta(minutes=20)


def create_submissions(calendar: ReportingCalendar, *, listed, clerks, bureau, with_history: bool) -> int:
    """Write each unit's submission for every month it had projects on the year's list.

    `listed` holds (unit index, year) pairs; with history, a report the bureau accepted gets
    two history rows: submitted by the unit's clerk, then accepted by the bureau.
    """
    objs, accepted = [], []
    for (idx, year, month), report in calendar.reports.items():
        if (idx, year) not in listed:
            continue
        s = UnitSubmission(unit_id=clerks[idx].unit_id, year=year, month=month)
        if report.status == SubmissionStatus.DRAFT:
            s.status, s.saved_at = SubmissionStatus.DRAFT, report.at
        else:
            s.status, s.submitted_by = SubmissionStatus.SUBMITTED, clerks[idx]
            s.submitted_at = s.first_submitted_at = report.at
        s._history_user, s._history_date = clerks[idx], report.at
        objs.append(s)
        if report.status == SubmissionStatus.ACCEPTED:
            accepted.append((s, report.reviewed_at))
    if not with_history:
        for s, reviewed_at in accepted:
            s.status, s.reviewed_at, s.reviewed_by = SubmissionStatus.ACCEPTED, reviewed_at, bureau
        UnitSubmission.objects.bulk_create(objs, batch_size=2000)
        return len(objs)
    bulk_create_with_history(objs, UnitSubmission, batch_size=2000, default_change_reason="")
    for s, reviewed_at in accepted:
        s.status, s.reviewed_at, s.reviewed_by = SubmissionStatus.ACCEPTED, reviewed_at, bureau
        s._history_user, s._history_date = bureau, reviewed_at
    bulk_update_with_history(
        [s for s, _r in accepted], UnitSubmission, ["status", "reviewed_at", "reviewed_by"], batch_size=2000
    )
    return len(objs)
