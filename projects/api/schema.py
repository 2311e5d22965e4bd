"""OpenAPI generation: every operation documents the error answers it can give.

Clients (and the schemathesis run in the tests) can then rely on the schema: a 400 carries field
messages, 401/403/404/413/429/503 carry a `detail`, and nothing else is answered.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """An error: `detail` for request-level errors, or one list of messages per field named."""

    detail = serializers.CharField(required=False, help_text=_("What went wrong (errors not about one field)."))
    non_field_errors = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=_("Messages about the record as a whole.")
    )
    id = serializers.IntegerField(required=False, help_text=_("The existing row, when a create duplicates one."))


ERROR_DESCRIPTIONS = {
    "400": _("Bad input: messages by field name (`non_field_errors` for the record as a whole)."),
    "401": _("No or invalid credentials; see the WWW-Authenticate header."),
    "403": _("Outside the user's role or unit."),
    "404": _("No such object (or page)."),
    "413": _("The request body is larger than the limit (2 MB; file uploads aside)."),
    "429": _("Too many requests; see the Retry-After header."),
    "503": _("The database cannot be reached at the moment; see the Retry-After header."),
}


class RegistryAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the documented error answers of SPEC section 6."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERROR_DESCRIPTIONS.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
                responses[code]["description"] = str(description)
        return responses
