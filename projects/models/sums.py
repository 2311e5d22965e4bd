"""Per project and year, the actuals summed to each month (c1 … c12): the engine reads its sums here.

`cM` is the year's total from January to month M, so the year to date at any month is one
column, the month itself `cM − c(M−1)`, and the whole year `c12`.

Kept exact by database triggers on the monthly actuals (`projects/sums.py`), whoever writes:
services, the admin, an import, loaddata, a shell or raw SQL. Never written by the application
itself; `manage.py rebuild_sums` rebuilds it from the actuals (after a restore by other means).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import Project

MONTHS = range(1, 13)


def _amount():
    # Not shown anywhere: the column names say to which month. Twelve months of figures of up to
    # 14 digits each fit in 16.
    return models.DecimalField(max_digits=16, decimal_places=2, default=0, db_default=0)


class ProjectSums(models.Model):
    """One project's actuals of one year summed to each month (a summary the triggers keep; not data)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    c1 = _amount()
    c2 = _amount()
    c3 = _amount()
    c4 = _amount()
    c5 = _amount()
    c6 = _amount()
    c7 = _amount()
    c8 = _amount()
    c9 = _amount()
    c10 = _amount()
    c11 = _amount()
    c12 = _amount()

    class Meta:
        verbose_name = _("project sums")
        verbose_name_plural = _("project sums")
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="project_sums_one_per_year")]
        indexes = [models.Index(fields=["year"], name="project_sums_year")]

    def __str__(self):
        return f"{self.project_id} {self.year}"
