"""Read side of bottlenecks (卡点): open ones by category and age, and which are overdue."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from ..choices import BottleneckCategory
from ..models import Bottleneck

# Age bands of open bottlenecks, in days since raised.
AGE_BANDS = (30, 90)


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


def bottleneck_summary(queryset, today: dt.date | None = None) -> tuple[list[CategorySummary], CategorySummary]:
    """Open bottlenecks of `queryset` counted per category in one query: ≤30 days, 31–90, >90, overdue."""
    today = today or timezone.localdate()
    short, long = (today - dt.timedelta(days=d) for d in AGE_BANDS)
    rows = {
        r["category"]: r
        for r in queryset.filter(resolved__isnull=True)
        .order_by()
        .values("category")
        .annotate(
            n=Count("pk"),
            recent=Count("pk", filter=Q(raised__gte=short)),
            middle=Count("pk", filter=Q(raised__lt=short, raised__gte=long)),
            old=Count("pk", filter=Q(raised__lt=long)),
            overdue=Count("pk", filter=Q(due__lt=today)),
        )
    }
    result = []
    total = CategorySummary("", "")
    for code, label in BottleneckCategory.choices:
        r = rows.get(code)
        s = CategorySummary(code, str(label))
        if r:
            s.open, s.recent, s.middle, s.old, s.overdue = r["n"], r["recent"], r["middle"], r["old"], r["overdue"]
        for name in ("open", "recent", "middle", "old", "overdue"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
        result.append(s)
    return result, total


def bottleneck_list(queryset):
    """Bottlenecks with what the list shows, open first and oldest first; no query per row."""
    return queryset.select_related("project", "project__unit", "unit").order_by(
        F("resolved").desc(nulls_first=True), "raised", "project__code", "pk"
    )


def is_overdue(bottleneck: Bottleneck, today: dt.date) -> bool:
    return bottleneck.resolved is None and bottleneck.due is not None and bottleneck.due < today


def age_days(bottleneck: Bottleneck, today: dt.date) -> int:
    """Days open so far, or days it took to resolve."""
    return ((bottleneck.resolved or today) - bottleneck.raised).days
