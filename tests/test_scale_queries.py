"""Every path the benchmark measures costs the same number of queries at 10 and at 2,000 projects.

The registries come from the same generator as the benchmark (`projects.demo.generate`), each
inside a savepoint that is rolled back, so both sizes start from the same empty database. Counts
are taken with the figure cache empty (the request right after a data change) and again warm.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from projects.demo import generate
from projects.models import MonthlyActual, Project, User

pytestmark = pytest.mark.django_db
YEAR, MONTH = 2026, 10
IMPORT_HEADERS = ["项目编号", "项目名称", "年", "月", "本月完成投资(万元)", "形象进度"]


class Rollback(Exception):
    pass


def import_workbook() -> bytes:
    """Figures for November and December (still empty) for ten projects on this year's list.

    The same rows at both sizes: what is measured is the cost of the registry's size. (Inserts
    go in batches, so many more rows take a few more queries on SQLite; see the benchmark.)
    """
    wb = Workbook()
    ws = wb.active
    ws.append(IMPORT_HEADERS)
    codes = Project.objects.filter(plans__year=YEAR).order_by("code").values_list("code", flat=True)[:10]
    for month in (11, 12):
        for code in codes:
            ws.append([code, "", YEAR, month, Decimal("12.34"), "按计划推进"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def measured_paths(client) -> dict:
    """Path name → function making the request and checking its answer."""

    def get(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, url
            if response.streaming:
                b"".join(response.streaming_content)

        return run

    payload = import_workbook()

    def post_import():
        before = MonthlyActual.objects.count()
        try:
            with transaction.atomic():
                response = client.post("/api/import/actuals/", {"file": io.BytesIO(payload), "change_reason": "核对"})
                assert response.status_code == 200, response.content[:500]
                assert MonthlyActual.objects.count() > before  # the rows really went in
                raise Rollback
        except Rollback:
            pass

    period = f"year={YEAR}&month={MONTH}"
    return {
        "progress": get(f"/api/progress/?{period}"),
        "progress by unit": get(f"/api/progress/?{period}&group_by=unit"),
        "overview": get(f"/overview/?{period}"),
        "project list": get("/api/projects/?page_size=1000"),
        "export": get(f"/reports/progress.xlsx?{period}"),
        "import": post_import,
    }


SEEN: dict = {}  # (projects, path, cold) → the SQL, to show what differs when a count moves


def count(fn, label=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    if label is not None:
        SEEN[label] = [q["sql"][:120] for q in ctx.captured_queries]
    return len(ctx.captured_queries)


def counts_at(client, projects: int) -> dict:
    """Queries per path (cache cold, then warm) on a generated registry of `projects`, rolled back after."""
    result = {}
    try:
        with transaction.atomic():
            generate(projects=projects, years=2, seed=1, with_history=False)
            assert Project.objects.count() == projects
            client.force_login(User.objects.filter(groups__name="drc").order_by("pk").first())
            paths = measured_paths(client)
            for fn in paths.values():
                fn()  # the session, content types and settings row, as in a running server
            for name, fn in paths.items():
                cache.clear()
                cold = count(fn, (projects, name, "cold"))
                result[name] = (cold, count(fn, (projects, name, "warm")))
            raise Rollback
    except Rollback:
        pass
    return result


def test_measured_paths_cost_the_same_queries_at_10_and_2000_projects(client, monkeypatch):
    # The session's last-seen stamp is saved at most once a minute; a slow run would count that
    # save at one size and not the other. It has nothing to do with the registry's size.
    monkeypatch.setattr("projectreg.middleware.SEEN_RESOLUTION", 24 * 3600)
    # The import writes November and December of YEAR: months take figures once they have ended.
    monkeypatch.setattr("projects.periods.today", lambda: dt.date(YEAR + 1, 1, 15))
    small = counts_at(client, 10)
    large = counts_at(client, 2000)
    assert set(small) == {"progress", "progress by unit", "overview", "project list", "export", "import"}
    differ = {
        (name, kind): {"10": SEEN[(10, name, kind)], "2000": SEEN[(2000, name, kind)]}
        for name in small
        for kind in ("cold", "warm")
        if len(SEEN[(10, name, kind)]) != len(SEEN[(2000, name, kind)])
    }
    assert large == small, differ
    # The figure cache answers the engine's queries when nothing changed since the last request.
    for name in ("progress", "progress by unit", "overview"):
        cold, warm = small[name]
        assert warm < cold, name
