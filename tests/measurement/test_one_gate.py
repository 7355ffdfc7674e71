"""Published figures pass one gate. Every page, file and API answer that shows an indicator's
figures takes them from `dashboards.scorecard.Board` (the scorecard, indicator page, public
scorecard and embed, CSV files, funder report) or, for the API's series, from the same
disclosure decision (`measurement.disclosure`). No other module may ask the aggregation
engine: a new consumer that computed figures its own way would skip small-number suppression.
This test reads every module's imports and fails on one that reaches the engine unlisted."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2] / "backbone"
ENGINE = "backbone.measurement.aggregation"

# Module → why it may ask the engine.
ALLOWED = {
    "backbone.measurement.privacy.disclosure": "decides, once per period, which figures are shown",
    "backbone.measurement.rollups": "writes the roll-ups the engine reads",
    "backbone.measurement.privacy": "judges a Result small; it reads no figures",
    "backbone.measurement.api.results": "the series API, filtered by the disclosure's decision",
    "backbone.dashboards.cache": "keeps the engine's answers for the Board",
    "backbone.dashboards.scorecard": "the Board: every page's figures, as disclosed",
    "backbone.dashboards.indicator_page": "the Board's figures, and per-partner values for "
    "readers who may see them",
    "backbone.dashboards.tables": "cuts the tables a reader chooses from the Board's cells, "
    "each figure as the Board's disclosure decides",
    "backbone.initiatives.partner_page": "a partner's own values for readers who may see that "
    "partner's data, beside the initiative's figures from the Board",
}
# Who reads figures, and through which gate.
CONSUMERS = {
    "backbone.dashboards.views": "backbone.dashboards.scorecard",
    "backbone.dashboards.exports": "backbone.dashboards.scorecard",
    "backbone.reports.sections": "backbone.dashboards.scorecard",
    "backbone.dashboards.api": "backbone.dashboards.indicator_page",
}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules a file imports, its relative imports resolved."""
    package = _module(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def _sources() -> dict[str, set[str]]:
    return {
        _module(path): _imports(path)
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and "aggregation" not in path.parts
    }


def test_only_the_gates_ask_the_aggregation_engine():
    askers = {name for name, found in _sources().items() if ENGINE in found}
    assert askers == set(ALLOWED), (
        "modules that compute figures outside the gate: "
        f"{sorted(askers - set(ALLOWED))}; listed but no longer asking: "
        f"{sorted(set(ALLOWED) - askers)}"
    )


def test_every_consumer_of_figures_goes_through_the_board():
    sources = _sources()
    for consumer, gate in CONSUMERS.items():
        reached = {name for name in sources[consumer] if name.startswith(gate)}
        assert reached, f"{consumer} no longer reads its figures from {gate}"


def test_the_guard_sees_relative_and_absolute_imports():
    """The import reader the guard rests on finds both spellings."""
    module = ROOT / "measurement" / "api" / "results.py"
    assert ENGINE in _imports(module)
    assert ENGINE in _imports(ROOT / "measurement" / "rollups.py")
