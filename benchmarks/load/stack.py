"""What a run starts and stops: a database (on the machine's PostgreSQL, or on a private
PostgreSQL instance that a fault run may restart without disturbing anyone else), the demo in
it, `backbone serve` and `backbone worker`. Every process is started in a session of its own
and remembered, so that `Processes.stop_all` ends exactly those (and their children).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Processes:
    """The processes this run started, by id; each leads its own process group."""

    started: list[subprocess.Popen] = field(default_factory=list)

    def start(self, argv: list[str], *, env: dict, log: Path) -> subprocess.Popen:
        out = log.open("ab")
        proc = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()
        self.started.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen, *, timeout: float = 15) -> None:
        """SIGTERM to its group (gunicorn's workers, locust's), then SIGKILL if it lingers."""
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
            except ProcessLookupError:
                pass
        if proc in self.started:
            self.started.remove(proc)

    def stop_all(self) -> None:
        for proc in reversed(list(self.started)):
            self.stop(proc)


# --- PostgreSQL --------------------------------------------------------------------------


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL's own tools refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class Postgres:
    """A PostgreSQL server to create the run's database in: host, port, superuser."""

    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    data_dir: Path | None = None  # set for a private instance, which this run controls

    @classmethod
    def named_by(cls, url: str) -> Postgres:
        """The server of a postgres:// DATABASE_URL (its database is not used), else the
        machine's own on 127.0.0.1:5432."""
        parts = urlsplit(url)
        if not parts.scheme.startswith("postgres"):
            return cls()
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
        )

    def url(self, database: str) -> str:
        return f"postgres://{self.user}@{self.host}:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        out = subprocess.run(
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
            + ["-h", self.host, "-p", str(self.port), "-U", self.user, "-d", database, "-c", sql],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()

    def create(self, database: str) -> None:
        self.drop(database)
        self.psql(f'CREATE DATABASE "{database}"')

    def drop(self, database: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    # a private instance

    @classmethod
    def private(cls, parent: Path) -> Postgres:
        """initdb and start a throwaway instance on a free port, data in `parent`/pg."""
        parent.chmod(0o755)
        data = parent / "pg"
        data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(data, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
                + ["--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"]
            ),
            check=True,
            capture_output=True,
        )
        server = cls(port=free_port(), data_dir=data)
        server.start()
        return server

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.data_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-o", options]
                + ["-l", str(self.data_dir / "server.log"), "-w", "-t", "60", *args]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        """A fast shutdown: open transactions are rolled back, clients disconnected."""
        self._ctl("stop", "-m", "fast")

    def destroy(self) -> None:
        if self.data_dir is not None and (self.data_dir / "postmaster.pid").exists():
            self._ctl("stop", "-m", "immediate")


# --- Backbone ----------------------------------------------------------------------------


def backbone_env(*, database_url: str, var_dir: Path, port: int, **extra: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BACKBONE_SECRET_KEY": secrets.token_urlsafe(50),
        "BACKBONE_SSL_REDIRECT": "0",
        "BACKBONE_SECURE_COOKIES": "0",
        "BACKBONE_HSTS_SECONDS": "0",
        "BACKBONE_ALLOWED_HOSTS": "127.0.0.1",
        "BACKBONE_SITE_URL": f"http://127.0.0.1:{port}",
        "BACKBONE_VAR_DIR": str(var_dir),
        "BACKBONE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # The simulated people sign in with the right password, many from one address.
        "BACKBONE_SIGN_IN_FAILURES_PER_ADDRESS": "100000",
        "BACKBONE_SIGN_IN_FAILURES_PER_ACCOUNT": "100000",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("BACKBONE_DEBUG", None)
    env.update(extra)
    return env


def build_demo(*, database_url: str, var_dir: Path, log: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "BACKBONE_DEBUG": "1"}
    env["BACKBONE_VAR_DIR"] = str(var_dir)
    with log.open("ab") as out:
        subprocess.run(
            [str(BIN / "backbone"), "demo", "--no-serve"],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def run_prepare(*, env: dict, plan: Path, big_csv: Path | None, log: Path) -> None:
    argv = [sys.executable, str(Path(__file__).with_name("prepare.py")), str(plan)]
    if big_csv is not None:
        argv += ["--big-csv", str(big_csv)]
    with log.open("ab") as out:
        subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=out, stderr=subprocess.STDOUT)


def serve(procs: Processes, *, env: dict, port: int, workers: int, log: Path):
    proc = procs.start(
        [str(BIN / "backbone"), "serve", "--addr", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        log=log,
    )
    wait_until_up(f"http://127.0.0.1:{port}/accounts/login/", proc, timeout=300)
    return proc


def wait_until_up(url: str, proc: subprocess.Popen, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {proc.returncode}); see its log")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing answered at {url} within {timeout:.0f} s")


def worker_pids(master_pid: int) -> list[int]:
    """gunicorn's worker processes: the children of its master (`backbone serve`)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time these processes have used so far (the living ones)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick
