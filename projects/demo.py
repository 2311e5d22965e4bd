"""A deterministic synthetic county (or city) registry for demos, tests and benchmarks.

`generate(projects=150, years=2, seed=1)` writes units, leaders, users, projects over the
three pipelines, annual plans, monthly actuals with a realistic spread of ahead / normal /
warning / lagging projects, reporting periods and bottlenecks, with bulk inserts.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .choices import BottleneckCategory, Industry, Level, Pipeline, Role, Sector, Stage, UnitKind
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
from .roles import ensure_groups

CENT = Decimal("0.01")
DEMO_PASSWORD = "Demo@2026"

# (name, kind, login of its reporting clerk, sectors it usually runs)
UNITS = [
    ("县交通运输局", UnitKind.DEPARTMENT, "jtj", [Sector.TRANSPORT]),
    ("县水利局", UnitKind.DEPARTMENT, "slj", [Sector.WATER]),
    ("县住房和城乡建设局", UnitKind.DEPARTMENT, "zjj", [Sector.URBAN]),
    ("县工业和信息化局", UnitKind.DEPARTMENT, "gxj", [Sector.INDUSTRY, Sector.ENERGY]),
    ("县农业农村局", UnitKind.DEPARTMENT, "nyj", [Sector.AGRICULTURE]),
    ("县教育体育局", UnitKind.DEPARTMENT, "jyj", [Sector.SOCIAL]),
    ("县卫生健康局", UnitKind.DEPARTMENT, "wjj", [Sector.SOCIAL]),
    ("县自然资源局", UnitKind.DEPARTMENT, "zrj", [Sector.ECOLOGY, Sector.OTHER]),
    ("县文化和旅游局", UnitKind.DEPARTMENT, "wlj", [Sector.SOCIAL, Sector.OTHER]),
    ("县城市建设投资有限公司", UnitKind.ENTERPRISE, "ctgs", [Sector.URBAN, Sector.TRANSPORT]),
    ("县经济开发区管委会", UnitKind.DEPARTMENT, "kfq", [Sector.INDUSTRY, Sector.ENERGY]),
    ("城关镇", UnitKind.TOWNSHIP, "cgz", [Sector.URBAN, Sector.SOCIAL]),
    ("东坝镇", UnitKind.TOWNSHIP, "dbz", [Sector.AGRICULTURE, Sector.ECOLOGY]),
    ("河口镇", UnitKind.TOWNSHIP, "hkz", [Sector.AGRICULTURE, Sector.WATER]),
    ("青山乡", UnitKind.TOWNSHIP, "qsx", [Sector.ECOLOGY, Sector.ENERGY]),
]

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

TOWNS = ["城关", "东坝", "河口", "青山", "石桥", "柳林", "红旗", "双河", "白沙", "新田", "马鞍", "龙泉"]
RIVERS = ["清水河", "白龙江", "黑河", "沙河", "青龙河"]

NAME_PATTERNS = {
    Sector.TRANSPORT: [
        "{a}至{b}公路改扩建工程",
        "{a}镇过境公路建设项目",
        "{a}客运综合枢纽",
        "县城环城北路建设工程",
        "{a}至{b}农村公路提档升级工程",
        "{a}物流园区道路配套工程",
    ],
    Sector.WATER: [
        "{r}流域综合治理工程",
        "{a}农村供水保障工程",
        "{a}灌区续建配套与节水改造",
        "{r}堤防加固工程",
        "{a}小型水库除险加固项目",
        "县城第二水源工程",
    ],
    Sector.ENERGY: [
        "{a}100兆瓦光伏发电项目",
        "{a}风电场项目",
        "{a}110千伏输变电工程",
        "{a}天然气管网延伸工程",
        "{a}分布式光伏整县推进项目",
        "县城集中供热改造工程",
    ],
    Sector.URBAN: [
        "{a}老旧小区改造项目",
        "县城污水管网改造工程",
        "{a}农贸市场建设项目",
        "县城智慧停车场建设项目",
        "{a}保障性租赁住房项目",
        "县城雨污分流改造工程",
    ],
    Sector.INDUSTRY: [
        "年产{n}万吨新型建材生产线项目",
        "{a}产业园标准化厂房建设项目",
        "年产{n}万套汽车零部件项目",
        "{a}农产品精深加工项目",
        "年产{n}万吨食品加工项目",
        "{a}电子元器件生产基地",
    ],
    Sector.AGRICULTURE: [
        "{a}高标准农田建设项目",
        "{a}设施蔬菜基地建设项目",
        "{a}万头肉牛养殖基地",
        "{a}现代农业产业园",
        "{a}冷链物流集配中心",
        "{a}中药材种植示范基地",
    ],
    Sector.SOCIAL: [
        "县人民医院门急诊综合楼",
        "{a}中心小学教学综合楼",
        "{a}养老服务中心建设项目",
        "县职业中学实训基地",
        "{a}卫生院改扩建项目",
        "县全民健身中心",
    ],
    Sector.ECOLOGY: [
        "{a}国土绿化示范项目",
        "{a}矿山生态修复工程",
        "{a}生活垃圾转运站",
        "{r}湿地保护与修复工程",
        "{a}农村人居环境整治项目",
        "县城餐厨垃圾处理项目",
    ],
    Sector.OTHER: [
        "县智慧城市建设项目",
        "{a}文旅融合示范区",
        "县数据中心建设项目",
        "{a}古镇保护利用工程",
        "县应急指挥中心",
        "{a}电商产业园",
    ],
}

SECTOR_INDUSTRY = {
    Sector.INDUSTRY: Industry.SECONDARY,
    Sector.ENERGY: Industry.SECONDARY,
    Sector.AGRICULTURE: Industry.PRIMARY,
}

# Share of the year's plan typically done in each month (Spring Festival slows Jan and Feb).
MONTH_WEIGHTS = [0.45, 0.35, 0.8, 1.0, 1.1, 1.1, 1.0, 1.0, 1.1, 1.1, 1.05, 1.1]

PROGRESS_TEXT = [
    "完成路基土石方{p}%",
    "主体结构施工至第{n}层",
    "完成设备基础浇筑",
    "正在进行管网铺设,已完成{p}%",
    "钢结构厂房吊装完成",
    "完成场地平整和围挡",
    "正在进行室内装修",
    "完成初步设计批复",
    "设备安装调试中",
]

BOTTLENECK_TEXT = {
    BottleneckCategory.LAND_ACQUISITION: "项目区{n}户群众房屋征收协议未签订,影响施工进场",
    BottleneckCategory.FUNDING: "专项债券资金{n}万元尚未到位,施工单位垫资困难",
    BottleneckCategory.LAND_QUOTA: "项目用地指标{n}亩尚未落实,土地预审未通过",
    BottleneckCategory.APPROVALS: "环评批复尚未取得,施工许可无法办理",
    BottleneckCategory.OTHER: "施工用电线路迁改需协调供电公司",
}


@dataclass
class DemoResult:
    units: int
    leaders: int
    projects: int
    plans: int
    actuals: int


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _split(total: Decimal, weights: list[float], rng: random.Random) -> list[Decimal]:
    """Split `total` over months in proportion to noisy weights; the parts add up exactly."""
    noisy = [w * rng.uniform(0.6, 1.4) for w in weights]
    s = sum(noisy)
    parts = [_money(float(total) * w / s) for w in noisy]
    if parts:
        parts[-1] = max(Decimal("0.00"), total - sum(parts[:-1]))
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

    scale = max(1, projects // 1500)  # a city: one county's worth of units and leaders per 1,500 projects
    unit_specs = (
        UNITS
        if scale == 1
        else [
            (f"{name}（第{i + 1}片区）" if i else name, kind, f"{login}{i or ''}", sectors)
            for i in range(scale)
            for name, kind, login, sectors in UNITS
        ]
    )
    units = Unit.objects.bulk_create(
        [
            Unit(name=name, kind=kind, contact_person=f"{name[:2]}联络员", contact_phone=f"0931-{6200000 + i:07d}")
            for i, (name, kind, _login, _sectors) in enumerate(unit_specs)
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
    clerks = {unit.pk: user for unit, user in zip(units, users[1 : len(units) + 1], strict=False)}

    # Project mix: a third planned (reserve), the rest continuing or new-build in the last year.
    project_objs, kinds = [], []
    for i in range(projects):
        unit_idx = rng.randrange(len(units))
        unit = units[unit_idx]
        sector = rng.choice(unit_specs[unit_idx][3] if rng.random() < 0.8 else list(Sector))
        name = rng.choice(NAME_PATTERNS[sector]).format(
            a=rng.choice(TOWNS), b=rng.choice(TOWNS), r=rng.choice(RIVERS), n=rng.choice([5, 10, 20, 30, 50])
        )
        roll = rng.random()
        kind = "planned" if roll < 0.3 else "new" if roll < 0.6 else "continuing"
        start_year = {"continuing": first_year - rng.randint(0, 1), "new": last_year, "planned": last_year + 1}[kind]
        if kind == "new" and years > 1 and rng.random() < 0.3:
            kind, start_year = "continuing", first_year  # started within the tracked years
        total = _money(rng.lognormvariate(9.6, 0.9) if kind != "planned" else rng.lognormvariate(10.0, 1.0))
        total = max(total, Decimal("500.00"))
        planned_start = dt.date(start_year, rng.randint(2, 9), rng.choice([1, 10, 15, 20]))
        started = kind == "continuing" or (kind == "new" and rng.random() < 0.85)
        if kind == "new" and planned_start > dt.date(last_year, last_month, 28):
            started = False
        actual_start = (planned_start + dt.timedelta(days=rng.randint(-20, 45))) if started else None
        if actual_start and actual_start > dt.date(last_year, last_month, 28):
            actual_start = None
        if kind == "planned":
            stage = rng.choices([Stage.PREPHASE, Stage.READY, Stage.CONSTRUCTION], [0.6, 0.25, 0.15])[0]
        elif actual_start is None:
            stage = Stage.PREPHASE if rng.random() < 0.6 else Stage.READY
        else:
            stage = Stage.COMPLETED if kind == "continuing" and rng.random() < 0.12 else Stage.CONSTRUCTION
        opening = _money(float(total) * rng.uniform(0.1, 0.4)) if start_year < first_year else Decimal("0.00")
        project_objs.append(
            Project(
                code=f"XM{start_year}{i + 1:05d}",
                name=name if projects <= 150 else f"{name}（{i + 1}）",
                sector=sector,
                industry=SECTOR_INDUSTRY.get(sector, Industry.TERTIARY),
                stage=stage,
                level=rng.choices([Level.COUNTY, Level.CITY, Level.PROVINCE], [0.7, 0.22, 0.08])[0],
                total_investment=total,
                opening_balance=opening,
                unit=unit,
                leader=rng.choice(leaders) if rng.random() < 0.9 else None,
                owner=unit.name if unit.kind != UnitKind.TOWNSHIP else f"{unit.name}人民政府",
                location=f"{rng.choice(TOWNS)}镇",
                content=f"总建筑面积约{rng.randint(2, 80)}千平方米,配套建设道路、管网、绿化等附属设施。",
                planned_start=planned_start,
                actual_start=actual_start,
                completion_date=dt.date(last_year - 1, 12, 20)
                if stage == Stage.COMPLETED and rng.random() < 0.5
                else None,
            )
        )
        kinds.append((kind, start_year, unit_idx))
    project_objs = create(project_objs, Project)

    plans, actuals, bottlenecks = [], [], []
    for project, (kind, start_year, unit_idx) in zip(project_objs, kinds, strict=True):
        status_gap = rng.choices([14, 3, -4, -14, -26], [0.18, 0.3, 0.22, 0.17, 0.13])[0] + rng.uniform(-4, 4)
        for year in range(first_year, last_year + 1):
            if kind == "planned":
                if year < last_year and rng.random() < 0.5:
                    continue  # entered the reserve list only this year
                plans.append(
                    AnnualPlan(
                        project=project,
                        year=year,
                        pipeline=Pipeline.PLANNED,
                        amount=Decimal("0.00") if rng.random() < 0.85 else _money(rng.uniform(100, 800)),
                    )
                )
                continue
            if year < start_year:
                continue
            pipeline = Pipeline.NEW if year == start_year else Pipeline.CONTINUING
            plan_amount = _money(float(project.total_investment) * rng.uniform(0.2, 0.5))
            plans.append(AnnualPlan(project=project, year=year, pipeline=pipeline, amount=plan_amount))
            months = 12 if year < last_year else last_month
            start_month = 1
            if project.actual_start is None:
                continue
            if project.actual_start.year == year:
                start_month = project.actual_start.month
            elif project.actual_start.year > year:
                continue
            ratio = max(0.0, months / 12 + status_gap / 100) if year == last_year else rng.uniform(0.8, 1.12)
            done = _money(float(plan_amount) * ratio)
            weights = MONTH_WEIGHTS[start_month - 1 : months]
            for offset, amount in enumerate(_split(done, weights, rng)):
                month = start_month + offset
                if year == last_year and month == last_month and unit_idx % 7 == 3:
                    continue  # a couple of units have not reported the open month yet
                text = rng.choice(PROGRESS_TEXT).format(p=rng.randint(30, 95), n=rng.randint(2, 18))
                actuals.append(MonthlyActual(project=project, year=year, month=month, amount=amount, progress=text))
        if status_gap < -10 and rng.random() < 0.45:
            category = rng.choice(list(BottleneckCategory))
            raised = dt.date(last_year, rng.randint(max(1, last_month - 5), last_month), rng.randint(1, 25))
            resolved = raised + dt.timedelta(days=rng.randint(10, 40)) if rng.random() < 0.3 else None
            if resolved and resolved > dt.date(last_year, last_month, 28):
                resolved = None
            bottlenecks.append(
                Bottleneck(
                    project=project,
                    category=category,
                    description=BOTTLENECK_TEXT[category].format(n=rng.randint(3, 60) * 10),
                    unit=project.unit if rng.random() < 0.6 else rng.choice(units),
                    raised=raised,
                    due=raised + dt.timedelta(days=rng.choice([15, 30, 45, 60])),
                    resolved=resolved,
                    resolution="已协调解决" if resolved else "",
                )
            )
    create(plans, AnnualPlan)
    _create_actuals_by_clerk(actuals, clerks, with_history)
    create(bottlenecks, Bottleneck)

    ReportingPeriod.objects.bulk_create(
        [
            ReportingPeriod(
                year=y,
                month=m,
                locked=(y, m) < (last_year, last_month),
                deadline=dt.date(y + (m == 12), m % 12 + 1, 10),
            )
            for y in range(first_year, last_year + 1)
            for m in range(1, 13 if y < last_year else last_month + 1)
        ]
    )
    return DemoResult(len(units), len(leaders), len(project_objs), len(plans), len(actuals))


def _create_actuals_by_clerk(actuals, clerks, with_history: bool) -> None:
    """Insert actuals; their history names the unit's clerk as the one who entered them."""
    if not with_history:
        MonthlyActual.objects.bulk_create(actuals, batch_size=5000)
        return
    by_unit: dict[int, list] = {}
    for a in actuals:
        by_unit.setdefault(a.project.unit_id, []).append(a)
    for unit_id, rows in by_unit.items():
        bulk_create_with_history(
            rows, MonthlyActual, batch_size=2000, default_user=clerks[unit_id], default_change_reason="月度填报"
        )
