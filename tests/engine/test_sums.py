"""The per-project sums the engine reads stay equal to the actuals after every kind of write.

After each write the summary (`ProjectSums`) is compared with the full aggregate of the monthly
actuals, computed here independently (a GROUP BY over the actuals), and the engine's figures
with sums added up by hand.
"""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from projects.models import MonthlyActual, Project, ProjectSums
from projects.selectors.progress import progress_report
from projects.services.figures import ActualRow, actual_set, actuals_bulk_set
from projects.sums import rebuild
from tests.clients import token_client

from ..factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=False)
YEAR = 2026


def actual_cells() -> dict[tuple[int, int, int], Decimal]:
    """(project, year, month) → amount, straight from the actuals (zero amounts left out)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT project_id, year, month, SUM(amount) FROM {MonthlyActual._meta.db_table} "
            "GROUP BY project_id, year, month"
        )
        rows = cursor.fetchall()
    found = {(p, y, m): Decimal(str(s)).quantize(Decimal("0.01")) for p, y, m, s in rows}
    return {k: v for k, v in found.items() if v}


def summary_cells() -> dict[tuple[int, int, int], Decimal]:
    """The same from the summary table: month m is c_m − c_(m−1)."""
    found = {}
    for row in ProjectSums.objects.values():
        for m in range(1, 13):
            amount = row[f"c{m}"] - (row[f"c{m - 1}"] if m > 1 else 0)
            if amount:
                found[(row["project_id"], row["year"], m)] = Decimal(amount).quantize(Decimal("0.01"))
    return found


def assert_exact():
    expected = actual_cells()
    assert summary_cells() == expected
    return expected


@pytest.fixture
def two(drc_user):
    """Two projects with plans for 2025 and 2026 and a few figures."""
    a, b = ProjectFactory(code="A-1"), ProjectFactory(code="B-1")
    for p in (a, b):
        for y in (YEAR - 1, YEAR):
            AnnualPlanFactory(project=p, year=y, amount=Decimal("1000.00"))
    MonthlyActualFactory(project=a, year=YEAR - 1, month=12, amount=Decimal("10.10"))
    MonthlyActualFactory(project=a, year=YEAR, month=1, amount=Decimal("20.20"))
    MonthlyActualFactory(project=b, year=YEAR, month=2, amount=Decimal("30.30"))
    assert_exact()
    return a, b


def test_figures_written_by_the_factories_are_summed(two):
    a, b = two
    assert summary_cells() == {
        (a.pk, YEAR - 1, 12): Decimal("10.10"),
        (a.pk, YEAR, 1): Decimal("20.20"),
        (b.pk, YEAR, 2): Decimal("30.30"),
    }


def test_service_writes(two, drc_user):
    a, b = two
    actual_set(user=drc_user, project=a, year=YEAR, month=3, amount=Decimal("5.55"), change_reason="新增")
    current = MonthlyActual.objects.get(project=a, year=YEAR, month=1)
    actual_set(
        user=drc_user, project=a, year=YEAR, month=1, amount=Decimal("0.01"), change_reason="更正",
        expected_version=current.version,
    )  # fmt: skip
    cells = assert_exact()
    assert cells[(a.pk, YEAR, 1)] == Decimal("0.01")
    assert cells[(a.pk, YEAR, 3)] == Decimal("5.55")


def test_bulk_import_service(two, drc_user):
    a, b = two
    rows = [ActualRow(a, YEAR, 1, Decimal("99.99")), ActualRow(b, YEAR, 3, Decimal("1.01"))]
    rows += [ActualRow(b, YEAR, m, Decimal("2.50")) for m in range(4, 11)]
    actuals_bulk_set(user=drc_user, rows=rows, change_reason="导入")
    cells = assert_exact()
    assert cells[(a.pk, YEAR, 1)] == Decimal("99.99")
    assert sum(v for (p, y, _m), v in cells.items() if (p, y) == (b.pk, YEAR)) == Decimal("48.81")


def test_admin_change_and_add(two, drc_user):
    """The admin writes figures through the services (project, year and month fixed once a figure
    exists; no delete there); moves between projects and months are covered by the raw SQL test."""
    a, b = two
    client = Client()
    client.force_login(drc_user)
    actual = MonthlyActual.objects.get(project=a, year=YEAR, month=1)
    response = client.post(
        f"/admin/projects/monthlyactual/{actual.pk}/change/",
        {"amount": "7.77", "progress": "", "problems": "", "change_reason": "更正"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert assert_exact()[(a.pk, YEAR, 1)] == Decimal("7.77")
    response = client.post(
        "/admin/projects/monthlyactual/add/",
        {"project": b.pk, "year": YEAR, "month": 7, "amount": "2.50", "progress": "", "problems": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert assert_exact()[(b.pk, YEAR, 7)] == Decimal("2.50")


def test_api_writes(two, drc_user):
    a, b = two
    api = token_client(drc_user)
    response = api.post("/api/actuals/", {"project": b.pk, "year": YEAR, "month": 5, "amount": "4.40"}, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()["id"]
    assert api.patch(f"/api/actuals/{created}/", {"amount": "4.45"}, format="json").status_code == 200
    assert assert_exact()[(b.pk, YEAR, 5)] == Decimal("4.45")
    assert api.delete(f"/api/actuals/{created}/").status_code == 204
    assert (b.pk, YEAR, 5) not in assert_exact()


def test_raw_sql_insert_update_and_delete(two):
    a, b = two
    table = MonthlyActual._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (project_id, year, month, amount, progress, problems, version, updated_at) "
            "VALUES (%s, %s, 4, 8.80, '', '', 1, CURRENT_TIMESTAMP), (%s, %s, 5, 9.90, '', '', 1, CURRENT_TIMESTAMP)",
            [a.pk, YEAR, b.pk, YEAR],
        )
        assert assert_exact()[(a.pk, YEAR, 4)] == Decimal("8.80")
        # A change of amount, of project, of year and of month, in one statement each.
        cursor.execute(f"UPDATE {table} SET amount = amount + 1")
        cursor.execute(f"UPDATE {table} SET project_id = %s WHERE project_id = %s AND month = 4", [b.pk, a.pk])
        cursor.execute(f"UPDATE {table} SET year = %s WHERE year = %s", [YEAR - 2, YEAR - 1])
        cursor.execute(f"UPDATE {table} SET month = month + 6 WHERE project_id = %s", [b.pk])
        cells = assert_exact()
        assert cells[(b.pk, YEAR, 10)] == Decimal("9.80")  # was a's April, 8.80 + 1
        assert cells[(a.pk, YEAR - 2, 12)] == Decimal("11.10")
        # Text only: the sums are left as they are.
        cursor.execute(f"UPDATE {table} SET progress = 'x'")
        assert_exact()
        cursor.execute(f"DELETE FROM {table} WHERE project_id = %s", [b.pk])
    assert all(p == a.pk for p, _y, _m in assert_exact())


def test_loaddata_inserts_and_overwrites(two, tmp_path):
    a, b = two
    existing = MonthlyActual.objects.get(project=b, year=YEAR, month=2)
    fields = {"year": YEAR, "progress": "", "problems": "", "version": 1, "updated_at": "2026-06-01T00:00:00Z"}
    objects = [
        {"model": "projects.monthlyactual", "pk": existing.pk,
         "fields": {**fields, "project": b.pk, "month": 2, "amount": "31.31"}},
        {"model": "projects.monthlyactual", "pk": existing.pk + 100,
         "fields": {**fields, "project": a.pk, "month": 6, "amount": "6.06"}},
    ]  # fmt: skip
    fixture = tmp_path / "figures.json"
    fixture.write_text(json.dumps(objects))
    call_command("loaddata", str(fixture), verbosity=0)
    cells = assert_exact()
    assert cells[(b.pk, YEAR, 2)] == Decimal("31.31") and cells[(a.pk, YEAR, 6)] == Decimal("6.06")


def test_a_rolled_back_write_leaves_the_sums_as_they_were(two, drc_user):
    a, b = two
    before = summary_cells()
    with pytest.raises(RuntimeError), transaction.atomic():
        actual_set(user=drc_user, project=a, year=YEAR, month=9, amount=Decimal("9.00"), change_reason="试")
        MonthlyActual.objects.filter(project=b).delete()
        assert summary_cells() != before
        raise RuntimeError
    assert summary_cells() == before
    assert_exact()


def test_deleting_a_project_takes_its_sums_away(two):
    a, b = two
    Project.objects.filter(pk=a.pk).delete()
    assert_exact()
    assert not ProjectSums.objects.filter(project_id=a.pk).exclude(**{f"c{m}": 0 for m in range(1, 13)}).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers are PostgreSQL's")
def test_truncate_empties_the_sums(two):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {MonthlyActual._meta.db_table}")
    assert summary_cells() == {} == actual_cells()


def test_rebuild_recomputes_a_damaged_summary(two):
    ProjectSums.objects.update(c1=Decimal("123.00"))
    ProjectSums.objects.filter(year=YEAR - 1).delete()
    assert summary_cells() != actual_cells()
    call_command("rebuild_sums", verbosity=0)
    assert_exact()
    assert rebuild() == 3  # a's two years and b's one


def test_the_engine_reads_the_sums_right_after_a_raw_write(two):
    a, b = two
    # By hand: plans 2 × 1000 in 2026; actuals to June 20.20 + 30.30 = 50.50, June itself 0.
    report = progress_report(year=YEAR, month=6)
    assert report.totals.actual_to_date == Decimal("50.50")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {MonthlyActual._meta.db_table} SET month = 6 WHERE project_id = %s", [b.pk])
    report = progress_report(year=YEAR, month=6)
    assert report.totals.actual_to_date == Decimal("50.50")
    assert report.totals.month_actual == Decimal("30.30")
    report = progress_report(year=YEAR, month=5)
    assert report.totals.actual_to_date == Decimal("20.20")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement-level trigger")
def test_one_statement_writes_each_sums_row_once(two):
    """A statement touching twelve months of a project (an import of a year's figures) writes its sums
    row once, not once a month: one row version, so the table does not swell with dead ones."""
    a, _b = two
    table = MonthlyActual._meta.db_table

    def sums_writes() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_ins + n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
                [ProjectSums._meta.db_table],
            )
            return cursor.fetchone()[0]

    before = sums_writes()
    values = ", ".join(f"({a.pk}, {YEAR}, {m}, {m}.25, '', '', 1, CURRENT_TIMESTAMP)" for m in range(2, 13))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (project_id, year, month, amount, progress, problems, version, updated_at) "
            f"VALUES {values}"
        )
        assert sums_writes() - before == 1
        cursor.execute(f"UPDATE {table} SET amount = amount + 1 WHERE project_id = %s AND year = %s", [a.pk, YEAR])
        assert sums_writes() - before == 2
    cells = assert_exact()
    assert cells[(a.pk, YEAR, 12)] == Decimal("13.25")
    assert cells[(a.pk, YEAR, 1)] == Decimal("21.20")
