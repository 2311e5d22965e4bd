"""`AnyOf`: a field IN a long list of values, as one array parameter on PostgreSQL.

Imports look rows up by thousands of codes and ids. An ordinary `__in` list costs one
placeholder per value for Django to build and for psycopg to parse (tens of milliseconds at
5,000 values); `field = ANY(%s::type[])` sends the whole list as one array. The array is cast to
the column's own type (text for text columns, so that nothing is cut to a varchar's length):
with psycopg's narrower guess (smallint[] for small ids) PostgreSQL prefers a worse index.
Other databases, and columns of other types, get the ordinary IN list. Use it as a filter
expression: `MonthlyActual.objects.filter(AnyOf("project_id", ids))`.
"""

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import F
from django.db.models.lookups import In

_TEXT = (models.CharField, models.TextField)
_INTEGER = (models.IntegerField, models.AutoField)  # BigIntegerField, the small and positive ones, BigAutoField


class AnyOf(In):
    def __init__(self, field, values):
        super().__init__(F(field) if isinstance(field, str) else field, list(values))

    def as_postgresql(self, compiler, connection):
        field = self.lhs.output_field
        if isinstance(field, models.ForeignKey):
            field = field.target_field
        if isinstance(field, _TEXT):
            array_type = "text"
        elif isinstance(field, _INTEGER):
            array_type = field.rel_db_type(connection)  # bigint, integer or smallint
        else:
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [
            field.get_db_prep_value(v, connection, prepared=True) for v in dict.fromkeys(self.rhs) if v is not None
        ]
        if not values:
            raise EmptyResultSet  # as IN () would: no row matches
        return f"{lhs} = ANY(%s::{array_type}[])", (*lhs_params, values)
