"""The registry's data (SPEC section 3). Money is DecimalField in 万元 with two places."""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import (
    BottleneckCategory,
    Industry,
    Level,
    Pipeline,
    ProblemLevel,
    ScheduleBasis,
    Sector,
    Stage,
    UnitKind,
)
from ..limits import NARRATIVE_MAX_LENGTH, narrative_validators
from ..memo import forget, request_memo
from ..periods import MAX_YEAR, MIN_YEAR, MONTH_MESSAGE, YEAR_MESSAGE
from ..querysets import (
    BureauOnlyQuerySet,
    ProjectChildQuerySet,
    ProjectQuerySet,
    UnitQuerySet,
)

ZERO = Decimal("0.00")
NEGATIVE_MESSAGE = _("Amounts cannot be negative.")


def money_field(verbose_name, **kwargs):
    """An amount in 万元: up to 999,999,999,999.99, two decimal places, never negative."""
    kwargs.setdefault("validators", [MinValueValidator(ZERO, message=NEGATIVE_MESSAGE)])
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def narrative_field(verbose_name, **kwargs):
    """Free text people type (形象进度, 存在问题, notes): at most NARRATIVE_MAX_LENGTH characters, on every path."""
    return models.TextField(verbose_name, max_length=NARRATIVE_MAX_LENGTH, validators=narrative_validators(), **kwargs)


def year_field():
    return models.PositiveSmallIntegerField(
        _("year"),
        validators=[
            MinValueValidator(MIN_YEAR, message=YEAR_MESSAGE),
            MaxValueValidator(MAX_YEAR, message=YEAR_MESSAGE),
        ],
    )


def month_field():
    return models.PositiveSmallIntegerField(
        _("month"),
        validators=[MinValueValidator(1, message=MONTH_MESSAGE), MaxValueValidator(12, message=MONTH_MESSAGE)],
    )


def year_range_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
        name=name,
        violation_error_message=YEAR_MESSAGE,
    )


def month_range_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(month__gte=1, month__lte=12),
        name=name,
        violation_error_message=MONTH_MESSAGE,
    )


def non_negative_constraint(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=NEGATIVE_MESSAGE,
    )


# The monthly plan is stored cumulatively: `plan_to_mMM` is the amount planned for months 1..MM, so a
# project's schedule at M reads one column and a group's is one SUM (see `AnnualPlan`).
MONTHLY_PLAN_FIELDS = tuple(f"plan_to_m{m:02d}" for m in range(1, 13))
MONTHLY_PLAN_PARTIAL_MESSAGE = _("A monthly plan needs all twelve months (or none).")
MONTHLY_PLAN_SUM_MESSAGE = _("The twelve monthly amounts must add up to the annual planned investment.")


def monthly_plan_field(month: int):
    """The amount an annual plan plans for months 1..`month` (万元), empty without a monthly plan."""
    return money_field(
        format_lazy(_("planned to the end of month {month} (10k yuan)"), month=month), null=True, blank=True
    )


def monthly_plan_constraints() -> list[models.CheckConstraint]:
    """All twelve months or none; no month negative (the running total never falls); December's
    running total is the annual amount. A NULL month passes, the "no monthly plan" case the first
    constraint keeps whole."""
    names = MONTHLY_PLAN_FIELDS
    rising = Q(**{f"{names[0]}__gte": 0})
    for before, after in zip(names, names[1:], strict=False):
        rising &= Q(**{f"{after}__gte": models.F(before)})
    return [
        models.CheckConstraint(
            condition=Q(**{f"{n}__isnull": True for n in names}) | Q(**{f"{n}__isnull": False for n in names}),
            name="plan_monthly_all_or_none",
            violation_error_message=MONTHLY_PLAN_PARTIAL_MESSAGE,
        ),
        models.CheckConstraint(
            condition=rising,
            name="plan_monthly_non_negative",
            violation_error_message=NEGATIVE_MESSAGE,
        ),
        models.CheckConstraint(
            condition=Q(amount=models.F(names[-1])),
            name="plan_monthly_sum_is_amount",
            violation_error_message=MONTHLY_PLAN_SUM_MESSAGE,
        ),
    ]


