"""The `backbone` command as a volunteer meets it: help on a machine not yet configured, one
clear line when the secret key is missing, and `backbone serve` answering through gunicorn."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backbone.cli import site_url_for, use_served_address

NO_KEY = "Set BACKBONE_SECRET_KEY (or BACKBONE_DEBUG=1 for development)."


def bare_environment(**extra: str) -> dict[str, str]:
    """The environment of a fresh machine: none of Backbone's or Django's variables."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("BACKBONE_")
        and name not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    return {**kept, **extra}


def backbone(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backbone.cli", *args],
        env=env or bare_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("127.0.0.1:8101", "http://127.0.0.1:8101"),
        ("0.0.0.0:8000", "http://127.0.0.1:8000"),
        ("8102", "http://127.0.0.1:8102"),
        ("backbone.internal:9000", "http://backbone.internal:9000"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("unix:/run/backbone.sock", None),
    ],
)
def test_site_url_names_the_address_served(addr, url):
    assert site_url_for(addr) == url


@pytest.mark.unit
def test_addr_sets_the_site_url_only_when_it_is_not_set():
    unset: dict[str, str] = {}
    use_served_address("127.0.0.1:8101", unset)
    assert unset["BACKBONE_SITE_URL"] == "http://127.0.0.1:8101"

    public = {"BACKBONE_SITE_URL": "https://backbone.example.org"}
    use_served_address("127.0.0.1:8101", public)
    assert public["BACKBONE_SITE_URL"] == "https://backbone.example.org"


@pytest.mark.integration
@pytest.mark.parametrize("args", [[], ["--help"], ["help"]])
def test_help_lists_demo_and_serve_without_configuration(args):
    done = backbone(*args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert any(line.split()[:1] == ["demo"] for line in lines)
    assert any(line.split()[:1] == ["serve"] for line in lines)
    assert "migrate" in done.stdout and "worker" in done.stdout  # then Django's and ours


@pytest.mark.integration
@pytest.mark.parametrize("command", ["serve", "demo"])
def test_help_of_demo_and_serve_without_configuration(command):
    done = backbone(command, "--help")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert f"usage: backbone {command}" in done.stdout and "--addr" in done.stdout


@pytest.mark.integration
def test_a_command_needing_the_secret_key_says_so_in_one_line():
    done = backbone("check")
    assert done.returncode != 0
    assert done.stderr.strip() == NO_KEY
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.e2e  # a real server on its own SQLite file, whatever DATABASE_URL: run once
def test_serve_answers_through_gunicorn_with_collected_static_files(tmp_path: Path):
    port = free_port()
    env = bare_environment(
        BACKBONE_SECRET_KEY="serve-test-" + "k" * 50,
        BACKBONE_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    with open(tmp_path / "serve.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "backbone.cli", "serve", "--addr", f"127.0.0.1:{port}"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        # As the TLS proxy in front of it says: gunicorn trusts this header from 127.0.0.1.
        proxied = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
        home = wait_for(port, server, tmp_path / "serve.log", proxied)
        assert home.status == 200
        assert home.getheader("Server", "").startswith("gunicorn")  # not runserver's WSGIServer

        css = get(port, "/static/backbone/backbone.css", proxied)
        assert css.status == 200
        assert css.getheader("Content-Encoding") == "gzip"  # compressed by collectstatic
        assert (tmp_path / "static" / "backbone" / "backbone.css.gz").exists()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode == 0, (tmp_path / "serve.log").read_text()


def get(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def wait_for(port: int, server: subprocess.Popen, log: Path, headers: dict[str, str]):
    """The first answer of the server: migrating a fresh SQLite file takes a while, longer
    on a machine busy with other tests."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"backbone serve stopped:\n{log.read_text()}")
        try:
            return get(port, "/", headers)
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"backbone serve did not answer in 120 s:\n{log.read_text()}")
