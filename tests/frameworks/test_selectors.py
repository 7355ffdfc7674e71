"""Reading sections and phases out of a framework for other pages."""

import pytest

from backbone.frameworks.loader import load_file
from backbone.frameworks.models import Framework
from backbone.frameworks.selectors import (
    framework_components,
    framework_element,
    framework_phase_name,
    framework_phases,
    framework_section,
    phase_table,
)

from .conftest import FIVE_PHASES, THREE_PHASES

pytestmark = pytest.mark.unit


def unsaved(path) -> Framework:
    data = load_file(path)
    return Framework(slug=data["slug"], name=data["name"], data=data)


def test_framework_section_finds_section_by_key():
    section = framework_section(unsaved(THREE_PHASES), "preconditions")

    assert section["title"] == "Preconditions"
    assert [e["key"] for e in section["elements"]][0] == "influential_champions"


def test_framework_section_is_none_when_key_unknown_or_no_framework():
    assert framework_section(unsaved(THREE_PHASES), "no_such_section") is None
    assert framework_section(None, "phases") is None


def test_framework_element_finds_element_by_section_and_key():
    element = framework_element(unsaved(THREE_PHASES), "principles", "local_context")

    assert element["name"] == "Local context"


def test_framework_phase_name_names_phase_when_key_known():
    framework = unsaved(FIVE_PHASES)

    assert framework_phase_name(framework, "begin_implementation") == "Begin implementation"
    assert framework_phase_name(framework, "no_such_phase") is None
    assert framework_phase_name(framework, "") is None
    assert framework_phase_name(None, "initiate_action") is None


def test_framework_phases_and_components_are_empty_when_no_framework():
    assert framework_phases(None) == []
    assert framework_components(None) == []
    assert phase_table(None, current="initiate_action").rows == []


def test_framework_components_keep_their_place_when_only_later_phases_have_them():
    framework = unsaved(THREE_PHASES)
    phases = framework.data["sections"][3]["elements"]
    phases[0]["elements"] = [phases[0]["elements"][0], phases[0]["elements"][3]]
    phases[1]["elements"].insert(1, {"key": "funding", "name": "Funding", "summary": "Money."})

    keys = [c["key"] for c in framework_components(framework)]

    assert keys == [
        "governance_and_infrastructure", "funding", "strategic_planning",
        "community_involvement", "evaluation_and_improvement",
    ]  # fmt: skip


def test_phase_table_marks_current_phase_when_given():
    table = phase_table(unsaved(FIVE_PHASES), current="organise_for_impact")

    assert [c["name"] for c in table.components] == [
        "Governance and infrastructure", "Strategic planning",
        "Community involvement", "Evaluation and improvement",
    ]  # fmt: skip
    assert len(table.rows) == 5
    assert all(len(row.cells) == 4 for row in table.rows)
    assert [row.is_current for row in table.rows] == [False, False, True, False, False]
    assert table.current["key"] == "organise_for_impact"


def test_phase_table_leaves_gap_when_phase_lacks_component():
    framework = unsaved(THREE_PHASES)
    del framework.data["sections"][3]["elements"][0]["elements"][2]

    table = phase_table(framework)

    assert [c["key"] for c in table.components][2] == "community_involvement"
    assert table.rows[0].cells[2] is None
    assert table.rows[0].cells[3]["key"] == "evaluation_and_improvement"
    assert table.rows[1].cells[2]["key"] == "community_involvement"
    assert table.current is None
