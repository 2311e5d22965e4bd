"""The bulletin's node-plan parts (SPEC sections 10 and 12): the new-build start rate in 五、 and the
milestones in 七、 (node rate, overdue count, the ten most overdue), worked by hand on a small set at
2026-06 (month end 06-30), equal to the engine's, frozen once published, the same on the preview page."""

import datetime as dt
import html
import re

import pytest

from projects.choices import Pipeline
from projects.models import Milestone, PublishedReport
from projects.reports.bulletin import build_bulletin
from projects.selectors.progress import progress_report
from projects.services.figures import report_publish

from ..factories import AnnualPlanFactory, ProjectFactory
from ..nodeplans.factories import MilestoneFactory

pytestmark = pytest.mark.django_db
PERIOD = {"year": 2026, "month": 6}
D = dt.date


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def new_build(name, planned_start, actual_start=None, **kwargs):
    project = ProjectFactory(name=name, planned_start=planned_start, actual_start=actual_start, **kwargs)
    AnnualPlanFactory(project=project, year=2026, pipeline=Pipeline.NEW)
    return project


@pytest.fixture
def nodes(db):
    """Four new-build projects, all planned to start by 06-30; A (03-10) and B (06-30) started by then,
    C not at all, D on 07-15: start rate 2 / 4 = 50.0 %.

    Milestones of 2026 due by 06-30: A 桩基完成 (done 05-20), A 主体封顶 (06-10, open: 20 days late),
    B 设备安装 (04-01, done only 07-03: 29 + 31 + 30 = 90 days late), C 征地完成 (06-30, open: 0 days late):
    4 due, 1 done → node rate 25.0 %, 3 overdue. Not counted: C's 07-31 node (not due), A's 2025 node,
    an archived project's and an off-list project's nodes.
    """
    a = new_build("项目甲", D(2026, 3, 1), D(2026, 3, 10))
    b = new_build("项目乙", D(2026, 4, 1), D(2026, 6, 30))
    c = new_build("项目丙", D(2026, 5, 1))
    new_build("项目丁", D(2026, 6, 1), D(2026, 7, 15))
    MilestoneFactory(project=a, name="桩基完成", planned_date=D(2026, 5, 31), done_on=D(2026, 5, 20))
    MilestoneFactory(project=a, name="主体封顶", planned_date=D(2026, 6, 10))
    MilestoneFactory(project=b, name="设备安装", planned_date=D(2026, 4, 1), done_on=D(2026, 7, 3))
    MilestoneFactory(project=c, name="征地完成", planned_date=D(2026, 6, 30))
    MilestoneFactory(project=c, name="土方开挖", planned_date=D(2026, 7, 31))
    MilestoneFactory(project=a, year=2025, name="去年节点", planned_date=D(2025, 12, 1))
    archived = new_build("已归档", D(2026, 1, 1), D(2026, 1, 2), archived=True)
    MilestoneFactory(project=archived, name="归档节点", planned_date=D(2026, 2, 1))
    MilestoneFactory(project=ProjectFactory(name="不在库"), name="库外节点", planned_date=D(2026, 2, 1))
    return {"a": a, "b": b, "c": c}


def test_start_rate_and_milestones_by_hand(nodes):
    text = flat(build_bulletin(**PERIOD).text())
    assert "新开工率50.0%" in text
    milestones = text.split("七、节点推进情况")[1].split("八、")[0]
    assert "节点完成率25.0%，截至月底到期未完成节点3个" in milestones
    assert "逾期最久的3个节点" in milestones
    # most overdue first: project, node, planned date, days late
    rows = ["项目乙设备安装2026-04-0190", "项目甲主体封顶2026-06-1020", "项目丙征地完成2026-06-300"]
    positions = [milestones.index(r) for r in rows]
    assert positions == sorted(positions)
    for absent in ("桩基完成", "土方开挖", "去年节点", "归档节点", "库外节点"):
        assert absent not in milestones
    assert text.index("六、") < text.index("七、节点推进情况") < text.index("八、问题清单") < text.index("九、下步工作")


def test_equal_to_the_engine(nodes):
    totals = progress_report(**PERIOD).totals
    assert (totals.new_start_rate, totals.node_rate, totals.overdue_milestones) == (50, 25, 3)
    text = flat(build_bulletin(**PERIOD).text())
    assert f"新开工率{totals.new_start_rate:.1f}%" in text
    assert f"节点完成率{totals.node_rate:.1f}%，截至月底到期未完成节点{totals.overdue_milestones}个" in text


def test_ten_listed_all_counted(db):
    project = new_build("节点多", D(2026, 1, 1), D(2026, 1, 5))
    for day in range(1, 13):  # 12 open nodes due 05-01 … 05-12: 60 … 49 days late at 06-30
        MilestoneFactory(project=project, name=f"节点{day:02d}", planned_date=D(2026, 5, day))
    text = flat(build_bulletin(**PERIOD).text())
    assert "截至月底到期未完成节点12个" in text and "逾期最久的10个节点" in text
    assert "节点多节点012026-05-0160" in text and "节点多节点102026-05-1051" in text
    assert "节点多节点11" not in text and "节点多节点12" not in text


def test_a_published_month_reads_the_same_after_corrections(drc_user, nodes):
    report_publish(user=drc_user, **PERIOD)
    Milestone.objects.filter(name="主体封顶").update(done_on=D(2026, 6, 5))
    nodes["c"].actual_start = D(2026, 6, 20)
    nodes["c"].save()
    assert progress_report(**PERIOD).totals.overdue_milestones == 2  # the engine moved
    text = flat(build_bulletin(**PERIOD).text())
    assert "新开工率50.0%" in text and "截至月底到期未完成节点3个" in text and "项目甲主体封顶2026-06-1020" in text


def test_the_preview_shows_the_same_text(drc_client, nodes):
    page = html.unescape(drc_client.get("/reports/bulletin/", PERIOD).content.decode())
    section = next(s for s in build_bulletin(**PERIOD).sections if s.heading == "七、节点推进情况")
    for paragraph in section.paragraphs:
        assert paragraph in page
    assert len(section.table) == 4  # the header and the three overdue
    for row in section.table[1:]:
        assert "".join(f"<td>{v}</td>" for v in row) in page
    assert "新开工率50.0%" in page


def test_a_month_published_before_the_milestone_list_still_reads(drc_user, nodes):
    report_publish(user=drc_user, **PERIOD)
    published = PublishedReport.objects.get(**PERIOD)
    del published.data["nodes"]
    published.save()
    text = flat(build_bulletin(**PERIOD).text())
    assert "节点完成率25.0%，截至月底到期未完成节点3个" in text and "逾期最久" not in text
