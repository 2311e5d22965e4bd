"""Read side of SPEC section 10 beyond the engine's sums: milestones and pre-phase items for pages.

Rates and statuses come from the engine (`progress_report`, `project_rows`); this module only
fetches the rows a page draws (a project's milestones, the pre-phase grid, the wall chart's
nodes), each in a constant number of queries, sorted in SQL, and judged by the rule of
`selectors.nodestate` (due, done, overdue at a day).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from ..choices import Pipeline, PrephaseKind
from ..models import Milestone, PrephaseItem
from ..periods import month_end
from .nodestate import NodeState, node_state, overdue_q, with_state
from .rows import project_rows
from .sql import plans_in_scope


def kind_order():
    """The pre-phase kinds in SPEC order, as an SQL expression to sort by."""
    return Case(
        *(When(kind=k, then=Value(i)) for i, k in enumerate(PrephaseKind.values)),
        default=Value(len(PrephaseKind.values)),
        output_field=IntegerField(),
    )


def milestones_of(project_ids, *, year: int, month: int) -> dict[int, list[NodeState]]:
    """Each project's milestones of `year` in planned order, judged at the month's end (one query)."""
    day = month_end(year, month)
    out = defaultdict(list)
    milestones = with_state(Milestone.objects.filter(project_id__in=project_ids, year=year), day)
    for m in milestones.order_by("project_id", "planned_date", "id"):
        out[m.project_id].append(node_state(m, day))
    return out


def prephase_of(project_ids, *, year: int, month: int) -> dict[int, dict[str, NodeState]]:
    """Each project's pre-phase items by kind, judged at the month's end (one query)."""
    day = month_end(year, month)
    out = defaultdict(dict)
    items = with_state(PrephaseItem.objects.filter(project_id__in=project_ids), day)
    for item in items.order_by("project_id", kind_order(), "id"):
        out[item.project_id][item.kind] = node_state(item, day)
    return out


# --- paged lists: the wall chart and the pre-phase grid ---------------------------------------------

PAGE_SIZE = 25


@dataclass
class NodeRow:
    """One project of a paged list: its engine row with its milestones or pre-phase items."""

    row: object
    milestones: list
    items: list  # one entry per kind in SPEC order: a NodeState or None

    @property
    def overdue(self) -> list:
        return [m for m in self.milestones if m.overdue]


def _paged_ids(plans, *, number, order):
    """One page of a year's plans (ordered in SQL) as project ids, with Django's paginator (two queries)."""
    paginator = Paginator(plans.order_by(*order).values_list("project_id", flat=True), PAGE_SIZE)
    page = paginator.get_page(number)
    return page, list(page.object_list)


def _rows_of(*, year: int, month: int, filters: dict) -> dict:
    """The engine's rows of one page's projects by id (none for an empty page: no statement to build)."""
    if not filters["project_ids"]:
        return {}
    return {r.project_id: r for r in project_rows(year=year, month=month, filters=filters)}


def overdue_count(*, year: int, day: dt.date):
    """SQL: a plan's project's milestones of `year` due by `day` and not done by then."""
    late = (
        Milestone.objects.filter(overdue_q(day), project_id=OuterRef("project_id"), year=year)
        .order_by()
        .values("project_id")
        .annotate(c=Count("id"))
        .values("c")
    )
    return Coalesce(Subquery(late, output_field=IntegerField()), Value(0))


def overdue_items_count(*, day: dt.date):
    """SQL: a plan's project's pre-phase items due by `day` and not done by then."""
    late = (
        PrephaseItem.objects.filter(overdue_q(day), project_id=OuterRef("project_id"))
        .order_by()
        .values("project_id")
        .annotate(c=Count("id"))
        .values("c")
    )
    return Coalesce(Subquery(late, output_field=IntegerField()), Value(0))


def wallchart_page(*, year: int, month: int, filters: dict | None, number, day: dt.date) -> dict:
    """A page of the wall chart: projects with the most overdue nodes first (at `day`), then by code, each
    with its engine row at the month and its nodes judged at `day`: its milestones, and for a reserve
    (planned) project its pre-phase items, the nodes it is rated by.

    Queries: count and page ids (ordered in SQL), the settings and rows, milestones, items: constant.
    """
    planned = Q(pipeline=Pipeline.PLANNED)
    plans = plans_in_scope(year=year, filters=filters).alias(
        late=overdue_count(year=year, day=day)
        + Case(When(planned, then=overdue_items_count(day=day)), default=Value(0), output_field=IntegerField())
    )
    page, ids = _paged_ids(plans, number=number, order=("-late", "project__code"))
    scope = {**(filters or {}), "project_ids": ids}
    rows = _rows_of(year=year, month=month, filters=scope)
    nodes = defaultdict(list)
    for m in with_state(Milestone.objects.filter(project_id__in=ids, year=year), day).order_by(
        "project_id", "planned_date", "id"
    ):
        nodes[m.project_id].append(node_state(m, day))
    reserve = [pk for pk in ids if pk in rows and rows[pk].pipeline == Pipeline.PLANNED]
    for item in with_state(PrephaseItem.objects.filter(project_id__in=reserve), day).order_by(
        "project_id", "planned_date", "id"
    ):
        item.name = item.get_kind_display()  # drawn like a milestone
        nodes[item.project_id].append(node_state(item, day))
    for states in nodes.values():
        states.sort(key=lambda n: n.obj.planned_date)
    return {"page": page, "rows": [NodeRow(rows[pk], nodes.get(pk, []), []) for pk in ids if pk in rows]}


def prephase_page(*, year: int, month: int, filters: dict | None, number) -> dict:
    """A page of the year's reserve (planned) projects, by code, each with its items per kind at the month's end.

    Queries: count and page ids, the settings and rows, the items: constant.
    """
    filters = {**(filters or {}), "pipeline": Pipeline.PLANNED.value}
    page, ids = _paged_ids(plans_in_scope(year=year, filters=filters), number=number, order=("project__code",))
    rows = _rows_of(year=year, month=month, filters={**filters, "project_ids": ids})
    items = prephase_of(ids, year=year, month=month)
    out = [
        NodeRow(rows[pk], [], [items.get(pk, {}).get(kind) for kind in PrephaseKind.values]) for pk in ids if pk in rows
    ]
    return {"page": page, "rows": out, "kinds": [str(label) for label in PrephaseKind.labels]}


# --- overdue milestones: the home pages and the bulletin ---------------------------------------------


@dataclass
class OverdueMilestone:
    """A milestone due by a day and not done by then, with its project and how many days late it is."""

    milestone: Milestone
    days_late: int

    @property
    def project(self):
        return self.milestone.project


def overdue_milestones(milestones, *, day: dt.date, limit: int) -> tuple[list[OverdueMilestone], int]:
    """Of `milestones` (a queryset), those overdue at `day`, most overdue first, at most `limit`, and how
    many there are in all (two queries)."""
    late = milestones.filter(overdue_q(day))
    total = late.count()
    rows = with_state(late, day).select_related("project").order_by("planned_date", "project__code", "id")[:limit]
    return [OverdueMilestone(m, node_state(m, day).days_late) for m in rows], total


def overdue_milestones_for(
    *, unit_id: int | None = None, leader_id: int | None = None, day: dt.date, limit: int = 20
) -> tuple[list[OverdueMilestone], int]:
    """The overdue milestones (at `day`) of a unit's projects or of a leader's linked projects, archived
    projects left out: most overdue first, at most `limit`, and the total count. Two queries."""
    milestones = Milestone.objects.filter(project__archived=False)
    if unit_id is not None:
        milestones = milestones.filter(project__unit_id=unit_id)
    if leader_id is not None:
        milestones = milestones.filter(project__leader_id=leader_id)
    return overdue_milestones(milestones, day=day, limit=limit)


def overdue_milestones_at(*, year: int, month: int, limit: int) -> tuple[list[OverdueMilestone], int]:
    """The county's milestones of `year` overdue at the month's end on the projects of the year's list,
    as the engine counts them (its `overdue_milestones`): most overdue first, at most `limit`, and the
    total. Two queries."""
    on_list = plans_in_scope(year=year).order_by().values("project_id")
    milestones = Milestone.objects.filter(year=year, project_id__in=on_list)
    return overdue_milestones(milestones, day=month_end(year, month), limit=limit)
