"""Questionnaire files: the shipped ones load; broken ones are refused naming file and key,
and nothing is stored."""

from __future__ import annotations

import copy
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from backbone.assessments.loader import (
    QUESTIONNAIRES_DIR,
    QuestionnaireFileError,
    load_all,
    load_file,
)
from backbone.assessments.models import Questionnaire
from backbone.frameworks.loader import load_all as load_frameworks
from backbone.frameworks.loader import load_file as load_framework_file

pytestmark = pytest.mark.integration

SHIPPED = sorted(QUESTIONNAIRES_DIR.glob("*.yaml"))
FRAMEWORK_FILES = sorted(Path(settings.FRAMEWORKS_DIR).glob("*.yaml"))


@pytest.fixture
def frameworks(db):
    return {f.slug: f for f in load_frameworks()}


@pytest.fixture
def readiness() -> dict:
    return copy.deepcopy(yaml.safe_load((QUESTIONNAIRES_DIR / "readiness.yaml").read_text()))


@pytest.fixture
def write(tmp_path):
    def write(data, name="readiness.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def message(path) -> str:
    with pytest.raises(QuestionnaireFileError) as caught:
        load_file(path)
    return str(caught.value)


def framework_elements() -> dict[str, set[str]]:
    """Element keys of each shipped framework, read straight from its file."""
    out = {}
    for path in FRAMEWORK_FILES:
        data = load_framework_file(path)
        out[data["slug"]] = {
            f"{s['key']}.{e['key']}" for s in data["sections"] for e in s["elements"]
        }
    return out


def test_six_questionnaires_ship_and_each_loads(frameworks):
    assert {p.stem for p in SHIPPED} == {
        "readiness",
        "conditions",
        "principles",
        "equity-strategies",
        "backbone-effectiveness",
        "collaboration-factors",
    }
    for path in SHIPPED:
        assert load_file(path)["slug"] == path.stem


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_questionnaire_asks_three_to_five_items_per_element_mostly_scales(path):
    data = yaml.safe_load(path.read_text())
    per_element: dict[str, list[str]] = {}
    for item in data["items"]:
        per_element.setdefault(item["element"], []).append(item["type"])
    assert all(3 <= len(types) <= 5 for types in per_element.values()), per_element
    types = [t for ts in per_element.values() for t in ts]
    assert types.count("scale") / len(types) >= 0.75
    assert "text" in types
    sections = {e.split(".")[0] for e in per_element}
    assert sections == {data["assesses"]}
    known = framework_elements()
    for slug in data["frameworks"]:
        section = {e for e in known[slug] if e.startswith(data["assesses"] + ".")}
        assert set(per_element) == section, "every element of the section is asked about"


def test_collaboration_factors_is_a_section_of_both_frameworks():
    for slug, elements in framework_elements().items():
        factors = {e.split(".")[1] for e in elements if e.startswith("collaboration_factors.")}
        assert factors == {
            "environment",
            "membership",
            "process_and_structure",
            "communication",
            "purpose",
            "resources",
        }, slug


def test_unknown_element_is_refused_naming_file_and_key(frameworks, readiness, write):
    readiness["items"][3]["element"] = "conditions.foo"
    assert message(write(readiness)) == (
        "readiness.yaml: items[3].element: unknown element 'conditions.foo' in framework "
        "collective-impact\n"
        "readiness.yaml: items[3].element: unknown element 'conditions.foo' in framework "
        "collective-impact-five-phases"
    )


def test_scale_without_labels_is_refused_naming_file_and_key(frameworks, readiness, write):
    readiness["scales"]["agreement"]["points"] = [1, 2, 3, 4, 5]
    text = message(write(readiness))
    assert text.startswith(
        "readiness.yaml: scales.agreement.points[0]: a scale point needs a value and a label"
    )


def test_scale_point_missing_its_label_is_refused(frameworks, readiness, write):
    del readiness["scales"]["agreement"]["points"][2]["label"]
    assert message(write(readiness)) == (
        "readiness.yaml: scales.agreement.points[2].label: 'label' is a required property"
    )


def test_duplicate_item_keys_are_refused(frameworks, readiness, write):
    readiness["items"][5]["key"] = readiness["items"][1]["key"]
    assert message(write(readiness)) == (
        "readiness.yaml: items[5].key: duplicate key 'champions_convene' (already used by items[1])"
    )


def test_scale_item_naming_unknown_scale_is_refused(frameworks, readiness, write):
    readiness["items"][0]["scale"] = "frequency"
    assert message(write(readiness)) == (
        "readiness.yaml: items[0].scale: unknown scale 'frequency' (agreement)"
    )


def test_points_out_of_order_and_mixed_scales_are_refused(frameworks, readiness, write):
    readiness["scales"]["agreement"]["points"].reverse()
    readiness["scales"]["four"] = {
        "name": "Four",
        "points": [{"value": v, "label": str(v)} for v in (1, 2, 3, 4)],
    }
    readiness["items"][1]["scale"] = "four"
    text = message(write(readiness))
    assert "readiness.yaml: scales.agreement.points: list the points from the lowest value up" in (
        text
    )
    assert (
        "readiness.yaml: items[1].scale: the scale items of preconditions.influential_champions "
        "must share one scale; items[0] uses 'agreement'"
    ) in text


def test_unloaded_framework_is_refused(frameworks, readiness, write):
    readiness["frameworks"] = ["collective-impact", "equity-first"]
    assert message(write(readiness)) == (
        "readiness.yaml: frameworks[1]: no framework 'equity-first' is loaded "
        "(run `backbone load_frameworks` first)"
    )


def test_choice_item_without_options_is_refused(frameworks, readiness, write):
    del readiness["items"][11]["options"]
    assert message(write(readiness)) == "readiness.yaml: items[11]: a choice item needs 'options'"


def test_load_all_stores_every_file_or_none(frameworks, tmp_path, readiness, write):
    shutil.copy(QUESTIONNAIRES_DIR / "conditions.yaml", tmp_path)
    readiness["items"][0]["element"] = "preconditions.money"
    write(readiness)

    with pytest.raises(QuestionnaireFileError, match=r"^readiness\.yaml: items\[0\]\.element"):
        load_all(tmp_path)

    assert not Questionnaire.objects.exists()


def test_load_all_updates_a_questionnaire_when_its_file_changes(frameworks, tmp_path, write):
    data = yaml.safe_load((QUESTIONNAIRES_DIR / "readiness.yaml").read_text())
    write(data)
    load_all(tmp_path)
    data["name"], data["version"] = "Readiness, revised", "2"
    write(data)

    load_all(tmp_path)

    stored = Questionnaire.objects.get()
    assert (stored.name, stored.version, stored.assesses) == (
        "Readiness, revised",
        "2",
        "preconditions",
    )
    assert stored.data == data


def test_command_loads_shipped_files_and_reports_them(frameworks):
    out = StringIO()
    call_command("load_questionnaires", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 6
    assert (
        "Loaded Readiness (readiness, version 1) from readiness.yaml: 12 items on 3 elements."
        in (lines)
    )
    assert Questionnaire.objects.count() == 6


def test_command_reads_dir_and_fails_with_the_file_and_key(frameworks, readiness, write, tmp_path):
    readiness["items"][3]["element"] = "conditions.foo"
    write(readiness)
    with pytest.raises(CommandError) as caught:
        call_command("load_questionnaires", "--dir", str(tmp_path), stdout=StringIO())
    assert str(caught.value).startswith(
        "readiness.yaml: items[3].element: unknown element 'conditions.foo' in framework "
        "collective-impact"
    )
    assert not Questionnaire.objects.exists()
