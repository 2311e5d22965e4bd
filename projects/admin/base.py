"""What every admin that writes through a service shares, so an admin edit obeys the pages' and the API's rules.

The form carries the reason kept in the history and shows a service's refusal on the field it names;
the ModelAdmin saves through `service` instead of `obj.save()`, for the change form and the change
list's editable columns alike, and fixes a row's identity once it exists.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..limits import CHANGE_REASON_MAX_LENGTH


class ServiceAdminForm(forms.ModelForm):
    """A record's fields plus the reason kept in its history; the service's checks run in clean()."""

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=CHANGE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history; required to change a month the bureau has locked."),
    )
    user = None  # set by the ModelAdmin's get_form / get_changelist_form
    write_check = None  # staticmethod(the service's check of who may write this record, taking user=)

    def clean(self):
        cleaned = super().clean()
        if self.write_check is not None:
            self.service_check(self.write_check, user=self.user)
        return cleaned

    def value(self, field):
        """The submitted value of `field`, or the stored one when the field is read-only here."""
        if field in self.cleaned_data:
            return self.cleaned_data[field]
        return getattr(self.instance, field, None)

    def service_check(self, check, **kwargs) -> None:
        """Run a service's check; its refusal becomes form errors, on the field it names when the form shows it."""
        try:
            check(**kwargs)
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
        except ValidationError as exc:
            for field, messages in getattr(exc, "message_dict", {NON_FIELD_ERRORS: exc.messages}).items():
                self.add_error(field if field in self.fields else None, messages)


class ServiceAdmin(SimpleHistoryAdmin):
    """Saves by calling `service` with the user, the reason and the form's `service_fields`.

    The `identity` fields are read-only once the row exists.
    """

    service = None  # staticmethod(a service taking user, change_reason and the service_fields)
    service_fields: tuple[str, ...] = ()
    identity: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(self.identity if obj else ())]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a new class on every call
        form.user = request.user
        return form

    def get_changelist_form(self, request, **kwargs):
        """The editable columns of the change list, checked by the same form as the change form."""
        form = super().get_changelist_form(request, form=self.form, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        result = self.service(
            user=request.user,
            change_reason=form.cleaned_data.get("change_reason", ""),
            **{field: getattr(obj, field) for field in self.service_fields},
        )
        written = getattr(result, "obj", result)  # the figure services answer with a WriteResult
        obj.pk = written.pk
        if hasattr(written, "version"):
            obj.version = written.version
