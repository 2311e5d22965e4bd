"""Reminders: one POST reminds every unit that has not reported; staff see the notice until they
report; mailed when EMAIL_HOST is set; every reminder is recorded and listed. Home pages show
overdue problems to the unit's staff and the linked leader, a leader's own problems first."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.choices import Role
from projects.models import BottleneckInstruction, Reminder, UnitSubmission
from tests.factories import AnnualPlanFactory, BottleneckFactory, ProjectFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
YEAR, MONTH = 2026, 10
TODAY = timezone.localdate()


def on_list(unit):
    project = ProjectFactory(unit=unit)
    AnnualPlanFactory(project=project, year=YEAR, amount=Decimal("100.00"))
    return project


@pytest.fixture
def units(unit, other_unit):
    """Three units on the list: 交通 (late), 水利 (late), 城关镇 (submitted)."""
    town = UnitFactory(name="城关镇")
    for u in (unit, other_unit, town):
        on_list(u)
    UnitSubmission.objects.create(
        unit=town, year=YEAR, month=MONTH, status="submitted", first_submitted_at=timezone.now()
    )
    return unit, other_unit, town


def test_one_post_reminds_every_late_unit_and_records_it(drc_client, staff_client, units, settings):
    settings.EMAIL_HOST_CONFIGURED = False
    unit, other_unit, town = units
    page = drc_client.get("/reporting/status/", {"year": YEAR, "month": MONTH}).content.decode()
    assert 'id="remind-form"' in page
    response = drc_client.post("/reporting/reminders/send/", {"year": YEAR, "month": MONTH})
    assert response.status_code == 302
    assert sorted(Reminder.objects.values_list("unit__name", flat=True)) == ["县交通运输局", "县水利局"]
    assert mail.outbox == []  # no mail server configured
    assert Reminder.history.count() == 2
    listed = drc_client.get("/reporting/reminders/").content.decode()
    assert "县交通运输局" in listed and "县水利局" in listed and "城关镇" not in listed
    assert staff_client.post("/reporting/reminders/send/", {"year": YEAR, "month": MONTH}).status_code == 403
    assert staff_client.get("/reporting/reminders/").status_code == 403
    assert Reminder.objects.count() == 2


def test_staff_see_the_notice_until_they_report(drc_client, staff_client, staff_user, units):
    drc_client.post("/reporting/reminders/send/", {"year": YEAR, "month": MONTH})
    home = staff_client.get("/").content.decode()
    assert 'id="reminder-notice"' in home and f"{YEAR}-{MONTH}" in home
    UnitSubmission.objects.create(
        unit=staff_user.unit, year=YEAR, month=MONTH, status="submitted", first_submitted_at=timezone.now()
    )
    assert 'id="reminder-notice"' not in staff_client.get("/").content.decode()


def test_mailed_to_the_units_staff_when_email_is_configured(drc_client, units, settings):
    settings.EMAIL_HOST_CONFIGURED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    unit, other_unit, town = units
    UserFactory(role=Role.STAFF, unit=unit, email="jtj@county.gov.cn")
    UserFactory(role=Role.STAFF, unit=unit, email="")  # no address: not mailed
    UserFactory(role=Role.STAFF, unit=town, email="town@county.gov.cn")  # reported: not reminded
    drc_client.post("/reporting/reminders/send/", {"year": YEAR, "month": MONTH})
    assert [m.to for m in mail.outbox] == [["jtj@county.gov.cn"]]
    assert mail.outbox[0].subject == "请报送2026年10月重点项目数据" and "县交通运输局尚未报送" in mail.outbox[0].body
    assert dict(Reminder.objects.values_list("unit__name", "emailed")) == {"县交通运输局": 1, "县水利局": 0}


def test_overdue_problems_on_the_home_pages(staff_client, leader_client, leader_user, unit, other_unit):
    mine = BottleneckFactory(project=ProjectFactory(unit=unit), raised=TODAY - dt.timedelta(days=9),
                             due=TODAY - dt.timedelta(days=1), description="征迁")  # fmt: skip
    BottleneckFactory(project=ProjectFactory(unit=other_unit), raised=TODAY, due=TODAY - dt.timedelta(days=0))
    led = BottleneckFactory(project=ProjectFactory(unit=other_unit), leader=leader_user.leader, raised=TODAY)
    BottleneckInstruction.objects.create(bottleneck=mine, text="限期三天内解决", leader=leader_user.leader)
    home = staff_client.get("/")
    assert [b.pk for b in home.context["overdue_problems"]] == [mine.pk]
    assert "限期三天内解决" in home.content.decode()  # the unit's staff see the leader's instruction
    mine.leader = leader_user.leader
    mine.save()
    page = leader_client.get("/")
    assert [b.pk for b in page.context["my_problems"]] == [mine.pk, led.pk]  # overdue first
    html = page.content.decode()
    assert html.index('id="my-problems"') < html.index("我联系的项目")


def test_pages_cost_the_same_at_10_and_many(drc_client, leader_client, leader_user, units):
    def grow(n):
        for _ in range(n):
            u = UnitFactory()
            on_list(u)
            BottleneckFactory(
                leader=leader_user.leader, raised=TODAY - dt.timedelta(days=5), due=TODAY - dt.timedelta(days=1)
            )

    grow(10)
    drc_client.post("/reporting/reminders/send/", {"year": YEAR, "month": MONTH})
    drc_client.get("/reporting/reminders/")
    leader_client.get("/")
    with CaptureQueriesContext(connection) as small:
        drc_client.get("/reporting/reminders/")
    with CaptureQueriesContext(connection) as small_home:
        leader_client.get("/")
    grow(40)
    drc_client.post("/reporting/reminders/send/", {"year": YEAR, "month": MONTH})
    leader_client.get("/")  # the figure cache is warm in both measurements
    with CaptureQueriesContext(connection) as large:
        drc_client.get("/reporting/reminders/")
    with CaptureQueriesContext(connection) as large_home:
        leader_client.get("/")
    assert len(small) == len(large)
    assert len(small_home) == len(large_home)
