"""Small factories for power map tests."""

from __future__ import annotations

from datetime import date

from backbone.powermap import services
from backbone.powermap.models import Body, Seat, Stakeholder


def make_stakeholder(initiative, name="City Council", *, influence=5, interest=4, by=None, **extra):
    fields = {"kind": "group", "stance": "neutral", **extra}
    return services.stakeholder_save(
        stakeholder=Stakeholder(
            initiative=initiative, name=name, influence=influence, interest=interest, **fields
        ),
        by=by,
    )


def make_body(initiative, name="Steering committee", **extra) -> Body:
    return services.body_save(body=Body(initiative=initiative, name=name, **extra))


def make_seat(body, *, person=None, organisation=None, since=date(2024, 1, 1), **extra) -> Seat:
    return services.seat_save(
        seat=Seat(body=body, person=person, organisation=organisation, since=since, **extra)
    )
