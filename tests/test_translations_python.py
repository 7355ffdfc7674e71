"""The guard for text Python hands a reader — flash messages, refusals, form fields' labels
and help: every such sentence is marked for translation. Modules that still hold unmarked
sentences are listed with their count, which may only fall: a new module is held to the rule
from its first line, and a module listed must lose its entry once clean."""

from __future__ import annotations

import ast
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
class Sector(models.TextChoices):
    HEALTH = "health", "Health"
    FAITH = "faith", pgettext_lazy("sector", "Faith")
problems.add("merged cells are not accepted", 3)
self.problems.add(gettext("merged cells are not accepted"), 3)
LineProblem(4, "name", "no organisation name.")
LineProblem(4, "name", gettext("no organisation name."))
"""
    assert [line for line, _ in unmarked_python(source)] == [2, 4, 5, 7, 11, 13, 15]


def unlabelled_fields(source: str) -> list[tuple[int, str]]:
    """(line, name) of each form field declared without a label: Django would show its
    name in English ("Status", "Owner"), which no catalogue holds."""
    found = []
    for cls in (n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ClassDef)):
        for statement in cls.body:
            if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)):
                continue
            call, target = statement.value, statement.targets[0]
            func = call.func
            if not (
                isinstance(func, ast.Attribute)
                and getattr(func.value, "id", "") == "forms"
                and func.attr.endswith("Field")
            ):
                continue
            words = {k.arg: ast.unparse(k.value) for k in call.keywords}
            if "label" not in words and "Hidden" not in words.get("widget", ""):
                found.append((statement.lineno, getattr(target, "id", "?")))
    return found


def test_every_declared_form_field_has_a_translated_label():
    found = {
        path.relative_to(BACKBONE).as_posix(): unlabelled_fields(path.read_text())
        for path in _modules()
    }
    assert {name: fields for name, fields in found.items() if fields} == {}


def test_the_label_guard_sees_a_field_without_one():
    source = """
class F(forms.Form):
    status = forms.ChoiceField(choices=[])
    owner = forms.CharField(label=_("Owner"))
    uuid = forms.CharField(widget=forms.HiddenInput)
"""
    assert unlabelled_fields(source) == [(3, "status")]


def _model_forms() -> list[type]:
    """Every ModelForm of the project, its modules imported."""
    import importlib

    from django import forms

    for path in BACKBONE.rglob("forms*.py"):
        importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    found, todo = [], [forms.ModelForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("backbone."):
                found.append(sub)
    return found


def test_every_model_form_field_has_a_translated_label():
    """A model field's label comes from its verbose name, which Django makes from its name
    ("since" → "Since") unless it is marked; a form's Meta.labels may give it instead."""
    from django.utils.functional import Promise

    unlabelled = []
    for form in _model_forms():
        meta = getattr(form, "_meta", None)
        if meta is None or meta.model is None:
            continue
        labels = meta.labels or {}
        for name in form.base_fields:
            if name in form.declared_fields or name in labels:
                continue
            try:
                field = meta.model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - not a model field: declared elsewhere
                continue
            if not isinstance(getattr(field, "verbose_name", None), Promise):
                unlabelled.append(f"{form.__module__}.{form.__name__}.{name}")
    assert unlabelled == [], "give a label in Meta.labels or a marked verbose_name"
