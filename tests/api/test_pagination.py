"""Lists are paginated with count/next/previous/results and `page_size` up to 1,000."""

import pytest

from projects.models import Unit

from ..factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_pages_carry_count_next_previous_results(leader):
    ProjectFactory.create_batch(7)
    first = leader.get("/api/projects/?page_size=3").json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 7 and len(first["results"]) == 3 and first["previous"] is None
    assert first["next"].endswith("/api/projects/?page=2&page_size=3")
    last = leader.get("/api/projects/?page_size=3&page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None and "page=2" in last["previous"]
    seen = [r["code"] for p in (1, 2, 3) for r in leader.get(f"/api/projects/?page_size=3&page={p}").json()["results"]]
    assert len(set(seen)) == 7


def test_default_page_is_50_and_page_size_stops_at_1000(leader):
    Unit.objects.bulk_create([Unit(name=f"单位{i:04d}") for i in range(1005)])
    assert len(leader.get("/api/units/").json()["results"]) == 50
    body = leader.get("/api/units/?page_size=5000").json()
    assert body["count"] == 1005 and len(body["results"]) == 1000
    assert len(leader.get("/api/units/?page_size=1000&page=2").json()["results"]) == 5
