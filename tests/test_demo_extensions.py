"""projects.demo.EXTENSIONS: other modules add their demo data once the base county exists."""

import pytest

from projects import demo
from projects.models import Project, UnitSubmission

pytestmark = pytest.mark.django_db


def test_extensions_run_in_order_after_the_base_county(monkeypatch):
    calls = []

    def populate(*, rng, year, month):
        calls.append((Project.objects.count(), UnitSubmission.objects.exists(), rng.random(), year, month))

    monkeypatch.setattr("tests.test_demo_extensions.first_extension", populate, raising=False)
    monkeypatch.setattr("tests.test_demo_extensions.second_extension", populate, raising=False)
    monkeypatch.setattr(
        demo,
        "EXTENSIONS",
        ("tests.test_demo_extensions.first_extension", "tests.test_demo_extensions.second_extension"),
    )
    demo.generate(projects=20, years=1, seed=4, with_history=False)
    assert [c[:2] for c in calls] == [(20, True), (20, True)]
    assert [c[3:] for c in calls] == [(2026, 10), (2026, 10)]
    assert calls[0][2] != calls[1][2]  # each extension its own random stream
