"""Forms of the Excel pages: the upload; the period (`periods.PeriodForm`) and the ranking options
(`forms.RankingForm`) are the pages' own."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import RankingForm
from ..periods import PeriodForm
from .importers import MAX_UPLOAD_LABEL

__all__ = ["ImportForm", "PeriodForm", "RankingForm"]


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
