"""The monthly bulletin (通报): every figure checked against the hand-worked county of
tests/dashboard/conftest.py (2026-06: plan 25,000, Jan–Jun 9,400 万元 → 37.6 %, schedule 50 %,
gap −12.4; 2025 same period 25 % → +12.6), frozen once published, and readable by LibreOffice."""

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from docx import Document
from docx.table import Table

from projects.reports.bulletin import build_bulletin
from projects.services.figures import actual_set, report_publish

pytestmark = pytest.mark.django_db
PERIOD = {"year": 2026, "month": 6}


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(content: bytes) -> str:
    """The document's text in reading order, table rows as lines."""
    parts = []
    for block in Document(io.BytesIO(content)).iter_inner_content():
        if isinstance(block, Table):
            parts.extend(" ".join(c.text for c in row.cells) for row in block.rows)
        else:
            parts.append(block.text)
    return "\n".join(parts)


def test_every_figure_against_the_hand_worked_county(drc_client, county):
    response = drc_client.get("/reports/bulletin.docx", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = flat(docx_text(response.content))
    # 6 projects, 25,000 万元 = 2.50 亿元 planned, 9,400 = 0.94 亿元 done, 37.6 % against 50.0 %
    assert "全县重点项目6个" in text and "年度计划投资2.50亿元" in text and "累计完成投资0.94亿元" in text
    assert "投资完成率37.6%" in text and "序时进度50.0%" in text
    assert "低于序时进度12.4个百分点" in text and "比去年同期提高12.6个百分点" in text
    # continuing: P1 10,000 / 6,000 → 60 %, +10; new: P2 P3 P4 P6 15,000 / 3,400 → 22.7 %, −27.3
    assert "续建项目1个，年度计划投资1.00亿元，累计完成0.60亿元，完成率60.0%，高于序时进度10.0个百分点" in text
    assert "新建项目4个，年度计划投资1.50亿元，累计完成0.34亿元，完成率22.7%，低于序时进度27.3个百分点" in text
    # ranking (plan ≥ 5,000): 交通 14,000 / 7,000 = 50.0 %; 水利 9,000 / 2,400 = 26.7 %; 城关镇 2,000 unranked
    assert "红榜（前三名）：县交通运输局、县水利局" in text
    assert (
        "1县交通运输局50.0" in text
        and "2县水利局26.7" in text
        and "城关镇" not in text.split("红榜")[1].split("四、")[0]
    )
    # lagging: P2 −25, P4 −50, P6 −50
    assert "滞后项目3个" in text
    for name in ("客运站", "老旧小区改造", "水厂"):
        assert name in text.split("四、")[1].split("五、")[0]
    # starts: 4 new-build, P3 (planned 5/1, started 7/15) and P4 (planned 6/30) not started by 6/30
    assert "新建项目4个，截至月底超过计划开工时间尚未开工2个" in text and "灌区改造、老旧小区改造" in text
    # pre-phase: one planned project (P5), still in pre-phase → 0.0 %
    assert "谋划项目1个，其中完成前期工作0个，前期工作完成率0.0%" in text
    # problems: two open (funding, land acquisition), none overdue
    assert "未解决问题2个，其中超期0个" in text
    assert "九、下步工作" in text


def test_the_word_layout(drc_client, county):
    doc = Document(io.BytesIO(drc_client.get("/reports/bulletin.docx", PERIOD).content))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.top_margin.cm, 1) == 3.7
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"
    assert doc.paragraphs[0].style.name == "BulletinTitle"
    footer_xml = section.footer.part.blob.decode()
    assert '<w:instrText xml:space="preserve"> PAGE </w:instrText>' in footer_xml


def test_a_published_month_reads_the_same_after_corrections_and_ranks_move(drc_user, drc_client, county):
    # May, as published: 水利 had 3,000 of 9,000 (33.3 %) ahead of 交通 4,000 of 14,000 (28.6 %)
    actual_set(user=drc_user, project=county.p6, year=2026, month=5, amount=Decimal("600.00"))
    report_publish(user=drc_user, year=2026, month=5)
    actual_set(user=drc_user, project=county.p6, year=2026, month=5, amount=Decimal("0.00"), change_reason="更正")
    may = flat(build_bulletin(year=2026, month=5).text())
    assert "红榜（前三名）：县水利局、县交通运输局" in may and "1县水利局33.3" in may
    june = flat(build_bulletin(year=2026, month=6).text())
    assert "1县交通运输局50.0-0.0上升1位" in june or "1县交通运输局50.00.0上升1位" in june
    assert "2县水利局26.7-23.3下降1位" in june
    # the published month's preview says where its figures come from
    page = drc_client.get("/reports/bulletin/", {"year": 2026, "month": 5}).content.decode()
    assert "县水利局" in page and "版本 1" in page


def test_who_may_have_it_and_bad_periods(staff_client, leader_client, drc_client, county):
    assert staff_client.get("/reports/bulletin.docx", PERIOD).status_code == 403
    assert staff_client.get("/reports/bulletin/", PERIOD).status_code == 403
    assert leader_client.get("/reports/bulletin.docx", PERIOD).status_code == 200
    assert drc_client.get("/reports/bulletin.docx", {"year": 2026}).status_code == 400
    assert drc_client.get("/reports/bulletin.docx", {"year": 2026, "month": 13}).status_code == 400
    assert "/reports/bulletin/" in leader_client.get("/overview/", PERIOD).content.decode()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="no soffice")
def test_libreoffice_opens_it(drc_client, county, tmp_path):
    path = tmp_path / "bulletin.docx"
    path.write_bytes(drc_client.get("/reports/bulletin.docx", PERIOD).content)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "bulletin.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    text = flat(text)
    assert "重点项目建设进展情况通报" in text
    assert "投资完成率37.6%" in text and "低于序时进度12.4个百分点" in text
    assert "县交通运输局" in text and "下步工作" in text


def test_the_preview_and_the_document_cost_the_same_at_10_and_many(drc_client, county):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.dashboard.conftest import make_project
    from tests.factories import BottleneckFactory, UnitFactory

    def grow(n):
        for i in range(n):
            unit = UnitFactory()
            p = make_project(unit=unit, leader=None, pipeline="new", plan="6000.00", actuals=[(2, f"{i}00.00")])
            BottleneckFactory(project=p)

    def count(path):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert drc_client.get(path, PERIOD).status_code == 200
        return len(queries)

    grow(10)
    count("/reports/bulletin/")  # the session's first request reads the user once more
    small = count("/reports/bulletin/"), count("/reports/bulletin.docx")
    grow(40)
    assert (count("/reports/bulletin/"), count("/reports/bulletin.docx")) == small
