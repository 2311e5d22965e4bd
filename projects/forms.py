"""Forms of the reporting pages: the monthly entry sheet, periods, review and bottlenecks."""

import unicodedata
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import BottleneckCategory, UnitKind
from .limits import CHANGE_REASON_MAX_LENGTH, NARRATIVE_MAX_LENGTH
from .models import Bottleneck, Project, Unit
from .periods import MAX_YEAR, MIN_YEAR


class AmountField(forms.DecimalField):
    """An amount in 万元 with at most two decimals; full-width digits and thousands commas are accepted."""

    default_error_messages = {
        "invalid": _("Enter a number, e.g. 120.50."),
        "max_decimal_places": _("At most two decimal places."),
        "max_digits": _("The amount is too large."),
        "max_whole_digits": _("The amount is too large."),
        "min_value": _("The amount cannot be negative."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "amount", "size": 10}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).replace(",", "").replace(" ", "").strip()
        return super().to_python(value)

    def widget_attrs(self, widget):
        # A text input (for phones' decimal keypad and full-width input), so no step/min attributes.
        return {}


class NarrativeField(forms.CharField):
    """Free text whose line breaks compare equal however the browser sent them (CRLF or LF)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", NARRATIVE_MAX_LENGTH)
        kwargs.setdefault("show_hidden_initial", True)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class EntryRowForm(forms.Form):
    """One project's line on the monthly entry sheet (prefixed with the project id)."""

    amount = AmountField(label=_("This month (10k yuan)"), required=False, show_hidden_initial=True)
    progress = NarrativeField(label=_("Physical progress"))
    problems = NarrativeField(label=_("Problems"))
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    started = forms.BooleanField(label=_("Construction has started (stage: under construction)"), required=False)
    reason = forms.CharField(
        label=_("Reason (confirms the figure)"),
        required=False,
        max_length=CHANGE_REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def values_changed(self) -> bool:
        """Whether the user changed the amount or a narrative since the sheet was loaded."""
        return any(name in self.changed_data for name in ("amount", "progress", "problems"))


class EntrySheetForm(forms.Form):
    """What applies to the whole sheet: the bureau's reason for changing a locked month."""

    change_reason = forms.CharField(
        label=_("Reason for the change"), required=False, max_length=CHANGE_REASON_MAX_LENGTH
    )


class RankingForm(forms.Form):
    """The unit ranking's options, on the page and in the workbook: minimum annual plan (万元) and unit kind."""

    min_plan = forms.DecimalField(
        label=_("Minimum annual plan (10k yuan)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("All")), *UnitKind.choices])

    def options(self, settings_row) -> tuple[Decimal, str]:
        """(minimum plan, kind) after is_valid(): the bureau's default minimum when none (or a bad one) is given."""
        data = getattr(self, "cleaned_data", {})
        min_plan = data.get("min_plan")
        return (settings_row.min_ranking_plan if min_plan is None else min_plan), data.get("kind") or ""

    def query(self) -> str:
        """The valid options given, as a query string for the export link."""
        data = getattr(self, "cleaned_data", {})
        return urlencode({k: data[k] for k in ("min_plan", "kind") if data.get(k) not in (None, "")})


class PeriodOpenForm(forms.Form):
    """The bureau opens a month for reporting, with its deadline."""

    year = forms.IntegerField(label=_("year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = forms.IntegerField(label=_("month"), min_value=1, max_value=12)
    deadline = forms.DateField(label=_("deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PeriodChangeForm(forms.Form):
    """Lock, unlock or set the deadline of an existing month."""

    ACTIONS = [("lock", _("Lock")), ("unlock", _("Unlock")), ("deadline", _("Set deadline"))]

    action = forms.ChoiceField(choices=ACTIONS)
    deadline = forms.DateField(label=_("deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("reason"), required=False, max_length=CHANGE_REASON_MAX_LENGTH)


class ReviewForm(forms.Form):
    """The bureau returns a submission with a comment or accepts it."""

    ACTIONS = [("return", _("Return")), ("accept", _("Accept"))]

    action = forms.ChoiceField(choices=ACTIONS)
    comment = forms.CharField(label=_("comment"), required=False, max_length=NARRATIVE_MAX_LENGTH)


class BottleneckRaiseForm(forms.Form):
    """Raise a bottleneck on a project the user may change."""

    project = forms.ModelChoiceField(label=_("project"), queryset=Project.objects.none())
    category = forms.ChoiceField(label=_("category"), choices=BottleneckCategory.choices)
    description = forms.CharField(
        label=_("description"), max_length=NARRATIVE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ModelChoiceField(
        label=_("unit responsible for solving it"),
        queryset=Unit.objects.all(),
        required=False,
        help_text=_("Leave empty for the project's own unit."),
    )
    due = forms.DateField(label=_("due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects if projects is not None else Project.objects.none()

    def clean_due(self):
        due = self.cleaned_data.get("due")
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class BottleneckResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("resolution"), max_length=NARRATIVE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProblemTextForm(forms.Form):
    """A progress note or a leader's instruction on a problem."""

    text = forms.CharField(label=_("text"), max_length=NARRATIVE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class ProblemHandlingForm(forms.ModelForm):
    """How a problem is handled: who answers, the coordinating leader, the level, measures, due date."""

    class Meta:
        model = Bottleneck
        fields = ["owner", "leader", "level", "measures", "due"]
        widgets = {
            "measures": forms.Textarea(attrs={"rows": 3}),
            "due": forms.DateInput(attrs={"type": "date"}),
        }


class PeriodChoiceForm(forms.Form):
    """A year and month named by a form or link (reminders)."""

    year = forms.IntegerField(label=_("year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = forms.IntegerField(label=_("month"), min_value=1, max_value=12)
