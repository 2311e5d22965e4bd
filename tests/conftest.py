import pytest

from projects.choices import Role

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
