"""Dashboards and the API read from a read replica; everything else, and whoever has just
changed something, reads the primary. The last test runs against a real streaming replica
started by scripts/replica (PostgreSQL only)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from backbone.replica import (
    WROTE_COOKIE,
    ReadFromReplica,
    ReplicaRouter,
    _reading_replica,
    reads_from_replica,
)
from tests.conftest import client_as

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "replica"
factory = RequestFactory()


@pytest.mark.parametrize(
    ("method", "path", "cookies", "expected"),
    [
        ("get", "/i/riverton/scorecard/", {}, True),
        ("get", "/i/riverton/scorecard/indicators/open-cases/", {}, True),
        ("get", "/api/initiatives", {}, True),
        ("head", "/api/initiatives", {}, True),
        ("post", "/api/initiatives/riverton/values", {}, False),
        ("get", "/i/riverton/scorecard/", {WROTE_COOKIE: "1"}, False),
        ("get", "/i/riverton/measurement/setup/", {}, False),
        ("get", "/i/riverton/", {}, False),
    ],
)
def test_only_dashboard_and_api_reads_go_to_the_replica(method, path, cookies, expected):
    request = getattr(factory, method)(path)
    request.COOKIES.update(cookies)
    assert reads_from_replica(request) is expected


def test_a_change_sends_its_author_to_the_primary_for_a_while(settings):
    settings.BACKBONE_REPLICA_LAG_SECONDS = 7
    seen = []

    def view(request):
        seen.append(_reading_replica.get())
        return HttpResponse(status=302 if request.method == "POST" else 200)

    middleware = ReadFromReplica(view)
    response = middleware(factory.post("/api/initiatives/riverton/values"))
    assert response.cookies[WROTE_COOKIE]["max-age"] == 7
    assert "Set-Cookie" not in middleware(factory.get("/i/riverton/scorecard/")).headers
    assert seen == [False, True]
    assert _reading_replica.get() is False  # nothing leaks past the request


def test_the_router_keeps_people_and_sessions_on_the_primary():
    from django.contrib.sessions.models import Session

    from backbone.accounts.models import Person
    from backbone.measurement.models import DataValue

    router = ReplicaRouter()
    token = _reading_replica.set(True)
    try:
        assert router.db_for_read(DataValue) == "replica"
        assert router.db_for_read(Person) is None
        assert router.db_for_read(Session) is None
        assert router.db_for_write(DataValue) == "default"
    finally:
        _reading_replica.reset(token)
    assert router.db_for_read(DataValue) is None
    assert not router.allow_migrate("replica", "measurement")


@pytest.fixture
def streaming_replica():
    """scripts/replica's replica of this machine's PostgreSQL, as the `replica` connection
    to the test database; stopped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL streaming replica; the SQLite run has none")
    started = subprocess.run([SCRIPT, "start"], capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    primary = connections["default"]
    replica = type(primary)({**primary.settings_dict, "PORT": "5433"}, alias="replica")
    connections["replica"] = replica
    try:
        yield replica
    finally:
        replica.close()
        del connections["replica"]
        subprocess.run([SCRIPT, "stop"], capture_output=True, timeout=60)


def _caught_up(replica, table: str, count: int) -> bool:
    for _ in range(100):
        with replica.cursor() as cursor:
            cursor.execute(f"select count(*) from {table}")  # noqa: S608 (a fixed name)
            if cursor.fetchone()[0] == count:
                return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_dashboards_and_the_api_read_a_streaming_replica(streaming_replica, cast, settings):
    from backbone.initiatives.models import Initiative

    assert _caught_up(streaming_replica, "initiatives_initiative", Initiative.objects.count())
    middleware = [*settings.MIDDLEWARE]
    middleware.insert(0, "backbone.replica.ReadFromReplica")
    with override_settings(
        MIDDLEWARE=middleware, DATABASE_ROUTERS=["backbone.replica.ReplicaRouter"]
    ):
        client = client_as(cast.staff)
        for path in (f"/i/{cast.initiative.slug}/scorecard/", "/api/initiatives"):
            with (
                CaptureQueriesContext(streaming_replica) as on_replica,
                CaptureQueriesContext(connection) as on_primary,
            ):
                assert client.get(path).status_code == 200
            assert on_replica.captured_queries, path
            read_initiative = [q for q in on_primary if "initiatives_initiative" in q["sql"]]
            assert not read_initiative, f"{path} read the initiative from the primary"
        with CaptureQueriesContext(streaming_replica) as on_replica:
            assert client.get(f"/i/{cast.initiative.slug}/").status_code == 200
        assert not on_replica.captured_queries  # other pages read the primary
