"""Storing framework files: `load_all` and the `load_frameworks` command."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from backbone.frameworks.loader import FrameworkFileError, load_all, load_file
from backbone.frameworks.models import Framework

from .conftest import SHIPPED, THREE_PHASES

pytestmark = pytest.mark.integration


def test_load_all_stores_shipped_frameworks_when_run(db):
    loaded = load_all()

    assert {f.slug for f in loaded} == {"collective-impact", "collective-impact-five-phases"}
    stored = Framework.objects.get(slug="collective-impact")
    assert stored.name == "Collective Impact (five conditions)"
    assert stored.version == "1"
    assert stored.source_file == "collective-impact.yaml"
    assert stored.summary.startswith("Organisations and residents")
    assert [s["key"] for s in stored.data["sections"]][3] == "phases"


def test_load_all_is_idempotent_when_run_twice(db):
    first = load_all()
    second = load_all()

    assert [f.pk for f in first] == [f.pk for f in second]
    assert Framework.objects.count() == 2
    assert Framework.objects.get(slug="collective-impact").data == load_file(THREE_PHASES)


def test_load_all_updates_framework_when_file_changes(db, tmp_path, shipped_data, write_framework):
    write_framework(shipped_data, "collective-impact.yaml")
    load_all(tmp_path)
    shipped_data["name"] = "Collective Impact, revised"
    shipped_data["version"] = "2"
    write_framework(shipped_data, "collective-impact.yaml")

    load_all(tmp_path)

    stored = Framework.objects.get(slug="collective-impact")
    assert (stored.name, stored.version) == ("Collective Impact, revised", "2")
    assert Framework.objects.count() == 1


def test_load_all_adds_framework_when_new_file_appears(db, tmp_path, shipped_data, write_framework):
    shutil.copy(THREE_PHASES, tmp_path)
    shipped_data.update(slug="equity-first", name="Equity first", summary="A local variant.")
    write_framework(shipped_data, "equity-first.yaml")

    loaded = load_all(tmp_path)

    assert [f.slug for f in loaded] == ["collective-impact", "equity-first"]
    assert Framework.objects.get(slug="equity-first").source_file == "equity-first.yaml"


def test_load_all_stores_nothing_when_one_file_is_broken(db, tmp_path, write_framework):
    shutil.copy(THREE_PHASES, tmp_path)
    write_framework("slug: [broken\n", "zz-broken.yaml")

    with pytest.raises(FrameworkFileError, match=r"^zz-broken\.yaml: line 2, column 1: "):
        load_all(tmp_path)

    assert not Framework.objects.exists()


def test_load_all_fails_when_two_files_share_a_slug(db, tmp_path, shipped_data, write_framework):
    shutil.copy(THREE_PHASES, tmp_path)
    write_framework(shipped_data, "copy.yaml")

    with pytest.raises(FrameworkFileError) as caught:
        load_all(tmp_path)

    assert str(caught.value) == (
        "copy.yaml: slug: 'collective-impact' is already used by collective-impact.yaml"
    )


def test_load_all_fails_when_directory_missing(db, tmp_path):
    with pytest.raises(FrameworkFileError, match="no such directory"):
        load_all(tmp_path / "nowhere")


def test_load_frameworks_command_reports_each_framework(db):
    out = StringIO()

    call_command("load_frameworks", stdout=out)

    assert sorted(out.getvalue().splitlines()) == [
        "Loaded Collective Impact (five conditions) (collective-impact, version 1) "
        "from collective-impact.yaml: 8 sections, 41 elements.",
        "Loaded Collective Impact (five phases) (collective-impact-five-phases, version 1) "
        "from collective-impact-five-phases.yaml: 8 sections, 43 elements.",
    ]
    assert Framework.objects.count() == 2


def test_load_frameworks_command_reads_dir_when_given(db, tmp_path):
    shutil.copy(SHIPPED / "collective-impact-five-phases.yaml", tmp_path)
    out = StringIO()

    call_command("load_frameworks", "--dir", str(tmp_path), stdout=out)

    assert list(Framework.objects.values_list("slug", flat=True)) == [
        "collective-impact-five-phases"
    ]


def test_load_frameworks_command_says_so_when_dir_is_empty(db, tmp_path):
    out = StringIO()

    call_command("load_frameworks", "--dir", str(tmp_path), stdout=out)

    assert out.getvalue() == f"No framework files in {tmp_path}.\n"


def test_load_frameworks_command_fails_cleanly_when_file_broken(
    db, tmp_path, shipped_data, write_framework
):
    del shipped_data["sections"][2]["elements"][0]["name"]
    write_framework(shipped_data, "collective-impact.yaml")

    with pytest.raises(CommandError) as caught:
        call_command("load_frameworks", "--dir", str(tmp_path), stdout=StringIO())

    assert str(caught.value) == (
        "collective-impact.yaml: sections[2].elements[0].name: 'name' is a required property"
    )
    assert not Framework.objects.exists()
