"""Framework files: read, check and store them. Adding a framework is adding a file.

A file is YAML with `slug`, `name`, `version`, `summary` and `sections`; schema.json says
what each part must look like. What a schema cannot say is checked here: element keys are
unique within their list and the sections other pages rely on are all present. Every
problem is reported as `<file>: <where>: <what>`, where is a key path such as
`sections[2].elements[0].name` or, for YAML that does not parse, a line and column.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from jsonschema import Draft202012Validator, ValidationError

from .models import Framework
from .texts import DEFAULT, LANGUAGES, text_in

SCHEMA_PATH = Path(__file__).with_name("schema.json")
FILE_PATTERNS = ("*.yaml", "*.yml")
REQUIRED_SECTIONS = (
    "conditions",
    "backbone_roles",
    "preconditions",
    "phases",
    "impact_journey",
    "principles",
    "equity_strategies",
)
MAX_PROBLEMS = 20
TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys to values",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


class FrameworkFileError(Exception):
    """A framework file that cannot be loaded. The message names the file and the place."""

    def __init__(self, file_name: str, problems: list[str]):
        self.file_name = file_name
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        lines = [f"{file_name}: {problem}" for problem in shown]
        if len(problems) > len(shown):
            lines.append(f"{file_name}: … and {len(problems) - len(shown)} more problems")
        super().__init__("\n".join(lines))


# --- reading YAML ----------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """The safe loader, except that a key given twice in one mapping is an error."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict:
    first_seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        if key in first_seen:
            raise yaml.constructor.ConstructorError(
                problem=(
                    f"duplicate key {key!r} "
                    f"(already given on line {first_seen[key].start_mark.line + 1})"
                ),
                problem_mark=key_node.start_mark,
            )
        first_seen[key] = key_node
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(path.name, [f"not UTF-8 text ({exc.reason})"]) from exc
    except OSError as exc:
        raise FrameworkFileError(path.name, [f"cannot be read ({exc.strerror})"]) from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: builds plain data only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        what = exc.problem or exc.context or "not valid YAML"
        raise FrameworkFileError(path.name, [f"{where}: {what}"]) from exc
    except yaml.YAMLError as exc:
        raise FrameworkFileError(path.name, [f"not valid YAML ({exc})"]) from exc


# --- checking --------------------------------------------------------------------------


@cache
def validator_for(schema_path: Path) -> Draft202012Validator:
    """The checked validator of a schema file (frameworks, questionnaires), read once."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def key_path(parts: Iterable[str | int]) -> str:
    """`["sections", 2, "elements", 0, "name"]` → `sections[2].elements[0].name`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_text_schema(schema: Any) -> bool:
    """The schema of human text: a string, or a mapping of language to string."""
    return isinstance(schema, dict) and schema.get("propertyNames", {}).get("enum") == list(
        LANGUAGES
    )


def _language_list() -> str:
    return ", ".join(LANGUAGES[:-1]) + f" or {LANGUAGES[-1]}"


def _text_problem(error: ValidationError) -> list[tuple[list[str | int], str]] | None:
    """A text given per language in a wrong way, in words an editor can act on."""
    path: list[str | int] = list(error.absolute_path)
    kind = error.validator
    if kind == "enum" and "propertyNames" in error.relative_schema_path:
        return [
            (
                [*path, str(error.instance)],
                f"unknown language {error.instance!r}; a text per language uses {_language_list()}",
            )
        ]
    if not _is_text_schema(error.schema):
        return None
    if kind == "required":
        return [(path, f"a text per language needs {DEFAULT!r}, the English text")]
    if kind == "type":
        if error.instance is None:
            return [(path, "should be text, but is empty")]
        return [
            (
                path,
                "should be text, or the text per language such as {en: …, es: …, fr: …}, "
                f"not {_short(error.instance)}",
            )
        ]
    return None


