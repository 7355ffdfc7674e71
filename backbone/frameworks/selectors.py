"""Reads of a framework's content that several pages need.

Every function takes the framework or None (an initiative that has not chosen one yet) and
answers with something empty rather than failing, so callers need no special case. Names,
titles and summaries come in the reader's language (`texts.localized`); keys never change.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Framework
from .texts import localized, text_in


def framework_section(framework: Framework | None, key: str) -> dict | None:
    """The section with this key (`conditions`, `phases`, …), or None."""
    if framework is None:
        return None
    found = next((s for s in framework.data.get("sections", []) if s.get("key") == key), None)
    return localized(found) if found is not None else None


def framework_sections(framework: Framework | None) -> list[dict]:
    """Every section in the file's order, its text in the reader's language."""
    if framework is None:
        return []
    return localized(list(framework.data.get("sections", [])))


def framework_text(framework: Framework | None, field: str) -> str:
    """The framework's `name`, `summary` or `source` in the reader's language ("" if none)."""
    if framework is None:
        return ""
    return text_in(framework.data.get(field)) or str(getattr(framework, field, "") or "")


def framework_elements(framework: Framework | None, section_key: str) -> list[dict]:
    section = framework_section(framework, section_key)
    return list(section.get("elements", [])) if section else []


def framework_element(
    framework: Framework | None, section_key: str, element_key: str
) -> dict | None:
    return next(
        (e for e in framework_elements(framework, section_key) if e.get("key") == element_key),
        None,
    )


def framework_phases(framework: Framework | None) -> list[dict]:
    """The phases in order, each with its components as `elements`."""
    return framework_elements(framework, "phases")


def framework_phase_name(framework: Framework | None, phase_key: str | None) -> str | None:
    """The name of the phase with this key, or None when the framework has no such phase."""
    if not phase_key:
        return None
    phase = framework_element(framework, "phases", phase_key)
    return phase["name"] if phase else None


def framework_components(framework: Framework | None) -> list[dict]:
    """The components phases are worked across, each as `{"key", "name"}`.

    In the order the phases list them; a component only some phases have goes after the
    component it follows there. Its summary belongs to the component within one phase.
    """
    order: list[dict] = []
    for phase in framework_phases(framework):
        after = -1
        for component in phase.get("elements", []):
            known = [c["key"] for c in order]
            if component["key"] in known:
                after = known.index(component["key"])
            else:
                after += 1
                order.insert(after, {"key": component["key"], "name": component["name"]})
    return order


@dataclass(frozen=True)
class PhaseRow:
    phase: dict
    cells: list[dict | None]  # one per component; None where a phase lacks that component
    is_current: bool


@dataclass(frozen=True)
class PhaseTable:
    components: list[dict]
    rows: list[PhaseRow]

    @property
    def current(self) -> dict | None:
        return next((row.phase for row in self.rows if row.is_current), None)


def phase_table(framework: Framework | None, current: str | None = None) -> PhaseTable:
    """Phases as rows and components as columns, with the `current` phase marked."""
    components = framework_components(framework)
    rows = []
    for phase in framework_phases(framework):
        by_key = {c["key"]: c for c in phase.get("elements", [])}
        rows.append(
            PhaseRow(
                phase=phase,
                cells=[by_key.get(c["key"]) for c in components],
                is_current=bool(current) and phase["key"] == current,
            )
        )
    return PhaseTable(components=components, rows=rows)


def framework_choices():
    """The shipped frameworks an initiative without one may choose from."""
    return Framework.objects.only("slug", "name", "summary", "data")
