"""Forms of the Excel pages: the report period and the upload."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy as pgettext

from ..selectors.progress import latest_month_with_data
from .importers import MAX_UPLOAD_LABEL


class PeriodForm(forms.Form):
    """Year and month of a report or template; both default to the latest month with figures."""

    year = forms.IntegerField(label=pgettext("excel", "Year"), min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(label=pgettext("excel", "Month"), min_value=1, max_value=12, required=False)

    def period(self) -> tuple[int, int]:
        """(year, month) from the form, filling what is missing with the latest month with figures."""
        year, month = self.cleaned_data.get("year"), self.cleaned_data.get("month")
        if year is not None and month is not None:
            return year, month
        latest = latest_month_with_data(year)
        if latest is not None:
            return year or latest[0], month or latest[1]
        today = dt.date.today()
        return year or today.year, month or (12 if year and year < today.year else today.month)


class RankingForm(forms.Form):
    """The unit ranking's minimum annual plan (default: the bureau's setting)."""

    min_plan = forms.DecimalField(
        label=_("Minimum annual plan"), min_value=0, max_digits=14, decimal_places=2, required=False
    )


class ImportForm(forms.Form):
    """A filled template and, for a locked month, the reason for the change."""

    file = forms.FileField(
        label=_("Filled workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("Required when the bureau changes a locked month."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(limit)s.") % {"limit": MAX_UPLOAD_LABEL}
