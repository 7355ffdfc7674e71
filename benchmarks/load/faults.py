"""The fault run's three faults, caused one after the other while the load goes on; each
returns the line that says what happened.

(a) PostgreSQL stops for 10 s and starts again: what the simulated people got meanwhile,
    and how soon requests succeed again, Backbone not restarted.
(c) The gunicorn worker that is writing a large upload is SIGKILLed: nothing of it may be
    left, and the same file goes through afterwards.
(b) `backbone worker` is SIGKILLed while it sends the digests, right after the mail server
    accepted one: does anyone get a digest twice, and does the run resume?
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

from . import figures, smtp_sink, stack

SLUG = "riverton-cradle-to-career"
STAFF = "maya.okafor@riverton.example"
PASSWORD = "riverton-demo-2026"
DOWN_SECONDS = 10
RECOVERY_LIMIT = 30  # seconds after PostgreSQL is back within which requests must succeed
DIGEST_KILL_AT = 5  # the digest whose QUIT the worker is killed on
DIGEST = "Backbone digest"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def run_all(*, procs, postgres, database, server, env, url, plan, log, work, **timing) -> list:
    # Once everyone has signed in, and at the latest halfway through the load.
    start = timing["load_started"] + min(timing["settle_seconds"], timing["load_seconds"] / 2)
    time.sleep(max(0.0, start - time.time()))
    lines = []
    for fault in (restart_postgres, kill_mid_upload, kill_mid_digest):
        try:
            lines.append(
                fault(
                    procs=procs,
                    postgres=postgres,
                    database=database,
                    server=server,
                    env=env,
                    url=url,
                    log=log,
                    work=work,
                )
            )
        except Exception as exc:  # one fault that cannot be caused must not hide the others
            lines.append(f"{fault.__name__}: could not be run: {type(exc).__name__}: {exc}")
    return lines


# --- (a) PostgreSQL restarts -------------------------------------------------------------


def restart_postgres(*, postgres, server, log, **_) -> str:
    workers = set(stack.worker_pids(server.pid))
    stopped_at = time.time()
    postgres.stop()
    down_at = time.time()
    try:
        time.sleep(DOWN_SECONDS)
    finally:
        postgres.start()  # whatever happens meanwhile, the other faults need it
    back_at = time.time()
    time.sleep(RECOVERY_LIMIT)
    requests_seen = figures.read_log(log)
    got = figures.answered_between(requests_seen, down_at, back_at)
    first = figures.first_success_after(requests_seen, back_at)
    last = figures.last_failure_after(requests_seen, back_at)
    same = server.poll() is None and set(stack.worker_pids(server.pid)) == workers
    answered = ", ".join(
        f"{_status(s)} × {n}{_pages(requests_seen, down_at, back_at, s)}"
        for s, n in sorted(got.items())
    )
    verdict = (
        "OK"
        if not got.get(500) and first is not None and first <= RECOVERY_LIMIT and same
        else "FAILED"
    )
    return (
        f"a) PostgreSQL stopped (fast shutdown, {down_at - stopped_at:.1f} s) and down for "
        f"{back_at - down_at:.1f} s: the answers meanwhile were {answered or 'none'}; once "
        f"it was back the first success came {_secs(first)}, the last failure "
        f"{_secs(last, 'never')}; Backbone "
        f"{'not restarted (same master and workers)' if same else 'RESTARTED'} — {verdict}"
    )


def _pages(requests_seen, start: float, end: float, status: int) -> str:
    """Which pages answered other than 503 while the database was down."""
    if status == 503:
        return ""
    pages = figures.pages_answered_between(requests_seen, start, end, status)
    return " (" + ", ".join(f"{page} {n}" for page, n in pages.most_common()) + ")"


def _status(code: int) -> str:
    return "no answer" if code == 0 else str(code)


def _secs(value: float | None, none: str = "never") -> str:
    return none if value is None else f"{value:.1f} s later"


# --- (c) a worker killed in the middle of an upload ---------------------------------------


def _signed_in(url: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/accounts/login/", timeout=60)
    token = TOKEN.search(page.text).group(1)
    answer = session.post(
        f"{url}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": STAFF, "password": PASSWORD},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"the backbone staff sign-in answered {answer.status_code}")
    return session


def _counts(postgres, database: str, file_name: str) -> tuple[int, int, int]:
    """What an upload of `file_name` wrote: its submissions, the values they hold, and the
    values of closed periods (which only such an import writes; the load reports open ones)."""
    found = postgres.psql(
        "SELECT (SELECT count(*) FROM measurement_submission WHERE file_name = "
        f"'{file_name}'), (SELECT count(*) FROM measurement_datavalue v JOIN "
        "measurement_submission s ON s.id = v.submission_id WHERE s.file_name = "
        f"'{file_name}'), (SELECT count(*) FROM measurement_datavalue v JOIN "
        "measurement_period p ON p.id = v.period_id WHERE p.status <> 'open')",
        database,
    )
    submissions, values, closed = (int(x) for x in found.split("|"))
    return submissions, values, closed


class Upload:
    """One upload of a values file over its own connection, whose local port tells which
    gunicorn worker serves it."""

    def __init__(self, url: str, session: requests.Session, path: Path):
        page = session.get(f"{url}/i/{SLUG}/measurement/files/upload/", timeout=60)
        token = TOKEN.search(page.text).group(1)
        boundary = uuid.uuid4().hex
        parts = []
        fields = {
            "csrfmiddlewaretoken": token,
            "many_partners": "on",
            "reason": "Load benchmark",
            "action": "submit",
        }
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            )
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{path.name}"\r\nContent-Type: text/csv\r\n\r\n'
        )
        self.body = "".join(parts).encode() + head.encode() + path.read_bytes()
        self.body += f"\r\n--{boundary}--\r\n".encode()
        self.headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in session.cookies.items()),
            "Host": url.split("//", 1)[1],
        }
        host, port = url.split("//", 1)[1].split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=300)
        self.connection.connect()
        self.local_port = self.connection.sock.getsockname()[1]
        self.server_port = int(port)
        self.status: int | None = None
        self.error = ""
        self.seconds = 0.0
        self.thread = threading.Thread(target=self._send, daemon=True)

    def _send(self) -> None:
        started = time.monotonic()
        try:
            self.connection.request(
                "POST", f"/i/{SLUG}/measurement/files/upload/", self.body, self.headers
            )
            answer = self.connection.getresponse()
            answer.read()
            self.status = answer.status
        except OSError as exc:
            self.error = f"{type(exc).__name__}"
        except http.client.HTTPException as exc:
            self.error = f"{type(exc).__name__}"
        finally:
            self.seconds = time.monotonic() - started
            self.connection.close()

    def run(self) -> Upload:
        self.thread.start()
        self.thread.join(300)
        return self

    def serving_worker(self, workers: list[int]) -> int | None:
        """The worker holding the server end of this connection, from /proc."""
        inode = None
        wanted = (f"{self.server_port:04X}", f"{self.local_port:04X}")
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                cols = line.split()
                local, remote = cols[1].split(":")[-1], cols[2].split(":")[-1]
                if (local, remote) == wanted:
                    inode = cols[9]
        if inode is None:
            return None
        for pid in workers:
            try:
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                        return pid
            except OSError:
                continue
        return None


def _long_writer(postgres, database: str) -> bool:
    """Whether a transaction has been writing for a while: the upload's (the load's own
    writes take milliseconds)."""
    found = postgres.psql(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_xid IS NOT NULL AND now() - xact_start > interval '300 milliseconds'",
        database,
    )
    return int(found) > 0


def kill_mid_upload(*, postgres, database, server, url, work, **_) -> str:
    files = sorted(work.glob("big.*.csv"))
    if len(files) < 2:
        raise RuntimeError("the large files were not prepared")
    first, second = files[0], files[1]
    rows_first, rows = (sum(1 for _ in f.open()) - 1 for f in (first, second))
    session = _signed_in(url)
    clean = Upload(url, session, first).run()
    if clean.status != 302:
        raise RuntimeError(f"the clean upload answered {clean.status or clean.error}")

    before = _counts(postgres, database, second.name)
    upload = Upload(url, session, second)
    upload.thread.start()
    started = time.monotonic()
    writing = False
    while time.monotonic() - started < clean.seconds * 3 + 10 and upload.thread.is_alive():
        if _long_writer(postgres, database):
            writing = True
            break
        time.sleep(0.05)
    workers = stack.worker_pids(server.pid)
    victim = upload.serving_worker(workers)
    if victim is None or not upload.thread.is_alive():
        raise RuntimeError("the upload ended before its worker could be killed")
    os.kill(victim, signal.SIGKILL)
    killed_after = time.monotonic() - started
    respawned = _wait_for_workers(server, victim, len(workers))
    upload.thread.join(120)
    time.sleep(2)  # PostgreSQL notices the lost client and rolls its transaction back
    after = _counts(postgres, database, second.name)
    again = Upload(url, session, second).run()
    final = _counts(postgres, database, second.name)
    nothing = after == before
    replaced = f"a new one within {respawned:.1f} s" if respawned is not None else "NO new one"
    verdict = "OK" if nothing and again.status == 302 and final[:2] == (1, rows) else "FAILED"
    return (
        f"c) gunicorn worker {victim} SIGKILLed {killed_after:.1f} s into a {rows}-row upload "
        f"(one of {rows_first} rows took {clean.seconds:.1f} s; its transaction "
        f"{'was writing' if writing else 'was not seen writing'}), {replaced}: the client got "
        f"{upload.status or upload.error}; its submissions {before[0]} → {after[0]}, their "
        f"values {before[1]} → {after[1]}, values of closed periods {before[2]} → {after[2]} "
        f"({'nothing partial written' if nothing else 'PARTIAL WRITE'}); the same file again: "
        f"{again.status or again.error}, {final[0]} submission of {final[1]} values — {verdict}"
    )


def _wait_for_workers(server, victim: int, expected: int, limit: float = 60) -> float | None:
    """Seconds until gunicorn's master has replaced the killed worker."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        pids = stack.worker_pids(server.pid)
        if victim not in pids and len(pids) >= expected:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


