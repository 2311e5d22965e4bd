"""Every API error is JSON with field messages; the services' Django exceptions get their status here.

Services raise Django's `ValidationError` (field names in its dict) and `PermissionDenied`; this
handler turns them into 400 and 403 answers without losing the message, so permission and
lock rules stay in the services and the API never answers a 500 for bad input.
"""

import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from projects.services.records import CONFLICT_MESSAGE, DuplicateRowError

from .parsers import RequestTooLarge

logger = logging.getLogger(__name__)


def validation_data(exc: DjangoValidationError) -> dict:
    """A Django ValidationError as DRF's `{field: [messages]}`, non-field errors under `non_field_errors`."""
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


JSON_PARSE_PREFIX = "JSON parse error - "
# Messages DRF emits without gettext, by their error code.
UNTRANSLATED = {"null": ("No data provided", _lazy("No data provided."))}


def translate_untranslated(data) -> None:
    """Replace DRF's few untranslated messages in an error body (in place)."""
    for messages in data.values() if isinstance(data, dict) else []:
        if not isinstance(messages, list):
            continue
        for i, message in enumerate(messages):
            known = UNTRANSLATED.get(getattr(message, "code", None))
            if known and str(message) == known[0]:
                messages[i] = str(known[1])


class DatabaseUnavailable(exceptions.APIException):
    """The database is down or hung: 503, the client retries later."""

    status_code = 503
    default_detail = _lazy("The registry's database cannot be reached at the moment; try again in a few minutes.")
    default_code = "database_unavailable"


def exception_handler(exc, context):
    """DRF's handler, plus the services' Django exceptions and a JSON answer for anything unforeseen."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.error("database unavailable: %s", exc, extra={"event": "database_unavailable"})
        set_rollback()
        response = drf_exception_handler(DatabaseUnavailable(), context)
        response["Retry-After"] = "30"
        return response
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    if isinstance(exc, DataError):
        # A value the database cannot store that no validator caught (the services check the known ones).
        logger.warning("data error: %s", exc)
        converted = exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [_("A value sent cannot be stored (invalid characters or size).")]}
        )
    elif isinstance(exc, DjangoValidationError):
        converted = exceptions.ValidationError(validation_data(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        converted = exceptions.PermissionDenied(str(exc) if exc.args else None)
    elif isinstance(exc, IntegrityError):
        # A race the services did not foresee (two writes of one row at once): the client retries.
        converted = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [CONFLICT_MESSAGE]})
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        converted = exceptions.ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY: [
                    _("This record is still used by other records and cannot be deleted.")
                ]
            }
        )
    elif isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith(JSON_PARSE_PREFIX):
        # DRF leaves this message untranslated; the JSON decoder's own words stay as they are.
        error = str(exc.detail).removeprefix(JSON_PARSE_PREFIX)
        converted = exceptions.ParseError(_("Malformed JSON: %(error)s") % {"error": error})
    else:
        converted = exc
    response = drf_exception_handler(converted, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        translate_untranslated(response.data)
    if response is not None:
        if isinstance(exc, DuplicateRowError):
            response.data["id"] = exc.existing_id
        return response
    if settings.DEBUG:
        return None  # let Django show the traceback to the developer
    logger.exception("Unhandled API error", exc_info=exc)
    set_rollback()
    return Response({"detail": _("The server could not handle this request.")}, status=500)
