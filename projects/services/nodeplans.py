"""Writes of milestones and pre-phase items (SPEC section 10): role and unit, validation, history.

Staff write the rows of their own unit's projects, leaders nothing, the bureau everything. The
API, the project page's form and the milestone import all call these.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..history import stamp_change
from ..models import Milestone, PrephaseItem, Project
from .records import own_projects_write_check, save_with_history

NODE_MODELS = (Milestone, PrephaseItem)


def node_write_check(*, user, project_ids) -> None:
    """Refuse writing milestones or pre-phase items of `project_ids` outside the user's role or unit."""
    own_projects_write_check(
        user=user,
        project_ids=project_ids,
        message=_("This project belongs to another unit; you can only change your own unit's projects."),
    )


def done_on_check(done_on: dt.date | None, today: dt.date | None = None) -> None:
    """A node cannot be done on a day that has not come."""
    today = today or timezone.localdate()
    if done_on is not None and done_on > today:
        raise ValidationError({"done_on": _("The date done cannot be in the future.")})


@transaction.atomic
def node_save(*, user, obj: Milestone | PrephaseItem, original_project_id: int | None = None, change_reason: str = ""):
    """Create or change a milestone or pre-phase item, keeping who and why in its history.

    `original_project_id` is the project before this change, so staff cannot move another unit's
    row onto their project or theirs onto another unit's.
    """
    node_write_check(user=user, project_ids={obj.project_id, original_project_id})
    done_on_check(obj.done_on)
    save_with_history(obj, user=user, change_reason=change_reason)
    return obj


@transaction.atomic
def node_delete(*, user, obj: Milestone | PrephaseItem, change_reason: str = "") -> None:
    """Delete a milestone or pre-phase item (staff of the project's unit, or the bureau), keeping its history."""
    node_write_check(user=user, project_ids={obj.project_id})
    stamp_change(obj, user=user, change_reason=change_reason)
    obj.delete()


@transaction.atomic
def milestones_bulk_set(*, user, rows: list[Milestone], change_reason: str = "") -> dict[str, int]:
    """Create or update milestones keyed by (project, year, name), all or nothing, with history.

    `rows` are unsaved, already validated Milestones; a row equal to the stored one changes nothing.
    Queries: the role check, one read of the stored rows, one bulk insert and one bulk update with
    their history rows, whatever the number of rows.
    """
    node_write_check(user=user, project_ids={r.project_id for r in rows})
    keys = {(r.project_id, r.year, r.name) for r in rows}
    years = {r.year for r in rows}
    stored = {
        (m.project_id, m.year, m.name): m
        for m in Milestone.objects.select_for_update().filter(
            project_id__in={r.project_id for r in rows}, year__in=years
        )
        if (m.project_id, m.year, m.name) in keys
    }
    created, changed = [], []
    fields = ("planned_date", "done_on", "note")
    for row in rows:
        existing = stored.get((row.project_id, row.year, row.name))
        if existing is None:
            created.append(row)
        elif any(getattr(existing, f) != getattr(row, f) for f in fields):
            for f in fields:
                setattr(existing, f, getattr(row, f))
            changed.append(existing)
    for obj in (*created, *changed):
        obj._change_reason = change_reason or ""
    if created:
        bulk_create_with_history(created, Milestone, default_user=user, default_change_reason=change_reason or "")
    if changed:
        bulk_update_with_history(
            changed, Milestone, list(fields), default_user=user, default_change_reason=change_reason or ""
        )
    return {"created": len(created), "updated": len(changed)}


def can_change_nodes(user, project: Project) -> bool:
    """Whether the user may keep this project's milestones and pre-phase items (for pages' edit links)."""
    try:
        node_write_check(user=user, project_ids={project.pk})
    except PermissionDenied:
        return False
    return True
