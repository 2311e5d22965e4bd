import pytest
from rest_framework.test import APIClient

from projects.choices import Role

from .clients import client_for, token_client
from .factories import LeaderFactory, UnitFactory, UserFactory


@pytest.fixture
def unit(db):
    return UnitFactory(name="县交通运输局")


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="县水利局")


@pytest.fixture
def drc_user(db):
    return UserFactory(username="bureau", role=Role.DRC, is_staff=True)


@pytest.fixture
def staff_user(unit):
    return UserFactory(username="clerk", role=Role.STAFF, unit=unit)


@pytest.fixture
def other_staff_user(other_unit):
    return UserFactory(username="clerk2", role=Role.STAFF, unit=other_unit)


@pytest.fixture
def leader_user(db):
    return UserFactory(username="leader", role=Role.LEADER, leader=LeaderFactory(name="王县长"))


@pytest.fixture
def roleless_user(db):
    """An account nobody has given a role yet: it reads and writes nothing."""
    user = UserFactory(username="norole")
    user.groups.clear()
    return user


def logged_in(user_fixture: str, make):
    """A fixture giving `make(user)`, a client of the user that the fixture `user_fixture` makes."""

    @pytest.fixture
    def fixture(request):
        return make(request.getfixturevalue(user_fixture))

    return fixture


# Clients by role: `*_client` a browser session of the pages, the bare role name an API token as scripts use.
drc_client = logged_in("drc_user", client_for)
staff_client = logged_in("staff_user", client_for)
leader_client = logged_in("leader_user", client_for)
drc = logged_in("drc_user", token_client)
staff = logged_in("staff_user", token_client)
other_staff = logged_in("other_staff_user", token_client)
leader = logged_in("leader_user", token_client)


@pytest.fixture
def anon():
    return APIClient()
