"""Property-based run of the whole API against its own OpenAPI schema (schemathesis).

Every operation is called with generated inputs, valid and invalid, as the bureau (who may call
every operation) and as staff (whose writes are mostly refused). It must never answer a 500, and
every answer must be one the schema documents, with the documented content type and body.
Bounded and derandomized, so CI is fast and repeatable.
"""

import copy
import functools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..factories import (
    AnnualPlanFactory,
    BottleneckFactory,
    MonthlyActualFactory,
    ProjectFactory,
    ReportingPeriodFactory,
)

# Not `negative_data_rejection`: DRF deliberately coerces some off-schema input (0 for "0", an empty
# filter is no filter), which is lenient rather than wrong. Invalid inputs are still generated and
# must be answered without a 500 and as documented.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@functools.cache
def openapi_document() -> dict:
    """The schema exactly as /api/schema/ serves it (generated once per test run)."""
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def wsgi_app():
    """The real WSGI application, without closing the test's database connection after each request.

    Django's own test client does the same: a closed connection would end the test's transaction
    (on PostgreSQL) and every later request would fail.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["drc_user", "staff_user"])
def api_schema(request, db, wsgi_app):
    """The schema bound to the app, calling as the bureau (every write path) or as staff (refusals)."""
    user = request.getfixturevalue(request.param)
    # A little data so that some generated ids and filters meet real rows, some of staff's unit.
    own_project = ProjectFactory(unit=request.getfixturevalue("unit"))
    MonthlyActualFactory(project=own_project, month=1)
    MonthlyActualFactory(month=2)
    AnnualPlanFactory()
    BottleneckFactory()
    ReportingPeriodFactory(year=2026, month=1, locked=True)
    schema = schemathesis.openapi.from_dict(copy.deepcopy(openapi_document()))
    schema.app = wsgi_app
    schema.auth_header = f"Token {AuthToken.objects.create(user=user)[1]}"
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case, api_schema):
    case.call_and_validate(headers={"Authorization": api_schema.auth_header}, checks=CHECKS)
