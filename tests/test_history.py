"""Every write path leaves history: who, when, old value, new value, reason."""

from decimal import Decimal

import pytest

from projects.history import history_entries
from projects.models import AnnualPlan, MonthlyActual, Project
from projects.services.figures import CREATED, UNCHANGED, UPDATED, ActualRow, actual_set, actuals_bulk_set, plan_set

from .factories import BottleneckFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_actual_set_records_create_and_replace_with_old_and_new(staff_user, unit):
    project = ProjectFactory(unit=unit)
    first = actual_set(user=staff_user, project=project, year=2026, month=3, amount=Decimal("120.50"), progress="开工")
    second = actual_set(
        user=staff_user, project=project, year=2026, month=3, amount=Decimal("130.00"), change_reason="更正"
    )
    third = actual_set(user=staff_user, project=project, year=2026, month=3, amount=Decimal("130.00"))
    assert (first.outcome, second.outcome, third.outcome) == (CREATED, UPDATED, UNCHANGED)
    assert MonthlyActual.objects.filter(project=project, year=2026, month=3).count() == 1
    entries = history_entries(second.obj)
    assert len(entries) == 2  # the unchanged third write leaves no row
    assert entries[0]["type"] == "created" and entries[0]["new"]["amount"] == "120.50"
    assert entries[1]["old"] == {"amount": "120.50"}
    assert entries[1]["new"] == {"amount": "130.00"}
    assert entries[1]["user"] == "clerk"
    assert entries[1]["change_reason"] == "更正"


def test_bulk_import_path_records_history_for_creates_and_updates(drc_user):
    projects = ProjectFactory.create_batch(3)
    actual_set(user=drc_user, project=projects[0], year=2026, month=1, amount=Decimal("10.00"))
    rows = [ActualRow(p, 2026, 1, Decimal("20.00"), "进度") for p in projects]
    counts = actuals_bulk_set(user=drc_user, rows=rows, change_reason="导入")
    assert counts == {"created": 2, "updated": 1}
    for p in projects:
        actual = MonthlyActual.objects.get(project=p, year=2026, month=1)
        last = history_entries(actual)[-1]
        assert last["new"]["amount"] == "20.00"
        assert last["user"] == "bureau"
        assert last["change_reason"] == "导入"
    assert MonthlyActual.history.count() == 1 + 3
    # importing the same rows again changes nothing and writes no history
    assert actuals_bulk_set(user=drc_user, rows=rows) == {"created": 0, "updated": 0}
    assert MonthlyActual.history.count() == 4


def test_plan_set_records_history(drc_user):
    project = ProjectFactory()
    plan_set(user=drc_user, project=project, year=2026, pipeline="new", amount=Decimal("5000"))
    result = plan_set(
        user=drc_user, project=project, year=2026, pipeline="new", amount=Decimal("6000"), change_reason="调整"
    )
    entries = history_entries(result.obj)
    assert entries[-1]["old"] == {"amount": "5000.00"} and entries[-1]["new"] == {"amount": "6000.00"}
    assert entries[-1]["change_reason"] == "调整"
    assert AnnualPlan.history.count() == 2


def test_project_and_bottleneck_changes_and_deletes_keep_history():
    project = ProjectFactory(name="旧名称")
    project.name = "新名称"
    project.save()
    bottleneck = BottleneckFactory(project=project)
    bottleneck.resolution = "已解决"
    bottleneck.save()
    entries = history_entries(project)
    assert entries[-1]["old"] == {"name": "旧名称"} and entries[-1]["new"] == {"name": "新名称"}
    assert history_entries(bottleneck)[-1]["new"] == {"resolution": "已解决"}
    pk = project.pk
    project.delete()
    assert Project.history.filter(id=pk, history_type="-").exists()


def test_an_archived_project_takes_no_more_figures(drc_user):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    project = ProjectFactory(archived=True, code="XM-OLD")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        actual_set(user=drc_user, project=project, year=2026, month=1, amount=Decimal("1.00"))
    assert "XM-OLD" in exc.value.message_dict["project"][0] and "已归档" in exc.value.message_dict["project"][0]
    assert not MonthlyActual.objects.filter(project=project).exists()


