"""The project list sorted by gap, exactly, when each project has its own schedule (basis `plan`).

May 2026, basis `plan`: the common schedule is 5/12 = 125/3 % (41.67 %); a project with a monthly
plan is measured against its own months 1–5 / its plan. Worked out by hand:

| code | pipeline | plan | months 1–5 planned | Jan–May | rate | own schedule | gap |
| G1 | new | 1000 | 800 | 600 | 60 % | 80 % | −20 |
| G2 | new | 1000 | — | 400 | 40 % | 125/3 % | 40 − 125/3 = −5/3 |
| G3 | new | 1200 | 120 | 240 | 20 % | 10 % | +10 |
| G4 | new | 900 | 300 | 330 | 110/3 % | 100/3 % | +10/3 |
| G5 | new | 600 | — | 240 | 40 % | 125/3 % | −5/3 (= G2's) |
| G6 | new | 300 | 125 | 120 | 40 % | 125/3 % | −5/3 (= G2's, by its own plan) |
| G7 | new | 0 | — | 50 | — | — | — |
| G8 | planned | 500 | — | 100 | 20 % | — | — (rated by pre-phase items) |
| G9 | new | 3000 | — | 1250.01 | 125001/3000 % | 125/3 % | +1/3000 (just above 0) |

Rate order puts G3 first and G1 last but one; gap order puts G1 first and G3 last of those with a gap.
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from projects.choices import Pipeline, ScheduleBasis
from projects.models import ProgressSettings
from projects.selectors.listing import project_rows_page

from ..factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory
from .helpers import doc, table_rows

pytestmark = pytest.mark.django_db
F = Fraction
# code: (pipeline, plan, monthly plan for months 1..12 or None, Jan–May actual, gap by hand)
REGISTRY = {
    "G1": (Pipeline.NEW, "1000.00", ["160.00"] * 5 + ["200.00"] + ["0.00"] * 6, "600.00", F(-20)),
    "G2": (Pipeline.NEW, "1000.00", None, "400.00", F(40) - F(125, 3)),
    "G3": (Pipeline.NEW, "1200.00", ["24.00"] * 5 + ["0.00"] * 6 + ["1080.00"], "240.00", F(10)),
    "G4": (Pipeline.NEW, "900.00", ["60.00"] * 5 + ["600.00"] + ["0.00"] * 6, "330.00", F(110, 3) - F(100, 3)),
    "G5": (Pipeline.NEW, "600.00", None, "240.00", F(-5, 3)),
    "G6": (Pipeline.NEW, "300.00", ["25.00"] * 5 + ["175.00"] + ["0.00"] * 6, "120.00", F(-5, 3)),
    "G7": (Pipeline.NEW, "0.00", None, "50.00", None),
    "G8": (Pipeline.PLANNED, "500.00", None, "100.00", None),
    "G9": (Pipeline.NEW, "3000.00", None, "1250.01", F(125001, 3000) - F(125, 3)),
}
RATE_ORDER = ["G3", "G8", "G4", "G2", "G5", "G6", "G9", "G1", "G7"]  # 20, 20, 36.7, 40 ×3, 41.667, 60, —
GAP_ORDER = ["G1", "G2", "G5", "G6", "G9", "G4", "G3", "G7", "G8"]  # −20, −5/3 ×3, +1/3000, +10/3, +10, —, —
GAP_ORDER_DESCENDING = ["G3", "G4", "G9", "G2", "G5", "G6", "G1", "G7", "G8"]  # equal gaps still by code


@pytest.fixture
def registry(unit):
    settings_row = ProgressSettings.load()
    settings_row.schedule_basis = ScheduleBasis.PLAN
    settings_row.save()
    for code, (pipeline, plan, monthly, ytd, _gap) in REGISTRY.items():
        project = ProjectFactory(code=code, unit=unit)
        plan_row = AnnualPlanFactory(project=project, year=2026, pipeline=pipeline, amount=Decimal(plan))
        if monthly is not None:
            plan_row.monthly_amounts = [Decimal(v) for v in monthly]
            plan_row.full_clean()
            plan_row.save()
        MonthlyActualFactory(project=project, year=2026, month=3, amount=Decimal(ytd))


def by_hand(descending: bool) -> list[str]:
    """The codes ordered by the gaps worked out by hand: no gap last, equal gaps by code."""
    with_gap = [c for c, row in REGISTRY.items() if row[4] is not None]
    without = sorted(c for c, row in REGISTRY.items() if row[4] is None)
    return sorted(with_gap, key=lambda c: (-REGISTRY[c][4] if descending else REGISTRY[c][4], c)) + without


def page_codes(client, sort: str) -> list[str]:
    page = doc(client.get("/projects/", {"year": 2026, "month": 5, "sort": sort}))
    return [r[0] for r in table_rows(page, "project-table")]


def test_the_hand_worked_orders_differ_and_agree_with_the_table():
    assert by_hand(descending=False) == GAP_ORDER != RATE_ORDER
    assert by_hand(descending=True) == GAP_ORDER_DESCENDING


def test_the_engine_gives_the_gaps_worked_out_by_hand(registry):
    rows = project_rows_page(year=2026, month=5, page_size=50).rows
    assert {r.code: r.exact_gap for r in rows} == {code: row[4] for code, row in REGISTRY.items()}


def test_project_list_sorts_by_each_projects_own_gap_under_basis_plan(client, drc_user, registry):
    client.force_login(drc_user)
    assert page_codes(client, "rate") == RATE_ORDER
    assert page_codes(client, "gap") == GAP_ORDER
    assert page_codes(client, "-gap") == GAP_ORDER_DESCENDING


def test_gap_pages_split_where_the_whole_order_does(registry):
    def page(n: int) -> list[str]:
        return [r.code for r in project_rows_page(year=2026, month=5, order="gap", page=n, page_size=4).rows]

    assert [page(1), page(2), page(3)] == [GAP_ORDER[:4], GAP_ORDER[4:8], GAP_ORDER[8:]]


def test_under_the_common_schedule_the_gap_orders_as_the_rate_of_the_projects_with_a_gap(registry):
    settings_row = ProgressSettings.load()
    settings_row.schedule_basis = ScheduleBasis.MONTHS
    settings_row.save()
    # gap = rate − 125/3 for every new project with a plan: G3 20, G4 110/3, G2 = G5 = G6 40, G9, G1 60;
    # G7 (no plan) and G8 (planned list) have none.
    codes = [r.code for r in project_rows_page(year=2026, month=5, order="gap", page_size=50).rows]
    assert codes == ["G3", "G4", "G2", "G5", "G6", "G9", "G1", "G7", "G8"]
