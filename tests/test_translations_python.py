"""The guard for text Python hands a reader — flash messages, refusals, form fields' labels
and help: every such sentence is marked for translation. Modules that still hold unmarked
sentences are listed with their count, which may only fall: a new module is held to the rule
from its first line, and a module listed must lose its entry once clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.translations import ROOT, unmarked_python

pytestmark = pytest.mark.unit

BACKBONE = ROOT / "backbone"

#: Unmarked sentences left, by module (what `unmarked_python` finds there).
NOT_YET: dict[str, int] = {}


def _modules() -> list[Path]:
    return [p for p in sorted(BACKBONE.rglob("*.py")) if "migrations" not in p.parts]


def test_no_module_gains_an_unmarked_sentence():
    found = {}
    for path in _modules():
        count = len(unmarked_python(path.read_text()))
        if count:
            found[path.relative_to(BACKBONE).as_posix()] = count
    grown = {
        name: (count, NOT_YET.get(name, 0))
        for name, count in found.items()
        if count > NOT_YET.get(name, 0)
    }
    assert grown == {}, "mark them with gettext (README, Translations): now vs allowed"
    fallen = {
        name: (found.get(name, 0), was) for name, was in NOT_YET.items() if found.get(name, 0) < was
    }
    assert fallen == {}, "fewer unmarked sentences: lower their count in NOT_YET"


def test_the_guard_finds_what_a_reader_would_see():
    source = """
messages.success(request, "Saved.")
messages.success(request, gettext("Saved."))
messages.error(request, f"{name} is gone")
raise ValidationError("Choose one.")
raise ValidationError(_("Choose one."))
field = forms.CharField(label="Name", help_text=gettext_lazy("Who you are."))
other = forms.CharField(label=name)
note = gettext("%(n)s left") % {"n": 3}
"""
    assert [line for line, _ in unmarked_python(source)] == [2, 4, 5, 7]