@pytest.mark.parametrize(
    "year, month, amount, field",
    [
        (2026, 1, Decimal("-1.00"), "amount"),
        (2026, 1, Decimal("1.234"), "amount"),
        (2026, 1, Decimal("1000000000000.00"), "amount"),
        (2026, 1, Decimal("NaN"), "amount"),
        (1999, 1, Decimal("1.00"), "year"),
        (2026, 13, Decimal("1.00"), "month"),
    ],
)
def test_the_bulk_path_validates_every_figure(drc_user, year, month, amount, field):
    from django.core.exceptions import ValidationError

    good, bad = ProjectFactory(), ProjectFactory()
    rows = [ActualRow(good, 2026, 1, Decimal("1.00")), ActualRow(bad, year, month, amount)]
    with pytest.raises(ValidationError) as exc:
        actuals_bulk_set(user=drc_user, rows=rows)
    assert field in exc.value.message_dict
    assert not MonthlyActual.objects.exists() and not MonthlyActual.history.exists()


def test_the_bulk_path_takes_whole_and_exponent_amounts_as_full_clean_does(drc_user):
    a, b = ProjectFactory(), ProjectFactory()
    rows = [ActualRow(a, 2026, 1, Decimal("12")), ActualRow(b, 2026, 1, Decimal("1E+2"), "进度", "问题")]
    assert actuals_bulk_set(user=drc_user, rows=rows) == {"created": 2, "updated": 0}
    assert sorted(MonthlyActual.objects.values_list("amount", flat=True)) == [Decimal("12.00"), Decimal("100.00")]
    # One history row per figure, all of the import at the same moment.
    assert MonthlyActual.history.count() == 2
    assert MonthlyActual.history.values("history_date").distinct().count() == 1


def test_the_bulk_update_path_writes_the_figures_and_a_change_row_each(drc_user):
    projects = ProjectFactory.create_batch(4)
    first = [ActualRow(p, 2026, 5, Decimal("10.00"), "开工", "缺资金") for p in projects]
    actuals_bulk_set(user=drc_user, rows=first)
    before = {a.pk: a.updated_at for a in MonthlyActual.objects.all()}
    rows = [
        ActualRow(projects[0], 2026, 5, Decimal("11.00")),  # texts None: the stored ones stay
        ActualRow(projects[1], 2026, 5, Decimal("10.00"), "主体完工"),
        ActualRow(projects[2], 2026, 5, Decimal("10.00"), "开工", "缺资金"),  # unchanged
        ActualRow(projects[3], 2026, 6, Decimal("3.00")),  # a new month
    ]
    assert actuals_bulk_set(user=drc_user, rows=rows, change_reason="更正") == {"created": 1, "updated": 2}
    got = {
        (a.project_id, a.month): (a.amount, a.progress, a.problems, a.version)
        for a in MonthlyActual.objects.order_by("project_id", "month")
    }
    assert got[(projects[0].pk, 5)] == (Decimal("11.00"), "开工", "缺资金", 2)
    assert got[(projects[1].pk, 5)] == (Decimal("10.00"), "主体完工", "缺资金", 2)
    assert got[(projects[2].pk, 5)] == (Decimal("10.00"), "开工", "缺资金", 1)
    assert got[(projects[3].pk, 6)] == (Decimal("3.00"), "", "", 1)
    changes = MonthlyActual.history.filter(history_type="~")
    assert sorted(changes.values_list("project_id", "version", "history_change_reason")) == sorted(
        [(projects[0].pk, 2, "更正"), (projects[1].pk, 2, "更正")]
    )
    assert {c.history_user for c in changes} == {drc_user}
    # As bulk_update did, the import leaves updated_at as it was.
    assert all(a.updated_at == before[a.pk] for a in MonthlyActual.objects.filter(pk__in=before))
