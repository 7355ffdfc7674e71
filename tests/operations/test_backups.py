"""`backbone backup` and `backbone restore`: a round trip gives back the same pages and API
answers, and a restore refuses what it cannot load before it touches anything."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from backbone.agenda import services as agenda
from backbone.initiatives.models import Initiative
from backbone.measurement.models import Period
from backbone.operations import databases
from backbone.operations.backups import backup_create, backup_name, migrations_unknown
from backbone.operations.databases import BackupError
from tests.activities.conftest import make_activity
from tests.conftest import client_as
from tests.measurement.conftest import measured  # noqa: F401 (fixture)
from tests.measurement.exchange.helpers import full_report, report
from tests.pages import png, without_csrf
from tests.test_cli import bare_environment

PAGES = [
    "/i/riverton/",
    "/i/riverton/scorecard/",
    "/i/riverton/scorecard/indicators/kindergarten-readiness/",
    "/i/riverton/scorecard/indicators/children-enrolled/?period=2024-01",
    "/i/riverton/agenda/",
    "/i/riverton/activities/",
    "/api/initiatives",
    "/api/initiatives/riverton/partners",
    "/api/initiatives/riverton/agenda/versions",
    "/api/initiatives/riverton/indicators",
    "/api/initiatives/riverton/periods",
    "/api/initiatives/riverton/values",
    "/api/initiatives/riverton/submissions",
]


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def initiative(cast, measured, media):  # noqa: F811 (the imported fixture)
    """Riverton with values from both partners, a published agenda, an activity and a logo."""
    for month, scale in (("2024-01", 1), ("2024-02", 2)):
        report(cast, cast.partner_a, full_report(month, scale), approve=True)
        report(cast, cast.partner_b, full_report(month, scale), approve=True)
    Period.objects.filter(code="2024-01").update(status="closed")
    goal = agenda.goal_create(
        initiative=cast.initiative, by=cast.staff, title="Every child enters kindergarten ready"
    )
    strategy = agenda.strategy_create(goal=goal, by=cast.staff, title="Expand early learning")
    agenda.action_create(strategy=strategy, by=cast.staff, title="Open 300 new pre-K seats")
    agenda.version_publish(initiative=cast.initiative, by=cast.staff)
    north = measured.place.groups.get(key="north")
    make_activity(cast.partner_a, strategies=[strategy], places=[north])
    cast.initiative.logo.save("riverton.png", ContentFile(png()))
    return cast.initiative


def read_all(client) -> dict[str, str]:
    answers = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        answers[url] = without_csrf(response.content.decode())
    return answers


def fake_backup(path: Path, extra: dict[str, bytes] | None = None, **manifest) -> Path:
    """An archive holding a manifest (and `extra` files): enough for every refusal."""
    manifest = {
        "format": 1,
        "created": "2026-12-06T03:15:00Z",
        "backbone": "0.1.0",
        "vendor": connection.vendor,
        "migrations": {"accounts": "0001_initial"},
        "media_files": 0,
    } | manifest
    members = {"manifest.json": json.dumps(manifest).encode(), **(extra or {})}
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def restore_refused(path: Path, *options: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), *options)
    return str(refused.value)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)  # the restore replaces the whole database
def test_backup_then_restore_gives_back_the_same_pages_and_answers(
    cast, initiative, media, tmp_path
):
    staff = client_as(cast.staff)
    before = read_all(staff)
    assert "logos/riverton" in before["/i/riverton/"]
    assert "Open 300 new pre-K seats" in before["/i/riverton/agenda/"]
    assert json.loads(before["/api/initiatives/riverton/values"])["count"] == 52
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", out=str(archive), stdout=out)
    assert f"Wrote {archive}" in out.getvalue() and "1 uploaded file" in out.getvalue()
    assert archive.stat().st_mode & 0o077 == 0  # for its owner's eyes only

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    assert not Initiative.objects.exists()

    call_command("restore", str(archive), stdout=io.StringIO())

    assert read_all(staff) == before  # the session, too, came back with the database
    logo = Initiative.objects.get(slug="riverton").logo
    assert logo.read() == png()
    assert [p.name for p in media.parent.iterdir()] == ["media"]  # nothing left over


@pytest.mark.integration
def test_restore_without_yes_refuses_a_database_that_holds_data(cast, media, tmp_path):
    refusal = restore_refused(fake_backup(tmp_path / "b.tar.gz"))
    assert refusal.startswith("The database holds 2 initiatives (Lakeside Health")
    assert "10 people" in refusal and "--yes" in refusal
    assert Initiative.objects.count() == 2


@pytest.mark.unit
def test_restore_refuses_a_backup_of_a_later_format(tmp_path):
    refusal = restore_refused(fake_backup(tmp_path / "b.tar.gz", format=2, backbone="9.0"))
    assert "backup format 2, written by Backbone 9.0" in refusal and "format 1 at most" in refusal


@pytest.mark.unit
def test_restore_refuses_a_backup_of_another_kind_of_database(tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    refusal = restore_refused(fake_backup(tmp_path / "b.tar.gz", vendor=other))
    assert "restores only into the same kind of database" in refusal


@pytest.mark.unit
def test_restore_refuses_migrations_newer_than_this_code(tmp_path):
    later = {"accounts": "0001_initial", "measurement": "9999_from_a_later_version"}
    refusal = restore_refused(fake_backup(tmp_path / "b.tar.gz", migrations=later))
    assert "(measurement.9999_from_a_later_version)" in refusal
    assert "cannot be migrated backwards" in refusal


@pytest.mark.unit
def test_older_migrations_are_known_so_migrate_brings_them_up():
    assert migrations_unknown({"measurement": "0001_initial", "auth": "0001_initial"}) == []


@pytest.mark.unit
def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    (tmp_path / "notes.txt").write_text("not an archive")
    assert "is not a Backbone backup" in restore_refused(tmp_path / "notes.txt")
    assert "No backup file" in restore_refused(tmp_path / "missing.tar.gz")


@pytest.mark.integration
def test_restore_refuses_an_archive_reaching_outside_its_folder(db, media, tmp_path):
    archive = fake_backup(tmp_path / "b.tar.gz", extra={"../escaped": b"x"})
    assert "holds '../escaped'" in restore_refused(archive)
    assert not (media.parent.parent / "escaped").exists()


@pytest.mark.integration
def test_a_failed_backup_leaves_no_file(db, media, tmp_path, monkeypatch):
    def fail(target):
        raise BackupError("the disk is full")

    monkeypatch.setattr("backbone.operations.backups.database_dump", fail)
    with pytest.raises(BackupError):
        backup_create(out=tmp_path / "backup.tar.gz")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.unit
def test_backup_name_says_when_in_utc():
    when = datetime(2026, 12, 6, 3, 15, tzinfo=UTC)
    assert backup_name(when) == "backbone-backup-20261206T031500Z.tar.gz"


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump serves PostgreSQL only"
)


@postgres_only
@pytest.mark.integration
def test_backup_says_which_client_tools_to_install_when_pg_dump_is_missing(
    db, tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump is not installed: install the PostgreSQL"):
        databases.database_dump(tmp_path / "dump")


@postgres_only
@pytest.mark.integration
def test_backup_refuses_a_pg_dump_older_than_the_server(db, tmp_path, monkeypatch):
    old = tmp_path / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    old.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    server = connection.pg_version // 10000
    with pytest.raises(
        BackupError, match=f"pg_dump is version 9 and the server PostgreSQL {server}"
    ):
        databases.database_dump(tmp_path / "dump")


@pytest.mark.integration
def test_restore_refusal_is_one_line_on_stderr_and_exit_code_1(tmp_path):
    archive = fake_backup(tmp_path / "b.tar.gz", format=2)
    env = bare_environment(
        BACKBONE_SECRET_KEY="restore-test-" + "k" * 50,
        BACKBONE_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    done = subprocess.run(
        [sys.executable, "-m", "backbone.cli", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "backup format 2" in done.stderr
