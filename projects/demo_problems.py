"""Demo problems loop (问题清单) for the demo county: every level with owners, measures, progress
notes, leader instructions and resolutions; and the previous month published so the bulletin's
rank changes show.

The demo generator calls `populate(rng=rng, year=Y, month=M)` once the base county (units,
leaders, users, projects, plans, actuals, bottlenecks) is in the database, and then
`publish_previous(year=Y, month=M)`. Both read what they need from the database.
"""

import datetime as dt
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .choices import BottleneckCategory, ProblemLevel, Role
from .models import AnnualPlan, Bottleneck, BottleneckInstruction, BottleneckUpdate, Leader, PublishedReport, User
from .periods import month_end, previous_month

OWNERS = ["张建国", "李明", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄涛", "周敏", "吴刚"]
MEASURES = {
    ProblemLevel.UNIT: "责任单位牵头,明确专人对接,倒排时间节点,每周调度一次。",
    ProblemLevel.LEADER: "提请联系县领导协调,相关部门联合办公,限期办结。",
    ProblemLevel.MEETING: "提交县政府专题协调会研究,形成会议纪要,按分工抓好落实。",
}
NOTES = [
    "已与相关部门对接,正在准备申报材料。",
    "已召开现场协调会,明确了解决路径。",
    "相关手续已进入审批流程,预计两周内办结。",
    "资金申请已报县财政局审核。",
    "已入户做工作{n}次,群众思想逐步转变。",
]
INSTRUCTIONS = [
    "请相关部门密切配合,限期解决,确保项目按期推进。",
    "此事要高度重视,一周内拿出解决方案报我。",
    "请发改局牵头督办,每周报告进展。",
]
RESOLUTIONS = ["经专题会议协调,问题已解决。", "手续已办结,项目恢复施工。", "资金已拨付到位。"]
EXTRA_PER_LEVEL = 4  # problems added per level: resolved, open, overdue and one more open


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def populate(*, rng: random.Random, year: int, month: int) -> dict:
    """Give the county's problems owners, levels, leaders and measures, and add problems so every
    level has resolved, open and overdue ones, each with notes and (above the unit) instructions."""
    end = month_end(year, month)
    leaders = list(Leader.objects.all())
    staff = {
        u.unit_id: u for u in User.objects.filter(groups__name=Role.STAFF.value, unit__isnull=False).order_by("pk")
    }
    leader_users = {u.leader_id: u for u in User.objects.filter(leader__isnull=False)}
    bureau = User.objects.filter(groups__name=Role.DRC.value).order_by("pk").first()
    projects = list(
        AnnualPlan.objects.filter(year=year, project__archived=False).select_related("project").order_by("pk")
    )
    new = []
    for level in ProblemLevel.values:
        for i in range(EXTRA_PER_LEVEL):
            project = rng.choice(projects).project
            raised = end - dt.timedelta(days=rng.randint(20, 120))
            resolved = raised + dt.timedelta(days=rng.randint(8, 30)) if i == 0 else None
            due = raised + dt.timedelta(days=15 if i == 2 else rng.choice([30, 60, 90]))
            new.append(
                Bottleneck(
                    project=project,
                    category=rng.choice(BottleneckCategory.values),
                    description=f"{project.name}{rng.choice(['征迁', '资金', '用地', '审批'])}问题待协调解决",
                    unit=project.unit,
                    raised=raised,
                    due=due,
                    resolved=resolved,
                    resolution=rng.choice(RESOLUTIONS) if resolved else "",
                    level=level,
                )
            )
    bulk_create_with_history(new, Bottleneck, default_user=bureau)
    problems = list(Bottleneck.objects.select_related("project").order_by("pk"))
    levels = ProblemLevel.values
    for i, b in enumerate(problems):
        if b.pk not in {n.pk for n in new}:
            b.level = levels[i % len(levels)]
        b.owner = rng.choice(OWNERS)
        b.measures = MEASURES[b.level]
        if b.level != ProblemLevel.UNIT and leaders:
            b.leader_id = b.project.leader_id or rng.choice(leaders).pk
    bulk_update_with_history(
        problems, Bottleneck, ["level", "owner", "measures", "leader"], default_user=bureau, batch_size=500
    )
    notes, instructions = [], []
    for b in problems:
        last = min(b.resolved or end, end)
        span = max((last - b.raised).days, 1)
        writer = staff.get(b.project.unit_id) or bureau
        for _n in range(rng.randint(1, 3)):
            day = b.raised + dt.timedelta(days=rng.randint(0, span))
            text = rng.choice(NOTES).format(n=rng.randint(2, 6))
            notes.append(
                BottleneckUpdate(bottleneck=b, text=text, user=writer, created_at=_at(day, rng.randint(9, 17)))
            )
        if b.level != ProblemLevel.UNIT and b.leader_id:
            day = b.raised + dt.timedelta(days=rng.randint(0, span))
            instructions.append(
                BottleneckInstruction(
                    bottleneck=b,
                    text=rng.choice(INSTRUCTIONS),
                    user=leader_users.get(b.leader_id),
                    leader_id=b.leader_id,
                    created_at=_at(day, rng.randint(9, 17)),
                )
            )
    bulk_create_with_history(notes, BottleneckUpdate, default_user=bureau)
    bulk_create_with_history(instructions, BottleneckInstruction, default_user=bureau)
    return {"problems": len(problems), "added": len(new), "notes": len(notes), "instructions": len(instructions)}


def publish_previous(*, rng: random.Random | None = None, year: int, month: int) -> PublishedReport | None:
    """Publish the month before (year, month) as the bureau would have, so rank changes show.

    Listed last in `projects.demo.EXTENSIONS` (whose calls pass `rng`, unused here), so the snapshot
    holds every other extension's data."""
    from .services.figures import report_publish

    bureau = User.objects.filter(groups__name=Role.DRC.value).order_by("pk").first()
    if bureau is None:
        return None
    y, m = previous_month(year, month)
    return report_publish(user=bureau, year=y, month=m, note="")
