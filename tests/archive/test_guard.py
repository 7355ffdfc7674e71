"""Every model of Backbone has its place in the archive, and a new one cannot slip past it:
it is exported because it reaches an initiative, or named as left out (with the reason),
shared, or holding no initiative's data."""

from __future__ import annotations

import pytest
from django.db import models
from django.test.utils import isolate_apps

from backbone.archive import graph
from backbone.initiatives.models import Initiative


@pytest.mark.unit
def test_every_backbone_model_is_exported_left_out_shared_or_named():
    assert graph.unclassified() == [], (
        "These models are not in the initiative archive: give them a foreign key path to "
        "their initiative, or name them in backbone/archive/graph.py (LEFT_OUT with the "
        "reason, SHARED, or NOT_INITIATIVE_DATA)."
    )
    assert graph.misclassified() == []


@pytest.mark.unit
def test_what_the_archive_exports_and_leaves_out():
    exported = {owned.label for owned in graph.exported()}
    # Link tables with the initiative key (backbone.links) travel as lists in their rows.
    in_rows = {
        field.remote_field.through._meta.label
        for owned in graph.exported()
        for field in owned.m2m
        if not field.remote_field.through._meta.auto_created
    }
    assert exported == set(graph.belonging()) - set(graph.LEFT_OUT) - in_rows
    assert {"measurement.CellGroup", "activities.ActivityDependency"} <= in_rows
    assert {"assessments.Response", "measurement.ValueChange", "powermap.Seat"} <= exported
    assert not exported & set(graph.LEFT_OUT)
    assert all(len(why) > 20 for why in graph.LEFT_OUT.values())
    # Secrets stay home: no calendar link's token, no API key, no invitation.
    feed = next(o for o in graph.exported() if o.label == "communication.CalendarFeed")
    assert "token_hash" not in {f.name for f in feed.fields}
    assert {"measurement.ApiToken", "initiatives.Invitation"} <= set(graph.LEFT_OUT)


@pytest.mark.unit
def test_rows_are_written_after_the_rows_they_point_at():
    order = [owned.model for owned in graph.exported()]
    for index, owned in enumerate(graph.exported()):
        for field in owned.fields:
            if field.is_relation and field.name not in owned.deferred:
                target = field.related_model
                assert target not in order[index:], f"{owned.label}.{field.name}"


@pytest.fixture
def registry(monkeypatch):
    """The model graph with the models a test adds to it (in an isolated registry)."""
    extra: list[type[models.Model]] = []
    real = graph.backbone_models
    monkeypatch.setattr(graph, "backbone_models", lambda: [*real(), *extra])
    graph.belonging.cache_clear()
    graph.exported.cache_clear()
    yield extra
    graph.belonging.cache_clear()
    graph.exported.cache_clear()


@pytest.mark.unit
@isolate_apps("backbone.archive")
def test_a_new_model_reaching_an_initiative_is_exported(registry):
    class Tally(models.Model):  # noqa: DJ008 (a model of the test only)
        initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE)

        class Meta:
            app_label = "archive"

    registry.append(Tally)
    assert "archive.Tally" in {owned.label for owned in graph.exported()}
    assert graph.unclassified() == []


@pytest.mark.unit
@isolate_apps("backbone.archive")
def test_the_guard_fails_on_a_new_model_of_an_initiative_it_cannot_reach(registry):
    class Shortlist(models.Model):  # noqa: DJ008 (tied to initiatives without a foreign key)
        initiatives = models.ManyToManyField(Initiative)

        class Meta:
            app_label = "archive"

    registry.append(Shortlist)
    assert graph.unclassified() == ["archive.Shortlist"]
