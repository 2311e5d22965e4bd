"""SPEC section 10's rule for a milestone or a pre-phase item at a day: due, done, overdue, days late.

The rule is written once, here, as the three conditions `due_q`, `done_q` and `overdue_q`; every
other form is derived from them:

- the pages' `NodeState` flags are computed by the database from them (`with_state`, then `node_state`);
- the engine's per-project counts (`selectors.sql.nodes_sql`) are querysets filtered and counted by
  them, compiled by Django into the engine's statement;
- the lists of overdue milestones (home pages, bulletin, wall chart order) filter by `overdue_q`.

Only how many days late a node is stays Python arithmetic, on those flags (`days_late`).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Q, Value, When


def due_q(day: dt.date, prefix: str = "") -> Q:
    """Due at `day`: its planned date is on or before that day."""
    return Q(**{f"{prefix}planned_date__lte": day})


def done_q(day: dt.date, prefix: str = "") -> Q:
    """Done at `day`: done on or before that day (never while it has no date done)."""
    return Q(**{f"{prefix}done_on__lte": day})


def overdue_q(day: dt.date, prefix: str = "") -> Q:
    """Overdue at `day`: due and not done by then."""
    return due_q(day, prefix) & ~done_q(day, prefix)


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def with_state(queryset, day: dt.date):
    """Milestones or pre-phase items, each annotated by the database with `is_done` and `is_overdue` at `day`."""
    return queryset.annotate(is_done=_flag(done_q(day)), is_overdue=_flag(overdue_q(day)))


def days_late(obj, day: dt.date, *, done: bool, overdue: bool) -> int:
    """An overdue node: days from its planned date to `day`; a node done after its planned date: how late
    it was done; otherwise 0."""
    if overdue:
        return (day - obj.planned_date).days
    if done:
        return max((obj.done_on - obj.planned_date).days, 0)
    return 0


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
    """A node read through `with_state(…, day)` as its `NodeState` at that day."""
    done, overdue = bool(obj.is_done), bool(obj.is_overdue)
    return NodeState(obj, done, overdue, days_late(obj, day, done=done, overdue=overdue))
