"""Each project against its own plan (SPEC section 10): milestones (节点) and pre-phase items (前期手续).

The monthly plan (分月计划) lives on `AnnualPlan` itself (`plan_to_m01` … `plan_to_m12`, running totals), so the engine
sums it in the same pass as the plans.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import PrephaseKind
from ..querysets import ProjectChildQuerySet
from .registry import MAX_YEAR, MIN_YEAR, Project, narrative_field, year_field, year_range_constraint

MILESTONE_NAME_MAX_LENGTH = 100
DOCUMENT_NO_MAX_LENGTH = 100
DONE_BEFORE_MESSAGE = _("The date done cannot be before the year 2000.")


def planned_date_constraint(name: str) -> models.CheckConstraint:
    """A node's planned date falls within the registry's years (2000–2100)."""
    return models.CheckConstraint(
        condition=Q(planned_date__year__gte=MIN_YEAR, planned_date__year__lte=MAX_YEAR),
        name=name,
        violation_error_message=_("The planned date must fall between 2000 and 2100."),
    )


def done_on_constraint(name: str) -> models.CheckConstraint:
    """A node not yet done has no date; a done one is not dated before 2000."""
    return models.CheckConstraint(
        condition=Q(done_on__isnull=True) | Q(done_on__year__gte=MIN_YEAR),
        name=name,
        violation_error_message=DONE_BEFORE_MESSAGE,
    )


class Milestone(models.Model):
    """A node of a project's year worked back from its target (倒排节点): due on a date, done on a date."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones")
    year = year_field()
    name = models.CharField(_("milestone"), max_length=MILESTONE_NAME_MAX_LENGTH)
    planned_date = models.DateField(_("planned date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = narrative_field(_("note"), blank=True)

    history = HistoricalRecords()
    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["year", "project__code", "planned_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "name"],
                name="milestone_one_name_per_project_year",
                violation_error_message=_("This project already has a milestone of that name for that year."),
            ),
            year_range_constraint("milestone_year_range"),
            planned_date_constraint("milestone_planned_date_range"),
            done_on_constraint("milestone_done_on_range"),
        ]
        indexes = [models.Index(fields=["year", "planned_date"], name="milestone_year_date")]

    def __str__(self):
        return f"{self.project.code} {self.year} {self.name}"


class PrephaseItem(models.Model):
    """One pre-phase approval of a project (前期手续): planned, obtained on a date under a document number."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="prephase_items"
    )
    kind = models.CharField(_("pre-phase item"), max_length=20, choices=PrephaseKind.choices)
    planned_date = models.DateField(_("planned date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    document_no = models.CharField(_("document number"), max_length=DOCUMENT_NO_MAX_LENGTH, blank=True)
    note = narrative_field(_("note"), blank=True)

    history = HistoricalRecords()
    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("pre-phase item")
        verbose_name_plural = _("pre-phase items")
        ordering = ["project__code", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                name="prephase_one_kind_per_project",
                violation_error_message=_("This project already has that pre-phase item."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PrephaseKind.values),
                name="prephase_kind_known",
                violation_error_message=_("Unknown pre-phase item."),
            ),
            planned_date_constraint("prephase_planned_date_range"),
            done_on_constraint("prephase_done_on_range"),
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_kind_display()}"

    @property
    def kind_order(self) -> int:
        """Position of the kind in SPEC order (proposal first, permit last)."""
        return PrephaseKind.values.index(self.kind)
