"""One ranking rule for the ranking page and the workbook: shared ranks for equal shown rates,
unranked units after the ranked ones, and the page's unit-kind filter in the export.

Units at March 2026 (plans and Jan–Mar figures, by hand):
  甲局 department plan 10,000, 5,004 → 50.04 % (shown 50.0)   rank 1
  乙局 department plan 10,000, 4,996 → 49.96 % (shown 50.0)   rank 1 (same shown rate)
  丙镇 township   plan 10,000, 3,000 → 30.0 %                  rank 3
  丁镇 township   plan  1,000, 1,000 → 100.0 % but under the minimum 5,000: not ranked
  戊局 department plan 0 → no rate: not ranked, after 丁镇
"""

from decimal import Decimal

import pytest

from projects.choices import UnitKind

from ..excel.helpers import download, header_row, make, rows_after
from ..factories import UnitFactory
from .helpers import doc, table_rows

pytestmark = pytest.mark.django_db
PERIOD = {"year": 2026, "month": 3}


@pytest.fixture
def units():
    made = {}
    for name, kind, plan, actual in (
        ("甲局", UnitKind.DEPARTMENT, "10000.00", "5004.00"),
        ("乙局", UnitKind.DEPARTMENT, "10000.00", "4996.00"),
        ("丙镇", UnitKind.TOWNSHIP, "10000.00", "3000.00"),
        ("丁镇", UnitKind.TOWNSHIP, "1000.00", "1000.00"),
        ("戊局", UnitKind.DEPARTMENT, "0.00", None),
    ):
        unit = UnitFactory(name=name, kind=kind)
        make(plan, [(2, actual)] if actual else [], unit=unit, leader=None)
        made[name] = unit
    return made


def test_units_showing_the_same_rate_share_a_rank(client, leader_user, units):
    client.force_login(leader_user)
    page = doc(client.get("/ranking/units/", PERIOD))
    ranked = [(r[0], r[1], r[6]) for r in table_rows(page, "ranking-table")]
    assert ranked == [("1", "乙局", "50.0%"), ("1", "甲局", "50.0%"), ("3", "丙镇", "30.0%")]
    assert [r[0] for r in table_rows(page, "unranked-table")] == ["丁镇", "戊局"]


def test_the_workbook_ranks_as_the_page_does(client, leader_user, units):
    client.force_login(leader_user)
    ws = download(client, "/reports/progress.xlsx", PERIOD)["单位排名"]
    rows = rows_after(ws, header_row(ws, first="排名")[0])
    assert [(r["排名"].value, r["责任单位"].value) for r in rows[:3]] == [(1, "乙局"), (1, "甲局"), (3, "丙镇")]
    assert "不参与排名" in rows[3]["排名"].value
    assert [r["责任单位"].value for r in rows[4:6]] == ["丁镇", "戊局"]


def test_the_export_link_and_the_workbook_keep_the_kind_filter(client, leader_user, units):
    client.force_login(leader_user)
    page = doc(client.get("/ranking/units/", {**PERIOD, "kind": "township", "min_plan": "0"}))
    assert [(r[0], r[1]) for r in table_rows(page, "ranking-table")] == [("1", "丁镇"), ("2", "丙镇")]
    link = page.xpath("//a[@data-export]/@href")[0]
    assert "kind=township" in link and "min_plan=0" in link
    ws = download(client, link)["单位排名"]
    rows = rows_after(ws, header_row(ws, first="排名")[0])
    assert [(r["排名"].value, r["责任单位"].value) for r in rows[:2]] == [(1, "丁镇"), (2, "丙镇")]
    assert not any(r["责任单位"].value in ("甲局", "乙局", "戊局") for r in rows)
    assert Decimal(str(rows[0]["完成率"].value)) == Decimal("1")
