"""Factories for milestones and pre-phase items (beside the shared ones in tests/factories.py)."""

import datetime as dt

import factory

from projects.choices import PrephaseKind
from projects.models import Milestone, PrephaseItem

from ..factories import ProjectFactory


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    year = 2026
    name = factory.Sequence(lambda n: f"节点{n}")
    planned_date = dt.date(2026, 6, 30)


class PrephaseItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrephaseItem

    project = factory.SubFactory(ProjectFactory)
    kind = PrephaseKind.PROPOSAL
    planned_date = dt.date(2026, 3, 31)
