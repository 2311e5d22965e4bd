"""AnyOf: the same rows as an `__in` list, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.lookups import AnyOf
from projects.models import MonthlyActual, Project

from .factories import MonthlyActualFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ODD_CODES = ["a,b", 'q"t', "s'q", "b\\s", "{x}", "NULL", " sp ", "中文编号", "x" * 40]


def test_text_values_match_exactly_whatever_their_characters():
    for code in ODD_CODES:
        ProjectFactory(code=code)
    ProjectFactory(code="other")
    assert set(Project.objects.filter(AnyOf("code", ODD_CODES)).values_list("code", flat=True)) == set(ODD_CODES)
    # A value longer than the column is compared whole, never cut to the column's length.
    assert not Project.objects.filter(AnyOf("code", ["x" * 41])).exists()


def test_ids_foreign_keys_duplicates_none_and_nothing():
    a, b, c = ProjectFactory(), ProjectFactory(), ProjectFactory()
    MonthlyActualFactory(project=a, year=2026, month=1)
    MonthlyActualFactory(project=c, year=2026, month=1)
    assert set(Project.objects.filter(AnyOf("pk", [a.pk, b.pk, a.pk, None]))) == {a, b}
    assert set(
        MonthlyActual.objects.filter(AnyOf("project_id", {a.pk, b.pk})).values_list("project_id", flat=True)
    ) == {a.pk}
    assert not Project.objects.filter(AnyOf("pk", [])).exists()
    assert not Project.objects.filter(AnyOf("pk", [None])).exists()


def test_one_parameter_on_postgresql():
    ids = [p.pk for p in (ProjectFactory(), ProjectFactory(), ProjectFactory())]
    with CaptureQueriesContext(connection) as ctx:
        assert Project.objects.filter(AnyOf("id", ids)).count() == 3
    sql = ctx.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and "::bigint[]" in sql
    else:
        assert " IN (" in sql
