"""The role groups of SPEC section 1: who a user is, in one vocabulary, and what each role may do in the admin.

Every page, API view, service, import and export asks these functions (`user_role`, `is_bureau`,
`is_staff`, `is_leader`, `own_unit_id`, `own_leader_id`); nothing compares a role code on its own.
"""

from django.contrib.auth.models import Group, Permission

from .choices import Role

# The bureau keeps everything of the registry in the admin; staff and leaders work in the pages.
BUREAU_APPS = ("projects", "knox")


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


def is_bureau(user) -> bool:
    """The development-and-reform bureau (or a superuser): writes everything, locked months included."""
    return user_role(user) == Role.DRC


def is_staff(user) -> bool:
    """A unit's reporting staff (责任单位填报员); not Django's `is_staff` admin flag."""
    return user_role(user) == Role.STAFF


def is_leader(user) -> bool:
    """A county leader (县级领导): reads everything, writes only instructions on problems."""
    return user_role(user) == Role.LEADER


def own_unit_id(user) -> int | None:
    """The unit a staff user reports for; None for anyone else or staff without a unit."""
    return getattr(user, "unit_id", None) if is_staff(user) else None


def own_leader_id(user) -> int | None:
    """The leader record whose linked projects a leader user sees as theirs; None for anyone else."""
    return getattr(user, "leader_id", None) if is_leader(user) else None


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
