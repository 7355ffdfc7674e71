"""A real receiver on loopback, subscriptions of the cast's initiative, and the worker's
queue of webhook tasks run on demand."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tasks_db.models import DBTaskResult

from backbone.webhooks import services
from backbone.webhooks.sending import deliver
from tests.measurement.conftest import measured  # noqa: F401 (a fixture)
from tests.measurement.reporting.conftest import reporting  # noqa: F401 (a fixture)

SEND = "backbone.webhooks.tasks.send_delivery"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next of `answers` (200 once they run out)."""

    url: str
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)


@pytest.fixture
def receiver():
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/backbone"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True


def subscribe(cast, url, events, *, initiative=None, by=None):
    return services.subscription_create(
        initiative=initiative or cast.initiative, by=by or cast.staff, url=url, events=events
    )


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=SEND).order_by("enqueued_at", "id"))


def run_queued(now=None) -> list:
    """Run the queued sending tasks as the worker would (ignoring `run_after`: `now` says
    when they run), and empty the queue."""
    attempts = []
    for result in queued():
        attempts.append(deliver(result.args_kwargs["args"][0], now=now))
        result.delete()
    return attempts
