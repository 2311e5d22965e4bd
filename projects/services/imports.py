"""Bulk write of the bureau's annual key-project list (projects and their plan for a year).

The Excel import calls this after every row has been checked; it writes all rows or none, in a
constant number of queries, and keeps a history row for every project and plan it creates or
changes (simple_history's bulk helpers, never queryset.update()).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import AnnualPlan, Project
from .figures import CREATED, UPDATED, plan_write_check

# Project attributes the annual list may set (unit and leader as model instances).
LIST_PROJECT_FIELDS = (
    "name",
    "unit",
    "leader",
    "sector",
    "industry",
    "stage",
    "level",
    "total_investment",
    "planned_start",
    "content",
)
FOREIGN_KEYS = ("unit", "leader")


@dataclass
class ListRow:
    """One project of a year's list: the attributes given (others left as they are) and its plan."""

    code: str
    year: int
    pipeline: str
    amount: Decimal
    attrs: dict = field(default_factory=dict)


@dataclass
class ListOutcome:
    """What happened to each row (by position): created, updated or unchanged; and the totals."""

    outcomes: list[str]

    @property
    def counts(self) -> dict[str, int]:
        return {CREATED: self.outcomes.count(CREATED), UPDATED: self.outcomes.count(UPDATED)}


def _set_attrs(project: Project, attrs: dict) -> set[str]:
    """Copy the given attributes onto the project; return the names of those that changed."""
    changed = set()
    for name, value in attrs.items():
        if value is None:
            continue
        if name in FOREIGN_KEYS:  # compare ids: reading the related object would cost a query per row
            differs = getattr(project, f"{name}_id") != value.pk
        else:
            differs = getattr(project, name) != value
        if differs:
            setattr(project, name, value)
            changed.add(name)
    return changed


@transaction.atomic
def annual_list_bulk_set(*, user, rows: list[ListRow], change_reason: str = "") -> ListOutcome:
    """Create or update projects by code and their plans for the rows' years, all or nothing.

    A row is `created` when its plan is new, `updated` when its plan or its project changed,
    otherwise unchanged. New projects need a name and a unit in `attrs` (the importer checks).
    """
    plan_write_check(user=user)
    codes = {r.code for r in rows}
    projects = {p.code: p for p in Project.objects.select_for_update().filter(code__in=codes)}
    new_projects, changed_projects, changed_fields = {}, {}, set()
    for r in rows:
        project = projects.get(r.code) or new_projects.get(r.code)
        if project is None:
            project = Project(code=r.code)
            _set_attrs(project, r.attrs)
            project.full_clean(exclude=["unit", "leader"], validate_unique=False, validate_constraints=False)
            new_projects[r.code] = project
            continue
        changed = _set_attrs(project, r.attrs)
        if changed and project.pk:
            project.full_clean(exclude=["unit", "leader"], validate_unique=False, validate_constraints=False)
            changed_projects[r.code] = project
            changed_fields |= changed
    if new_projects:
        created = bulk_create_with_history(
            list(new_projects.values()), Project, batch_size=500, default_user=user, default_change_reason=change_reason
        )
        projects.update({p.code: p for p in created})
    if changed_projects:
        now = timezone.now()
        for p in changed_projects.values():
            p.updated_at = now
        bulk_update_with_history(
            list(changed_projects.values()),
            Project,
            sorted(changed_fields | {"updated_at"}),
            batch_size=500,
            default_user=user,
            default_change_reason=change_reason,
        )

    plans = {
        (p.project_id, p.year): p
        for p in AnnualPlan.objects.select_for_update().filter(
            project_id__in=[p.pk for p in projects.values()], year__in={r.year for r in rows}
        )
    }
    to_create, to_update, outcomes, counted_projects = [], [], [], set()
    for r in rows:
        project = projects[r.code]
        plan = plans.get((project.pk, r.year))
        outcome = None
        if plan is None:
            plan = AnnualPlan(project=project, year=r.year, pipeline=r.pipeline, amount=r.amount)
            plan.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
            to_create.append(plan)
            outcome = CREATED
        elif plan.pipeline != r.pipeline or plan.amount != r.amount:
            plan.pipeline, plan.amount = r.pipeline, r.amount
            plan.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
            to_update.append(plan)
            outcome = UPDATED
        elif r.code in changed_projects and r.code not in counted_projects:
            outcome = UPDATED
        if r.code in new_projects and outcome is None:
            outcome = CREATED
        counted_projects.add(r.code)
        outcomes.append(outcome or "unchanged")
    if to_create:
        bulk_create_with_history(
            to_create, AnnualPlan, batch_size=500, default_user=user, default_change_reason=change_reason
        )
    if to_update:
        now = timezone.now()
        for p in to_update:
            p.updated_at = now
        bulk_update_with_history(
            to_update,
            AnnualPlan,
            ["pipeline", "amount", "updated_at"],
            batch_size=500,
            default_user=user,
            default_change_reason=change_reason,
        )
    return ListOutcome(outcomes)
