"""Reading and checking framework files: no database needed."""

import pytest

from backbone.frameworks.loader import FrameworkFileError, key_path, load_file
from backbone.frameworks.texts import text_in

from .conftest import FIVE_PHASES, THREE_PHASES

pytestmark = pytest.mark.unit

COMPONENTS = [
    "governance_and_infrastructure",
    "strategic_planning",
    "community_involvement",
    "evaluation_and_improvement",
]


def elements(data: dict, section_key: str) -> list[dict]:
    return next(s["elements"] for s in data["sections"] if s["key"] == section_key)


def keys(data: dict, section_key: str) -> list[str]:
    return [e["key"] for e in elements(data, section_key)]


@pytest.mark.parametrize("path", [THREE_PHASES, FIVE_PHASES], ids=lambda p: p.name)
def test_shipped_file_loads_when_valid(path):
    data = load_file(path)

    assert data["slug"] == path.stem
    assert [s["key"] for s in data["sections"]] == [
        "conditions", "backbone_roles", "preconditions", "phases",
        "impact_journey", "principles", "equity_strategies", "collaboration_factors",
    ]  # fmt: skip


@pytest.mark.parametrize("path", [THREE_PHASES, FIVE_PHASES], ids=lambda p: p.name)
def test_shipped_file_counts_match_the_framework(path):
    data = load_file(path)

    assert len(elements(data, "conditions")) == 5
    assert len(elements(data, "backbone_roles")) == 6
    assert len(elements(data, "preconditions")) == 3
    assert len(elements(data, "impact_journey")) == 5
    assert len(elements(data, "principles")) == 8
    assert len(elements(data, "equity_strategies")) == 5


def test_three_phase_file_has_three_phases_of_four_components():
    data = load_file(THREE_PHASES)

    assert keys(data, "phases") == [
        "initiate_action", "organise_for_impact", "sustain_action_and_impact",
    ]  # fmt: skip
    for phase in elements(data, "phases"):
        assert [c["key"] for c in phase["elements"]] == COMPONENTS


def test_five_phase_file_has_five_phases_of_four_components():
    data = load_file(FIVE_PHASES)

    assert keys(data, "phases") == [
        "assess_readiness", "initiate_action", "organise_for_impact",
        "begin_implementation", "sustain_action_and_impact",
    ]  # fmt: skip
    for phase in elements(data, "phases"):
        assert [c["key"] for c in phase["elements"]] == COMPONENTS


def test_shipped_component_summaries_differ_by_phase():
    for path in (THREE_PHASES, FIVE_PHASES):
        phases = elements(load_file(path), "phases")
        for index in range(len(COMPONENTS)):
            summaries = {text_in(phase["elements"][index]["summary"], "en") for phase in phases}
            assert len(summaries) == len(phases), (path.name, COMPONENTS[index])


def test_shipped_file_has_backbone_roles_in_product_order():
    assert keys(load_file(THREE_PHASES), "backbone_roles") == [
        "guide_vision_and_strategy", "support_aligned_activities",
        "establish_shared_measurement_practices", "build_public_will",
        "advance_policy", "mobilise_funding",
    ]  # fmt: skip


def test_key_path_formats_indexes_and_names():
    assert key_path(["sections", 2, "elements", 0, "name"]) == "sections[2].elements[0].name"
    assert key_path([]) == ""


def load_error(path) -> str:
    with pytest.raises(FrameworkFileError) as caught:
        load_file(path)
    return str(caught.value)


def test_load_file_fails_when_element_name_missing(shipped_data, write_framework):
    del shipped_data["sections"][2]["elements"][0]["name"]

    message = load_error(write_framework(shipped_data))

    assert message == "broken.yaml: sections[2].elements[0].name: 'name' is a required property"


def test_load_file_fails_when_top_level_key_missing(shipped_data, write_framework):
    del shipped_data["version"]

    assert load_error(write_framework(shipped_data)) == (
        "broken.yaml: version: 'version' is a required property"
    )


def test_load_file_fails_when_value_has_wrong_type(shipped_data, write_framework):
    shipped_data["sections"][0]["elements"] = "common agenda, shared measurement"

    message = load_error(write_framework(shipped_data))

    assert message.startswith("broken.yaml: sections[0].elements: should be a list, not ")


