"""The load test script itself, run briefly against a live test server (loopback only)."""

from decimal import Decimal

import pytest

from loadtest.prepare import build_plan
from loadtest.run import loopback_only, percentile, run_load, table
from tests.factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory, UnitFactory, UserFactory

PASSWORD = "pw-Test-2026"  # UserFactory's


@pytest.fixture
def county(transactional_db):
    unit = UnitFactory(name="县交通运输局")
    for _ in range(4):
        project = ProjectFactory(unit=unit)
        AnnualPlanFactory(project=project, year=2026, amount=Decimal("1000.00"))
        MonthlyActualFactory(project=project, year=2026, month=10, amount=Decimal("10.00"))
    UserFactory(username="jtj", role="staff", unit=unit)
    UserFactory(username="leader1", role="leader")
    UserFactory(username="fgj", role="drc", is_staff=True)


def test_plan_lists_each_staff_users_own_figures(county):
    plan = build_plan(year=2026, month=10, password=PASSWORD)
    staff = next(u for u in plan["users"] if u["role"] == "staff")
    assert len(staff["rows"]) == 4 and staff["new_projects"] == []
    assert {u["role"] for u in plan["users"]} == {"staff", "leader", "drc"}
    assert all(u["token"] for u in plan["users"])


def test_a_short_run_against_a_live_server_has_no_errors(county, live_server):
    plan = build_plan(year=2026, month=10, password=PASSWORD)
    result = run_load(live_server.url, plan, clients=3, duration=3, think=(0.05, 0.1), ramp=0.3)
    assert result["errors"] == 0, result["error_samples"]
    assert result["requests"] >= 15 and result["distinct_users"] == 3
    assert "home" in result["by_endpoint"]
    assert result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]
    assert result["passed"]
    assert "| **all** |" in table(result)


@pytest.mark.parametrize(
    "base", ["http://10.0.0.1:8000", "http://192.168.1.5", "https://127.0.0.1:8000", "http://example.org"]
)
def test_only_loopback_is_ever_a_target(base):
    with pytest.raises(SystemExit):
        loopback_only(base)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None


def test_the_reporting_week_profile_saves_and_reads_without_thinking(county, live_server):
    plan = build_plan(year=2026, month=10, password=PASSWORD)
    result = run_load(live_server.url, plan, clients=3, duration=3, think=(0, 0), ramp=0.3, profile="reporting-week")
    assert result["errors"] == 0, result["error_samples"]
    assert result["profile"] == "reporting-week" and result["target"] == {
        "errors": 0,
        "p95_ms": 300,
        "every_page": True,
    }
    # Staff write, the leader and the bureau read the figure pages.
    assert {"api write", "overview"} <= set(result["by_endpoint"])
    assert set(result["by_endpoint"]) <= {
        "home", "overview", "ranking units", "api progress", "api progress by unit", "api projects 1000", "api write",
    }  # fmt: skip
    assert result["by_endpoint"]["api write"]["requests"] >= 3
