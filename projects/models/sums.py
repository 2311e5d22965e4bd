"""Per project and year, the twelve monthly amounts: the engine reads its sums from here.

Kept exact by database triggers on the monthly actuals (`projects/sums.py`), whoever writes:
services, the admin, an import, loaddata, a shell or raw SQL. Never written by the application
itself; `manage.py rebuild_sums` rebuilds it from the actuals (after a restore by other means).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import Project

MONTHS = range(1, 13)


def _amount():
    # Not shown anywhere: the column names say which month.
    return models.DecimalField(max_digits=14, decimal_places=2, default=0, db_default=0)


class ProjectSums(models.Model):
    """One project's actuals of one year, month by month (a summary the triggers keep; not data)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    m1 = _amount()
    m2 = _amount()
    m3 = _amount()
    m4 = _amount()
    m5 = _amount()
    m6 = _amount()
    m7 = _amount()
    m8 = _amount()
    m9 = _amount()
    m10 = _amount()
    m11 = _amount()
    m12 = _amount()

    class Meta:
        verbose_name = _("project sums")
        verbose_name_plural = _("project sums")
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="project_sums_one_per_year")]
        indexes = [models.Index(fields=["year"], name="project_sums_year")]

    def __str__(self):
        return f"{self.project_id} {self.year}"
