"""The overview's furthest-behind list: chosen in SQL, ordered exactly, the same as the full list's head."""

from decimal import Decimal

import pytest

from projects.choices import Pipeline, Status
from projects.models import ProgressSettings
from projects.selectors.dashboard import furthest_behind, warning_rows

from ..factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory

pytestmark = pytest.mark.django_db
YEAR, MONTH = 2026, 6  # schedule 50 %: lagging at a gap of −20 or less, i.e. a rate of 30 % or less


@pytest.fixture
def registry():
    """Codes → year-to-date of a 100 万元 plan (= the rate in percent), with ties and every status."""
    ProgressSettings.load()
    ytd = {f"P{i:02d}": Decimal(24 - i) for i in range(25)}  # rates 24 … 0: all lagging
    ytd.update({"T1": Decimal("7.00"), "T0": Decimal("7.00")})  # a tie, ordered by code
    ytd.update({"W1": Decimal("35.00"), "N1": Decimal("45.00"), "A1": Decimal("70.00")})  # warning, normal, ahead
    for code, amount in ytd.items():
        p = ProjectFactory(code=code)
        AnnualPlanFactory(project=p, year=YEAR, pipeline=Pipeline.CONTINUING, amount=Decimal("100.00"))
        if amount:
            MonthlyActualFactory(project=p, year=YEAR, month=3, amount=amount)
    zero_plan = ProjectFactory(code="Z0")  # no plan amount: no rate, in no status list
    AnnualPlanFactory(project=zero_plan, year=YEAR, pipeline=Pipeline.NEW, amount=Decimal("0.00"))
    return ytd


def codes(rows):
    return [r.code for r in rows]


def test_top_ten_lagging_by_hand(registry):
    lagging = sorted((amount, code) for code, amount in registry.items() if amount <= 30)
    expected = [code for _amount, code in lagging][:10]
    assert expected[:4] == ["P24", "P23", "P22", "P21"]
    assert "T0" in expected and expected.index("T0") + 1 == expected.index("T1")
    _report, top = furthest_behind(year=YEAR, month=MONTH, filters=None, statuses=(Status.LAGGING.value,), limit=10)
    assert codes(top) == expected
    full = warning_rows(year=YEAR, month=MONTH, statuses=(Status.LAGGING.value,))
    assert len(full) == 27 and codes(full)[:10] == expected


def test_each_status_selected_exactly(registry):
    def of(status):
        return set(codes(warning_rows(year=YEAR, month=MONTH, statuses=(status,))))

    assert of(Status.WARNING.value) == {"W1"}
    assert of(Status.NORMAL.value) == {"N1"}
    assert of(Status.AHEAD.value) == {"A1"}
    both = warning_rows(year=YEAR, month=MONTH, statuses=(Status.WARNING.value, Status.LAGGING.value))
    assert codes(both)[-1] == "W1" and len(both) == 28


def test_boundary_is_exact(registry):
    # A rate of exactly 30 % is a gap of exactly −20: lagging (g ≤ L); 30.01 % is warning.
    for code, amount in (("B1", Decimal("30.00")), ("B2", Decimal("30.01"))):
        p = ProjectFactory(code=code)
        AnnualPlanFactory(project=p, year=YEAR, pipeline=Pipeline.CONTINUING, amount=Decimal("100.00"))
        MonthlyActualFactory(project=p, year=YEAR, month=6, amount=amount)
    lagging = codes(warning_rows(year=YEAR, month=MONTH, statuses=(Status.LAGGING.value,)))
    warning = codes(warning_rows(year=YEAR, month=MONTH, statuses=(Status.WARNING.value,)))
    assert "B1" in lagging and "B2" in warning
