"""The export's spool and its memory: rows wait on disk, so the export stays flat as projects grow."""

import tracemalloc
from decimal import Decimal

import pytest
from django.db import transaction

from projects.demo import generate
from projects.models import User
from projects.reports.spool import Spool


def test_rows_come_back_by_group_in_order():
    with Spool() as spool:
        spool.add(["甲", Decimal("1.10"), None], "a", "b")
        spool.add(["乙", Decimal("2.20"), 3], "a")
        spool.add(("丙", Decimal("-0.01"), "x"), "b")
        assert (spool.count("a"), spool.count("b"), spool.count("none")) == (2, 2, 0)
        assert list(spool.rows("b")) == [["甲", Decimal("1.10"), None], ["丙", Decimal("-0.01"), "x"]]
        assert list(spool.rows("a")) == [["甲", Decimal("1.10"), None], ["乙", Decimal("2.20"), 3]]
        first = next(spool.rows("a"))
        first[0] = "changed"  # each row is a new list: numbering one sheet does not touch another
        assert next(spool.rows("b"))[0] == "甲"
        assert list(spool.rows("none")) == []


class Rollback(Exception):
    pass


def export_peak(client, projects: int) -> int:
    """Peak traced bytes of one export of a generated registry (rolled back afterwards)."""
    try:
        with transaction.atomic():
            generate(projects=projects, years=2, seed=1, with_history=False)
            client.force_login(User.objects.filter(groups__name="drc").order_by("pk").first())
            url = "/reports/progress.xlsx?year=2026&month=10"
            assert client.get(url).status_code == 200  # warm: sessions, translations, cached reports
            tracemalloc.start()
            try:
                size, first = 0, b""
                for chunk in client.get(url).streaming_content:  # read as a browser does: not kept whole
                    first = first or chunk
                    size += len(chunk)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            assert first.startswith(b"PK") and size > 10_000
            raise Rollback
    except Rollback:
        pass
    return peak


@pytest.mark.django_db
def test_export_memory_does_not_grow_with_projects(client, monkeypatch):
    # Small chunks, so both sizes are many chunks long and only the per-project offsets remain.
    monkeypatch.setattr("projects.selectors.rows.ROW_CHUNK", 100)
    monkeypatch.setattr("projects.reports.workbook.CHUNK", 100)
    small, large = export_peak(client, 400), export_peak(client, 2400)
    assert large < 1.5 * small, (small, large)
