"""Questionnaire files: read, check and store them, as framework files are.

A file is YAML with `slug`, `name`, `version`, `summary`, `assesses` (the framework section it
is about), `frameworks` (the slugs it fits), named answer `scales` and `items`; schema.json
says what each part looks like. What a schema cannot say is checked here, against the
frameworks as loaded (`backbone load_frameworks` first): every item's element exists in every
framework listed, item and option keys are unique, a scale item names a known scale whose
points are distinct and ascending, and the scale items of one element share one scale (an
element's mean is read on that scale). Every problem is reported as `<file>: <where>: <what>`,
e.g. `readiness.yaml: items[3].element: unknown element 'conditions.foo' in framework
collective-impact`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from jsonschema import ValidationError

from backbone.frameworks.loader import (
    FrameworkFileError,
    _describe,
    _read_yaml,
    schema_problems,
    validator_for,
    yaml_files,
)
from backbone.frameworks.models import Framework
from backbone.frameworks.texts import DEFAULT, text_in

from .models import Questionnaire

QUESTIONNAIRES_DIR = Path(__file__).with_name("questionnaires")
SCHEMA_PATH = Path(__file__).with_name("schema.json")
SCALE_TYPES = {"scale"}
CHOICE_TYPES = {"single_choice", "multiple_choice"}


class QuestionnaireFileError(FrameworkFileError):
    """A questionnaire file that cannot be loaded. The message names the file and the place."""


def _point_problem(error: ValidationError) -> tuple[list, str] | None:
    """A scale point given as a bare number or word: say that it needs a label."""
    path = list(error.absolute_path)
    is_point = len(path) == 4 and path[0] == "scales" and path[2] == "points"
    if is_point and error.validator == "type":
        return path, (
            f"a scale point needs a value and a label, e.g. {{value: 1, label: Strongly "
            f"disagree}}, not {error.instance!r}"
        )
    return None


def _describe_error(error: ValidationError) -> list[tuple[list, str]]:
    special = _point_problem(error)
    return [special] if special else _describe(error)


def _schema_problems(data: Any) -> list[str]:
    return schema_problems(data, validator_for(SCHEMA_PATH), _describe_error)


def _duplicates(keys: list[str], path: str, field: str = "key") -> list[str]:
    problems, first_at = [], {}
    for index, key in enumerate(keys):
        if key in first_at:
            problems.append(
                f"{path}[{index}].{field}: duplicate key {key!r} "
                f"(already used by {path}[{first_at[key]}])"
            )
        else:
            first_at[key] = index
    return problems


def _scale_problems(scales: dict) -> list[str]:
    problems = []
    for key, scale in scales.items():
        values = [p["value"] for p in scale["points"]]
        if len(set(values)) != len(values):
            problems.append(f"scales.{key}.points: each point needs its own value, not {values}")
        elif values != sorted(values):
            problems.append(
                f"scales.{key}.points: list the points from the lowest value up, not {values}"
            )
    return problems


def _framework_elements(frameworks: dict[str, Framework]) -> dict[str, set[str]]:
    return {
        slug: {
            f"{section['key']}.{element['key']}"
            for section in framework.data["sections"]
            for element in section["elements"]
        }
        for slug, framework in frameworks.items()
    }


def _content_problems(data: dict, frameworks: dict[str, Framework]) -> list[str]:
    problems: list[str] = []
    for index, slug in enumerate(data["frameworks"]):
        if slug not in frameworks:
            problems.append(
                f"frameworks[{index}]: no framework {slug!r} is loaded "
                "(run `backbone load_frameworks` first)"
            )
    known = _framework_elements({s: frameworks[s] for s in data["frameworks"] if s in frameworks})
    for slug, elements in known.items():
        sections = {element.split(".")[0] for element in elements}
        if data["assesses"] not in sections:
            problems.append(f"assesses: unknown section {data['assesses']!r} in framework {slug}")
    scales = data.get("scales", {})
    problems += _scale_problems(scales)
    items = data["items"]
    problems += _duplicates([item["key"] for item in items], "items")
    scale_of_element: dict[str, tuple[str, int]] = {}
    for index, item in enumerate(items):
        where = f"items[{index}]"
        for slug, elements in known.items():
            if item["element"] not in elements:
                problems.append(
                    f"{where}.element: unknown element {item['element']!r} in framework {slug}"
                )
        kind = item["type"]
        if kind in SCALE_TYPES:
            if "scale" not in item:
                problems.append(f"{where}: a scale item needs 'scale', the key of one of scales")
            elif item["scale"] not in scales:
                named = ", ".join(scales) or "none are defined"
                problems.append(f"{where}.scale: unknown scale {item['scale']!r} ({named})")
            else:
                first = scale_of_element.setdefault(item["element"], (item["scale"], index))
                if first[0] != item["scale"]:
                    problems.append(
                        f"{where}.scale: the scale items of {item['element']} must share one "
                        f"scale; items[{first[1]}] uses {first[0]!r}"
                    )
        elif "scale" in item:
            problems.append(f"{where}.scale: only scale items have a scale")
        if kind in CHOICE_TYPES:
            if "options" not in item:
                problems.append(f"{where}: a choice item needs 'options'")
            else:
                problems += _duplicates(
                    [option["key"] for option in item["options"]], f"{where}.options"
                )
        elif "options" in item:
            problems.append(f"{where}.options: only choice items have options")
    return problems


def check(data: Any, file_name: str, frameworks: dict[str, Framework] | None = None) -> dict:
    """Return `data` if it is a valid questionnaire, or raise QuestionnaireFileError."""
    problems = _schema_problems(data)
    if not problems:
        if frameworks is None:
            frameworks = {f.slug: f for f in Framework.objects.filter(slug__in=data["frameworks"])}
        problems = _content_problems(data, frameworks)
    if problems:
        raise QuestionnaireFileError(file_name, problems)
    return data


def load_file(path: str | Path, frameworks: dict[str, Framework] | None = None) -> dict:
    """The checked content of one questionnaire file."""
    path = Path(path)
    try:
        data = _read_yaml(path)
    except FrameworkFileError as exc:
        raise QuestionnaireFileError(exc.file_name, exc.problems) from exc
    return check(data, path.name, frameworks)


def questionnaire_files(directory: str | Path | None = None) -> list[Path]:
    return yaml_files(Path(directory or QUESTIONNAIRES_DIR), QuestionnaireFileError)


def load_all(directory: str | Path | None = None) -> list[Questionnaire]:
    """Check every questionnaire file, then store them all (one row per slug) or none."""
    frameworks = {f.slug: f for f in Framework.objects.all()}
    loaded: dict[str, tuple[Path, dict]] = {}
    for path in questionnaire_files(directory):
        data = load_file(path, frameworks)
        slug = data["slug"]
        if slug in loaded:
            other = loaded[slug][0].name
            raise QuestionnaireFileError(path.name, [f"slug: {slug!r} is already used by {other}"])
        loaded[slug] = (path, data)
    with transaction.atomic():
        return [
            Questionnaire.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": text_in(data["name"], DEFAULT),
                    "summary": text_in(data["summary"], DEFAULT),
                    "version": data["version"],
                    "assesses": data["assesses"],
                    "frameworks": data["frameworks"],
                    "source_file": path.name,
                    "data": data,
                },
            )[0]
            for slug, (path, data) in loaded.items()
        ]
