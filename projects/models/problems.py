"""The problems closed loop (问题清单, SPEC section 11) and reporting reminders (SPEC section 12).

A bottleneck itself lives in `registry.py`; here are what gathers around it: progress notes by
the unit and the bureau, leader instructions (批示), and the reminders sent to late units.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..querysets import RestrictedQuerySet
from .registry import Bottleneck, Leader, Unit, month_field, narrative_field, year_field


class BottleneckChildQuerySet(RestrictedQuerySet):
    unit_path = "bottleneck__project__unit"


class BottleneckUpdate(models.Model):
    """A progress note on a problem, written by the project's unit or the bureau."""

    bottleneck = models.ForeignKey(
        Bottleneck, verbose_name=_("bottleneck"), on_delete=models.CASCADE, related_name="updates"
    )
    text = narrative_field(_("progress note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = BottleneckChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.bottleneck_id} {self.created_at:%Y-%m-%d}"


class BottleneckInstruction(models.Model):
    """A county leader's instruction (批示) on a problem: the one thing a leader writes."""

    bottleneck = models.ForeignKey(
        Bottleneck, verbose_name=_("bottleneck"), on_delete=models.CASCADE, related_name="instructions"
    )
    text = narrative_field(_("instruction"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    leader = models.ForeignKey(
        Leader, verbose_name=_("county leader"), null=True, on_delete=models.SET_NULL, related_name="instructions"
    )

    history = HistoricalRecords()
    objects = BottleneckChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("leader instruction")
        verbose_name_plural = _("leader instructions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.bottleneck_id} {self.created_at:%Y-%m-%d}"


class Reminder(models.Model):
    """A reminder sent by the bureau to a unit that had not reported a month (催报)."""

    year = year_field()
    month = month_field()
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    emailed = models.PositiveIntegerField(_("emails sent"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "pk"]
        indexes = [models.Index(fields=["year", "month", "unit"], name="reminder_month_unit")]

    def __str__(self):
        return f"{self.year}-{self.month:02d} {self.unit_id}"
