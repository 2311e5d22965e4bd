"""All writes to plans and actuals: permission, locked periods, validation and history.

Pages, the API and the Excel import call these, so every write path leaves a history row
(who, when, old, new, reason), including the bulk paths used by imports.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import empty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_create_with_history

from ..history import history_save
from ..limits import NARRATIVE_MAX_LENGTH, clean_change_reason
from ..lookups import AnyOf
from ..models import ZERO, AnnualPlan, MonthlyActual, Project, ReportingPeriod
from ..periods import MAX_YEAR, MIN_YEAR, period_check, unfinished_check, valid_month, valid_year
from ..roles import is_bureau, is_staff, own_unit_id

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"

ACTUAL_FIELDS = ("amount", "progress", "problems")
LOCKED_MESSAGE = _lazy("The reporting period %(year)s-%(month)02d is locked; only the bureau can change it.")
LOCKED_REASON_MESSAGE = _lazy("%(year)s-%(month)02d is locked: give a reason for the change.")
MAX_AMOUNT_EXCLUSIVE = Decimal(10) ** 12  # max_digits 14 with two decimal places


@dataclass
class WriteResult:
    """The row written and whether it was created, updated or left unchanged."""

    obj: object
    outcome: str


@dataclass(slots=True)
class ActualRow:
    """One monthly figure to write (from a form, the API or an import row).

    `project` is a Project, or for imports any object with its pk, code, unit_id and archived.
    """

    project: Project
    year: int
    month: int
    amount: Decimal
    progress: str | None = None
    problems: str | None = None


def locked_months(*, year_months: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (year, month) pairs among `year_months` that the bureau has locked, in one query."""
    pairs = set(year_months)
    if not pairs:
        return set()
    years = {y for y, _m in pairs}
    locked = ReportingPeriod.objects.filter(year__in=years, locked=True).values_list("year", "month")
    return {pair for pair in locked if pair in pairs}


def month_locked(year: int, month: int) -> bool:
    """Whether the bureau has locked the month (a month without a period row is open)."""
    return bool(locked_months(year_months=[(year, month)]))


def lock_check(*, user, year: int, month: int, locked: bool, change_reason: str | None = None) -> None:
    """The locked-month rule: only the bureau changes a locked month, and only with a reason.

    Raises ValidationError naming `month` (anyone but the bureau) or `change_reason` (the bureau
    without one). `change_reason=None` leaves the reason to a later per-figure check.
    """
    if not locked:
        return
    period = {"year": year, "month": month}
    if not is_bureau(user):
        raise ValidationError({"month": LOCKED_MESSAGE % period})
    if change_reason is not None and not change_reason.strip():
        raise ValidationError({"change_reason": LOCKED_REASON_MESSAGE % period})


def actual_write_check(
    *,
    user,
    project: Project,
    year: int,
    month: int,
    change_reason: str,
    locked: bool | None = None,
    deleting: bool = False,
) -> None:
    """Refuse a write to `project`'s figure for the month unless the user's role allows it.

    Raises PermissionDenied for a write outside the user's role or unit, and ValidationError for a
    month that has not ended (naming `month`; a delete may remove such a stray figure) or a locked
    month (`lock_check`; `locked` may be given when the caller read the locks of many months at once).
    Every path (API, entry page, import, admin) writes through here.
    """
    clean_change_reason(change_reason)
    if project.archived:
        raise ValidationError(
            {"project": _("Project %(code)s is archived; it takes no more figures.") % {"code": project.code}}
        )
    if not is_bureau(user):
        if not is_staff(user):
            raise PermissionDenied(_("Your role cannot change investment figures."))
        if project.unit_id != own_unit_id(user):
            raise PermissionDenied(
                _("Project %(code)s belongs to another unit; you can only report your own unit's projects.")
                % {"code": project.code}
            )
    if not deleting and valid_year(year) and valid_month(month):  # out-of-range values: the model's message
        unfinished_check(year, month)
    if locked is None:
        locked = month_locked(year, month)
    lock_check(user=user, year=year, month=month, locked=locked, change_reason=change_reason or "")


def ytd_above_plan_warning(*, ytd: Decimal, plan: Decimal) -> str | None:
    """The warning for a year to date above the annual plan: worth a second look, never a refusal."""
    if ytd <= plan:
        return None
    return _("The year to date (%(ytd)s) would pass the annual plan (%(plan)s).") % {
        "ytd": f"{ytd:.2f}",
        "plan": f"{plan:.2f}",
    }


