"""Read side of SPEC section 10 beyond the engine's sums: milestones and pre-phase items for pages.

Rates and statuses come from the engine (`progress_report`, `project_rows`); this module only
fetches the rows a page draws (a project's milestones, the pre-phase grid, the wall chart's
nodes), each in a constant number of queries, sorted in SQL.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When

from ..choices import PrephaseKind
from ..models import Milestone, PrephaseItem
from .sql import month_end


def kind_order():
    """The pre-phase kinds in SPEC order, as an SQL expression to sort by."""
    return Case(
        *(When(kind=k, then=Value(i)) for i, k in enumerate(PrephaseKind.values)),
        default=Value(len(PrephaseKind.values)),
        output_field=IntegerField(),
    )


@dataclass
class NodeState:
    """A milestone or pre-phase item judged at a day: done, overdue (days late) or pending."""

    obj: object
    done: bool
    overdue: bool
    days_late: int

    @property
    def state(self) -> str:
        return "done" if self.done else "overdue" if self.overdue else "pending"


def node_state(obj, day: dt.date) -> NodeState:
    """SPEC section 10 at `day`: due when planned ≤ day, done when done_on ≤ day, overdue when due and not done.

    Days late: for an overdue node, from its planned date to `day`; for a node done after its planned
    date, how late it was done.
    """
    done = obj.done_on is not None and obj.done_on <= day
    due = obj.planned_date <= day
    overdue = due and not done
    if overdue:
        late = (day - obj.planned_date).days
    elif done:
        late = max((obj.done_on - obj.planned_date).days, 0)
    else:
        late = 0
    return NodeState(obj, done, overdue, late)


def milestones_of(project_ids, *, year: int, month: int) -> dict[int, list[NodeState]]:
    """Each project's milestones of `year` in planned order, judged at the month's end (one query)."""
    day = month_end(year, month)
    out = defaultdict(list)
    for m in Milestone.objects.filter(project_id__in=project_ids, year=year).order_by(
        "project_id", "planned_date", "id"
    ):
        out[m.project_id].append(node_state(m, day))
    return out


def prephase_of(project_ids, *, year: int, month: int) -> dict[int, dict[str, NodeState]]:
    """Each project's pre-phase items by kind, judged at the month's end (one query)."""
    day = month_end(year, month)
    out = defaultdict(dict)
    for item in PrephaseItem.objects.filter(project_id__in=project_ids).order_by("project_id", kind_order(), "id"):
        out[item.project_id][item.kind] = node_state(item, day)
    return out
