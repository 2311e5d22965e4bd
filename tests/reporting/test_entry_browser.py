"""The entry sheet in a real browser: live rate, unusual-figure hint, Enter to the next project, Ctrl+S."""

import datetime as dt
import shutil
from decimal import Decimal

import pytest

from projects.choices import Role
from projects.models import MonthlyActual
from tests.factories import ReportingPeriodFactory, UnitFactory, UserFactory

from .conftest import MONTH, YEAR, make_projects

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium"),
]


def test_keyboard_entry_with_live_rate_and_draft_save(live_server, transactional_db, monkeypatch):
    unit = UnitFactory(name="县交通运输局")
    UserFactory(username="clerk", role=Role.STAFF, unit=unit)
    ReportingPeriodFactory(year=YEAR, month=MONTH, deadline=dt.date(2026, 11, 10))
    first, second = make_projects(unit, 2)  # plan 1200, 900 before October, usual month 100
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM checks below run beside Playwright's loop
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")  # a phone
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "clerk")
        page.fill("#id_password", "pw-Test-2026")
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/reporting/entry/?year={YEAR}&month={MONTH}")
        amount = page.locator(f"#id_p{first.pk}-amount")
        amount.fill("150")
        assert page.locator(f"#row-{first.pk} .rate-after").inner_text() == "87.5%"  # (900 + 150) / 1200
        assert not page.locator(f"#id_p{first.pk}-reason").is_visible()
        rate = page.locator(f"#row-{first.pk} .rate-after")
        amount.fill("13376834800103")  # 14 whole digits: more than an amount can hold, so no rate
        assert rate.inner_text() == "—"
        amount.fill("20000")  # (900 + 20,000) / 1200 = 1,741.7 %: over 1,000 %, shown as a dash
        assert rate.inner_text() == "—"
        amount.fill("11000")  # (900 + 11,000) / 1200 = 991.7 %
        assert rate.inner_text() == "991.7%"
        amount.fill("abc")
        assert rate.inner_text() == "—"
        amount.fill("400")  # above 3 × the usual 100 and past the plan: asks for a reason
        assert page.locator(f"#id_p{first.pk}-reason").is_visible()
        amount.fill("150")
        amount.press("Enter")
        assert page.evaluate("document.activeElement.id") == f"id_p{second.pk}-amount"
        page.keyboard.type("0")
        page.keyboard.press("Control+s")
        page.wait_for_url("**/reporting/entry/**")
        page.wait_for_selector(".messages li")
        assert "草稿已保存" in page.locator(".messages").inner_text()
        browser.close()
    stored = dict(MonthlyActual.objects.filter(year=YEAR, month=MONTH).values_list("project_id", "amount"))
    assert stored == {first.pk: Decimal("150.00"), second.pk: Decimal("0.00")}
