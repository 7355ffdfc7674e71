"""An archive crosses from one kind of database to the other and back unchanged: exported
here, imported by `backbone` commands into a fresh database of the other kind (PostgreSQL
when the suite runs on SQLite, SQLite when it runs on PostgreSQL), exported from there."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from tests.pages import png
from tests.test_cli import bare_environment

from .helpers import archive_data, canonical_archive

POSTGRES = "postgres://postgres@127.0.0.1:5432"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@contextmanager
def other_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database of the kind the suite does not run on."""
    if connection.vendor == "postgresql":
        yield f"sqlite:///{tmp_path / 'other.sqlite3'}"
        return
    import psycopg

    name = f"backbone_archive_{uuid.uuid4().hex[:12]}"
    try:
        server = psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip(f"No PostgreSQL at {POSTGRES} to import into.")
    with server:
        server.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{POSTGRES}/{name}"
        finally:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backbone(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backbone.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.e2e
def test_an_archive_goes_to_the_other_database_and_back_unchanged(demo, media, tmp_path):
    demo.logo.save("riverton.png", ContentFile(png()))
    here, there = tmp_path / "here.zip", tmp_path / "there.zip"
    call_command("export", demo.slug, out=str(here), stdout=StringIO())

    with other_database(tmp_path) as url:
        env = bare_environment(
            BACKBONE_SECRET_KEY="archive-test-" + "k" * 40,
            BACKBONE_VAR_DIR=str(tmp_path / "var"),
            DATABASE_URL=url,
        )
        for step in (
            ("migrate", "--no-input", "-v", "0"),
            ("import", str(here)),
            ("export", demo.slug, "--out", str(there)),
        ):
            done = backbone(env, *step)
            assert done.returncode == 0, f"backbone {step[0]}: {done.stderr}"

    assert canonical_archive(archive_data(there)) == canonical_archive(archive_data(here))
    with zipfile.ZipFile(here) as a, zipfile.ZipFile(there) as b:
        assert a.read("files/logos/riverton.png") == b.read("files/logos/riverton.png") == png()
        vendors = {json_vendor(a), json_vendor(b)}
    assert vendors == {"sqlite", "postgresql"}


def json_vendor(archive: zipfile.ZipFile) -> str:
    return json.loads(archive.read("manifest.json"))["vendor"]
