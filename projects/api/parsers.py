"""The API's JSON parser: bounded in size (413) and in nesting depth (400), never a RecursionError.

DRF's own JSONParser reads the whole body, however large (Django's DATA_UPLOAD_MAX_MEMORY_SIZE
only guards `request.body` and form data), and a body nested 1,000 deep makes the decoder raise
RecursionError, a 500. This one reads at most REQUEST_BODY_MAX_BYTES and checks the depth.
"""

import codecs

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

from projects.limits import JSON_MAX_DEPTH


class RequestTooLarge(APIException):
    """A request body over the limit: 413 with `{"detail"}`."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, detail=None, code=None):
        if detail is None:
            detail = too_large_message()
        super().__init__(detail, code)


def too_large_message() -> str:
    """What a client is told when its body is over the limit (pages and API alike)."""
    return _("The request is too large: at most %(size)s MB of data (files uploaded through the import aside).") % {
        "size": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):g}"
    }


def nesting_exceeds(value, limit: int) -> bool:
    """Whether lists and objects in `value` nest deeper than `limit` (the top level counts 1).

    Level by level, so a wide body costs one pass with C-speed list operations, not a Python
    step per value.
    """
    level = [value] if isinstance(value, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        children = []
        for item in level:
            children.extend(item.values() if isinstance(item, dict) else item)
        level = [child for child in children if isinstance(child, (dict, list))]
    return False


def too_deep() -> ParseError:
    return ParseError(_("The JSON is nested too deeply (at most %(depth)s levels).") % {"depth": JSON_MAX_DEPTH})


class LimitedJSONParser(JSONParser):
    """JSONParser with a size limit (settings.DATA_UPLOAD_MAX_MEMORY_SIZE) and a depth limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = parser_context.get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise RequestTooLarge()
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise RequestTooLarge()
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        parse_constant = json.strict_constant if self.strict else None
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError as exc:
            raise too_deep() from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if nesting_exceeds(data, JSON_MAX_DEPTH):
            raise too_deep()
        return data
