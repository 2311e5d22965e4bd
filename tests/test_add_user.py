"""`manage.py add_user` exactly as SPEC section 1 gives it."""

import pytest
from django.core.management import CommandError, call_command

from projects.models import User

from .factories import LeaderFactory, UnitFactory

pytestmark = pytest.mark.django_db


def groups_of(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_creates_staff_user_with_unit():
    UnitFactory(name="县水利局")
    call_command("add_user", "slj", "--role", "staff", "--unit", "县水利局", "--password", "Secret-123")
    user = User.objects.get(username="slj")
    assert user.unit.name == "县水利局"
    assert groups_of(user) == ["staff"]
    assert user.check_password("Secret-123")
    assert not user.is_staff


def test_updates_existing_user_and_switches_role():
    LeaderFactory(name="李县长")
    call_command("add_user", "li", "--role", "drc", "--password", "One-1234")
    call_command("add_user", "li", "--role", "leader", "--leader", "李县长", "--password", "Two-1234")
    user = User.objects.get(username="li")
    assert groups_of(user) == ["leader"]
    assert user.leader.name == "李县长"
    assert user.check_password("Two-1234")
    assert User.objects.filter(username="li").count() == 1


def test_drc_user_can_use_the_admin():
    call_command("add_user", "fgj", "--role", "drc", "--password", "Bureau-123")
    user = User.objects.get(username="fgj")
    assert user.is_staff
    assert user.has_perm("projects.change_monthlyactual")


@pytest.mark.parametrize(
    "args, message",
    [
        (["x", "--role", "staff", "--unit", "不存在的单位", "--password", "p"], "No unit named"),
        (["x", "--role", "staff", "--password", "p"], "need --unit"),
        (["x", "--role", "leader", "--leader", "nobody", "--password", "p"], "No leader named"),
        (["x", "--role", "leader", "--password", "p"], "need --leader"),
    ],
)
def test_refuses_bad_arguments_without_creating_anything(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_user", *args)
    assert not User.objects.filter(username="x").exists()


def test_unknown_role_is_refused():
    with pytest.raises(CommandError):
        call_command("add_user", "x", "--role", "boss", "--password", "p")
