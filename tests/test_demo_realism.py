"""The generated county survives a county user's first look (issue 14).

Each rule is stated here independently of the generator's catalogue: which unit may run what
(by the words of a project's name and by its sector), which words a narrative of each sector
may not use, how stage, start and investment agree, and how the units reported each month.
"""

import datetime as dt
import random
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from projects import demo
from projects import demo_catalogue as cat
from projects import demo_narratives as nar
from projects.choices import Pipeline, Sector, Stage
from projects.models import (
    REPORTED_STATES,
    AnnualPlan,
    MonthlyActual,
    Project,
    ReportingPeriod,
    SubmissionStatus,
    Unit,
    UnitSubmission,
)

pytestmark = pytest.mark.django_db
YEAR, MONTH = 2026, 10

# The sectors a county unit's work can be in.
UNIT_SECTORS = {
    "县交通运输局": {Sector.TRANSPORT},
    "县水利局": {Sector.WATER},
    "县住房和城乡建设局": {Sector.URBAN},
    "县工业和信息化局": {Sector.INDUSTRY, Sector.ENERGY},
    "县农业农村局": {Sector.AGRICULTURE},
    "县教育体育局": {Sector.SOCIAL},
    "县卫生健康局": {Sector.SOCIAL},
    "县自然资源局": {Sector.ECOLOGY},
    "县文化和旅游局": {Sector.SOCIAL, Sector.OTHER},
    "县城市建设投资有限公司": {Sector.URBAN},
    "县经济开发区管委会": {Sector.INDUSTRY, Sector.ENERGY},
}
TOWNSHIPS = {"城关镇", "东坝镇", "河口镇", "青山乡"}
# Words in a project's name that say which unit runs it (townships may run local farms and roads).
NAME_OWNERS = {
    ("学校", "小学", "中学", "幼儿园"): {"县教育体育局"},
    ("医院", "卫生院", "疾病预防", "妇幼"): {"县卫生健康局"},
    ("公路", "大桥", "客运"): {"县交通运输局"} | TOWNSHIPS,
    ("养殖", "肉牛", "生猪", "高标准农田"): {"县农业农村局"} | TOWNSHIPS,
    ("光伏", "输变电", "变电站"): {"县经济开发区管委会", "县工业和信息化局"} | TOWNSHIPS,
    ("堤防", "水库", "灌区"): {"县水利局"} | TOWNSHIPS,
}
# Narrative words that belong to one kind of works only, and the sectors where they are wrong.
WRONG_WORDS = {
    Sector.AGRICULTURE: ("主体结构", "路基", "沥青", "光伏组件", "T梁"),
    Sector.SOCIAL: ("路基", "沥青", "圈舍", "光伏组件", "堤身", "大棚"),
    Sector.TRANSPORT: ("圈舍", "大棚", "光伏组件", "堤身"),
    Sector.WATER: ("主体结构", "圈舍", "沥青", "光伏组件"),
    Sector.INDUSTRY: ("路基", "沥青", "圈舍", "堤身", "T梁"),
}
CONSTRUCTION_WORDS = (
    "主体结构",
    "路基",
    "路面",
    "摊铺",
    "圈舍",
    "吊装",
    "铺设",
    "安装",
    "浇筑",
    "封顶",
    "衬砌",
    "填筑",
)


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    """One 300-project county for the whole module (with history, as the fixture is built)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        demo.generate(projects=300, years=2, seed=3, last_year=YEAR, last_month=MONTH)
        yield
        atomic.__exit__(Exception, Exception("rollback"), None)


def test_project_names_are_unique_across_the_county(county):
    names = Counter(Project.objects.values_list("name", flat=True))
    assert len(names) == 300
    assert names.most_common(1)[0][1] == 1


def test_names_are_unique_even_when_the_places_run_out():
    """A city of 20,000 projects would need phases or sections: the namer alone, quickly."""
    namer = nar.Namer(random.Random(1))
    kind = cat.SPORTS  # three names, one of them without a place
    names = [namer.name(kind, "县教育体育局", nar.project_size(random.Random(i)))[0] for i in range(2000)]
    assert len(set(names)) == 2000
    assert "县全民健身中心二期" in names and any("标段" in n for n in names)


def test_every_project_is_the_kind_of_work_its_unit_does(county):
    wrong = []
    for name, sector, unit in Project.objects.values_list("name", "sector", "unit__name"):
        if unit in UNIT_SECTORS and sector not in UNIT_SECTORS[unit]:
            wrong.append((unit, name, sector))
        for words, owners in NAME_OWNERS.items():
            if any(w in name for w in words) and unit not in owners:
                wrong.append((unit, name))
    assert wrong == []
    # Schools are the education bureau's, hospitals the health bureau's, and both exist.
    assert Project.objects.filter(unit__name="县教育体育局", name__contains="学").exists()
    assert Project.objects.filter(unit__name="县卫生健康局", name__contains="医院").exists()
    assert set(Project.objects.values_list("sector", flat=True)) == set(Sector.values)


def test_narratives_match_the_sector_and_the_stage(county):
    starts = dict(Project.objects.values_list("pk", "actual_start"))
    wrong = []
    for pid, sector, year, month, progress in MonthlyActual.objects.values_list(
        "project_id", "project__sector", "year", "month", "progress"
    ):
        assert progress, (pid, year, month)
        if any(word in progress for word in WRONG_WORDS.get(sector, ())):
            wrong.append((sector, progress))
        start = starts[pid]
        if start is None or (year, month) < (start.year, start.month):  # before the start: paperwork only
            if any(word in progress for word in CONSTRUCTION_WORDS):
                wrong.append(("not started", progress))
    assert wrong == []
    farm = MonthlyActual.objects.filter(project__name__contains="养殖", amount__gt=0).values_list("progress", flat=True)
    assert any("圈舍" in p or "设备" in p for p in farm)


def test_stage_start_and_investment_agree(county):
    spent = dict(MonthlyActual.objects.values("project_id").annotate(s=Sum("amount")).values_list("project_id", "s"))
    on_reserve = set(AnnualPlan.objects.filter(pipeline=Pipeline.PLANNED).values_list("project_id", flat=True))
    end = dt.date(YEAR, MONTH, 31)
    for p in Project.objects.all():
        if p.stage in (Stage.CONSTRUCTION, Stage.COMPLETED):
            assert p.actual_start is not None and p.actual_start <= end, p.name
        else:
            assert p.actual_start is None, p.name
            # Money before the start is pre-phase money (前期经费) of a reserve project only.
            assert spent.get(p.pk, 0) == 0 or p.pk in on_reserve, p.name
        if p.stage == Stage.COMPLETED:
            assert p.completion_date is not None and p.actual_start < p.completion_date <= end
        assert p.opening_balance + spent.get(p.pk, 0) <= p.total_investment, p.name
    assert Project.objects.filter(stage=Stage.PREPHASE, plans__pipeline=Pipeline.PLANNED).exists()


def test_submission_history_most_on_time_a_few_late(county):
    deadlines = {(p.year, p.month): p.deadline for p in ReportingPeriod.objects.all()}
    assert all(deadlines.values()) and len(deadlines) == 22
    past = UnitSubmission.objects.exclude(year=YEAR, month=MONTH)
    on_time = late = 0
    for s in past:
        assert s.status == SubmissionStatus.ACCEPTED and s.submitted_by.unit_id == s.unit_id
        assert s.first_submitted_at <= s.reviewed_at
        if timezone.localdate(s.first_submitted_at) <= deadlines[s.year, s.month]:
            on_time += 1
        else:
            late += 1
    assert late >= 1 and on_time > 0.85 * (on_time + late)
    # Every past month every unit with projects on that year's list reported.
    listed = set(AnnualPlan.objects.values_list("project__unit_id", "year"))
    for year, month in deadlines:
        if (year, month) != (YEAR, MONTH):
            units = {u for u, y in listed if y == year}
            assert set(past.filter(year=year, month=month).values_list("unit_id", flat=True)) == units


def test_open_month_most_submitted_one_draft_one_not_reported(county):
    units = set(AnnualPlan.objects.filter(year=YEAR).values_list("project__unit_id", flat=True))
    subs = {s.unit_id: s for s in UnitSubmission.objects.filter(year=YEAR, month=MONTH)}
    unreported = units - set(subs)
    assert len(unreported) == 1
    assert not MonthlyActual.objects.filter(year=YEAR, month=MONTH, project__unit_id__in=unreported).exists()
    states = Counter(s.status for s in subs.values())
    assert states[SubmissionStatus.DRAFT] == 1 and sum(states[s] for s in REPORTED_STATES) == len(units) - 2
    assert not ReportingPeriod.objects.get(year=YEAR, month=MONTH).locked
    # A unit that submitted (or saved its draft) entered a figure for every project on its list.
    listed = defaultdict(set)
    for pid, unit_id in AnnualPlan.objects.filter(year=YEAR).values_list("project_id", "project__unit_id"):
        listed[unit_id].add(pid)
    entered = defaultdict(set)
    for pid, unit_id in MonthlyActual.objects.filter(year=YEAR, month=MONTH).values_list(
        "project_id", "project__unit_id"
    ):
        entered[unit_id].add(pid)
    for unit_id in subs:
        assert entered[unit_id] == listed[unit_id], Unit.objects.get(pk=unit_id).name
    draft = next(s for s in subs.values() if s.status == SubmissionStatus.DRAFT)
    assert draft.saved_at and draft.submitted_at is None and draft.first_submitted_at is None


def test_accepted_reports_keep_who_submitted_and_who_accepted(county):
    s = UnitSubmission.objects.filter(status=SubmissionStatus.ACCEPTED).first()
    records = list(s.history.order_by("history_date"))
    assert [r.status for r in records] == [SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED]
    assert records[0].history_user.unit_id == s.unit_id and records[1].history_user.username == "fgj"
    figure = MonthlyActual.objects.filter(project__unit=s.unit, year=s.year, month=s.month).first()
    assert figure.history.get().history_date <= s.first_submitted_at
