"""Writes the REST API needs beyond figures: reference data, projects, periods (bottlenecks: services/bottlenecks).

Figures (actuals and plans) still go through `services.actual_set` / `plan_set`; this module adds
the create-only paths that must refuse a duplicate by naming the existing row, and the role rules
for the records that have no figure service. Views and serializers stay thin and call these.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ..choices import Stage
from ..history import history_save, stamp_change
from ..limits import clean_change_reason
from ..models import AnnualPlan, Bottleneck, MonthlyActual, Project, ReportingPeriod
from ..querysets import CHANGE
from ..roles import is_bureau, is_staff
from .figures import WriteResult, actual_set, actual_write_check, plan_set, plan_write_check

CONFLICT_MESSAGE = _lazy("This conflicts with a record saved at the same time; reload and try again.")

# Records staff may create and change (for their own unit's projects); everything else is the bureau's.
STAFF_WRITABLE = (MonthlyActual, Bottleneck)
# What staff keep of their own unit's projects (SPEC section 6): the stage and its dates.
STAFF_PROJECT_FIELDS = frozenset({"stage", "actual_start", "completion_date"})


class DuplicateRowError(ValidationError):
    """A create for a row that already exists; carries the existing row's id for the client."""

    def __init__(self, message: str, existing_id: int):
        super().__init__({NON_FIELD_ERRORS: [message]})
        self.existing_id = existing_id


def own_projects_write_check(*, user, project_ids, message: str) -> None:
    """Refuse a write on records of `project_ids` (milestones, pre-phase items, bottlenecks) unless the
    user is the bureau, or staff of the unit of every one of those projects; `message` says which."""
    if is_bureau(user):
        return
    if not is_staff(user):
        raise PermissionDenied(_("Your role can only read these records."))
    ids = {pk for pk in project_ids if pk is not None}
    if Project.objects.restrict(user, CHANGE).filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied(message)


def period_write_check(*, user) -> None:
    """Only the bureau opens, locks, unlocks and dates reporting months (pages, admin and API alike)."""
    if not is_bureau(user):
        raise PermissionDenied(_("Only the development and reform bureau manages reporting periods."))


def record_write_check(
    *, user, model: type[models.Model], obj: models.Model | None = None, fields: set | None = None
) -> None:
    """Refuse creating (`obj` None) or changing a record outside the user's role or unit.

    `fields` are the fields a change sets; staff may set `STAFF_PROJECT_FIELDS` of their own unit's
    projects and nothing else of a project.
    """
    if model is ReportingPeriod:
        return period_write_check(user=user)  # the reporting pages' and the admin's rule and message
    if is_bureau(user):
        return
    staff_project_change = (
        model is Project and obj is not None and fields is not None and set(fields) <= STAFF_PROJECT_FIELDS
    )
    if not is_staff(user) or (model not in STAFF_WRITABLE and not staff_project_change):
        if is_staff(user) and model is Project and obj is not None:
            raise PermissionDenied(_("Staff may change only the stage, actual start and completion date of a project."))
        raise PermissionDenied(_("Your role can only read these records."))
    if obj is not None and not model.objects.restrict(user, CHANGE).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("This record belongs to another unit's project; you can only change your own."))


def record_delete_check(*, user) -> None:
    """Only the bureau deletes anything."""
    if not is_bureau(user):
        raise PermissionDenied(_("Only the development and reform bureau can delete records."))


def save_with_history(obj: models.Model, *, user, change_reason: str = "") -> None:
    """Validate and save `obj`, recording who changed it and why; a lost race becomes a 400.

    The one save of every record service (API records, periods, milestones, pre-phase items)."""
    clean_change_reason(change_reason)
    try:
        with transaction.atomic():
            history_save(obj, user=user, change_reason=change_reason)
    except IntegrityError as exc:
        raise ValidationError(str(CONFLICT_MESSAGE)) from exc


