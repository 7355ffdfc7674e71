"""Writes: create, change and delete activities, each checked by the one validator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from backbone.deletion import delete_or_refuse
from backbone.initiatives.models import Initiative, Partner
from backbone.links import keyed
from backbone.revisions import revise

from .models import Activity


@dataclass
class ActivityData:
    """What a person says about an activity; the form and the API both build one."""

    partner: Partner
    name: str
    starts_on: date
    strategies: list = field(default_factory=list)
    description: str = ""
    places: list = field(default_factory=list)
    place_text: str = ""
    groups: list = field(default_factory=list)
    ends_on: date | None = None
    status: str = Activity.Status.PLANNED
    indicators: list = field(default_factory=list)
    depends_on: list = field(default_factory=list)


def _foreign(objects, initiative: Initiative) -> list[str]:
    return [str(o) for o in objects if o.initiative_id != initiative.pk]


def activity_problems(
    *, initiative: Initiative, data: ActivityData, activity: Activity | None = None
) -> dict[str, list[str]]:
    """Field errors for `data`; empty when it may be saved. Forms and services share it."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if data.partner.initiative_id != initiative.pk:
        add("partner", "Choose a partner of this initiative.")
    if not data.name.strip():
        add("name", "Say what the activity is.")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        add("ends_on", "The end cannot come before the start.")
    if data.status not in Activity.Status.values:
        add("status", "Choose a status.")
    if not data.strategies:
        add("strategies", "Choose at least one strategy it serves.")
    for name, label in (
        ("strategies", "strategies"),
        ("places", "places"),
        ("groups", "population groups"),
        ("indicators", "indicators"),
        ("depends_on", "activities"),
    ):
        if foreign := _foreign(getattr(data, name), initiative):
            add(name, f"These {label} are not of this initiative: {', '.join(foreign)}.")
    if not_places := [str(g) for g in data.places if not g.dimension.is_geography]:
        add("places", f"These are not places: {', '.join(not_places)}.")
    if places := [str(g) for g in data.groups if g.dimension.is_geography]:
        add("groups", f"Places belong under where, not population groups: {', '.join(places)}.")
    if activity is not None and any(d.pk == activity.pk for d in data.depends_on):
        add("depends_on", "An activity cannot depend on itself.")
    return problems


def _check(initiative: Initiative, data: ActivityData, activity: Activity | None) -> None:
    if problems := activity_problems(initiative=initiative, data=data, activity=activity):
        raise ValidationError(problems)


def _save(activity: Activity, data: ActivityData) -> Activity:
    for name in ("partner", "name", "description", "place_text", "starts_on", "ends_on"):
        setattr(activity, name, data.__dict__[name])
    activity.status = data.status
    activity.save()
    for name in ("strategies", "places", "groups", "indicators", "depends_on"):
        getattr(activity, name).set(getattr(data, name), through_defaults=keyed(activity))
    return activity


@transaction.atomic
def activity_create(*, initiative: Initiative, data: ActivityData) -> Activity:
    _check(initiative, data, None)
    return _save(Activity(initiative=initiative), data)


@transaction.atomic
def activity_update(
    *, activity: Activity, data: ActivityData, by=None, read_revision: int | None = None
) -> Activity:
    """Refused (EditConflict) when saved since the form was read at `read_revision`."""
    _check(activity.initiative, data, activity)
    revise(activity, read=read_revision, by=by)
    return _save(activity, data)


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    """DeleteRefused while a grant funds the activity."""
    delete_or_refuse(activity, kind="activity")