# --- (b) the digest worker killed mid-run ------------------------------------------------


def kill_mid_digest(*, procs, postgres, database, env, work, **_) -> str:
    if int(postgres.psql("SELECT count(*) FROM updates_digestsent", database)):
        raise RuntimeError("digests were sent before the fault")
    killed = threading.Event()
    state: dict = {}

    def on_quit_held(message: smtp_sink.Delivered) -> None:
        digests = mailbox.count(DIGEST)
        if DIGEST in message.subject and digests >= DIGEST_KILL_AT and not killed.is_set():
            os.killpg(state["worker"].pid, signal.SIGKILL)
            state["delivered"] = digests
            killed.set()

    mailbox = smtp_sink.Mailbox(quit_delay=0.3, on_quit_held=on_quit_held)
    sink, port = smtp_sink.start(mailbox)
    worker_env = {
        **env,
        "BACKBONE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "BACKBONE_EMAIL_HOST": "127.0.0.1",
        "BACKBONE_EMAIL_PORT": str(port),
    }
    argv = [str(stack.BIN / "backbone"), "worker", "--every", "600", "--no-reminders"]
    try:
        state["worker"] = procs.start(argv, env=worker_env, log=work / "worker.log")
        if not killed.wait(240):
            raise RuntimeError(f"the worker sent {mailbox.count(DIGEST)} digests in 4 minutes")
        state["worker"].wait(10)
        procs.stop(state["worker"])
        recorded = int(postgres.psql("SELECT count(*) FROM updates_digestsent", database))
        stuck = postgres.psql(
            "SELECT string_agg(task_path, ', ') FROM django_tasks_database_dbtaskresult "
            "WHERE status = 'RUNNING'",
            database,
        )
        # The restarted worker's scheduler enqueues the digests again at once.
        again = procs.start(argv, env=worker_env, log=work / "worker.log")
        restarted = time.monotonic()
        finished = _wait_for_digests(postgres, database, limit=300)
        resumed = time.monotonic() - restarted
        procs.stop(again)
        recorded_end = int(postgres.psql("SELECT count(*) FROM updates_digestsent", database))
    finally:
        sink.shutdown()
    per_person = Counter(to for d in mailbox.delivered if DIGEST in d.subject for to in d.to)
    twice = sorted(p for p, n in per_person.items() if n > 1)
    others = len(mailbox.delivered) - sum(per_person.values())
    verdict = "OK" if not twice and finished else "FAILED"
    return (
        f"b) `backbone worker` SIGKILLed while the mail server held the QUIT after digest "
        f"{state['delivered']} (accepted; {recorded} recorded as sent); left RUNNING: "
        f"{stuck or 'nothing'}; the restarted worker "
        f"{'finished' if finished else 'had NOT finished'} after {resumed:.0f} s; "
        f"{sum(per_person.values())} digests to {len(per_person)} people ({others} other "
        f"e-mails), DigestSent rows {recorded_end}; {len(twice)} got a digest twice"
        f"{' (' + ', '.join(twice) + ')' if twice else ''} — {verdict}"
    )


def _wait_for_digests(postgres, database, *, limit: float) -> bool:
    """Until no send_digests task waits and the restarted worker has finished one."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        left, done = postgres.psql(
            "SELECT count(*) FILTER (WHERE status = 'READY'), "
            "count(*) FILTER (WHERE status IN ('SUCCESSFUL', 'FAILED')) "
            "FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%send_digests'",
            database,
        ).split("|")
        if int(left) == 0 and int(done) > 0:
            return True
        time.sleep(1)
    return False