@transaction.atomic
def record_save(*, user, obj: models.Model, change_reason: str = "", fields: set | None = None) -> models.Model:
    """Create or change a unit, leader, project or reporting period (the bureau's reference data).

    `fields`: the fields a change sets (staff may change a few of their projects' fields).
    """
    record_write_check(user=user, model=type(obj), obj=obj if obj.pk else None, fields=fields)
    save_with_history(obj, user=user, change_reason=change_reason)
    return obj


@transaction.atomic
def project_mark_started(*, user, project: Project, on) -> Project:
    """Mark a project under construction from `on` (its actual start unless one is recorded), with history."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    fields = {"stage"}
    project.stage = Stage.CONSTRUCTION
    if project.actual_start is None:
        project.actual_start = on
        fields.add("actual_start")
    return record_save(user=user, obj=project, change_reason=_("Started: first investment reported"), fields=fields)


@transaction.atomic
def record_delete(*, user, obj: models.Model, change_reason: str = "") -> None:
    """Delete a record (bureau only), keeping who and why in its history.

    A project with monthly figures is refused (archive it instead), a figure of a locked month
    needs a reason like any change to it, and a record still in use is a 400, not a 500.
    """
    record_delete_check(user=user)
    clean_change_reason(change_reason)
    if isinstance(obj, Project) and obj.actuals.exists():
        raise ValidationError(
            _("Project %(code)s has monthly figures and cannot be deleted; archive it instead (set archived).")
            % {"code": obj.code}
        )
    if isinstance(obj, MonthlyActual):
        actual_write_check(
            user=user, project=obj.project, year=obj.year, month=obj.month, change_reason=change_reason, deleting=True
        )
    stamp_change(obj, user=user, change_reason=change_reason)
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(
            _("%(record)s is still used by other records (such as projects) and cannot be deleted.") % {"record": obj}
        ) from exc


@transaction.atomic
def actual_create(*, user, project: Project, year: int, month: int, change_reason: str = "", **values) -> WriteResult:
    """Create a monthly figure (`values` as `actual_set` takes them); an existing one is refused, naming its id.

    Checks role, unit and lock first so that a refused write says why before saying "duplicate".
    """
    actual_write_check(user=user, project=project, year=year, month=month, change_reason=change_reason)
    existing = MonthlyActual.objects.filter(project=project, year=year, month=month).values_list("pk", flat=True)
    if existing:
        raise DuplicateRowError(
            _(
                "Project %(code)s already has a figure for %(year)s-%(month)02d (id %(id)s); "
                "change it with PATCH instead."
            )
            % {"code": project.code, "year": year, "month": month, "id": existing[0]},
            existing[0],
        )
    return actual_set(user=user, project=project, year=year, month=month, change_reason=change_reason, **values)


@transaction.atomic
def plan_create(*, user, project: Project, year: int, **values) -> WriteResult:
    """Create an annual plan (`values` as `plan_set` takes them); an existing one is refused, naming its id."""
    plan_write_check(user=user)
    plans = AnnualPlan.objects.filter(project=project, year=year).values_list("pk", flat=True)
    existing_id = plans.first()
    if existing_id is None:
        try:
            return plan_set(user=user, project=project, year=year, **values)
        except IntegrityError:
            existing_id = plans.first()  # someone created the same plan between our check and our insert
    raise DuplicateRowError(
        _("Project %(code)s already has an annual plan for %(year)s (id %(id)s); change it with PATCH instead.")
        % {"code": project.code, "year": year, "id": existing_id},
        existing_id,
    )


@transaction.atomic
def period_save(*, user, period: ReportingPeriod) -> ReportingPeriod:
    """Open, lock or date a reporting month through the API (bureau only); a second row for a month
    names the first. The pages and the admin use `services.reporting.period_set`, by year and month."""
    period_write_check(user=user)
    clash = (
        ReportingPeriod.objects.filter(year=period.year, month=period.month)
        .exclude(pk=period.pk)
        .values_list("pk", flat=True)
    )
    if clash:
        raise DuplicateRowError(
            _("%(year)s-%(month)02d already has a reporting period (id %(id)s); change it with PATCH instead.")
            % {"year": period.year, "month": period.month, "id": clash[0]},
            clash[0],
        )
    save_with_history(period, user=user)
    return period
