"""An import refuses what it cannot read whole, and a failed import writes nothing."""

from __future__ import annotations

import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from backbone.accounts.models import Person
from backbone.archive.manifest import FORMAT
from backbone.initiatives.models import Initiative, Membership, Partner
from tests.pages import png


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def archive(cast, media, tmp_path) -> Path:
    """Riverton of the cast, with a logo, exported."""
    cast.initiative.logo.save("riverton.png", ContentFile(png()))
    path = tmp_path / "riverton.zip"
    call_command("export", "riverton", out=str(path), stdout=StringIO())
    return path


def rewritten(path: Path, target: Path, *, manifest=None, data=None) -> Path:
    """A copy of the archive at `path` with its manifest or data changed by a function."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "manifest.json" and manifest:
                content = json.dumps(manifest(json.loads(content))).encode()
            if info.filename == "data.json" and data:
                content = json.dumps(data(json.loads(content))).encode()
            copy.writestr(info, content)
    return target


def refusal(path: Path, *options: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("import", str(path), *options, stdout=StringIO())
    message = str(refused.value)
    assert "\n" not in message  # one line, for an operator's terminal
    return message


@pytest.mark.integration
def test_an_archive_from_a_newer_backbone_is_refused(archive, tmp_path):
    newer = rewritten(archive, tmp_path / "newer.zip", manifest=lambda m: m | {"format": 2})
    assert refusal(newer, "--as", "elsewhere") == (
        "This archive was written by a newer Backbone (format 2); upgrade Backbone to import it."
    )
    assert FORMAT == 1 and not Initiative.objects.filter(slug="elsewhere").exists()


@pytest.mark.integration
def test_a_file_that_is_not_an_archive_is_refused(db, tmp_path):
    (tmp_path / "notes.txt").write_text("not an archive")
    assert (
        refusal(tmp_path / "notes.txt")
        == f"{tmp_path / 'notes.txt'} is not a Backbone initiative archive."
    )
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as other:
        other.writestr("readme.txt", "a zip, but not ours")
    assert "is not a Backbone initiative archive" in refusal(tmp_path / "other.zip")
    assert refusal(tmp_path / "missing.zip") == f"No archive file {tmp_path / 'missing.zip'}."


@pytest.mark.integration
def test_an_existing_slug_is_refused_unless_imported_as_another(archive):
    assert "exists here already" in refusal(archive)
    assert "--as NEW-SLUG" in refusal(archive)
    assert "is not a slug" in refusal(archive, "--as", "Not a slug!")
    call_command("import", str(archive), "--as", "riverton-2", stdout=StringIO())
    copy = Initiative.objects.get(slug="riverton-2")
    assert (
        copy.logo.read() == png()
        and copy.logo.name != Initiative.objects.get(slug="riverton").logo.name
    )
    assert Partner.objects.filter(initiative=copy).count() == 2


@pytest.mark.integration
def test_an_archive_with_one_broken_row_writes_nothing(archive, media, tmp_path):
    def break_it(data):
        # A person this installation does not know (it would be created), and, last of the
        # rows, one membership twice: the database refuses the second.
        people = data["shared"]["accounts.Person"]
        people.append(people[0] | {"id": 999999, "email": "new.person@example.org"})
        memberships = data["models"]["initiatives.Membership"]
        memberships[0]["person"] = 999999
        twice = next(m for m in memberships if m["organisation"])  # NULLs never clash
        memberships.append(twice | {"id": 999999})
        return data

    broken = rewritten(archive, tmp_path / "broken.zip", data=break_it)
    before = {m: m.objects.count() for m in (Initiative, Person, Partner, Membership)}
    files = sorted(p.name for p in (media / "logos").iterdir())

    assert refusal(broken, "--as", "riverton-2").startswith(
        "Nothing was imported: a row of initiatives.Membership was refused"
    )

    assert {m: m.objects.count() for m in before} == before
    assert not Person.objects.filter(email="new.person@example.org").exists()
    assert sorted(p.name for p in (media / "logos").iterdir()) == files  # no logo left behind


@pytest.mark.integration
def test_an_archive_pointing_at_a_row_it_does_not_hold_writes_nothing(archive, tmp_path):
    def dangle(data):
        data["models"]["initiatives.Partner"][0]["organisation"] = 424242
        return data

    broken = rewritten(archive, tmp_path / "dangling.zip", data=dangle)
    message = refusal(broken, "--as", "riverton-2")
    assert "initiatives.Partner" in message and "does not hold" in message
    assert not Initiative.objects.filter(slug="riverton-2").exists()
