"""Framework and questionnaire text in several languages: the format, the fallback, and every
shipped file translated."""

from pathlib import Path

import pytest
import yaml
from django.utils import translation

from backbone.assessments.loader import QUESTIONNAIRES_DIR
from backbone.frameworks.loader import FrameworkFileError, load_file
from backbone.frameworks.texts import LANGUAGES, is_text_mapping, localized, text_in

from .conftest import FIVE_PHASES, THREE_PHASES

pytestmark = pytest.mark.unit

TEXT_KEYS = {"name", "summary", "intro", "source", "text", "help", "label", "title"}
SHIPPED = [THREE_PHASES, FIVE_PHASES, *sorted(QUESTIONNAIRES_DIR.glob("*.yaml"))]


def test_text_in_picks_the_language_and_falls_back_to_english():
    value = {"en": "Common agenda", "es": "Agenda común"}
    assert text_in(value, "es") == "Agenda común"
    assert text_in(value, "es-mx") == "Agenda común"
    assert text_in(value, "fr") == "Common agenda"  # no French: English
    assert text_in(value, "en") == "Common agenda"
    assert text_in("Plain English", "fr") == "Plain English"
    assert text_in(None) == ""


def test_text_in_follows_the_active_language():
    value = {"en": "Agree", "es": "De acuerdo", "fr": "D’accord"}
    with translation.override("fr"):
        assert text_in(value) == "D’accord"
    with translation.override("es"):
        assert text_in(value) == "De acuerdo"
    assert text_in(value, "en") == "Agree"


def test_localized_keeps_keys_and_chooses_every_text():
    data = {
        "key": "common_agenda",
        "name": {"en": "Common agenda", "fr": "Programme commun"},
        "elements": [{"key": "en", "summary": {"en": "One", "fr": "Un"}}],
    }
    assert localized(data, "fr") == {
        "key": "common_agenda",
        "name": "Programme commun",
        "elements": [{"key": "en", "summary": "Un"}],
    }
    assert data["name"] == {"en": "Common agenda", "fr": "Programme commun"}  # not changed


def test_a_mapping_of_other_things_is_not_text():
    assert not is_text_mapping({"agreement": {"name": "Agreement"}})
    assert not is_text_mapping({"es": "Solo español"})
    assert is_text_mapping({"en": "Only English"})


def _texts(node, path=""):
    """Every human text in a file as (key path, value)."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if key in TEXT_KEYS and isinstance(value, str | dict) and key != "scales":
                if isinstance(value, str) or is_text_mapping(value) or "en" in value:
                    yield where, value
                    continue
            yield from _texts(value, where)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}[{index}]")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_text_is_in_english_spanish_and_french(path):
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    texts = list(_texts(data))
    assert len(texts) > 20
    untranslated = [
        where
        for where, value in texts
        if not isinstance(value, dict)
        or set(value) != set(LANGUAGES)
        or not all(isinstance(t, str) and t.strip() for t in value.values())
    ]
    assert untranslated == []


def _framework_with(tmp_path, name) -> Path:
    text = THREE_PHASES.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["name"] = name
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_loader_accepts_plain_english_and_a_mapping(tmp_path):
    assert load_file(_framework_with(tmp_path, "Plain"))["name"] == "Plain"
    mapping = {"en": "Ours", "fr": "Le nôtre"}
    assert load_file(_framework_with(tmp_path, mapping))["name"] == mapping


@pytest.mark.parametrize(
    "name, problem",
    [
        (
            {"en": "Ours", "de": "Unser"},
            "framework.yaml: name.de: unknown language 'de'; a text per language uses en, es or fr",
        ),
        (
            {"es": "Nuestro", "fr": "Le nôtre"},
            "framework.yaml: name: a text per language needs 'en', the English text",
        ),
        ({"en": "Ours", "es": ""}, "framework.yaml: name.es: should not be empty"),
        ({"en": "Ours", "fr": 3}, "framework.yaml: name.fr: should be text, not 3"),
        (
            ["Ours"],
            "framework.yaml: name: should be text, or the text per language such as "
            "{en: …, es: …, fr: …}, not ['Ours']",
        ),
    ],
    ids=["unknown-language", "no-english", "empty", "not-text", "a-list"],
)
def test_loader_names_a_bad_mapping(tmp_path, name, problem):
    with pytest.raises(FrameworkFileError) as caught:
        load_file(_framework_with(tmp_path, name))
    assert problem in str(caught.value).splitlines()
