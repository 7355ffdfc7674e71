"""Values come in one way. The web form, CSV and Excel uploads, the REST API, DHIS2 payloads
and the demo all call `intake.service.values_import`, which turns who reports, for whom and
with what correction into an `Intake` in one place. This test reads every module and fails
on one that builds an `Intake`, or reads a file into one, on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2] / "backbone"
BUILDERS = {"Intake", "import_file"}
# Module → why it may build an intake itself.
ALLOWED = {
    "backbone/measurement/intake/service.py": "the service itself",
    "backbone/measurement/files/reading/importing.py": "reads a file into the service's intake",
}
# Every way in, which must call the service.
WAYS_IN = [
    "backbone/measurement/web/views_reporting.py",  # the web form
    "backbone/measurement/web/views_files.py",  # CSV and Excel uploads
    "backbone/measurement/api/values.py",  # the REST API
    "backbone/measurement/dhis2/importing.py",  # DHIS2 dataValueSets
    "backbone/demo/measurement.py",  # the demo's reports
]


def _called(path: Path) -> set[str]:
    """The names of every function or class a module calls, by their last part."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                found.add(func.id)
            elif isinstance(func, ast.Attribute):
                found.add(func.attr)
    return found


def _relative(path: Path) -> str:
    return path.relative_to(ROOT.parent).as_posix()


def test_no_module_builds_an_intake_but_the_service():
    builders = {
        _relative(path): sorted(_called(path) & BUILDERS)
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
    }
    strays = {m: names for m, names in builders.items() if names and m not in ALLOWED}
    assert not strays, f"Call intake.service.values_import instead: {strays}"
    assert all(builders[m] for m in ALLOWED), "An allowed builder no longer builds: drop it"


@pytest.mark.parametrize("module", WAYS_IN)
def test_every_way_in_calls_the_service(module):
    assert "values_import" in _called(ROOT.parent / module)
