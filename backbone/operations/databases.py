"""The database half of a backup: the configured database copied into a file, and back.

SQLite copies through its online backup API, so a running server may go on writing while it
copies. PostgreSQL goes through pg_dump, and pg_restore with psql; they refuse a server newer
than themselves, which is checked first, to say which client tools to install.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connection, connections

VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
LISTED_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE ", re.MULTILINE)


class BackupError(Exception):
    """A backup or restore that cannot go on, in one line an operator can act on."""


def first_line(text: str | bytes, default: str = "no message") -> str:
    """The first line of a message: a tool's or a database driver's may run to several."""
    text = text.decode(errors="replace") if isinstance(text, bytes) else text
    return next((line.strip() for line in text.splitlines() if line.strip()), default)


def vendor() -> str:
    if connection.vendor not in VENDORS:
        raise BackupError(f"Backbone backs up SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def database_dump(target: Path) -> None:
    """Copy the configured database into `target`."""
    if vendor() == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        _run(_tool("pg_dump"), "--format=custom", "--file", str(target))


def database_load(source: Path) -> None:
    """Replace the configured database with the copy in `source`, whole."""
    if vendor() == "sqlite":
        _sqlite_load(source)
    else:
        _pg_load(source)


def _sqlite_load(source: Path) -> None:
    connections.close_all()  # a file database reopens; an in-memory one (tests) stays open
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    try:
        copy.backup(connection.connection)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The backup's database does not load: {exc}.") from exc
    finally:
        copy.close()


def _tool(name: str) -> str:
    """The path of a PostgreSQL client tool at least as new as the server."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools "
            "(the postgresql-client package on Debian and Ubuntu)."
        )
    answer = subprocess.run([path, "--version"], capture_output=True, text=True)
    found = re.search(r"\)\s*(\d+)", answer.stdout)  # "pg_dump (PostgreSQL) 15.20 (Debian …)"
    if answer.returncode or not found:
        raise BackupError(
            f"{name} does not run ({first_line(answer.stderr + answer.stdout)}): install the "
            "PostgreSQL client tools (the postgresql-client package on Debian and Ubuntu)."
        )
    client = int(found.group(1))
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if client < server:
        raise BackupError(
            f"{name} is version {client} and the server PostgreSQL {server}: install the "
            f"version {server} client tools (postgresql-client-{server} on Debian and Ubuntu)."
        )
    return path


def _where() -> list[str]:
    """The configured database as client tools' arguments."""
    db = connection.settings_dict
    where = ["--no-password", "--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            where += [option, str(db[key])]
    return where


def _env() -> dict[str, str]:
    """The password goes by environment, never on a command line others may read."""
    db, env = connection.settings_dict, dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return env


def _run(tool: str, *args: str) -> None:
    done = subprocess.run([tool, *_where(), *args], env=_env(), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{Path(tool).name} failed: {first_line(done.stderr)}")


def _pg_load(source: Path) -> None:
    """Drop every table, then load the dump, in one transaction committed only if pg_restore
    read the whole dump: a failed restore leaves the database as it was.

    pg_restore --clean alone drops only what the dump holds, and cannot drop a key that a
    table or constraint of a later migration depends on. So pg_restore writes the restore as
    SQL and psql runs it after the drops.
    """
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    _check_dump(pg_restore, source)
    tables = ", ".join(
        map(connection.ops.quote_name, sorted(connection.introspection.table_names()))
    )
    drops = f"DROP TABLE IF EXISTS {tables} CASCADE;\n" if tables else ""
    connections.close_all()  # our open connection would hold locks that the drops wait for
    with tempfile.TemporaryFile() as restore_log, tempfile.TemporaryFile() as load_log:
        load = subprocess.Popen(
            [psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", *_where()],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,  # the results of the script's SELECTs
            stderr=load_log,
            env=_env(),
        )
        script = subprocess.Popen(
            [pg_restore, "--clean", "--if-exists", "--no-owner", "--file=-", str(source)],
            stdout=subprocess.PIPE,
            stderr=restore_log,
        )
        try:
            load.stdin.write(f"BEGIN;\n{drops}".encode())
            shutil.copyfileobj(script.stdout, load.stdin)
            if script.wait() == 0:
                load.stdin.write(b"COMMIT;\n")
            load.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error, rolled back, and said why in its log
        finally:
            with contextlib.suppress(BrokenPipeError):
                load.stdin.close()
            script.stdout.close()
            script.wait()
            load.wait()
        for tool, done, log in (("psql", load, load_log), ("pg_restore", script, restore_log)):
            if done.returncode:
                log.seek(0)
                raise BackupError(f"{tool} failed: {first_line(log.read())}")


def _check_dump(pg_restore: str, source: Path) -> None:
    """Read the dump's table of contents before dropping anything for it."""
    listing = subprocess.run([pg_restore, "--list", str(source)], capture_output=True, text=True)
    if listing.returncode:
        raise BackupError(f"pg_restore cannot read the backup: {first_line(listing.stderr)}")
    if not LISTED_TABLE.search(listing.stdout):
        raise BackupError("The backup's PostgreSQL dump holds no tables.")
