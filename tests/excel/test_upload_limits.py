"""Uploads are refused by what they would cost to read (SPEC section 8), before a cell is read.

Each hostile workbook is a few hundred KB at most; read as a dense sheet or a whole shared-string
table it would take gigabytes. The answer is a 400 naming the limit, with nothing saved. (Their
peak memory is measured by `manage.py benchmark --upload-memory`, not timed here.)
"""

import pytest

from projects import limits as L
from projects.models import MonthlyActual

from . import hostile
from .helpers import make, post_import, upload_file, xlsx

pytestmark = pytest.mark.django_db
URL = "/api/import/actuals/"
PAGE = "/reports/import/actuals/"


def file_error(client, content: bytes) -> str:
    response = post_import(client, URL, content)
    assert response.status_code == 400, response.content[:300]
    errors = response.json()["errors"]
    assert len(errors) == 1 and errors[0]["row"] is None and errors[0]["column"] is None, errors
    return errors[0]["message"]


@pytest.mark.parametrize(
    "build, words",
    [
        (hostile.far_right_cells, ["XFD2", "50", "AX"]),
        (hostile.far_down_cell, ["1048576", "25,000"]),
        (lambda: hostile.shared_strings(5_000_000), ["81", "32 MB"]),
        (lambda: hostile.shared_strings(L.WORKBOOK_MAX_SHARED_STRINGS + 1), ["200,000"]),
        (lambda: hostile.shared_strings(1, "x" * 30_000, refs=300), ["8,000,000"]),
        (lambda: hostile.shared_strings(1, "x" * 40_000, refs=1), ["32,767"]),
        (hostile.zip_bomb, ["40", "32 MB"]),
        (hostile.many_parts, ["1000"]),
    ],
    ids=["column-XFD", "row-1048576", "5M-strings", "string-count", "shared-text", "long-text", "zip-bomb", "parts"],
)
def test_a_workbook_over_a_limit_is_a_400_naming_it(client, staff_user, unit, build, words):
    make("100.00", unit=unit, code="JT01")
    client.force_login(staff_user)
    content = build()
    assert len(content) < 400 * 1024
    message = file_error(client, content)
    for word in words:
        assert word in message, message
    assert not MonthlyActual.objects.filter(month=2).exists()


def test_the_upload_page_says_it_in_chinese(client, staff_user, unit):
    client.force_login(staff_user)
    page = client.post(PAGE, {"file": upload_file(hostile.far_right_cells(200))}).content.decode()
    assert "整个文件" in page and "XFD2" in page and "最多 50 列" in page


def test_a_legal_template_inside_every_limit_imports(client, staff_user, unit):
    make("100.00", unit=unit, code="JT01")
    client.force_login(staff_user)
    rows = [["JT01", "", 2026, 2, 12.5, "进度" * 1000]] + [[None] * 6] * 50
    response = post_import(client, URL, xlsx(rows))
    assert response.status_code == 200, response.content
    assert MonthlyActual.objects.get(month=2).progress == "进度" * 1000
