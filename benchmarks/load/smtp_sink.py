"""A mail server that keeps what it is sent, for the digest fault: `backbone worker` sends
to it by SMTP (BACKBONE_EMAIL_HOST/PORT), as in production.

A message counts as delivered when the server answers 250 to its data, as a real server
takes it on then. The answer to the QUIT that follows is held for `quit_delay` seconds (a
distant or busy server), and `on_quit_held` is called meanwhile: the moment the message is
delivered but the sender has not yet finished sending it.
"""

from __future__ import annotations

import re
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

SUBJECT = re.compile(rb"^Subject: (.*)$", re.MULTILINE | re.IGNORECASE)


@dataclass
class Delivered:
    at: float
    to: list[str]
    subject: str


@dataclass
class Mailbox:
    quit_delay: float = 0.0
    on_quit_held: Callable[[Delivered], None] | None = None  # with the message just taken
    delivered: list[Delivered] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, subject_part: str = "") -> int:
        with self.lock:
            return sum(subject_part in d.subject for d in self.delivered)


class _Session(socketserver.StreamRequestHandler):
    mailbox: Mailbox

    def say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.say("220 sink ESMTP")
        recipients: list[str] = []
        sent_any = False
        last: Delivered | None = None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.say("250 sink")
            elif verb == b"MAIL":
                recipients = []
                self.say("250 OK")
            elif verb == b"RCPT":
                recipients.append(line.split(b":", 1)[1].strip().strip(b"<>").decode())
                self.say("250 OK")
            elif verb == b"DATA":
                self.say("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk == b".\r\n":
                        break
                    data += chunk
                subject = SUBJECT.search(data)
                last = Delivered(
                    time.time(),
                    recipients,
                    subject.group(1).decode(errors="replace").strip() if subject else "",
                )
                with self.mailbox.lock:
                    self.mailbox.delivered.append(last)
                sent_any = True
                self.say("250 OK: queued")
            elif verb == b"QUIT":
                if sent_any and self.mailbox.quit_delay:
                    if self.mailbox.on_quit_held and last is not None:
                        self.mailbox.on_quit_held(last)
                    time.sleep(self.mailbox.quit_delay)
                try:
                    self.say("221 Bye")
                except OSError:
                    pass
                return
            else:  # RSET, NOOP, …
                self.say("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def start(mailbox: Mailbox) -> tuple[_Server, int]:
    """Serve on a free port of 127.0.0.1 in a thread; returns the server and its port."""
    handler = type("Session", (_Session,), {"mailbox": mailbox})
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, name="smtp-sink", daemon=True).start()
    return server, server.server_address[1]
