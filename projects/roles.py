"""The role groups of SPEC section 1 and what each may do in the admin."""

from django.contrib.auth.models import Group, Permission

from .choices import Role

# The bureau keeps everything of the registry in the admin; staff and leaders work in the pages.
BUREAU_APPS = ("projects", "knox")


def ensure_groups() -> dict[str, Group]:
    """Create the `drc`, `staff` and `leader` groups and give the bureau its admin permissions."""
    groups = {}
    for role in Role:
        groups[role.value], _created = Group.objects.get_or_create(name=role.value)
    perms = Permission.objects.filter(content_type__app_label__in=BUREAU_APPS)
    groups[Role.DRC.value].permissions.add(*perms)
    return groups


def create_groups_after_migrate(sender, **kwargs):
    """post_migrate hook: the groups exist on every database, including test databases."""
    ensure_groups()
