"""`manage.py add_user NAME --role drc|staff|leader [--unit U] [--leader L] --password PW` (SPEC section 1)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from projects.choices import Role
from projects.models import Leader, Unit, User
from projects.roles import ensure_groups


class Command(BaseCommand):
    help = "Create or update a user of the registry with a role (drc, staff or leader)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="login name")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--unit", help="name of an existing unit (required for staff)")
        parser.add_argument("--leader", help="name of the leader record a leader user sees as 'mine'")
        parser.add_argument("--password", required=True)

    @transaction.atomic
    def handle(self, *args, name, role, unit, leader, password, **options):
        unit_obj = leader_obj = None
        if unit:
            unit_obj = Unit.objects.filter(name=unit).first()
            if unit_obj is None:
                raise CommandError(f"No unit named {unit!r}; create it first (admin or annual-list import).")
        elif role == Role.STAFF:
            raise CommandError("Staff users need --unit: the unit whose figures they report.")
        if leader:
            matches = list(Leader.objects.filter(name=leader)[:2])
            if not matches:
                raise CommandError(f"No leader named {leader!r}.")
            if len(matches) > 1:
                raise CommandError(f"Several leaders are named {leader!r}; rename one in the admin first.")
            leader_obj = matches[0]
        elif role == Role.LEADER:
            raise CommandError("Leader users need --leader: the leader whose linked projects are theirs.")

        groups = ensure_groups()
        user = User.objects.filter(username=name).first()
        created = user is None
        if created:
            user = User(username=name)
        user.unit = unit_obj
        if leader_obj is not None and User.objects.filter(leader=leader_obj).exclude(pk=user.pk).exists():
            raise CommandError(f"Leader {leader!r} is already linked to another user.")
        user.leader = leader_obj
        user.is_staff = role == Role.DRC  # the bureau works in the admin too
        user.is_active = True
        try:
            validate_password(password, user=user)  # the same rules as the admin's password forms
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user.set_password(password)
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        user.save()
        user.groups.remove(*[g for code, g in groups.items() if code != role])
        user.groups.add(groups[role])
        self.stdout.write(f"{'Created' if created else 'Updated'} {role} user {name}.")
