"""One place that narrows every queryset to what a user may see or change.

Pages, API viewsets, exports and imports all call `restrict(user, action)`, so the rule
"everyone with a role reads the county; staff change only their own unit's rows; the bureau
changes everything" is written once. Each queryset class only says where its unit is.
"""

from django.db import models

from .roles import is_bureau, own_unit_id, user_role

VIEW = "view"
CHANGE = "change"

__all__ = ["CHANGE", "VIEW", "RestrictedQuerySet", "user_role"]


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows the path from its model to the responsible unit."""

    # Lookup of the row's unit id, e.g. "unit_id" for Project, "project__unit_id" for a plan;
    # None for reference data that only the bureau changes.
    unit_field: str | None = "project__unit_id"

    def restrict(self, user, action: str = VIEW):
        """Narrow to the rows `user` may `view` or `change`."""
        if user_role(user) is None:
            return self.none()
        if action == VIEW or is_bureau(user):
            return self
        unit_id = own_unit_id(user)
        if unit_id and self.unit_field:
            return self.filter(**{self.unit_field: unit_id})
        return self.none()


class ProjectQuerySet(RestrictedQuerySet):
    unit_field = "unit_id"


class ProjectChildQuerySet(RestrictedQuerySet):
    unit_field = "project__unit_id"


class UnitQuerySet(RestrictedQuerySet):
    """Units: staff may change only their own unit's record."""

    unit_field = "pk"


class BureauOnlyQuerySet(RestrictedQuerySet):
    """Reference data that everyone reads and only the bureau changes."""

    unit_field = None