def _describe(error: ValidationError) -> list[tuple[list[str | int], str]]:
    """One schema error as (key path, plain message) pairs."""
    special = _text_problem(error)
    if special is not None:
        return special
    path: list[str | int] = list(error.absolute_path)
    instance, kind = error.instance, error.validator
    if kind == "required":
        missing = [
            name
            for name in error.validator_value
            if isinstance(instance, dict) and name not in instance
        ]
        named = next((n for n in missing if error.message.startswith(repr(n))), None)
        names = [named] if named else missing
        return [([*path, name], f"{name!r} is a required property") for name in names]
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        return [
            ([*path, extra], f"unknown key; allowed here: {', '.join(allowed)}")
            for extra in instance
            if extra not in allowed
        ]
    if kind == "type":
        expected = error.validator_value
        words = " or ".join(
            TYPE_WORDS.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
        )
        if instance is None:
            return [(path, f"should be {words}, but is empty")]
        return [(path, f"should be {words}, not {_short(instance)}")]
    if kind == "pattern":
        return [
            (
                path,
                f"{_short(instance)} is not a valid key: use lowercase letters and digits, "
                "with _ or - between words",
            )
        ]
    if kind == "minLength":
        return [(path, "should not be empty")]
    if kind == "minItems":
        return [(path, f"should list at least {error.validator_value} item(s)")]
    if kind == "maxLength":
        return [(path, f"is too long (at most {error.validator_value} characters)")]
    return [(path, error.message if len(error.message) <= 200 else error.message[:199] + "…")]


Describe = Callable[[ValidationError], list[tuple[list[str | int], str]]]


def schema_problems(
    data: Any, validator: Draft202012Validator, describe: Describe | None = None
) -> list[str]:
    """Every schema error as `<where>: <what>`, in file order, each once. `describe` may put
    a file kind's own words on some errors; it falls back to the plain description."""
    if data is None:
        return ["the file is empty"]
    problems: list[str] = []
    errors = sorted(
        validator.iter_errors(data),
        key=lambda e: [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in e.absolute_path],
    )
    for error in errors:
        for path, message in (describe or _describe)(error):
            line = f"{key_path(path) or '(top level)'}: {message}"
            if line not in problems:
                problems.append(line)
    return problems


def yaml_files(directory: Path, error: type[FrameworkFileError]) -> list[Path]:
    """The YAML files of a folder, sorted; `error` names a folder that is not there."""
    if not directory.is_dir():
        raise error(str(directory), ["no such directory"])
    return sorted({p for pattern in FILE_PATTERNS for p in directory.glob(pattern) if p.is_file()})


def _duplicate_keys(elements: list[dict], path: str) -> list[str]:
    """Keys must be unique among siblings; nested lists are checked the same way."""
    problems: list[str] = []
    first_at: dict[str, int] = {}
    for index, element in enumerate(elements):
        key = element["key"]
        if key in first_at:
            first = f"{path}[{first_at[key]}]"
            problems.append(f"{path}[{index}].key: duplicate key {key!r} (already used by {first})")
        else:
            first_at[key] = index
        if "elements" in element:
            problems += _duplicate_keys(element["elements"], f"{path}[{index}].elements")
    return problems


def _content_problems(data: dict) -> list[str]:
    sections = data["sections"]
    problems = _duplicate_keys(sections, "sections")
    present = {section["key"] for section in sections}
    problems += [
        f"sections: the section {key!r} is required but missing"
        for key in REQUIRED_SECTIONS
        if key not in present
    ]
    return problems


def check(data: Any, file_name: str) -> dict:
    """Return `data` if it is a valid framework, or raise FrameworkFileError."""
    problems = schema_problems(data, validator_for(SCHEMA_PATH))
    if not problems:
        problems = _content_problems(data)
    if problems:
        raise FrameworkFileError(file_name, problems)
    return data


# --- loading ---------------------------------------------------------------------------


def load_file(path: str | Path) -> dict:
    """The checked content of one framework file."""
    path = Path(path)
    return check(_read_yaml(path), path.name)


def framework_files(directory: str | Path | None = None) -> list[Path]:
    return yaml_files(Path(directory or settings.FRAMEWORKS_DIR), FrameworkFileError)


def load_all(directory: str | Path | None = None) -> list[Framework]:
    """Check every framework file, then store them all (one row per slug) or none."""
    loaded: dict[str, tuple[Path, dict]] = {}
    for path in framework_files(directory):
        data = load_file(path)
        slug = data["slug"]
        if slug in loaded:
            other = loaded[slug][0].name
            raise FrameworkFileError(path.name, [f"slug: {slug!r} is already used by {other}"])
        loaded[slug] = (path, data)
    with transaction.atomic():
        return [
            Framework.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": text_in(data["name"], DEFAULT),
                    "summary": text_in(data["summary"], DEFAULT),
                    "version": data["version"],
                    "source_file": path.name,
                    "data": data,
                },
            )[0]
            for slug, (path, data) in loaded.items()
        ]
