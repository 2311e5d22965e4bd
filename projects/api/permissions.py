"""The API's permission class: it asks the services, which ask `restrict(user, "change")`.

Reading is open to every signed-in user with a role (the county's registry is shared); a write is
refused early (403) when the role or unit cannot make it, before any input is validated. The
services check again when they write, so no other path can skip the rule.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from projects.querysets import user_role
from projects.services.records import record_delete_check, record_write_check


class RolePermission(BasePermission):
    """Signed-in users with a role read; writes and deletes follow the services' role and unit rules."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if user_role(user) is None:
            return False
        if request.method in SAFE_METHODS:
            return True
        if view.action == "destroy":
            record_delete_check(user=user)
        elif view.action == "create":
            record_write_check(user=user, model=view.queryset.model)
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS or view.action == "destroy":
            return True
        fields = set(request.data) - {"change_reason"} if hasattr(request.data, "keys") else None
        record_write_check(user=request.user, model=type(obj), obj=obj, fields=fields)
        return True