def _apply_actual_fields(actual: MonthlyActual, row: ActualRow) -> bool:
    """Copy the row's values onto `actual`; return whether anything changed."""
    changed = False
    for field in ACTUAL_FIELDS:
        value = getattr(row, field)
        if value is None:
            continue
        if getattr(actual, field) != value:
            setattr(actual, field, value)
            changed = True
    return changed


@transaction.atomic
def actual_set(
    *,
    user,
    project: Project,
    year: int,
    month: int,
    amount: Decimal,
    progress: str | None = None,
    problems: str | None = None,
    change_reason: str = "",
    expected_version: int | None = None,
) -> WriteResult:
    """Create or replace one project's figure for a month, keeping the change in history.

    `expected_version` makes the write conditional: if someone else saved the row since the
    caller read it, a ValidationError says so instead of silently overwriting their figure.
    """
    row = ActualRow(project, year, month, amount, progress, problems)
    actual_write_check(user=user, project=project, year=year, month=month, change_reason=change_reason)
    stored = MonthlyActual.objects.select_for_update().filter(project=project, year=year, month=month)
    actual = stored.first()
    if actual is None:
        actual = MonthlyActual(project=project, year=year, month=month)
        _apply_actual_fields(actual, row)
        try:
            with transaction.atomic():
                history_save(actual, user=user, change_reason=change_reason)
            return WriteResult(actual, CREATED)
        except IntegrityError:
            # Someone created the same month between our read and our insert: replace theirs.
            actual = stored.get()
    if expected_version is not None and actual.version != expected_version:
        raise ValidationError(
            {"version": _("Someone else changed this figure after you opened it; reload and check it before saving.")}
        )
    if not _apply_actual_fields(actual, row):
        return WriteResult(actual, UNCHANGED)
    actual.version += 1
    history_save(actual, user=user, change_reason=change_reason)
    return WriteResult(actual, UPDATED)


@transaction.atomic
def actuals_bulk_set(*, user, rows: list[ActualRow], change_reason: str = "") -> dict[str, int]:
    """Write many figures at once (imports), all or nothing, with one history row each.

    Checks every row's permission and lock first; a query count independent of the rows. Only
    the stored figures of the rows' months are read, and locked in primary-key order; the inserts
    and their history rows go out in as few statements as the database allows.
    """
    user = _unwrapped(user)
    pairs = {(r.year, r.month) for r in rows}
    locked = locked_months(year_months=pairs)
    for r in rows:
        actual_write_check(
            user=user,
            project=r.project,
            year=r.year,
            month=r.month,
            locked=(r.year, r.month) in locked,
            change_reason=change_reason,
        )
    existing = {}
    if rows:
        # The rows' projects × years × months: a superset of the rows' keys, exactly them for a one-month file.
        for a in (
            MonthlyActual.objects.select_for_update()
            .filter(
                AnyOf("project_id", {r.project.pk for r in rows}),
                year__in={r.year for r in rows},
                month__in={r.month for r in rows},
            )
            .order_by("pk")
        ):
            existing[(a.project_id, a.year, a.month)] = a
    to_create, to_update = [], {}  # updates by pk: a list membership test is quadratic in the rows
    for r in rows:
        key = (r.project.pk, r.year, r.month)
        actual = existing.get(key)
        if actual is None:
            # By id: an import's project is a light row, and a FK check would cost a query per row.
            actual = MonthlyActual(project_id=r.project.pk, year=r.year, month=r.month)
            _apply_actual_fields(actual, r)
            _clean(actual)
            to_create.append(actual)
            existing[key] = actual
        elif _apply_actual_fields(actual, r):
            actual.version += 1
            _clean(actual)
            if actual.pk:
                to_update[actual.pk] = actual
    now = timezone.now()  # one moment for the whole import's history rows
    if to_create:
        bulk_create_with_history(
            to_create, MonthlyActual, default_user=user, default_change_reason=change_reason, default_date=now
        )
    if to_update:
        updated = list(to_update.values())
        # What bulk_update_with_history does, with an upsert keyed by the primary key for the
        # update: bulk_update builds a CASE per field and row, seconds of Python for thousands of
        # rows; the upsert is one UNNEST statement on PostgreSQL. The same columns are written
        # (updated_at is left as bulk_update left it) and every row gets its "~" history row.
        MonthlyActual.objects.bulk_create(
            updated, update_conflicts=True, unique_fields=["id"], update_fields=[*ACTUAL_FIELDS, "version"]
        )
        MonthlyActual.history.bulk_history_create(
            updated, update=True, default_user=user, default_change_reason=change_reason, default_date=now
        )
    return {CREATED: len(to_create), UPDATED: len(to_update)}


