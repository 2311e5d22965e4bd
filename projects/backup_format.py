"""The backup's JSON: Django's fixture JSON with datetimes kept to the microsecond.

Django's own encoder cuts datetimes to milliseconds, which would change every history row's
`history_date` on a round trip. Files in this format load with the standard `json` deserializer.
"""

import datetime

from django.core.serializers import json as django_json

Deserializer = django_json.Deserializer


class ExactEncoder(django_json.DjangoJSONEncoder):
    """DjangoJSONEncoder, but an aware datetime keeps its microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder
