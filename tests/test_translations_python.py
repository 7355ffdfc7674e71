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
NOT_YET = {
    "accounts/forms.py": 2,
    "accounts/middleware.py": 2,
    "accounts/models.py": 3,
    "accounts/views_tokens.py": 4,
    "accounts/views_two_factor.py": 10,
    "activities/forms.py": 15,
    "activities/models.py": 1,
    "activities/views.py": 2,
    "advocacy/forms.py": 2,
    "advocacy/models.py": 5,
    "advocacy/views.py": 5,
    "agenda/forms.py": 1,
    "agenda/models.py": 2,
    "agenda/views.py": 6,
    "assessments/forms.py": 11,
    "assessments/models.py": 13,
    "assessments/services.py": 10,
    "assessments/views.py": 6,
    "audit/models.py": 2,
    "audit/views.py": 1,
    "communication/forms.py": 9,
    "communication/models.py": 5,
    "communication/views.py": 8,
    "completeness/forms.py": 1,
    "completeness/models.py": 1,
    "completeness/views.py": 1,
    "dashboards/models.py": 5,
    "dashboards/views.py": 1,
    "decisions/forms.py": 27,
    "decisions/models.py": 4,
    "decisions/services.py": 3,
    "decisions/views.py": 6,
    "frameworks/models.py": 1,
    "health/models.py": 1,
    "health/signals.py": 3,
    "health/views.py": 1,
    "initiatives/forms.py": 14,
    "initiatives/members.py": 1,
    "initiatives/models.py": 8,
    "initiatives/services.py": 3,
    "initiatives/views.py": 9,
    "initiatives/views_members.py": 3,
    "learning/forms.py": 6,
    "learning/models.py": 5,
    "learning/views.py": 3,
    "links.py": 1,
    "measurement/files/forms.py": 10,
    "measurement/forms_setup.py": 19,
    "measurement/models/dimensions.py": 1,
    "measurement/models/indicators.py": 4,
    "measurement/models/periods.py": 3,
    "measurement/models/values.py": 7,
    "measurement/views_exchange.py": 28,
    "measurement/views_setup.py": 11,
    "network/forms.py": 11,
    "network/models.py": 2,
    "network/views.py": 2,
    "notifications/models.py": 1,
    "notifications/views.py": 2,
    "phases/forms.py": 6,
    "phases/models.py": 3,
    "phases/views.py": 1,
    "powermap/forms.py": 2,
    "powermap/models.py": 6,
    "powermap/views.py": 4,
    "reports/models.py": 4,
    "reports/pdf.py": 1,
    "reports/views.py": 2,
    "revisions.py": 1,
    "updates/models.py": 3,
    "webhooks/addresses.py": 2,
    "webhooks/forms.py": 5,
    "webhooks/models.py": 1,
    "webhooks/views.py": 4,
    "workplan/forms.py": 17,
    "workplan/models.py": 2,
    "workplan/views.py": 5,
}


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
