"""factory_boy factories for the registry's models."""

from decimal import Decimal

import factory

from projects.choices import Industry, Pipeline, Role, Sector, Stage, UnitKind
from projects.models import AnnualPlan, Bottleneck, Leader, MonthlyActual, Project, ReportingPeriod, Unit, User
from projects.roles import ensure_groups


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"单位{n}")
    kind = UnitKind.DEPARTMENT


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader

    name = factory.Sequence(lambda n: f"领导{n}")
    title = "副县长"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"测试项目{n}")
    sector = Sector.TRANSPORT
    industry = Industry.TERTIARY
    stage = Stage.CONSTRUCTION
    total_investment = Decimal("10000.00")
    unit = factory.SubFactory(UnitFactory)
    leader = factory.SubFactory(LeaderFactory)


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    project = factory.SubFactory(ProjectFactory)
    year = 2026
    pipeline = Pipeline.CONTINUING
    amount = Decimal("1000.00")


class MonthlyActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyActual

    project = factory.SubFactory(ProjectFactory)
    year = 2026
    month = 1
    amount = Decimal("100.00")


class BottleneckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bottleneck

    project = factory.SubFactory(ProjectFactory)
    category = "funding"
    description = "资金未到位"
    resolution = factory.Maybe("resolved", "已解决", "")  # closing needs a resolution


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    year = 2026
    month = 1
    locked = False


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a role: `UserFactory(role="staff", unit=u)`."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-Test-2026")

    @classmethod
    def _create(cls, model_class, *args, role=Role.DRC, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        obj.groups.add(ensure_groups()[role])
        return obj
