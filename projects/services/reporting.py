"""Writes of monthly reporting: the entry sheet, the submission ledger and its review.

Figures are written only through `services.actual_set` (permission, locked months, history,
optimistic version check); the ledger and its review keep their own history rows.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..history import history_save
from ..models import REPORTED_STATES, Project, ReportingPeriod, SubmissionStatus, Unit, UnitSubmission
from ..periods import unfinished_check
from ..querysets import CHANGE
from ..roles import is_bureau
from ..selectors.reporting import EntryLine
from .figures import CREATED, UNCHANGED, actual_set, lock_check, month_locked, ytd_above_plan_warning
from .records import period_write_check, project_mark_started

# A month's figure above this multiple of the project's usual monthly amount asks for confirmation.
SPIKE_FACTOR = Decimal("3")


def entry_warnings(line: EntryLine, amount: Decimal) -> list[str]:
    """Plausibility warnings for entering `amount` as this month's figure of `line`'s project.

    Staff may confirm them with a reason; they never block a figure on their own.
    """
    warnings = []
    row = line.row
    if line.usual and amount > line.usual * SPIKE_FACTOR:
        warnings.append(
            _("%(amount)s is more than %(factor)s times this project's usual monthly amount (%(usual)s).")
            % {"amount": f"{amount:.2f}", "factor": SPIKE_FACTOR, "usual": f"{line.usual:.2f}"}
        )
    above_plan = ytd_above_plan_warning(ytd=line.ytd_before + amount, plan=row.plan) if amount > 0 else None
    if above_plan:
        warnings.append(above_plan)
    cumulative = line.cumulative_before + amount
    if amount > 0 and row.total_investment > 0 and cumulative > row.total_investment:
        warnings.append(
            _("The investment since the start (%(cumulative)s) would pass the total investment (%(total)s).")
            % {"cumulative": f"{cumulative:.2f}", "total": f"{row.total_investment:.2f}"}
        )
    return warnings


@dataclass
class EntryChange:
    """One project's values from the entry form; only the fields in `changed` are written."""

    line: EntryLine
    amount: Decimal | None
    progress: str
    problems: str
    expected_version: int
    reason: str = ""
    changed: set = field(default_factory=lambda: {"amount", "progress", "problems"})

    @property
    def new_amount(self) -> Decimal | None:
        """The month's amount once this change is saved."""
        return self.amount if "amount" in self.changed else self.line.amount


class EntryRejected(Exception):
    """Nothing was saved: per-project errors, warnings awaiting a reason, and conflicting versions."""

    def __init__(self):
        super().__init__("entry rejected")
        self.errors: dict[int, list[str]] = {}
        self.warnings: dict[int, list[str]] = {}
        self.conflicts: dict[int, list[str]] = {}

    def __bool__(self):
        return bool(self.errors or self.warnings or self.conflicts)


@dataclass
class EntryResult:
    created: int = 0
    updated: int = 0
    submission: UnitSubmission | None = None
    projects: int = 0  # projects on the sheet
    started: int = 0  # projects marked under construction

    @property
    def changed(self) -> int:
        return self.created + self.updated


def _check_unit(user, unit: Unit) -> None:
    if not Unit.objects.restrict(user, CHANGE).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You can only report your own unit's projects."))


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)


@transaction.atomic
def entry_save(
    *,
    user,
    unit: Unit,
    year: int,
    month: int,
    lines: list[EntryLine],
    changes: list[EntryChange],
    submit: bool,
    change_reason: str = "",
    starts: Iterable[int] = (),
) -> EntryResult:
    """Write the changed rows of a unit's month and record a draft or a submission, all or nothing.

    `starts`: projects (ids) whose first investment marks them started (stage under construction,
    actual start the month's first day, unless one is recorded).

    Raises ValidationError naming `month` for a month that has not ended or is locked (staff);
    EntryRejected (nothing saved) for a row whose figure someone else changed since the form was
    loaded, a warning without a reason, a start without investment, or — when submitting — a
    project left without a figure. PermissionDenied for another unit's sheet or project.
    """
    _check_unit(user, unit)
    unfinished_check(year, month)
    locked = month_locked(year, month)
    lock_check(user=user, year=year, month=month, locked=locked)  # the reason is checked figure by figure
    if locked and submit:
        raise PermissionDenied(_("A locked month cannot be submitted."))
    rejected = EntryRejected()
    for c in changes:
        pid = c.line.project_id
        if c.new_amount is None:
            message = (
                _("An entered figure cannot be cleared; enter 0 instead.")
                if c.line.amount is not None
                else _("Enter this month's amount too (0 if nothing was invested).")
            )
            rejected.errors[pid] = [message]
        elif c.new_amount != c.line.amount:
            warnings = entry_warnings(c.line, c.new_amount)
            if warnings and not (c.reason.strip() or change_reason.strip()):
                rejected.warnings[pid] = warnings
    changed = {c.line.project_id: c for c in changes}
    by_id = {line.project_id: line for line in lines}
    for pid in set(starts):
        line = by_id.get(pid)
        if line is None or not line.can_mark_started:
            raise PermissionDenied(
                _("Only new-build projects on this sheet that have not started can be marked started.")
            )
        c = changed.get(pid)
        if not ((c.new_amount if c else line.amount) or 0) > 0:
            rejected.errors.setdefault(pid, []).append(_("Mark a project started only with this month's investment."))
    if submit:
        for line in lines:
            c = changed.get(line.project_id)
            if (c.new_amount if c else line.amount) is None and line.project_id not in rejected.errors:
                rejected.errors[line.project_id] = [
                    _("Enter this month's amount (0 if nothing was invested) before submitting.")
                ]
    if rejected:
        raise rejected

    projects = Project.objects.in_bulk([c.line.project_id for c in changes])
    result = EntryResult()
    for c in changes:
        reasons = [r for r in (change_reason.strip(), c.reason.strip()) if r]
        try:
            written = actual_set(
                user=user,
                project=projects[c.line.project_id],
                year=year,
                month=month,
                amount=c.new_amount,
                progress=c.progress if "progress" in c.changed else None,
                problems=c.problems if "problems" in c.changed else None,
                change_reason="; ".join(reasons),
                expected_version=c.expected_version,
            )
        except ValidationError as exc:
            if "version" in getattr(exc, "message_dict", {}):
                rejected.conflicts[c.line.project_id] = exc.message_dict["version"]
            else:
                rejected.errors[c.line.project_id] = _messages(exc)
            continue
        if written.outcome == CREATED:
            result.created += 1
        elif written.outcome != UNCHANGED:
            result.updated += 1
    if rejected:
        raise rejected  # leaving the atomic block rolls back the rows already written
    started_on = dt.date(year, month, 1)
    for pid in sorted(set(starts)):
        project_mark_started(user=user, project=Project(pk=pid), on=started_on)
        result.started += 1
    result.projects = len(lines)
    if not locked:
        result.submission = submission_record(
            user=user, unit=unit, year=year, month=month, submit=submit, changed=result.changed > 0
        )
    return result


