"""The milestone template and its all-or-nothing import (SPEC section 10, like the actuals of section 7)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from projects.models import Milestone

from ..factories import AnnualPlanFactory, ProjectFactory
from .factories import MilestoneFactory

pytestmark = pytest.mark.django_db
URL = "/api/import/milestones/"
HEADER = ["项目编号", "项目名称", "年", "节点名称", "计划完成日期", "实际完成日期", "备注"]


def upload(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("m.xlsx", buffer.getvalue())


def test_staff_template_has_their_units_projects_and_milestones(client, staff_user, unit, other_unit):
    own, theirs = ProjectFactory(unit=unit, code="A1"), ProjectFactory(unit=other_unit, code="B1")
    for p in (own, theirs):
        AnnualPlanFactory(project=p, year=2026)
    MilestoneFactory(project=own, name="开工", planned_date=dt.date(2026, 3, 1))
    client.force_login(staff_user)
    response = client.get("/reports/milestones-template.xlsx", {"year": 2026})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [(r[0], r[3]) for r in rows[1:]] == [("A1", "开工")]
    assert rows[1][4].date() == dt.date(2026, 3, 1)


def test_import_all_or_nothing_and_again_changes_nothing(staff, unit, other_unit):
    a, b = ProjectFactory(unit=unit, code="A1"), ProjectFactory(unit=other_unit, code="B1")
    MilestoneFactory(project=a, name="开工", planned_date=dt.date(2026, 3, 1))
    good = [
        ["A1", "甲", 2026, "开工", "2026-03-01", "2026-03-05", ""],  # changes done_on
        ["A1", "甲", 2026, "封顶", dt.datetime(2026, 8, 1), None, "主体"],
        ["A1", "甲", 2026, None, None, None, None],  # an empty template line: skipped
    ]
    bad = good + [
        ["B1", "乙", 2026, "开工", "2026-03-01", None, ""],  # another unit's project
        ["ZZ", "?", 2026, "开工", "2026-03-01", None, ""],  # unknown code
        ["A1", "甲", 2026, "封顶", "2026-08-01", None, ""],  # duplicate of row 3
        ["A1", "甲", 2026, "验收", "下月", None, ""],  # not a date
        ["A1", "甲", 2026, "竣工", "2026-12-01", "2099-01-01", ""],  # done in the future
        ["A1", "甲", 1999, "规划", "2026-12-01", None, ""],  # bad year
    ]
    refused = staff.post(URL, {"file": upload(bad)}, format="multipart")
    assert refused.status_code == 400
    found = {(e["row"], e["column"]) for e in refused.json()["errors"]}
    assert found == {
        (5, "项目编号"),
        (6, "项目编号"),
        (7, "节点名称"),
        (8, "计划完成日期"),
        (9, "实际完成日期"),
        (10, "年"),
    }
    assert Milestone.objects.get().done_on is None and Milestone.objects.count() == 1  # nothing saved
    done = staff.post(URL, {"file": upload(good), "change_reason": "月度更新"}, format="multipart")
    assert done.status_code == 200 and done.json() == {"created": 1, "updated": 1}
    assert Milestone.objects.get(name="开工").done_on == dt.date(2026, 3, 5)
    assert Milestone.objects.get(name="封顶").history.first().history_change_reason == "月度更新"
    again = staff.post(URL, {"file": upload(good)}, format="multipart")
    assert again.json() == {"created": 0, "updated": 0}
    assert not b.milestones.exists()


def test_leaders_cannot_import_and_a_non_workbook_is_a_400(leader, drc):
    assert leader.post(URL, {"file": upload([])}, format="multipart").status_code == 403
    response = drc.post(URL, {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}, format="multipart")
    assert response.status_code == 400 and response.json()["errors"][0]["row"] is None
    missing = drc.post(URL, {"file": upload([], header=["项目编号", "年"])}, format="multipart")
    assert missing.status_code == 400 and {e["column"] for e in missing.json()["errors"]} >= {
        "节点名称",
        "计划完成日期",
    }


def test_import_queries_do_not_grow_with_rows(drc, unit):
    def count(n):
        rows = []
        for i in range(n):
            p = ProjectFactory(unit=unit)
            rows.append([p.code, p.name, 2026, f"节点{i}", "2026-05-01", None, ""])
        with CaptureQueriesContext(connection) as ctx:
            assert drc.post(URL, {"file": upload(rows)}, format="multipart").status_code == 200
        return len(ctx.captured_queries)

    assert count(3) == count(60)