class Unit(models.Model):
    """A responsible unit: a department, a township or an enterprise."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Leader(models.Model):
    """A county leader to whom projects are linked (包联)."""

    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(_("order"), default=100, help_text=_("Lower comes first."))

    objects = BureauOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("county leader")
        verbose_name_plural = _("county leaders")
        ordering = ["rank", "name"]

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name


class User(AbstractUser):
    """A user; staff belong to a unit, leader users to a leader record."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )
    leader = models.OneToOneField(
        Leader, verbose_name=_("leader record"), null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Project(models.Model):
    """A key project; its pipeline in a year is on its annual plan."""

    code = models.CharField(_("project code"), max_length=40, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, default=Industry.TERTIARY)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PREPHASE)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.COUNTY)
    total_investment = money_field(_("total investment (10k yuan)"), default=ZERO)
    opening_balance = money_field(
        _("completed before tracking (10k yuan)"),
        default=ZERO,
        help_text=_("Investment completed before the first year tracked here."),
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="projects"
    )
    leader = models.ForeignKey(
        Leader,
        verbose_name=_("linked leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    content = narrative_field(_("construction content"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    completion_date = models.DateField(_("completion date"), null=True, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        ordering = ["code"]
        constraints = [
            non_negative_constraint("total_investment", "project_total_investment_non_negative"),
            non_negative_constraint("opening_balance", "project_opening_balance_non_negative"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class AnnualPlan(models.Model):
    """A project's place on one year's list: its pipeline and planned investment."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="plans")
    year = year_field()
    pipeline = models.CharField(_("pipeline"), max_length=20, choices=Pipeline.choices)
    amount = money_field(_("annual planned investment (10k yuan)"), default=ZERO)
    # The monthly plan (分月计划, SPEC section 10) as twelve nullable decimal columns rather than one JSON
    # list, so the schedule of a project or a group is an exact SQL read or SUM of decimals, with no
    # JSON parsing or casts in the statement. They hold running totals (months 1..M), so the schedule at
    # M is one column, not M additions per row; `monthly_amounts` gives and takes the twelve months.
    # All twelve are empty (no monthly plan: the schedule is M / 12) or all twelve are set.
    plan_to_m01 = monthly_plan_field(1)
    plan_to_m02 = monthly_plan_field(2)
    plan_to_m03 = monthly_plan_field(3)
    plan_to_m04 = monthly_plan_field(4)
    plan_to_m05 = monthly_plan_field(5)
    plan_to_m06 = monthly_plan_field(6)
    plan_to_m07 = monthly_plan_field(7)
    plan_to_m08 = monthly_plan_field(8)
    plan_to_m09 = monthly_plan_field(9)
    plan_to_m10 = monthly_plan_field(10)
    plan_to_m11 = monthly_plan_field(11)
    plan_to_m12 = monthly_plan_field(12)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year", "project__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="plan_one_per_project_year",
                violation_error_message=_("This project already has an annual plan for that year."),
            ),
            non_negative_constraint("amount", "plan_amount_non_negative"),
            year_range_constraint("plan_year_range"),
            *monthly_plan_constraints(),
        ]
        indexes = [models.Index(fields=["year", "pipeline"], name="plan_year_pipeline")]

    def __str__(self):
        return f"{self.project.code} {self.year} {self.get_pipeline_display()}"

    @property
    def monthly_amounts(self) -> list[Decimal] | None:
        """The twelve planned monthly amounts (January first), or None without a monthly plan."""
        totals = [getattr(self, name) for name in MONTHLY_PLAN_FIELDS]
        if all(v is None for v in totals):
            return None
        if any(v is None for v in totals):
            return totals  # a partial plan, refused by the constraint; shown as it is
        return [Decimal(now) - Decimal(before) for before, now in zip([ZERO, *totals], totals, strict=False)]

    @monthly_amounts.setter
    def monthly_amounts(self, values) -> None:
        """Store twelve monthly amounts as their running totals (None removes the monthly plan)."""
        if values is None:
            totals = [None] * 12
        else:
            values = list(values)
            if len(values) != 12:
                raise ValueError("monthly_amounts takes twelve values")
            totals, running = [], ZERO
            for value in values:
                running = None if value is None or running is None else running + Decimal(value)
                totals.append(running)
        for name, total in zip(MONTHLY_PLAN_FIELDS, totals, strict=True):
            setattr(self, name, total)


class MonthlyActual(models.Model):
    """Investment completed in one calendar month of one project."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="actuals")
    year = year_field()
    month = month_field()
    amount = money_field(_("investment completed this month (10k yuan)"), default=ZERO)
    progress = narrative_field(_("physical progress"), blank=True)
    problems = narrative_field(_("problems"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly actual")
        verbose_name_plural = _("monthly actuals")
        ordering = ["-year", "-month", "project__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="actual_one_per_project_month",
                violation_error_message=_("This project already has a figure for that month."),
            ),
            non_negative_constraint("amount", "actual_amount_non_negative"),
            year_range_constraint("actual_year_range"),
            month_range_constraint("actual_month_range"),
        ]
        indexes = [models.Index(fields=["year", "month"], name="actual_year_month")]

    def __str__(self):
        return f"{self.project.code} {self.year}-{self.month:02d}"


class Bottleneck(models.Model):
    """A problem holding a project up (卡点), until it is resolved."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="bottlenecks"
    )
    category = models.CharField(_("category"), max_length=20, choices=BottleneckCategory.choices)
    description = narrative_field(_("description"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit responsible for solving it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bottlenecks",
    )
    raised = models.DateField(_("raised on"), default=timezone.localdate)
    due = models.DateField(_("due"), null=True, blank=True)
    resolved = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = narrative_field(_("resolution"), blank=True)
    owner = models.CharField(_("person answerable"), max_length=100, blank=True)
    leader = models.ForeignKey(
        Leader,
        verbose_name=_("coordinating leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bottlenecks",
    )
    level = models.CharField(_("level"), max_length=10, choices=ProblemLevel.choices, default=ProblemLevel.UNIT)
    measures = narrative_field(_("measures"), blank=True)

    history = HistoricalRecords()
    objects = ProjectChildQuerySet.as_manager()

    # The field each constraint is about, so forms and the API name it (see validate_constraints).
    CONSTRAINT_FIELDS = {
        "bottleneck_due_after_raised": "due",
        "bottleneck_resolved_after_raised": "resolved",
        "bottleneck_resolved_with_resolution": "resolution",
    }

    class Meta:
        verbose_name = _("bottleneck")
        verbose_name_plural = _("bottlenecks")
        ordering = ["resolved", "-raised"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due__isnull=True) | Q(due__gte=models.F("raised")),
                name="bottleneck_due_after_raised",
                violation_error_message=_("The due date cannot be before the date raised."),
            ),
            models.CheckConstraint(
                condition=Q(resolved__isnull=True) | Q(resolved__gte=models.F("raised")),
                name="bottleneck_resolved_after_raised",
                violation_error_message=_("The resolution date cannot be before the date raised."),
            ),
            models.CheckConstraint(
                condition=Q(resolved__isnull=True) | ~Q(resolution=""),
                name="bottleneck_resolved_with_resolution",
                violation_error_message=_("Say how the bottleneck was resolved."),
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_category_display()}"

    def validate_constraints(self, exclude=None):
        """Check the constraints, each violation under the field it is about (not as a form-wide error)."""
        errors = {}
        for constraint in self._meta.constraints:
            try:
                constraint.validate(type(self), self, exclude=exclude)
            except ValidationError as exc:
                field = self.CONSTRAINT_FIELDS.get(constraint.name, NON_FIELD_ERRORS)
                errors.setdefault(field, []).extend(exc.error_list)
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.resolved is None


class ReportingPeriod(models.Model):
    """A reporting month; a month without a row is open."""

    year = year_field()
    month = month_field()
    locked = models.BooleanField(_("locked"), default=False)
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    history = HistoricalRecords()
    objects = BureauOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                name="period_one_per_month",
                violation_error_message=_("That month already has a reporting period."),
            ),
            year_range_constraint("period_year_range"),
            month_range_constraint("period_month_range"),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


SETTINGS_MEMO = "progress_settings"


class ProgressSettings(models.Model):
    """The bureau's knobs for the metrics, changed in the admin without a deploy (one row)."""

    county_name = models.CharField(_("county name"), max_length=50, default="示范县")
    ahead_threshold = models.DecimalField(
        _("ahead at a gap of at least (points)"), max_digits=5, decimal_places=1, default=Decimal("10")
    )
    warning_threshold = models.DecimalField(
        _("warning at a gap of at most (points)"), max_digits=5, decimal_places=1, default=Decimal("-10")
    )
    lagging_threshold = models.DecimalField(
        _("lagging at a gap of at most (points)"), max_digits=5, decimal_places=1, default=Decimal("-20")
    )
    schedule_basis = models.CharField(
        _("time-elapsed schedule basis"), max_length=10, choices=ScheduleBasis.choices, default=ScheduleBasis.MONTHS
    )
    min_ranking_plan = money_field(
        _("default minimum annual plan in the unit ranking (10k yuan)"), default=Decimal("5000")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress settings")
        verbose_name_plural = _("progress settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(lagging_threshold__lt=models.F("warning_threshold"))
                & Q(warning_threshold__lt=models.F("ahead_threshold")),
                name="settings_thresholds_ordered",
                violation_error_message=_("Thresholds must satisfy lagging < warning < ahead."),
            ),
        ]

    def __str__(self):
        return str(_("progress settings"))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget(SETTINGS_MEMO)

    def delete(self, *args, **kwargs):
        forget(SETTINGS_MEMO)
        return super().delete(*args, **kwargs)

    @classmethod
    def load(cls) -> "ProgressSettings":
        """The single settings row, created with the SPEC defaults when missing (read once per request)."""
        return request_memo(SETTINGS_MEMO, cls._load)

    @classmethod
    def _load(cls) -> "ProgressSettings":
        obj = cls.objects.order_by("pk").first()
        if obj is None:
            obj = cls.objects.create()
        return obj


class PublishedReport(models.Model):
    """The figures of a month as the bureau published them (通报), frozen against later corrections."""

    year = year_field()
    month = month_field()
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        User, verbose_name=_("published by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = narrative_field(_("note"), blank=True)
    data = models.JSONField(_("published figures"))

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        ordering = ["-year", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "version"],
                name="published_one_per_version",
                violation_error_message=_("That version of the month's report already exists."),
            ),
            year_range_constraint("published_year_range"),
            month_range_constraint("published_month_range"),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d} v{self.version}"


class DataVersion(models.Model):
    """Tokens that change with every write to the figures (see `projects.cache`): row 1 the county's,
    and a row per year (id = the year) for the plans and actuals of that year.

    Database triggers, installed by `projects.cache.install_triggers` after every `migrate`
    (migration 0004 only creates this table), give a row a new random token on every insert,
    update, delete or truncate of the tables the progress figures are computed from, whatever
    wrote them: services, the admin, imports, loaddata, a shell or raw SQL. A rolled-back write
    rolls the tokens back with the figures, so the tokens always name one state of the data.
    """

    token = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return self.token
