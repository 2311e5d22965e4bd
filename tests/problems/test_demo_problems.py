"""The demo's problems: every level has resolved, open and overdue problems, with notes and, above
the unit, leader instructions; the previous month is published so rank changes show."""

import random

import pytest

from projects.demo import generate
from projects.demo_problems import populate, publish_previous
from projects.models import Bottleneck, BottleneckInstruction, BottleneckUpdate, PublishedReport
from projects.reports.bulletin import build_bulletin

pytestmark = pytest.mark.django_db


def test_every_level_with_notes_instructions_and_resolutions(monkeypatch):
    monkeypatch.setattr("projects.demo.EXTENSIONS", ())  # the base county only; this test adds the problems
    generate(projects=30, years=1, seed=3, with_history=False)
    result = populate(rng=random.Random(1), year=2026, month=10)
    assert result["added"] == 12
    for level in ("unit", "leader", "meeting"):
        problems = Bottleneck.objects.filter(level=level)
        assert problems.filter(resolved__isnull=False).exclude(resolution="").exists()
        assert problems.filter(resolved__isnull=True).exists()
        assert problems.filter(resolved__isnull=True, due__lt="2026-10-31").exists()  # overdue by the month's end
    assert BottleneckUpdate.objects.values("bottleneck").distinct().count() == Bottleneck.objects.count()
    assert not BottleneckInstruction.objects.filter(bottleneck__level="unit").exists()
    assert BottleneckInstruction.objects.filter(bottleneck__level="meeting").exists()
    assert not Bottleneck.objects.filter(level="leader", leader__isnull=True).exists()
    assert publish_previous(year=2026, month=10).month == 9
    assert PublishedReport.objects.filter(year=2026, month=9).exists()
    ranking = next(s for s in build_bulletin(year=2026, month=10).sections if s.table and "较上月" in s.table[0][-1])
    assert all(row[-1] != "—" for row in ranking.table[1:])  # every ranked unit has a change since September
