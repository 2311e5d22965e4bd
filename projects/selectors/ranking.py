"""The ranking rule: in what order units and leaders are listed, and which rank each unit gets.

The unit ranking page, the workbook's ranking sheet and the monthly bulletin all call these, so a
unit has the same place everywhere.

Units: a unit is ranked when it has a completion rate and an annual plan of at least the minimum.
Ranked units go by the rate as shown (one decimal), highest first; units showing the same rate
share a rank and the next rank skips ("1, 2, 2, 4"), and are listed by name. The others follow
unranked: those with a rate by the rate as shown, then those without a rate, each by name.

Leaders: in the county's order of leaders (`Leader.rank`), then by name; projects without a
linked leader last.
"""

from dataclasses import dataclass

from ..choices import UnitKind
from ..models import Leader, Unit
from .metrics import Figures, ProgressReport, display_rate


@dataclass
class RankedGroup:
    """A unit's (or leader's) figures from the engine with its place in the ranking."""

    rank: int | None
    figures: Figures
    kind: str = ""
    title: str = ""

    @property
    def kind_label(self) -> str:
        return str(UnitKind(self.kind).label) if self.kind else ""

    @property
    def leader_label(self) -> str:
        """A leader group's name with the title, as the leader is written everywhere."""
        return str(Leader(name=self.figures.label, title=self.title))


def _shown_rate_order(g: Figures) -> tuple:
    shown = display_rate(g.exact_rate)
    return (shown is None, -(shown or 0), g.label)


def rank_units(report: ProgressReport, *, min_plan, kind: str = "") -> tuple[list[RankedGroup], list[RankedGroup]]:
    """The units of a report grouped by unit, as (ranked, unranked); `kind` keeps units of that kind only.

    One query (the units' kinds).
    """
    kinds = dict(Unit.objects.filter(pk__in=[g.key for g in report.groups]).values_list("pk", "kind"))
    groups = sorted((g for g in report.groups if not kind or kinds.get(g.key) == kind), key=_shown_rate_order)
    ranked, unranked = [], []
    previous, rank = None, 0
    for g in groups:
        if g.exact_rate is None or g.annual_plan < min_plan:
            unranked.append(RankedGroup(None, g, kinds.get(g.key, "")))
            continue
        shown = display_rate(g.exact_rate)
        if shown != previous:
            rank, previous = len(ranked) + 1, shown
        ranked.append(RankedGroup(rank, g, kinds.get(g.key, "")))
    return ranked, unranked


def order_leaders(report: ProgressReport, *, linked_only: bool = False) -> list[RankedGroup]:
    """The leader groups of a report in the county's order of leaders, each with the leader's title.

    Projects without a linked leader come last, or not at all with `linked_only`. One query.
    """
    leaders = {pk: (order, title) for pk, order, title in Leader.objects.values_list("pk", "rank", "title")}
    groups = [g for g in report.groups if not (linked_only and g.key is None)]
    groups.sort(key=lambda g: (g.key is None, leaders.get(g.key, (0, ""))[0], g.label))
    return [RankedGroup(None, g, title=leaders.get(g.key, (0, ""))[1]) for g in groups]
