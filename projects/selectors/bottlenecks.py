"""Read side of bottlenecks (卡点): the one definition of "open" and "overdue", counted in SQL.

Every page, list, home panel and report that counts or flags bottlenecks calls `open_q` and
`overdue_q` (or `with_flags`, which annotates each row with them), so the rule is written once:
a bottleneck is open until it has a resolution date, and overdue when it is open and its due date
has passed.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone

from ..choices import BottleneckCategory, ProblemLevel
from ..filtersets import project_q
from ..models import Bottleneck, BottleneckInstruction, BottleneckUpdate

# Age bands of open bottlenecks, in days since raised.
AGE_BANDS = (30, 90)


def open_q(prefix: str = "") -> Q:
    """Open: not yet resolved."""
    return Q(**{f"{prefix}resolved__isnull": True})


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """Overdue: open and its due date has passed."""
    return open_q(prefix) & Q(**{f"{prefix}due__lt": today})


def with_flags(queryset, today: dt.date):
    """Annotate each bottleneck with `overdue` (computed by the database from `overdue_q`)."""
    return queryset.annotate(
        overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def age_days(bottleneck: Bottleneck, today: dt.date) -> int:
    """Days open so far, or days it took to resolve."""
    return ((bottleneck.resolved or today) - bottleneck.raised).days


@dataclass
class CategorySummary:
    """Open bottlenecks of one category, by age band, with how many are past their due date."""

    category: str
    label: str
    open: int = 0
    recent: int = 0
    middle: int = 0
    old: int = 0
    overdue: int = 0
    oldest: dt.date | None = None


def bottleneck_summary(queryset, today: dt.date | None = None) -> tuple[list[CategorySummary], CategorySummary]:
    """Open bottlenecks of `queryset` counted per category in one query: ≤30 days, 31–90, >90, overdue."""
    today = today or timezone.localdate()
    short, long = (today - dt.timedelta(days=d) for d in AGE_BANDS)
    rows = {
        r["category"]: r
        for r in queryset.filter(open_q())
        .order_by()
        .values("category")
        .annotate(
            n=Count("pk"),
            recent=Count("pk", filter=Q(raised__gte=short)),
            middle=Count("pk", filter=Q(raised__lt=short, raised__gte=long)),
            old=Count("pk", filter=Q(raised__lt=long)),
            overdue=Count("pk", filter=overdue_q(today)),
            oldest=Min("raised"),
        )
    }
    result = []
    total = CategorySummary("", "")
    for code, label in BottleneckCategory.choices:
        r = rows.get(code)
        s = CategorySummary(code, str(label))
        if r:
            s.open, s.recent, s.middle, s.old, s.overdue = r["n"], r["recent"], r["middle"], r["old"], r["overdue"]
            s.oldest = r["oldest"]
        for name in ("open", "recent", "middle", "old", "overdue"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
        result.append(s)
    return result, total


def bottleneck_list(queryset, today: dt.date | None = None):
    """Bottlenecks with what the lists show, open first and oldest first, flagged; no query per row."""
    today = today or timezone.localdate()
    return with_flags(queryset.select_related("project", "project__unit", "project__leader", "unit"), today).order_by(
        F("resolved").desc(nulls_first=True), "raised", "project__code", "pk"
    )


def category_order():
    """Sort key putting categories in the SPEC's order (land acquisition first, other last)."""
    return Case(
        *(When(category=code, then=Value(i)) for i, code in enumerate(BottleneckCategory.values)),
        default=Value(len(BottleneckCategory.values)),
    )


def open_bottlenecks(
    *, year: int, filters: dict | None = None, category: str = "", today: dt.date | None = None
) -> dict:
    """Open bottlenecks of live projects by category (SPEC's order), oldest first, with age in days.

    Two queries: the counts per category, and the bottlenecks with their project, unit and leader.
    """
    today = today or timezone.localdate()
    filters = filters or {}
    qs = Bottleneck.objects.filter(open_q(), project__archived=False).filter(project_q(filters, "project__"))
    if filters.get("pipeline"):
        qs = qs.filter(project__plans__year=year, project__plans__pipeline=filters["pipeline"])
    summary, total = bottleneck_summary(qs, today)
    if category:
        qs = qs.filter(category=category)
    items = list(
        with_flags(qs.select_related("project", "project__unit", "project__leader", "unit"), today).order_by(
            category_order(), "raised", "project__code", "pk"
        )
    )
    for b in items:
        b.age_days = age_days(b, today)
    for s in summary:
        s.oldest_days = (today - s.oldest).days if s.oldest else None
    return {"items": items, "categories": summary, "total": len(items), "today": today}