def _unwrapped(user):
    """The user behind request.user's lazy proxy, whose every attribute read costs a call: history
    rows read the user once per row."""
    wrapped = getattr(user, "_wrapped", None)
    return user if wrapped is None or wrapped is empty else wrapped


def _clean(actual: MonthlyActual) -> None:
    """Model validation of a figure about to be written, without the per-row cost where it cannot fail.

    Values of the right types inside the fields' and validators' bounds pass full_clean unchanged, so
    only the others go through it (and raise the same ValidationError as before). The project is
    checked by the caller: its FK check would cost a query per row.
    """
    amount, year, month, version = actual.amount, actual.year, actual.month, actual.version
    if (
        type(actual).clean is Model.clean  # no model-wide rule to run
        and type(amount) is Decimal
        and amount.is_finite()
        and ZERO <= amount < MAX_AMOUNT_EXCLUSIVE
        and -2 <= amount.as_tuple().exponent <= 0
        and type(year) is int
        and MIN_YEAR <= year <= MAX_YEAR
        and type(month) is int
        and 1 <= month <= 12
        and type(actual.progress) is str
        and len(actual.progress) <= NARRATIVE_MAX_LENGTH
        and type(actual.problems) is str
        and len(actual.problems) <= NARRATIVE_MAX_LENGTH
        and type(version) is int
        and 0 <= version <= 2_147_483_647
    ):
        return
    actual.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)


def plan_write_check(*, user) -> None:
    """Only the bureau keeps the annual lists."""
    if not is_bureau(user):
        raise PermissionDenied(_("Only the development and reform bureau can change annual plans."))


@transaction.atomic
def plan_set(
    *,
    user,
    project: Project,
    year: int,
    pipeline: str,
    amount: Decimal,
    change_reason: str = "",
    monthly_amounts=empty,
) -> WriteResult:
    """Create or replace a project's annual plan for a year, keeping the change in history.

    `monthly_amounts` (twelve Decimals, or None to drop the monthly plan) changes the monthly plan
    in the same save; left out, the plan keeps its months, and an amount they no longer add up to
    is refused with the constraint's message.
    """
    plan_write_check(user=user)
    clean_change_reason(change_reason)
    plan = AnnualPlan.objects.select_for_update().filter(project=project, year=year).first()
    outcome = UPDATED
    if plan is None:
        plan, outcome = AnnualPlan(project=project, year=year), CREATED
    elif (
        plan.pipeline == pipeline
        and plan.amount == amount
        and (monthly_amounts is empty or plan.monthly_amounts == monthly_amounts)
    ):
        return WriteResult(plan, UNCHANGED)
    plan.pipeline, plan.amount = pipeline, amount
    if monthly_amounts is not empty:
        plan.monthly_amounts = monthly_amounts
    # The monthly plan's constraints (all or none, sum = amount) are checked whenever there is one.
    check = outcome == CREATED or plan.monthly_amounts is not None
    history_save(
        plan, user=user, change_reason=change_reason, validate_unique=outcome == CREATED, validate_constraints=check
    )
    return WriteResult(plan, outcome)


@transaction.atomic
def report_publish(*, user, year: int, month: int, note: str = ""):
    """Freeze the month's figures as published (通报); a later publication of the month is a new version."""
    from ..models import PublishedReport
    from ..selectors.published import snapshot_payload

    if not is_bureau(user):
        raise PermissionDenied(_("Only the development and reform bureau can publish a report."))
    period_check(year, month)
    last = PublishedReport.objects.select_for_update().filter(year=year, month=month).order_by("-version").first()
    report = PublishedReport(
        year=year,
        month=month,
        version=(last.version + 1) if last else 1,
        published_by=user,
        note=note,
        data=snapshot_payload(year=year, month=month),
    )
    report.full_clean()
    report.save()
    return report
