"""Demo data of SPEC section 10 for the demo county: milestones, monthly plans, pre-phase items.

`populate(rng=..., year=..., month=...)` runs after the base county exists (it reads projects and
plans from the database): every project on `year`'s list gets milestones through the year, about
half of them a monthly plan, and every reserve (planned) project pre-phase items consistent with
its stage (all done once ready or under way; in pre-phase, the first ones done, some late). Dates
done never pass the end of `month`. History rows are written with the library's bulk helpers.
"""

import calendar
import datetime as dt
import random
from decimal import ROUND_DOWN, Decimal

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .choices import Pipeline, PrephaseKind, Stage
from .models import MONTHLY_PLAN_FIELDS, AnnualPlan, Milestone, PrephaseItem

MILESTONES = {
    Pipeline.NEW: ["施工图设计及审查", "土地摘牌", "施工招标", "开工建设", "基础工程完成", "主体工程过半"],
    Pipeline.CONTINUING: ["主体工程封顶", "设备采购安装", "配套管网完成", "装饰装修", "竣工验收"],
}
PREFIX = {
    "proposal": "发改投资",
    "feasibility": "发改审批",
    "land": "自然资预",
    "planning": "建规",
    "environment": "环审",
    "energy": "节能审",
    "design": "初设批",
    "permit": "施许",
}
CENT = Decimal("0.01")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(rng: random.Random, year: int, month: int) -> dt.date:
    return dt.date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


def monthly_split(amount: Decimal, rng: random.Random) -> list[Decimal]:
    """Twelve non-negative amounts adding up to `amount` exactly: a season-shaped curve with noise."""
    shape = rng.choice(["front", "even", "back", "summer"])
    weights = {
        "front": [12, 11, 10, 10, 9, 9, 8, 8, 7, 6, 5, 5],
        "even": [8] * 12,
        "back": [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 13],
        "summer": [2, 3, 6, 9, 11, 12, 12, 11, 10, 9, 8, 7],
    }[shape]
    noisy = [w * rng.uniform(0.8, 1.2) for w in weights]
    total = sum(noisy)
    parts = [(amount * Decimal(w / total)).quantize(CENT, rounding=ROUND_DOWN) for w in noisy]
    parts[-1] += amount - sum(parts)  # the cents lost to rounding down go to December
    return parts


def populate(*, rng: random.Random, year: int, month: int) -> dict[str, int]:
    """Add milestones, monthly plans and pre-phase items to the county already in the database."""
    end = _month_end(year, month)
    plans = list(AnnualPlan.objects.filter(year=year).select_related("project").order_by("project__code"))
    milestones, items, paced = [], [], []
    for plan in plans:
        project = plan.project
        if plan.pipeline == Pipeline.PLANNED:
            items.extend(_prephase_items(project, rng=rng, year=year, end=end))
            continue
        names = MILESTONES[Pipeline.NEW if plan.pipeline == Pipeline.NEW else Pipeline.CONTINUING]
        months = sorted(rng.sample(range(2, 13), k=min(len(names), rng.randint(3, 5))))
        behind = rng.random() < 0.3  # about a third of the projects have a late node
        for name, m in zip(names, months, strict=False):
            planned = _day(rng, year, m)
            done = None
            if planned <= end:
                if not behind or rng.random() < 0.5:
                    done = min(planned + dt.timedelta(days=rng.randint(-10, 12)), end)
            milestones.append(Milestone(project=project, year=year, name=name, planned_date=planned, done_on=done))
        if plan.amount > 0 and rng.random() < 0.5:
            plan.monthly_amounts = monthly_split(plan.amount, rng)
            paced.append(plan)
    bulk_create_with_history(milestones, Milestone, batch_size=500)
    bulk_create_with_history(items, PrephaseItem, batch_size=500)
    if paced:
        bulk_update_with_history(paced, AnnualPlan, list(MONTHLY_PLAN_FIELDS), batch_size=500)
    return {"milestones": len(milestones), "prephase_items": len(items), "monthly_plans": len(paced)}


def _prephase_items(project, *, rng: random.Random, year: int, end: dt.date) -> list[PrephaseItem]:
    """A reserve project's items in SPEC order: all done when ready or under way, else the first ones done."""
    kinds = list(PrephaseKind.values)
    if rng.random() < 0.3:  # not every project needs an energy review
        kinds.remove(PrephaseKind.ENERGY.value)
    started = project.stage in (Stage.READY, Stage.CONSTRUCTION, Stage.COMPLETED)
    done_count = len(kinds) if started else rng.randint(1, len(kinds) - 2)
    late = 0 if started else rng.choices([0, 1, 2], [0.5, 0.3, 0.2])[0]
    first = max(1, end.month - 8)
    span = sorted(rng.sample(range(first, 13), k=min(len(kinds), 13 - first))) + [12] * len(kinds)
    out = []
    for index, kind in enumerate(kinds):
        m = span[index]
        planned = _day(rng, year, m)
        done = None
        if index < done_count:
            planned = min(planned, end)
            done = min(planned + dt.timedelta(days=rng.randint(-15, 10)), end)
        elif index < done_count + late:
            planned = min(_day(rng, year, max(1, end.month - rng.randint(0, 2))), end)  # due already, not done
        else:
            planned = max(planned, end + dt.timedelta(days=rng.randint(5, 90)))
        number = f"X{PREFIX[kind]}〔{year}〕{rng.randint(1, 180)}号" if done else ""
        out.append(PrephaseItem(project=project, kind=kind, planned_date=planned, done_on=done, document_no=number))
    return out