# --- the problems closed loop (SPEC section 11) -------------------------------------------------

# The lists by group: the field grouped on and, for a foreign key, the name shown.
GROUPS = {
    "category": ("category", None),
    "unit": ("unit", "unit__name"),
    "leader": ("leader", "leader__name"),
    "level": ("level", None),
}
GROUP_SORTS = ("open", "overdue", "total", "avg_days", "key")
DEFAULT_PAGE_SIZE = 50
PAGE_SIZES = (10, 20, 50, 100, 200)


def problem_groups(queryset, *, by: str, today: dt.date, sort: str = "open", descending: bool = True):
    """Bottlenecks counted per group in SQL: all, open, overdue, and the average days to resolve.

    A lazy values() queryset sorted in the database, so a paginator reads one page of groups in
    two queries (count and page) whatever the number of groups or bottlenecks.
    """
    field, name = GROUPS[by]
    resolved = ~open_q()
    columns = {"key": F(field)} if name is None else {"key": F(field), "name": F(name)}
    qs = (
        queryset.order_by()
        .values(**columns)
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=open_q()),
            overdue=Count("pk", filter=overdue_q(today)),
            resolved_n=Count("pk", filter=resolved),
            avg_days=Avg(ExpressionWrapper(F("resolved") - F("raised"), output_field=DurationField()), filter=resolved),
        )
    )
    order = F(sort if sort in GROUP_SORTS else "open")
    order = order.desc(nulls_last=True) if descending else order.asc(nulls_last=True)
    return qs.order_by(order, F("key").asc(nulls_last=True))


def group_label(by: str, row: dict) -> str:
    """The name shown for one group row (choices' labels, or the unit's or leader's name)."""
    if by == "category":
        return str(BottleneckCategory(row["key"]).label) if row["key"] else ""
    if by == "level":
        return str(ProblemLevel(row["key"]).label) if row["key"] else ""
    return row.get("name") or ""


def days(duration: dt.timedelta | None) -> float | None:
    """An average duration in days, for display."""
    return None if duration is None else duration.total_seconds() / 86400


def problem_detail(queryset, pk: int, today: dt.date) -> Bottleneck:
    """One bottleneck with its project, unit, leader, notes and instructions (three queries)."""
    bottleneck = (
        with_flags(queryset, today)
        .select_related("project", "project__unit", "project__leader", "unit", "leader")
        .prefetch_related(
            Prefetch("updates", queryset=BottleneckUpdate.objects.select_related("user")),
            Prefetch("instructions", queryset=BottleneckInstruction.objects.select_related("user", "leader")),
        )
        .get(pk=pk)
    )
    bottleneck.age_days = age_days(bottleneck, today)
    return bottleneck


def leader_q(leader_id: int) -> Q:
    """A leader's problems: those they coordinate and those on the projects linked to them."""
    return Q(leader_id=leader_id) | Q(project__leader_id=leader_id)


def problems_for_leader(leader_id: int, today: dt.date, limit: int = 20) -> list[Bottleneck]:
    """A leader's open problems, overdue first, then by due date (one query)."""
    qs = bottleneck_list(Bottleneck.objects.filter(leader_q(leader_id)).filter(open_q()), today)
    return list(qs.order_by("-overdue", F("due").asc(nulls_last=True), "raised", "pk")[:limit])


def overdue_for_unit(unit_id: int, today: dt.date, limit: int = 20) -> list[Bottleneck]:
    """A unit's overdue problems (on its projects or given it to solve), longest overdue first."""
    qs = Bottleneck.objects.filter(Q(project__unit_id=unit_id) | Q(unit_id=unit_id)).filter(overdue_q(today))
    return list(bottleneck_list(qs, today).order_by("due", "pk")[:limit])


def instructions_for_unit(unit_id: int, limit: int = 10) -> list[BottleneckInstruction]:
    """Leaders' latest instructions on the unit's open problems, newest first (one query)."""
    return list(
        BottleneckInstruction.objects.filter(open_q("bottleneck__"), bottleneck__project__unit_id=unit_id)
        .select_related("leader", "user", "bottleneck__project")
        .order_by("-created_at", "-pk")[:limit]
    )
