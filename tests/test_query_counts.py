"""Committed query counts per endpoint (as NetBox keeps them): every API list and every page (GET).

`tests/query_counts.json` maps each request to the number of SQL queries it costs, measured as the
README's bureau user (`fgj`, role `drc`) on the small registry below, with the figure cache empty.
Any difference fails and prints what moved; when a change is meant, rewrite the file with

    QUERY_COUNTS_UPDATE=1 .venv/bin/python -m pytest -q tests/test_query_counts.py

and commit it with the change. `tests/test_scale_queries.py` checks that the counts do not grow
with the registry.
"""

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.api.urls import router
from projects.choices import Pipeline, Role
from projects.models import ReportingPeriod

from .factories import (
    AnnualPlanFactory,
    BottleneckFactory,
    LeaderFactory,
    MonthlyActualFactory,
    ProjectFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
COUNTS_FILE = Path(__file__).with_name("query_counts.json")
USER = "fgj"
PERIOD = "year=2026&month=6"
# Pages opened on an explicit month, so the counts do not depend on today's date.
PAGES = (
    "/?{period}",
    "/overview/?{period}",
    "/ranking/units/?{period}",
    "/leaders/?{period}",
    "/leaders/{leader}/?{period}",
    "/breakdown/sector/?{period}",
    "/breakdown/industry/?{period}",
    "/lists/warning/?{period}",
    "/lists/not-started/?{period}",
    "/lists/bottlenecks/?{period}",
    "/projects/?{period}",
    "/projects/{project}/?{period}",
    "/reporting/entry/?{period}&unit={unit}",
    "/reporting/status/?{period}",
    "/reporting/periods/?year=2026",
    "/bottlenecks/",
    "/reports/?{period}",
    "/reports/progress.xlsx?{period}",
    "/reports/actuals-template.xlsx?{period}",
    "/api/progress/?{period}&group_by=unit",
)


def registry() -> dict:
    """Two units, two leaders, four projects on the 2026 list with figures, a bottleneck, a locked month."""
    units = [UnitFactory(name="县交通运输局"), UnitFactory(name="城关镇")]
    leaders = [LeaderFactory(name="王县长", rank=1), LeaderFactory(name="李副县长", rank=2)]
    projects = []
    for i, pipeline in enumerate((Pipeline.CONTINUING, Pipeline.NEW, Pipeline.NEW, Pipeline.PLANNED)):
        project = ProjectFactory(
            unit=units[i % 2], leader=leaders[i % 2] if i < 3 else None, planned_start=dt.date(2026, 3, 1)
        )
        AnnualPlanFactory(project=project, year=2026, pipeline=pipeline, amount=Decimal("1000.00") * (i % 3))
        AnnualPlanFactory(project=project, year=2025, pipeline=Pipeline.CONTINUING, amount=Decimal("800.00"))
        for month in (1, 3, 6):
            MonthlyActualFactory(project=project, year=2026, month=month, amount=Decimal("100.00") * (i + 1))
        projects.append(project)
    BottleneckFactory(project=projects[1], unit=units[1])
    ReportingPeriod.objects.create(year=2026, month=5, locked=True, deadline=dt.date(2026, 6, 10))
    return {"unit": units[0].pk, "leader": leaders[0].pk, "project": projects[0].pk, "period": PERIOD}


def measure(client, url: str) -> int:
    cache.clear()  # the request right after a data change: the figure cache is empty
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)
    return len(ctx.captured_queries)


def test_query_counts_match_the_committed_ones(client, monkeypatch):
    # The session's last-seen stamp is saved at most once a minute; keep a slow run from counting it.
    monkeypatch.setattr("projectreg.middleware.SEEN_RESOLUTION", 24 * 3600)
    keys = registry()
    client.force_login(UserFactory(username=USER, role=Role.DRC, is_staff=True))
    placeholders = {"unit": "<unit>", "leader": "<leader>", "project": "<project>", "period": PERIOD}
    urls = {f"GET /api/{prefix}/": f"/api/{prefix}/" for prefix, _viewset, _basename in router.registry}
    urls.update({f"GET {page.format(**placeholders)}": page.format(**keys) for page in PAGES})
    for url in urls.values():
        client.get(url)  # content types, the settings row and the session, as in a running server
    measured = {name: measure(client, url) for name, url in urls.items()}
    committed = json.loads(COUNTS_FILE.read_text(encoding="utf-8")) if COUNTS_FILE.exists() else {}
    if os.environ.get("QUERY_COUNTS_UPDATE"):
        COUNTS_FILE.write_text(json.dumps(measured, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        committed = measured
    changed = {
        url: {"committed": committed.get(url), "measured": measured.get(url)}
        for url in sorted({*committed, *measured})
        if committed.get(url) != measured.get(url)
    }
    assert not changed, (
        f"Query counts differ from {COUNTS_FILE.name}: {json.dumps(changed, ensure_ascii=False)}\n"
        "If the change is meant, update the file with "
        "QUERY_COUNTS_UPDATE=1 .venv/bin/python -m pytest -q tests/test_query_counts.py and commit it."
    )
