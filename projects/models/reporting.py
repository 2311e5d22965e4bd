"""The monthly reporting ledger: one submission per unit and month, with its review and history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..querysets import RestrictedQuerySet
from .registry import (
    MonthlyActual,
    month_field,
    month_range_constraint,
    narrative_field,
    year_field,
    year_range_constraint,
)


class SubmissionStatus(models.TextChoices):
    """Where a unit's report for a month stands."""

    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


# A unit has reported for the month when its submission is in one of these states.
REPORTED_STATES = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


class UnitSubmissionQuerySet(RestrictedQuerySet):
    unit_field = "unit_id"


class UnitSubmission(models.Model):
    """A unit's monthly report: draft, submitted, returned with a comment, or accepted by the bureau."""

    unit = models.ForeignKey(
        "projects.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="submissions"
    )
    year = year_field()
    month = month_field()
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.NOT_STARTED
    )
    saved_at = models.DateTimeField(_("draft saved at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(
        _("first submitted at"), null=True, blank=True, help_text=_("Decides whether the unit reported on time.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = narrative_field(_("review comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = UnitSubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit submission")
        verbose_name_plural = _("unit submissions")
        ordering = ["-year", "-month", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month"],
                name="submission_one_per_unit_month",
                violation_error_message=_("This unit already has a submission for that month."),
            ),
            year_range_constraint("submission_year_range"),
            month_range_constraint("submission_month_range"),
        ]
        indexes = [models.Index(fields=["year", "month"], name="submission_year_month")]

    def __str__(self):
        return f"{self.unit} {self.year}-{self.month:02d}"


# simple_history names the app package as the module of history models declared outside models.py;
# point it at this module, where the class actually lives, so it can be imported by its dotted path.
UnitSubmission.history.model.__module__ = __name__


class FigureChange(MonthlyActual.history.model):
    """Every change of every monthly figure (forms, API, imports, locked-month fixes), for the admin."""

    class Meta:
        proxy = True
        verbose_name = _("figure change")
        verbose_name_plural = _("figure changes")
        ordering = ["-history_date", "-history_id"]