def test_load_file_fails_when_version_is_a_number(shipped_data, write_framework):
    shipped_data["version"] = 1.5

    assert load_error(write_framework(shipped_data)) == (
        "broken.yaml: version: should be text, not 1.5"
    )


def test_load_file_fails_when_key_is_not_a_slug(shipped_data, write_framework):
    shipped_data["sections"][1]["elements"][3]["key"] = "Build Public Will"

    message = load_error(write_framework(shipped_data))

    assert message.startswith("broken.yaml: sections[1].elements[3].key: 'Build Public Will'")
    assert "is not a valid key" in message


def test_load_file_fails_when_key_is_unknown(shipped_data, write_framework):
    shipped_data["sections"][0]["elements"][1]["summery"] = "A typo."

    message = load_error(write_framework(shipped_data))

    assert message.startswith("broken.yaml: sections[0].elements[1].summery: unknown key")


def test_load_file_fails_when_element_key_duplicated(shipped_data, write_framework):
    conditions = shipped_data["sections"][0]["elements"]
    conditions[4]["key"] = conditions[1]["key"]

    assert load_error(write_framework(shipped_data)) == (
        "broken.yaml: sections[0].elements[4].key: duplicate key 'shared_measurement' "
        "(already used by sections[0].elements[1])"
    )


def test_load_file_fails_when_component_key_duplicated(shipped_data, write_framework):
    components = shipped_data["sections"][3]["elements"][1]["elements"]
    components[3]["key"] = "strategic_planning"

    message = load_error(write_framework(shipped_data))

    assert message == (
        "broken.yaml: sections[3].elements[1].elements[3].key: duplicate key "
        "'strategic_planning' (already used by sections[3].elements[1].elements[1])"
    )


def test_load_file_fails_when_section_key_duplicated(shipped_data, write_framework):
    shipped_data["sections"][6]["key"] = "principles"

    message = load_error(write_framework(shipped_data))

    assert "broken.yaml: sections[6].key: duplicate key 'principles'" in message
    assert "broken.yaml: sections: the section 'equity_strategies' is required" in message


def test_load_file_fails_when_required_section_missing(shipped_data, write_framework):
    shipped_data["sections"] = [s for s in shipped_data["sections"] if s["key"] != "preconditions"]

    assert load_error(write_framework(shipped_data)) == (
        "broken.yaml: sections: the section 'preconditions' is required but missing"
    )


def test_load_file_fails_when_phase_has_no_components(shipped_data, write_framework):
    del shipped_data["sections"][3]["elements"][2]["elements"]

    assert load_error(write_framework(shipped_data)) == (
        "broken.yaml: sections[3].elements[2].elements: 'elements' is a required property"
    )


def test_load_file_fails_with_line_when_yaml_is_broken(write_framework):
    text = "slug: broken\nname: Broken\nsections:\n  - key: conditions\n   title: [unclosed\n"

    message = load_error(write_framework(text))

    assert message.startswith("broken.yaml: line 5, column ")


def test_load_file_fails_with_line_when_yaml_key_repeated(write_framework):
    text = "slug: twice\nname: Once\nname: Twice\n"

    assert load_error(write_framework(text)) == (
        "broken.yaml: line 3, column 1: duplicate key 'name' (already given on line 2)"
    )


def test_load_file_fails_when_file_is_empty(write_framework):
    assert load_error(write_framework("")) == "broken.yaml: the file is empty"


def test_load_file_fails_when_top_level_is_a_list(write_framework):
    assert load_error(write_framework("- one\n- two\n")) == (
        "broken.yaml: (top level): should be a mapping of keys to values, not ['one', 'two']"
    )


def test_load_file_lists_every_problem_when_several(shipped_data, write_framework):
    del shipped_data["name"]
    del shipped_data["sections"][5]["elements"][7]["summary"]

    message = load_error(write_framework(shipped_data))

    assert message.splitlines() == [
        "broken.yaml: name: 'name' is a required property",
        "broken.yaml: sections[5].elements[7].summary: 'summary' is a required property",
    ]
