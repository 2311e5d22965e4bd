"""One place that narrows every queryset to what a user may see or change.

Pages, API viewsets, exports and imports all call `restrict(user, action)`, so the rule
"staff read the county but write only their own unit" is written once.
"""

from django.db import models

from .choices import Role

VIEW = "view"
CHANGE = "change"


def user_role(user) -> str | None:
    """Return the user's role code (`drc`, `staff`, `leader`) or None; superusers are bureau."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_role_cache", None)
    if cached is not None:
        return cached or None
    if user.is_superuser:
        role = Role.DRC.value
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r.value for r in (Role.DRC, Role.STAFF, Role.LEADER) if r.value in names), "")
    user._role_cache = role
    return role or None


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows the path from its model to the responsible unit."""

    # Path from the model to Unit, e.g. "unit" for Project, "project__unit" for a plan.
    unit_path: str = "project__unit"

    def restrict(self, user, action: str = VIEW):
        """Narrow to the rows `user` may `view` or `change`."""
        role = user_role(user)
        if role is None:
            return self.none()
        if action == VIEW or role == Role.DRC:
            return self
        if role == Role.STAFF and getattr(user, "unit_id", None):
            return self.filter(**{f"{self.unit_path}_id": user.unit_id})
        return self.none()


class ProjectQuerySet(RestrictedQuerySet):
    unit_path = "unit"


class ProjectChildQuerySet(RestrictedQuerySet):
    unit_path = "project__unit"


class UnitQuerySet(RestrictedQuerySet):
    """Units: staff may change only their own unit's record."""

    def restrict(self, user, action: str = VIEW):
        role = user_role(user)
        if role is None:
            return self.none()
        if action == VIEW or role == Role.DRC:
            return self
        if role == Role.STAFF and getattr(user, "unit_id", None):
            return self.filter(pk=user.unit_id)
        return self.none()


class BureauOnlyQuerySet(RestrictedQuerySet):
    """Reference data that everyone reads and only the bureau changes."""

    def restrict(self, user, action: str = VIEW):
        role = user_role(user)
        if role is None:
            return self.none()
        if action == VIEW or role == Role.DRC:
            return self
        return self.none()
