"""Writes of bottlenecks (卡点): raised by staff or the bureau on a project, closed by a resolution."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Bottleneck, Project, Unit
from ..querysets import CHANGE


@transaction.atomic
def bottleneck_raise(
    *,
    user,
    project: Project,
    category: str,
    description: str,
    unit: Unit | None = None,
    due: dt.date | None = None,
) -> Bottleneck:
    """Record a problem holding `project` up; staff only on their own unit's projects."""
    if not Project.objects.restrict(user, CHANGE).filter(pk=project.pk).exists():
        raise PermissionDenied(_("You can only raise bottlenecks on your own unit's projects."))
    bottleneck = Bottleneck(
        project=project,
        category=category,
        description=(description or "").strip(),
        unit=unit or project.unit,
        raised=timezone.localdate(),
        due=due,
    )
    bottleneck.full_clean()
    bottleneck._history_user = user
    bottleneck.save()
    return bottleneck


@transaction.atomic
def bottleneck_resolve(*, user, bottleneck: Bottleneck, resolution: str, resolved: dt.date | None = None) -> Bottleneck:
    """Close a bottleneck with what was done about it (the bureau, or staff of the project's unit)."""
    if not Bottleneck.objects.restrict(user, CHANGE).filter(pk=bottleneck.pk).exists():
        raise PermissionDenied(_("Only the bureau or the project's unit can resolve this bottleneck."))
    bottleneck = Bottleneck.objects.select_for_update().get(pk=bottleneck.pk)
    if bottleneck.resolved is not None:
        raise ValidationError({"resolved": _("This bottleneck is already resolved.")})
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the bottleneck was resolved.")})
    bottleneck.resolution = resolution.strip()
    bottleneck.resolved = resolved or timezone.localdate()
    bottleneck.full_clean()
    bottleneck._history_user = user
    bottleneck.save()
    return bottleneck