def _submission_for_update(unit: Unit, year: int, month: int) -> UnitSubmission:
    submission = UnitSubmission.objects.select_for_update().filter(unit=unit, year=year, month=month).first()
    return submission or UnitSubmission(unit=unit, year=year, month=month)


def _save(submission: UnitSubmission, user, reason: str = "") -> UnitSubmission:
    history_save(submission, user=user, change_reason=reason, validate_unique=False, validate_constraints=False)
    return submission


@transaction.atomic
def submission_record(*, user, unit: Unit, year: int, month: int, submit: bool, changed: bool) -> UnitSubmission:
    """Mark the unit's month as a draft or as submitted after a save of its entry sheet.

    A report already submitted or accepted stays so when a save changes no figure; a change
    after submission has to be submitted (and reviewed) again.
    """
    _check_unit(user, unit)
    try:
        with transaction.atomic():
            return _record(user, _submission_for_update(unit, year, month), submit, changed)
    except IntegrityError:
        # Someone of the same unit created the month's submission at the same moment: apply ours on top.
        return _record(user, _submission_for_update(unit, year, month), submit, changed)


def _record(user, submission: UnitSubmission, submit: bool, changed: bool) -> UnitSubmission:
    now = timezone.now()
    if not changed and submission.status in REPORTED_STATES:
        return submission
    if submit:
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = now
        submission.submitted_by = user
        if submission.first_submitted_at is None:
            submission.first_submitted_at = now
    else:
        submission.status = SubmissionStatus.DRAFT
        submission.saved_at = now
    return _save(submission, user)


def _review_check(user, submission: UnitSubmission) -> None:
    if not is_bureau(user):
        raise PermissionDenied(_("Only the development and reform bureau reviews submissions."))


@transaction.atomic
def submission_return(*, user, submission: UnitSubmission, comment: str) -> UnitSubmission:
    """Send a submitted (or accepted) report back to the unit with a comment saying what to fix."""
    _review_check(user, submission)
    submission = UnitSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status not in REPORTED_STATES:
        raise ValidationError({"status": _("Only a submitted report can be returned.")})
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what the unit should correct.")})
    if month_locked(submission.year, submission.month):
        raise ValidationError({"status": _("The month is locked: unlock it before returning a report.")})
    submission.status = SubmissionStatus.RETURNED
    submission.comment = comment.strip()
    submission.reviewed_at, submission.reviewed_by = timezone.now(), user
    return _save(submission, user, reason=submission.comment)


@transaction.atomic
def submission_accept(*, user, submission: UnitSubmission, comment: str = "") -> UnitSubmission:
    """Accept a submitted report."""
    _review_check(user, submission)
    submission = UnitSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted report can be accepted.")})
    submission.status = SubmissionStatus.ACCEPTED
    submission.comment = (comment or "").strip()
    submission.reviewed_at, submission.reviewed_by = timezone.now(), user
    return _save(submission, user, reason=submission.comment)


@transaction.atomic
def period_set(
    *, user, year: int, month: int, locked: bool | None = None, deadline=..., change_reason: str = ""
) -> ReportingPeriod:
    """Open a month (create its period), lock or unlock it, or set its deadline; history is kept.

    Arguments left out keep their current value (`deadline=None` clears the deadline).
    """
    period_write_check(user=user)
    period = ReportingPeriod.objects.select_for_update().filter(year=year, month=month).first()
    adding = period is None
    if adding:
        period = ReportingPeriod(year=year, month=month)
    before = (period.locked, period.deadline)
    if locked is not None:
        period.locked = locked
    if deadline is not ...:
        period.deadline = deadline
    if not adding and (period.locked, period.deadline) == before:
        return period
    history_save(period, user=user, change_reason=change_reason, validate_unique=adding, validate_constraints=adding)
    return period
