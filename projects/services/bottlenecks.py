"""Writes of bottlenecks (卡点, 问题清单): the one path pages, the API and the admin take.

Who may write: the bureau on any project, staff only on their own unit's projects (and never
moving a bottleneck between units); leaders write no bottleneck. The date and resolution rules are
the model's constraints, checked by `full_clean()` and reported under the field they are about.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Bottleneck, BottleneckInstruction, BottleneckUpdate, Project, Unit
from ..roles import is_leader, own_leader_id
from .records import own_projects_write_check


def bottleneck_write_check(*, user, project_ids: set[int]) -> None:
    """Refuse a write on bottlenecks of `project_ids` outside the user's role or unit."""
    own_projects_write_check(
        user=user, project_ids=project_ids, message=_("You can only raise bottlenecks on your own unit's projects.")
    )


@transaction.atomic
def bottleneck_save(*, user, bottleneck: Bottleneck, original_project_id: int | None = None) -> Bottleneck:
    """Raise or update a bottleneck after the role check; validated by the model, with history.

    `original_project_id` is the project before this change, so staff cannot move another
    unit's bottleneck onto their project or theirs onto another unit's.
    """
    bottleneck_write_check(user=user, project_ids={bottleneck.project_id, original_project_id} - {None})
    bottleneck.full_clean()
    bottleneck._history_user = user
    bottleneck.save()
    return bottleneck


def bottleneck_raise(
    *,
    user,
    project: Project,
    category: str,
    description: str,
    unit: Unit | None = None,
    due: dt.date | None = None,
) -> Bottleneck:
    """Record a problem holding `project` up, raised today; the unit defaults to the project's."""
    bottleneck = Bottleneck(
        project=project,
        category=category,
        description=(description or "").strip(),
        unit=unit or project.unit,
        raised=timezone.localdate(),
        due=due,
    )
    return bottleneck_save(user=user, bottleneck=bottleneck)


@transaction.atomic
def bottleneck_resolve(*, user, bottleneck: Bottleneck, resolution: str, resolved: dt.date | None = None) -> Bottleneck:
    """Close a bottleneck with what was done about it (the bureau, or staff of the project's unit)."""
    bottleneck_write_check(user=user, project_ids={bottleneck.project_id})
    bottleneck = Bottleneck.objects.select_for_update().get(pk=bottleneck.pk)
    if bottleneck.resolved is not None:
        raise ValidationError({"resolved": _("This bottleneck is already resolved.")})
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the bottleneck was resolved.")})
    bottleneck.resolution = resolution.strip()
    bottleneck.resolved = resolved or timezone.localdate()
    return bottleneck_save(user=user, bottleneck=bottleneck)


def _text(value: str, field: str = "text") -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("This field cannot be blank.")})
    return text


@transaction.atomic
def bottleneck_note_add(*, user, bottleneck: Bottleneck, text: str) -> BottleneckUpdate:
    """Log progress on a problem: the bureau, or staff of the project's unit."""
    bottleneck_write_check(user=user, project_ids={bottleneck.project_id})
    note = BottleneckUpdate(bottleneck=bottleneck, text=_text(text), user=user)
    note.full_clean()
    note._history_user = user
    note.save()
    return note


@transaction.atomic
def bottleneck_instruct(*, user, bottleneck: Bottleneck, text: str) -> BottleneckInstruction:
    """A county leader's instruction (批示) on a problem: the one write a leader has."""
    if not is_leader(user):
        raise PermissionDenied(_("Only county leaders give instructions on problems."))
    instruction = BottleneckInstruction(
        bottleneck=bottleneck, text=_text(text), user=user, leader_id=own_leader_id(user)
    )
    instruction.full_clean()
    instruction._history_user = user
    instruction.save()
    return instruction


# What the unit and the bureau change while a problem is handled (the escalation and who answers).
HANDLING_FIELDS = ("owner", "leader", "level", "measures", "due")


def bottleneck_update(*, user, bottleneck: Bottleneck, data: dict) -> Bottleneck:
    """Change how a problem is handled (owner, coordinating leader, level, measures, due date)."""
    for field in HANDLING_FIELDS:
        if field in data:
            setattr(bottleneck, field, data[field])
    return bottleneck_save(user=user, bottleneck=bottleneck)
