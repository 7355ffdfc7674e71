"""One attempt at a delivery: claimed and committed, POSTed (signed, 10 s timeout, no
redirects followed), and its answer recorded, with the next attempt scheduled after a
failure.

The signature, for a receiver to check::

    X-Backbone-Signature: sha256=<hex HMAC-SHA256(secret, X-Backbone-Timestamp + "." + body)>

computed over the raw body as received; refuse a timestamp more than five minutes old.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.utils import timezone

from . import services
from .addresses import Address, Refused, checked_addresses
from .models import Attempt, Delivery

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
USER_AGENT = "Backbone-Webhooks/1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signature_valid(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does (in any language): recompute, compare in constant time."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever the name resolves to meanwhile."""

    def __init__(self, host: str, port: int | None, *, address: Address, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = str(address)

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(_PinnedHTTP):
    default_port = 443

    def connect(self) -> None:
        super().connect()
        self.sock = ssl.create_default_context().wrap_socket(self.sock, server_hostname=self.host)


@dataclass
class Answer:
    status_code: int | None = None
    error: str = ""
    duration_ms: int = 0


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST once; any answer (a redirect too) is the answer, never followed."""
    started = time.monotonic()
    answer = Answer()
    try:
        address = checked_addresses(url)[0]
        parts = urlsplit(url)
        kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        connection = kind(parts.hostname, parts.port, address=address, timeout=TIMEOUT_SECONDS)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read(65536)
            answer.status_code = response.status
        finally:
            connection.close()
    except Refused as exc:
        answer.error = f"Refused: {exc}"
    except TimeoutError:
        answer.error = f"No answer within {TIMEOUT_SECONDS} seconds"
    except ssl.SSLError as exc:
        answer.error = f"TLS error: {exc.reason or exc}"
    except (OSError, http.client.HTTPException) as exc:
        answer.error = f"Could not connect: {exc.__class__.__name__}: {exc}"
    answer.error = answer.error[:300]
    answer.duration_ms = int((time.monotonic() - started) * 1000)
    return answer


def headers_for(delivery: Delivery, body: bytes, *, at: datetime) -> dict[str, str]:
    timestamp = str(int(at.timestamp()))
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Backbone-Event": delivery.event.name,
        "X-Backbone-Delivery": str(delivery.uuid),
        "X-Backbone-Timestamp": timestamp,
        "X-Backbone-Signature": signature(delivery.subscription.secret, timestamp, body),
    }


def deliver(delivery_id: int, *, now: datetime | None = None) -> Attempt | None:
    """Make the delivery's next attempt if it is due: None when it is not (delivered, given
    up, not yet due, or claimed by another worker)."""
    now = now or timezone.now()
    attempt = services.attempt_claim(delivery_id=delivery_id, now=now)
    if attempt is None:
        return None
    delivery = attempt.delivery
    body = body_of(delivery.event.payload)
    answer = post(delivery.subscription.url, body, headers_for(delivery, body, at=now))
    if answer.error:
        logger.info("Webhook delivery %s failed: %s", delivery.uuid, answer.error)
    return services.attempt_record(
        attempt=attempt,
        status_code=answer.status_code,
        error=answer.error,
        duration_ms=answer.duration_ms,
        now=max(now, timezone.now()),
    )
