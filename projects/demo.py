"""A deterministic synthetic county (or city) registry for demos, tests and benchmarks.

`generate(projects=150, years=2, seed=1)` writes units, leaders, users, projects over the
three pipelines, annual plans, monthly actuals with a realistic spread of ahead / normal /
warning / lagging projects, reporting periods with deadlines, each unit's monthly submissions
and bottlenecks, with bulk inserts. Names, sectors and narratives come from
`projects.demo_catalogue` (worded by `projects.demo_narratives`); the unit submissions from
`projects.demo_reporting`. Then each function named in EXTENSIONS adds its own demo data to the
finished county.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from simple_history.utils import bulk_create_with_history

from . import demo_catalogue as cat
from . import demo_narratives as nar
from .choices import Level, Pipeline, Role, Stage, UnitKind
from .demo_reporting import ReportingCalendar, create_submissions
from .models import (
    AnnualPlan,
    Bottleneck,
    Leader,
    MonthlyActual,
    ProgressSettings,
    Project,
    ReportingPeriod,
    Unit,
    User,
)
from .periods import month_end
from .roles import ensure_groups

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DEMO_PASSWORD = "Demo@2026"
UNITS = cat.UNITS

# Dotted paths of `populate(*, rng, year, month)` functions that add their demo data once the
# base county exists, called in this order; each gets its own random.Random seeded from the
# seed and its path, so adding one leaves the others' data unchanged.
EXTENSIONS: tuple[str, ...] = (
    "projects.demo_problems.populate",
    "projects.demo_nodeplans.populate",
    "projects.demo_problems.publish_previous",
)

LEADERS = [
    ("王建国", "县委书记"),
    ("李明华", "县委副书记、县长"),
    ("张志强", "县委常委、常务副县长"),
    ("刘海涛", "县委常委、副县长"),
    ("陈晓燕", "副县长"),
    ("杨文斌", "副县长"),
    ("赵立新", "副县长"),
    ("黄永红", "县委常委、组织部部长"),
    ("周天成", "县委常委、宣传部部长"),
    ("吴国栋", "县人大常委会副主任"),
]

# Share of the year's plan typically done in each month (Spring Festival slows Jan and Feb).
MONTH_WEIGHTS = [0.45, 0.35, 0.8, 1.0, 1.1, 1.1, 1.0, 1.0, 1.1, 1.1, 1.05, 1.1]
WINTER_PROFILES = {"building", "road", "bridge", "dike", "dam", "plant"}


@dataclass
class DemoResult:
    units: int
    leaders: int
    projects: int
    plans: int
    actuals: int


@dataclass
class _Spec:
    """What the generator decided about one project beyond its row."""

    kind: cat.WorkKind
    pipeline: str  # "planned", "new" or "continuing": the list it is on in its start year
    start_year: int
    unit_idx: int
    size: dict
    completed_month: int | None = None


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _split(total: Decimal, weights: list[float], rng: random.Random) -> list[Decimal]:
    """Split `total` over months in proportion to noisy weights; the parts add up exactly."""
    noisy = [w * rng.uniform(0.6, 1.4) for w in weights]
    s = sum(noisy)
    parts = [_money(float(total) * w / s) for w in noisy]
    if parts:
        parts[-1] = max(ZERO, total - sum(parts[:-1]))
    return parts


@transaction.atomic
def generate(
    *,
    projects: int = 150,
    years: int = 2,
    seed: int = 1,
    last_year: int = 2026,
    last_month: int = 10,
    with_history: bool = True,
) -> DemoResult:
    """Write a demo registry into an empty database and return what it wrote."""
    rng = random.Random(seed)
    create = (
        (lambda objs, model: bulk_create_with_history(objs, model, batch_size=2000))
        if with_history
        else (lambda objs, model: model.objects.bulk_create(objs, batch_size=2000))
    )
    groups = ensure_groups()
    ProgressSettings.load()
    first_year = last_year - years + 1
    open_end = month_end(last_year, last_month)

    scale = max(1, projects // 1500)  # a city: one county's worth of units and leaders per 1,500 projects
    unit_specs = (
        UNITS
        if scale == 1
        else [
            (f"{name}（第{i + 1}片区）" if i else name, kind, f"{login}{i or ''}", kinds)
            for i in range(scale)
            for name, kind, login, kinds in UNITS
        ]
    )
    units = Unit.objects.bulk_create(
        [
            Unit(
                name=name,
                kind=kind,
                contact_person=rng.choice(cat.SURNAMES) + rng.choice(cat.GIVEN),
                contact_phone=f"0931-{6200000 + i:07d}",
            )
            for i, (name, kind, _login, _kinds) in enumerate(unit_specs)
        ],
        batch_size=2000,
    )
    leader_specs = LEADERS if scale == 1 else [(f"{n}{i + 1}" if i else n, t) for i in range(scale) for n, t in LEADERS]
    leaders = Leader.objects.bulk_create(
        [Leader(name=n, title=t, rank=i + 1) for i, (n, t) in enumerate(leader_specs)], batch_size=2000
    )

    password = make_password(DEMO_PASSWORD)
    users = [User(username="fgj", first_name="县发改局", password=password, is_staff=True)]
    users += [
        User(username=login, first_name=f"{name}填报员", password=password, unit=unit)
        for (name, _k, login, _s), unit in zip(unit_specs, units, strict=False)
    ]
    users += [
        User(username=f"leader{i + 1}", first_name=leader.name, password=password, leader=leader)
        for i, leader in enumerate(leaders[:10])
    ]
    users = User.objects.bulk_create(users)
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user_id=users[0].pk, group_id=groups[Role.DRC].pk)]
        + [membership(user_id=u.pk, group_id=groups[Role.STAFF].pk) for u in users[1 : len(units) + 1]]
        + [membership(user_id=u.pk, group_id=groups[Role.LEADER].pk) for u in users[len(units) + 1 :]]
    )
    bureau = users[0]
    clerks = users[1 : len(units) + 1]
    unit_index = {unit.pk: i for i, unit in enumerate(units)}

    # Project mix: a third planned (reserve), the rest continuing or new-build in the last year.
    namer = nar.Namer(rng)
    kind_choices = [([k for k, _w in kinds], [w for _k, w in kinds]) for _n, _k, _l, kinds in unit_specs]
    project_objs, specs = [], []
    for i in range(projects):
        unit_idx = rng.randrange(len(units))
        unit = units[unit_idx]
        kind = rng.choices(*kind_choices[unit_idx])[0]
        size = nar.project_size(rng)
        total = max(_money(rng.lognormvariate(math.log(kind.scale), 0.6)), Decimal("500.00"))
        size["area"] = max(1500, round(float(total) / 0.45, -2))  # about 4,500 yuan a square metre
        name, slots = namer.name(kind, unit.name, size)
        roll = rng.random()
        pipeline = "planned" if roll < 0.3 else "new" if roll < 0.6 else "continuing"
        start_year = {"continuing": first_year - 1, "new": last_year, "planned": last_year + 1}[pipeline]
        if pipeline == "new" and years > 1 and rng.random() < 0.3:
            pipeline, start_year = "continuing", first_year  # started within the tracked years
        planned_start = dt.date(start_year, rng.randint(2, 9), rng.choice([1, 10, 15, 20]))
        actual_start = None
        if pipeline == "continuing" or (pipeline == "new" and planned_start <= open_end and rng.random() < 0.85):
            actual_start = min(planned_start + dt.timedelta(days=rng.randint(-20, 45)), open_end)
        spec = _Spec(kind, pipeline, start_year, unit_idx, size)
        if actual_start is not None:
            stage = Stage.CONSTRUCTION
            if start_year < first_year and last_month > 3 and rng.random() < 0.15:
                stage, spec.completed_month = Stage.COMPLETED, rng.randint(3, last_month - 1)
        elif pipeline == "planned":
            stage = Stage.READY if rng.random() < 0.25 else Stage.PREPHASE
        else:  # a new-build not started yet: ready when its paperwork is done, else still in pre-phase
            stage = Stage.READY if rng.random() < 0.4 else Stage.PREPHASE
        opening = _money(float(total) * rng.uniform(0.15, 0.45)) if start_year < first_year else ZERO
        slots.update(size, unit=unit.name)
        project_objs.append(
            Project(
                code=f"XM{start_year}{i + 1:05d}",
                name=name,
                sector=kind.sector,
                industry=kind.industry,
                stage=stage,
                level=rng.choices([Level.COUNTY, Level.CITY, Level.PROVINCE], [0.7, 0.22, 0.08])[0],
                total_investment=total,
                opening_balance=opening,
                unit=unit,
                leader=rng.choice(leaders) if rng.random() < 0.9 else None,
                owner=kind.owner.format(**slots) if unit.kind != UnitKind.TOWNSHIP else f"{unit.name}人民政府",
                location=slots["township"]
                if slots["town"] in name and slots["town"] != "城关"
                else "县经济开发区"
                if "开发区" in unit.name
                else "县城",
                content=kind.content.format(**slots),
                planned_start=planned_start,
                actual_start=actual_start,
                completion_date=month_end(last_year, spec.completed_month) - dt.timedelta(days=rng.randint(0, 20))
                if spec.completed_month
                else None,
            )
        )
        specs.append(spec)
    project_objs = create(project_objs, Project)

    calendar = ReportingCalendar(
        rng=rng,
        units=units,
        first_year=first_year,
        last_year=last_year,
        last_month=last_month,
        active={spec.unit_idx for spec in specs},
    )
    plans, actuals, bottlenecks, listed = [], [], [], set()
    for project, spec in zip(project_objs, specs, strict=True):
        n_plans = len(plans)
        rows = _project_rows(project, spec, rng, calendar, first_year, last_year, last_month, plans, bottlenecks)
        listed.update((spec.unit_idx, plan.year) for plan in plans[n_plans:])
        actuals.extend((project, *row) for row in rows)
    create(plans, AnnualPlan)
    if with_history:
        objs = []
        for project, year, month, amount, progress, problems in actuals:
            a = MonthlyActual(
                project=project, year=year, month=month, amount=amount, progress=progress, problems=problems
            )
            unit_idx = unit_index[project.unit_id]
            a._history_user, a._history_date = clerks[unit_idx], calendar.entered_at(unit_idx, year, month)
            objs.append(a)
        bulk_create_with_history(objs, MonthlyActual, batch_size=2000, default_change_reason="月度填报")
    else:
        _insert_actuals([(project.pk, *row) for project, *row in actuals])
    create(bottlenecks, Bottleneck)

    ReportingPeriod.objects.bulk_create(
        [
            ReportingPeriod(year=y, month=m, locked=(y, m) < (last_year, last_month), deadline=calendar.deadline(y, m))
            for y in range(first_year, last_year + 1)
            for m in range(1, 13 if y < last_year else last_month + 1)
        ]
    )
    create_submissions(calendar, listed=listed, clerks=clerks, bureau=bureau, with_history=with_history)

    if connection.vendor == "postgresql":
        # Statistics for the tables just bulk-loaded, so the extensions' reads (publishing a month
        # reads every project's figures) are planned for their real size, not for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for path in EXTENSIONS:
        import_string(path)(rng=random.Random(f"{seed}:{path}"), year=last_year, month=last_month)
    return DemoResult(len(units), len(leaders), len(project_objs), len(plans), len(actuals))


def _project_rows(project, spec, rng, calendar, first_year, last_year, last_month, plans, bottlenecks) -> list:
    """The project's annual plans (appended to `plans`) and its monthly actuals: every month it is on
    the list and its unit reported, 0 before the start with the pre-phase step reached, the month's
    amount and 形象进度 while under construction, 0 once completed."""
    rows = []
    status_gap = rng.choices([14, 3, -4, -14, -26], [0.18, 0.3, 0.22, 0.17, 0.13])[0] + rng.uniform(-4, 4)
    total = project.total_investment
    done = project.opening_balance
    start = project.actual_start
    problem = nar.problem_text(spec.kind.profile, rng) if status_gap < -10 else None
    # The pre-phase step a project not started has reached by the open month; ready means all done.
    reached = nar.READY_STEP if project.stage != Stage.PREPHASE else rng.randint(1, nar.READY_STEP - 2)
    for year in range(first_year, last_year + 1):
        months = 12 if year < last_year else last_month
        if spec.pipeline == "planned":
            if year < last_year and rng.random() < 0.5:
                continue  # entered the reserve list only this year
            pipeline, plan_amount = Pipeline.PLANNED, ZERO if rng.random() < 0.85 else _money(rng.uniform(100, 800))
        elif year < spec.start_year:
            continue
        else:
            pipeline = Pipeline.NEW if year == spec.start_year else Pipeline.CONTINUING
            remaining = total - done
            plan_amount = min(remaining, _money(float(total) * rng.uniform(0.2, 0.45)))
            if spec.completed_month and year == last_year:
                plan_amount = remaining
        plans.append(AnnualPlan(project=project, year=year, pipeline=pipeline, amount=plan_amount))

        # Which months carry money, and how much in all.
        if spec.pipeline == "planned":
            paid = sorted(rng.sample(range(1, months + 1), min(months, rng.randint(1, 3)))) if plan_amount else []
            ratio = rng.uniform(0.3, 1.0) if year == last_year else 1.0
            amounts = dict(zip(paid, _split(_money(float(plan_amount) * ratio), [1.0] * len(paid), rng), strict=True))
        elif start is None or start.year > year:
            amounts = {}
        else:
            first = start.month if start.year == year else 1
            end = spec.completed_month if spec.completed_month and year == last_year else months
            if spec.completed_month and year == last_year:
                ratio = 1.0
            elif year == last_year:
                ratio = max(0.0, months / 12 + status_gap / 100)
            else:
                ratio = rng.uniform(0.8, 1.05)
            spend = min(_money(float(plan_amount) * ratio), total - done)
            amounts = dict(zip(range(first, end + 1), _split(spend, MONTH_WEIGHTS[first - 1 : end], rng), strict=True))

        for month in range(1, months + 1):
            if not calendar.reports_month(spec.unit_idx, year, month):
                continue
            amount = amounts.get(month, ZERO)
            done += amount
            issue = ""
            if start is not None and (year, month) >= (start.year, start.month):
                if spec.completed_month and year == last_year and month > spec.completed_month:
                    text = cat.IN_USE_TEXT if month > spec.completed_month + 2 else cat.COMPLETED_TEXT
                else:
                    text = nar.progress_text(spec.kind.profile, float(done / total), spec.size)
                    if problem and year == last_year and month > last_month - 4:
                        issue = problem[1]
                    elif month in (1, 2, 12) and spec.kind.profile in WINTER_PROFILES and rng.random() < 0.3:
                        issue = cat.WINTER_PROBLEM
            elif amount:
                text = rng.choice(cat.PREPHASE_SPENDING)
            elif start is not None:  # started later: the paperwork closes in on the start
                text = nar.prephase_text(nar.READY_STEP - ((start.year - year) * 12 + start.month - month - 1) // 2)
            else:
                text = nar.prephase_text(reached - ((last_year - year) * 12 + last_month - month) // 2)
                planned = project.planned_start
                if year == last_year and (planned.year, planned.month) < (year, month):
                    issue = cat.NOT_STARTED_PROBLEM
            rows.append((year, month, amount, text, issue))
    if problem and project.actual_start is not None and rng.random() < 0.45:
        raised = dt.date(last_year, rng.randint(max(1, last_month - 5), last_month), rng.randint(1, 25))
        resolved = raised + dt.timedelta(days=rng.randint(10, 40)) if rng.random() < 0.3 else None
        if resolved and resolved > month_end(last_year, last_month):
            resolved = None
        bottlenecks.append(
            Bottleneck(
                project=project,
                category=problem[0],
                description=problem[1],
                unit=project.unit,
                raised=raised,
                due=raised + dt.timedelta(days=rng.choice([15, 30, 45, 60])),
                resolved=resolved,
                resolution="已协调解决" if resolved else "",
            )
        )
    return rows


ACTUAL_FIELDS = ["project", "year", "month", "amount", "progress", "problems", "version", "updated_at"]


def _insert_actuals(rows: list[tuple]) -> None:
    """Insert (project id, year, month, amount, progress, problems) rows without history.

    The benchmark's registries hold hundreds of thousands of figures: PostgreSQL takes them by
    COPY, other databases by executemany, either far faster than `bulk_create`'s per-field work.
    """
    now = timezone.now()
    table = MonthlyActual._meta.db_table
    columns = ", ".join(MonthlyActual._meta.get_field(name).column for name in ACTUAL_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, 1, now))
            return
        stamp = connection.ops.adapt_datetimefield_value(now)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(ACTUAL_FIELDS))})"
        cursor.executemany(sql, [(*row[:3], str(row[3]), *row[4:], 1, stamp) for row in rows])
