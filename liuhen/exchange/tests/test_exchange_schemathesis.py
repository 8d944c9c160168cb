"""schemathesis against /api/openapi.json (issue 21 §1: "finds no server error"): every operation of
the documented API — the exchange routes with a client holding every scope, the footage routes with a
docking station's token —
called with data that fits the schema and with data that does not, through Django's WSGI handler on
the test database; no answer is a 5xx. Bounded: a few dozen examples per operation and mode."""
import contextlib
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings

from liuhen.exchange import services
from liuhen.exchange import vocabulary as v

if os.environ.get("CI"):  # `make setup` installs it (pyproject's dev extra): CI must run this test
    import schemathesis
else:
    schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = 25


@contextlib.contextmanager
def _one_connection():
    """As Django's test client does: the WSGI handler's requests keep the test's connection (and its
    transaction) open instead of closing it at each request's end (PostgreSQL would lose the test's data)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
# The footage upload's chunk (PATCH, tus-like): raw bytes, as application/octet-stream.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")


def _run(operation, mode, token):
    from schemathesis.generation.modes import GenerationMode

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
    def check(case):
        # The token is always ours (the schema's bearer scheme would make one up): past the door, the data.
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        assert response.status_code < 500, (case.method, case.formatted_path, case.query, case.body,
                                            response.status_code, response.text[:500])

    check()


def test_no_operation_answers_a_server_error(world, settings):
    from django.core.wsgi import get_wsgi_application

    from liuhen.devices import services as dev
    from liuhen.ledger.models import Entry
    from liuhen.testing.devices import camera, device_admin

    settings.LIUHEN_API_CALLS_PER_MINUTE = 10**9  # the limit itself is tested apart
    world.open_case()
    camera(world)
    _, token = services.add_client(None, agency=world.agency, name="全部权限", scopes=sorted(v.SCOPES), days=30)
    _, station = dev.add_station(device_admin(world), agency=world.agency, number="CJZ-01")
    with _one_connection():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
        operations = [result.ok() for result in schema.get_all_operations()]
        assert {"/api/v1/cases", "/api/v1/decisions", "/api/v1/publicity", "/api/v1/statistics/{year}",
                "/api/v1/matters", "/api/v1/officers", "/api/v1/certificates"} <= {op.path for op in operations}
        for operation in operations:
            for mode in ("positive", "negative"):
                _run(operation, mode, station if operation.path.startswith("/api/footage/") else token)
    # Not a run of refusals only: every exchange route answered calls (each one in the ledger).
    answered = {e.object_id for e in Entry.objects.filter(action=v.CALL)}
    routes = {json.loads(bytes(e.leaf))["detail"]["route"].split("/")[3] for e in Entry.objects.filter(action=v.CALL)}
    assert answered and {"cases", "decisions", "publicity", "statistics", "matters", "officers",
                         "certificates"} <= routes, routes
