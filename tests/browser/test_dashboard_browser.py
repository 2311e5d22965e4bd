"""A leader in a real browser: log in, read the overview, switch the month, open a project, print.

Nothing may leave the host (no CDN, no fonts, no telemetry) and the console must stay clean.
"""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlparse

import pytest

from projects.choices import Pipeline, Role
from projects.models import ReportingPeriod

from ..factories import AnnualPlanFactory, LeaderFactory, MonthlyActualFactory, ProjectFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Test-2026"


@pytest.fixture
def registry(monkeypatch):
    # Dashboards open on the latest locked month (SPEC section 5): June, seen from a day in July.
    monkeypatch.setattr("projects.periods.today", lambda: dt.date(2026, 7, 15))
    ReportingPeriod.objects.create(year=2026, month=6, locked=True)
    unit = UnitFactory(name="县交通运输局")
    leader = LeaderFactory(name="王县长")
    UserFactory(username="wang", role=Role.LEADER, leader=leader, password=PASSWORD)
    ahead = ProjectFactory(name="县城环城路", unit=unit, leader=leader)
    AnnualPlanFactory(project=ahead, year=2026, pipeline=Pipeline.CONTINUING, amount=Decimal("1200.00"))
    behind = ProjectFactory(name="客运站建设", unit=unit, leader=leader)
    AnnualPlanFactory(project=behind, year=2026, pipeline=Pipeline.NEW, amount=Decimal("1200.00"))
    for month in range(1, 7):
        MonthlyActualFactory(project=ahead, year=2026, month=month, amount=Decimal("150.00"))
    MonthlyActualFactory(project=behind, year=2026, month=2, amount=Decimal("60.00"))
    return {"behind": behind}


def watch(page, base_url):
    """Collect console errors, page errors and every request that does not go to the app."""
    seen = {"console": [], "foreign": [], "requests": 0}
    host = urlparse(base_url).netloc
    page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["console"].append(str(e)))

    def on_request(request):
        seen["requests"] += 1
        url = urlparse(request.url)
        if url.scheme not in ("data", "blob") and url.netloc != host:
            seen["foreign"].append(request.url)

    page.on("request", on_request)
    return seen


def log_in(page, base_url, path="/overview/"):
    page.goto(base_url + path)
    assert "/accounts/login/" in page.url  # anonymous: the login page first
    page.fill("#id_username", "wang")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_leader_reads_overview_switches_month_opens_project(browser, live_server, registry):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    seen = watch(page, live_server.url)
    log_in(page, live_server.url)
    assert urlparse(page.url).path == "/overview/"
    assert "推进情况" in page.locator("h1").inner_text()
    # June: (900 + 60) / 2,400 = 40.0 % against 50.0 %
    assert page.locator('[data-figure="completion_rate"]').first.inner_text() == "40.0%"
    assert page.locator('[data-figure="time_elapsed_rate"]').first.inner_text() == "50.0%"
    page.wait_for_selector(".chart.chart-ready svg")

    page.select_option("#period-month", "2")  # switches on change, no button needed
    page.wait_for_url("**month=2**")
    page.wait_for_load_state("networkidle")
    # February: (300 + 60) / 2,400 = 15.0 % against 16.7 %
    assert page.locator('[data-figure="completion_rate"]').first.inner_text() == "15.0%"
    assert page.locator('[data-figure="time_elapsed_rate"]').first.inner_text() == "16.7%"

    page.select_option("#period-month", "6")
    page.wait_for_url("**month=6**")
    page.click("#lagging-table a:text('客运站建设')")
    page.wait_for_url(f"**/projects/{registry['behind'].pk}/**")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "客运站建设"
    assert page.locator('[data-figure="completion_rate"]').inner_text() == "5.0%"
    page.wait_for_selector(".chart.chart-ready svg")

    assert seen["console"] == []
    assert seen["foreign"] == []
    assert seen["requests"] > 5
    context.close()


def test_phone_width_and_print(browser, live_server, registry):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    seen = watch(page, live_server.url)
    log_in(page, live_server.url, "/overview/?year=2026&month=6")
    # nothing but the scrollable tables may be wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".mainnav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not page.locator("form.toolbar").is_visible()
    assert page.locator(".print-head").is_visible()
    assert "通报" in page.locator(".print-title").inner_text()
    assert page.locator(".chart-print svg").is_visible()
    assert seen["console"] == [] and seen["foreign"] == []
    context.close()
