"""SPEC section 10's rule (due, done, overdue at a day) on its boundary cases, in every form it takes.

The rule is written once (`projects.selectors.nodestate`); the pages read flags the database computes
from it, the engine counts with it inside its own statement, the overdue lists filter by it. Each
case below is one milestone (and one pre-phase item) on a project of its own, judged at the end of
March 2026 (day D = 2026-03-31), with what SPEC section 10 says, worked out by hand:

| case | planned | done on | due | done | overdue | days late |
| planned on D, not done | D | — | yes | no | yes | 0 |
| planned on D, done on D | D | D | yes | yes | no | 0 |
| done the day after D | Mar 1 | Apr 1 | yes | no | yes | 30 (Mar 1 → Mar 31) |
| never done | Feb 28 | — | yes | no | yes | 31 (Feb 28 → Mar 31) |
| planned after D | Apr 1 | — | no | no | no | 0 |
| planned after D, done early | Apr 10 | Mar 20 | no | yes | no | 0 |
| done before planned | Mar 15 | Mar 10 | yes | yes | no | 0 |
| done late, by D | Mar 1 | Mar 11 | yes | yes | no | 10 (done 10 days late) |
"""

import datetime as dt
from decimal import Decimal

import pytest

from projects.choices import Pipeline, PrephaseKind
from projects.models import Milestone, PrephaseItem
from projects.selectors.nodeplans import milestones_of, overdue_milestones_at, prephase_of
from projects.selectors.nodestate import done_q, due_q, overdue_q
from projects.selectors.rows import project_rows

from ..factories import AnnualPlanFactory, ProjectFactory
from .factories import MilestoneFactory, PrephaseItemFactory

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 31)
date = dt.date

# case: (planned, done on, due, done, overdue, days late)
CASES = {
    "planned on D": (D, None, True, False, True, 0),
    "done on D": (D, D, True, True, False, 0),
    "done the day after": (date(2026, 3, 1), date(2026, 4, 1), True, False, True, 30),
    "never done": (date(2026, 2, 28), None, True, False, True, 31),
    "planned after D": (date(2026, 4, 1), None, False, False, False, 0),
    "planned after D, done early": (date(2026, 4, 10), date(2026, 3, 20), False, True, False, 0),
    "done before planned": (date(2026, 3, 15), date(2026, 3, 10), True, True, False, 0),
    "done late, by D": (date(2026, 3, 1), date(2026, 3, 11), True, True, False, 10),
}


@pytest.fixture
def nodes():
    """Per case: a continuing project with one milestone, and a planned (reserve) project with one item."""
    made = {}
    for i, (case, (planned, done_on, *_expected)) in enumerate(CASES.items()):
        ms_project = ProjectFactory(code=f"M{i}")
        AnnualPlanFactory(project=ms_project, year=2026, pipeline=Pipeline.CONTINUING, amount=Decimal("100.00"))
        milestone = MilestoneFactory(project=ms_project, name=case, planned_date=planned, done_on=done_on)
        pp_project = ProjectFactory(code=f"P{i}")
        AnnualPlanFactory(project=pp_project, year=2026, pipeline=Pipeline.PLANNED, amount=Decimal("0.00"))
        item = PrephaseItemFactory(project=pp_project, kind=PrephaseKind.LAND, planned_date=planned, done_on=done_on)
        made[case] = (milestone, item)
    return made


def expected(index: int) -> dict[str, bool | int]:
    return {case: row[index] for case, row in CASES.items()}


@pytest.mark.parametrize("model", [Milestone, PrephaseItem])
def test_the_conditions_select_each_case_as_the_table_says(nodes, model):
    def chosen(condition) -> dict[str, bool]:
        ids = set(model.objects.filter(condition).values_list("pk", flat=True))
        return {case: pair[model is PrephaseItem].pk in ids for case, pair in nodes.items()}

    assert chosen(due_q(D)) == expected(2)
    assert chosen(done_q(D)) == expected(3)
    assert chosen(overdue_q(D)) == expected(4)


def test_the_pages_flags_and_days_late_come_out_as_the_table_says(nodes):
    milestones = milestones_of([m.project_id for m, _item in nodes.values()], year=2026, month=3)
    items = prephase_of([i.project_id for _m, i in nodes.values()], year=2026, month=3)
    for states in (
        {m.obj.name: m for found in milestones.values() for m in found},
        {case: items[item.project_id][PrephaseKind.LAND] for case, (_m, item) in nodes.items()},
    ):
        assert {case: s.done for case, s in states.items()} == expected(3)
        assert {case: s.overdue for case, s in states.items()} == expected(4)
        assert {case: s.days_late for case, s in states.items()} == expected(5)


def test_the_engine_counts_each_case_as_the_table_says(nodes):
    rows = {r.code: r for r in project_rows(year=2026, month=3)}
    by_case = {case: (rows[m.project.code], rows[i.project.code]) for case, (m, i) in nodes.items()}
    # milestones: due among those of the year, done among the due ones, overdue = due − done
    assert {case: ms.milestones_due == 1 for case, (ms, _pp) in by_case.items()} == expected(2)
    assert {case: ms.milestones_done == 1 for case, (ms, _pp) in by_case.items()} == {
        case: due and done for case, (_p, _d, due, done, *_rest) in CASES.items()
    }
    assert {case: ms.overdue_milestones == 1 for case, (ms, _pp) in by_case.items()} == expected(4)
    # pre-phase items: every item counted, done whether due or not, overdue as the table says
    assert {case: pp.prephase_items for case, (_ms, pp) in by_case.items()} == dict.fromkeys(CASES, 1)
    assert {case: pp.prephase_done == 1 for case, (_ms, pp) in by_case.items()} == expected(3)
    assert {case: pp.prephase_overdue == 1 for case, (_ms, pp) in by_case.items()} == expected(4)


def test_the_bulletins_overdue_list_is_the_overdue_cases_with_their_days(nodes):
    late, total = overdue_milestones_at(year=2026, month=3, limit=20)
    overdue = {case: row[5] for case, row in CASES.items() if row[4]}
    assert total == len(overdue) == 3
    assert {o.milestone.name: o.days_late for o in late} == overdue
