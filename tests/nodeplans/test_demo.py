"""The demo county's section 10 data (projects.demo_nodeplans.populate)."""

import datetime as dt
import random

import pytest
from django.core.management import call_command

from projects.choices import Pipeline, Stage
from projects.demo_nodeplans import monthly_split, populate
from projects.models import AnnualPlan, Milestone, PrephaseItem
from projects.selectors.progress import progress_report

pytestmark = pytest.mark.django_db


def test_monthly_split_adds_up_exactly():
    from decimal import Decimal

    rng = random.Random(3)
    for amount in ("0.01", "1234.57", "99999.99"):
        parts = monthly_split(Decimal(amount), rng)
        assert len(parts) == 12 and sum(parts) == Decimal(amount) and min(parts) >= 0


def test_populate_is_consistent_with_the_county(monkeypatch):
    monkeypatch.setattr("projects.demo.EXTENSIONS", ())  # the base county only; this test adds the node plans
    call_command("generate_demo", "--projects", "40", "--years", "1", "--seed", "2", verbosity=0)
    year, month = AnnualPlan.objects.order_by("-year").values_list("year", flat=True).first(), 10
    counts = populate(rng=random.Random(1), year=year, month=month)
    assert counts["milestones"] == Milestone.objects.count() > 0
    end = dt.date(year, month, 31)
    assert (
        not Milestone.objects.filter(done_on__gt=end).exists()
        and not PrephaseItem.objects.filter(done_on__gt=end).exists()
    )
    plans = AnnualPlan.objects.filter(year=year)
    reserve = plans.filter(pipeline=Pipeline.PLANNED)
    assert set(PrephaseItem.objects.values_list("project_id", flat=True)) == set(
        reserve.values_list("project_id", flat=True)
    )
    for plan in reserve.select_related("project"):
        states = list(plan.project.prephase_items.values_list("done_on", flat=True))
        if plan.project.stage != Stage.PREPHASE:
            assert all(states), plan.project.code  # ready or under way: every approval obtained
    paced = plans.filter(plan_to_m01__isnull=False)
    assert 0 < paced.count() < plans.exclude(pipeline=Pipeline.PLANNED).count()
    for plan in paced:
        plan.full_clean()  # the twelve months add up to the amount
    totals = progress_report(year=year, month=month).totals
    assert totals.milestones_due > 0 and totals.node_rate is not None
