"""The downloads open cleanly in LibreOffice (the same engine family as WPS's import path).

Runs where LibreOffice is installed (`apt-get install libreoffice-calc-nogui`); skipped elsewhere.
"""

import csv
import re
import shutil
import subprocess

import pytest

from .helpers import body, make
from .test_workbook import registry  # noqa: F401 - the fixture

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.libreoffice,
    pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed"),
]
# Comma-separated, double quotes, UTF-8, every sheet into its own file (LibreOffice 7.2+).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def convert(tmp_path, content: bytes, name: str) -> dict[str, list[list[str]]]:
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(content)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    subprocess.run(
        [LIBREOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", CSV_FILTER,
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    sheets = {}
    for path in out.glob(f"{name}*.csv"):
        with path.open(encoding="utf-8") as f:
            sheets[path.stem.removeprefix(f"{name}-")] = list(csv.reader(f))
    return sheets


def test_progress_workbook_converts_with_every_sheet_and_its_numbers(client, drc_user, registry, tmp_path):  # noqa: F811
    client.force_login(drc_user)
    content = body(client.get("/reports/progress.xlsx", {"year": 2026, "month": 3}))
    sheets = convert(tmp_path, content, "progress")
    assert set(sheets) == {"推进情况表", "单位排名", "县领导联系项目", "预警滞后项目"}
    rows = sheets["推进情况表"]
    assert rows[0][0].startswith("青山县2026年")
    assert rows[2][0].startswith("印发单位：青山县发展和改革局")
    assert rows[3][:8] == [
        "序号",
        "项目名称",
        "责任单位",
        "联系县领导",
        "总投资",
        "年度计划",
        "本月完成",
        "1—3月累计完成",
    ]
    total = rows[4]
    assert total[1] == "合计（5个）"
    assert float(total[5]) == 3800 and float(total[6]) == 1800 and float(total[7]) == 1950  # numbers, not text


def test_progress_workbook_prints_legibly_to_pdf(client, drc_user, registry, tmp_path):  # noqa: F811
    """Printed (to PDF) the tables keep a body font of at least 7 pt, the new columns and the issuing unit."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    client.force_login(drc_user)
    source = tmp_path / "progress.xlsx"
    source.write_bytes(body(client.get("/reports/progress.xlsx", {"year": 2026, "month": 3})))
    subprocess.run(
        [LIBREOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = str(tmp_path / "progress.pdf")
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True, text=True).stdout
    for expected in ("印发单位：青山县发展和改革局", "本月完成", "同比", "节点完成率", "逾期节点"):
        assert expected in text
    # Each word's box height is about its font size: the median on every page is at least 7 pt (not 5).
    boxes = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True, text=True).stdout
    for page in boxes.split("<page ")[1:]:
        heights = sorted(
            float(y_max) - float(y_min)
            for y_min, y_max in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)
        )
        assert heights and heights[len(heights) // 2] >= 7, heights[len(heights) // 2]


def test_templates_convert(client, drc_user, tmp_path):
    make("100.00", [(1, "10.00")])
    client.force_login(drc_user)
    actuals = convert(tmp_path, body(client.get("/reports/actuals-template.xlsx", {"year": 2026, "month": 2})), "a")
    first = next(rows for name, rows in actuals.items() if name == "月度完成投资")
    assert first[0][:6] == ["项目编号", "项目名称", "年", "月", "本月完成投资(万元)", "形象进度"]
    annual = convert(tmp_path, body(client.get("/reports/annual-list-template.xlsx", {"year": 2026})), "l")
    assert annual["年度项目清单"][0][0] == "项目编号"
