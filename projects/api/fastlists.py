"""API list pages read as plain rows and rendered with orjson: the same JSON, a fraction of the time.

A list page used to build a model instance per row and run every row through its serializer's
fields. Here the page is read with `.values()` over the same filtered, restricted and ordered
queryset, and each value is turned into what the serializer's field would have returned (amounts
as two-decimal strings, dates ISO 8601, datetimes in the current time zone as DRF writes them,
choice labels in the active language, ids). The columns and conversions are derived from the
viewset's serializer, so a field added there appears here too; a serializer field this module
cannot read from a column sends the list back to the serializer. `tests/api/test_fastlists.py`
compares both outputs byte for byte for every list endpoint.
"""

import datetime
import decimal
from collections.abc import Callable

import orjson
from django.utils import timezone
from django.utils.encoding import force_str
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

# Serializer fields whose value is a model property, not a column: (columns, value from them).
PROPERTIES = {("Bottleneck", "is_open"): ("resolved", lambda resolved: resolved is None)}


class FastJSONRenderer(JSONRenderer):
    """DRF's compact UTF-8 JSON, written by orjson (anything orjson cannot write goes to DRF's encoder)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None or (renderer_context or {}).get("indent") or self.get_indent(accepted_media_type, {}):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            content = orjson.dumps(data)
        except TypeError:  # lazy strings, Decimals, non-string keys: DRF's encoder knows them
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: these two are valid JSON but not valid JavaScript.
        return content.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")


def _decimal(field: serializers.DecimalField) -> Callable:
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if not coerce or field.localize or field.normalize_output or field.decimal_places is None:
        return field.to_representation
    exponent = decimal.Decimal(1).scaleb(-field.decimal_places)

    def convert(value):
        return format(value.quantize(exponent, rounding=field.rounding), "f")

    return convert


def _datetime(field: serializers.DateTimeField) -> Callable:
    fmt = getattr(field, "format", None)
    if fmt is not None and fmt.lower() != "iso-8601":
        return field.to_representation
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()

    def convert(value):
        if zone is None or not timezone.is_aware(value):
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


def _converter(field) -> Callable | None:
    """What the field's to_representation does to a database value (None: keep it as it is)."""
    if isinstance(field, serializers.DecimalField):
        return _decimal(field)
    if isinstance(field, serializers.DateTimeField):
        return _datetime(field)
    if isinstance(field, serializers.DateField):
        fmt = getattr(field, "format", None)
        return datetime.date.isoformat if fmt is None or fmt.lower() == "iso-8601" else field.to_representation
    if isinstance(field, serializers.BooleanField | serializers.CharField | serializers.ChoiceField):
        return None if type(field) in (serializers.BooleanField, serializers.ChoiceField) else str
    if isinstance(field, serializers.BigIntegerField):
        return field.to_representation
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return None
    return field.to_representation


def _column(model, source: str):
    """The values() path of a dotted source on `model`, and the model field it ends on (None if not a column)."""
    parts = source.split(".")
    current = model
    for i, part in enumerate(parts):
        try:
            model_field = current._meta.get_field(part)
        except Exception:  # noqa: BLE001 - a property or method, not a column
            return None, None
        if i < len(parts) - 1:
            if not model_field.is_relation:
                return None, None
            current = model_field.related_model
    return "__".join(parts), model_field


def plan(serializer) -> list[tuple[str, str | None, Callable | None, Callable | None]] | None:
    """(output name, values_list() path, converter, extra) for each readable field of `serializer`, or
    None if some field is not a column of the model (`extra` computes a property from its column)."""
    model = serializer.Meta.model
    steps = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        source = field.source
        prop = PROPERTIES.get((model.__name__, source))
        if prop is not None:
            steps.append((name, prop[0], None, prop[1]))
            continue
        if source.startswith("get_") and source.endswith("_display") and "." not in source:
            path, model_field = _column(model, source[4:-8])
            if path is None or not model_field.choices:
                return None
            choices = dict(model_field.flatchoices)
            steps.append((name, path, None, lambda v, c=choices: force_str(c.get(v, v), strings_only=True)))
            continue
        path, model_field = _column(model, source)
        if path is None:
            return None
        if isinstance(field, serializers.PrimaryKeyRelatedField) and model_field.is_relation:
            path = f"{path}_id" if "__" not in path else f"{path}__pk"
        steps.append((name, path, _converter(field), None))
    return steps


class FastListMixin:
    """`list` from `.values_list()` rows with the serializer's fields and formats, rendered by orjson."""

    renderer_classes = [FastJSONRenderer]

    def list(self, request, *args, **kwargs):
        steps = plan(self.get_serializer())
        if steps is None:
            return super().list(request, *args, **kwargs)
        rows = self.filter_queryset(self.get_queryset()).values_list(*(path for _n, path, _c, _e in steps))
        page = self.paginate_queryset(rows)
        # (name, converter, whether it also takes None): a property such as is_open reads a None column.
        columns = [(name, extra or convert, extra is not None) for name, _path, convert, extra in steps]
        data = [
            {name: convert(value) if always or (value is not None and convert is not None) else value
             for (name, convert, always), value in zip(columns, row, strict=True)}
            for row in (page if page is not None else rows)
        ]  # fmt: skip
        if page is not None:
            return self.get_paginated_response(data)
        return Response(data)
