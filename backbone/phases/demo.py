"""The demo's phase tracker: Riverton finished initiating action before its launch, has
organised for impact but for community involvement (residents are not yet on the steering
committee), and has begun to plan how to sustain the work.

Built through the service, one change per step, so every cell has its history.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.frameworks.selectors import framework_phases
from backbone.initiatives.models import Initiative
from backbone.initiatives.roles import Role

from . import services
from .models import PhaseCell, Status

G, S, C, E = (
    "governance_and_infrastructure",
    "strategic_planning",
    "community_involvement",
    "evaluation_and_improvement",
)

# Per stage (the framework's first, second and third phase), per component:
# (status, started, completed, evidence). The finished work's days are (years after the launch
# year, month, day), its evidence names years by `_years`; what is under way is counted back
# from today. The launch moves with today, so all of it does.
FIRST = {
    G: (
        Status.DONE,
        (-1, 9, 12),
        (0, 1, 15),
        "Twelve champions from the school district, the county, United Way and two resident "
        "associations met monthly from September {before} and signed the founding charter at the "
        "launch on 15 January {launch}.",
    ),
    S: (
        Status.DONE,
        (-1, 10, 3),
        (0, 3, 15),
        "A scan of the programmes serving children and young people from birth to 24, and "
        "the case for change put to the county board; the first common agenda was adopted "
        "on 15 March {launch}.",
    ),
    C: (
        Status.DONE,
        (-1, 11, 1),
        (0, 2, 28),
        "Eight neighbourhood conversations in Eastgate, Northside, Southside and Millbrook; "
        "what families said is quoted in the problem statement.",
    ),
    E: (
        Status.DONE,
        (0, 1, 16),
        (0, 4, 28),
        "Baselines for kindergarten readiness, third-grade reading and chronic absence from "
        "the district's {baseline} results; the missing post-secondary data noted for the "
        "data-sharing group.",
    ),
}
SECOND = {
    G: (
        Status.DONE,
        (0, 3, 20),
        (0, 6, 30),
        "A backbone of two hosted by United Way of Riverton County; four action teams with "
        "charters, leads and a way of deciding; the data-sharing working group for records "
        "about named families.",
    ),
    S: (
        Status.DONE,
        (0, 4, 3),
        (1, 4, 18),
        "Version 3 of the common agenda, with four goals and their strategies and an equity "
        "lens after the {next} data walk, adopted on 18 April {next} and endorsed by most active "
        "partners.",
    ),
    C: (
        Status.IN_PROGRESS,
        (0, 5, 8),
        None,
        "31 listening sessions fed the second version of the agenda and two parents joined "
        "the kindergarten readiness team; residents do not yet hold seats on the steering "
        "committee.",
    ),
    E: (
        Status.DONE,
        (0, 5, 1),
        (1, 5, 31),
        "Shared indicators agreed with their definitions and breakdowns by race, income and "
        "school; partners report through Backbone and the first data walk was held in "
        "spring {next}.",
    ),
}
THIRD_DAYS_AGO = {
    G: (
        120,
        "A sustainability plan drafted with the funders' table; a second year of mentor "
        "funding has been asked for.",
    ),
    E: (
        60,
        "A developmental evaluation of the attendance mentor pilot, with the evaluator, to "
        "decide whether to take it to every school.",
    ),
}


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(16, 0)))


def _years(launch: date) -> dict[str, str]:
    """The years the evidence names, from the launch: the district's baseline runs over the
    three school years before it."""
    return {
        "before": str(launch.year - 1),
        "launch": str(launch.year),
        "next": str(launch.year + 1),
        "baseline": f"{launch.year - 3}–{(launch.year - 1) % 100:02d}",
    }


def _finished(plan: dict, launch: date) -> dict:
    """The plan with its days put in the launch's years and its evidence's years filled in."""

    def day(when):
        return date(launch.year + when[0], when[1], when[2]) if when else None

    years = _years(launch)
    return {
        key: (status, day(started), day(completed), text.format(**years))
        for key, (status, started, completed, text) in plan.items()
    }


@transaction.atomic
def phases_demo(*, initiative: Initiative) -> int:
    """Fill the tracker; returns how many cells were recorded."""
    PhaseCell.objects.filter(initiative=initiative).delete()
    phases = framework_phases(initiative.framework)
    if len(phases) < 3:
        return 0
    staff = list(
        Person.objects.filter(
            memberships__initiative=initiative, memberships__role=Role.BACKBONE_STAFF
        ).order_by("name")
    )
    lead = next((p for p in staff if p.name == "Maya Okafor"), staff[0] if staff else None)
    data_lead = next((p for p in staff if p.name == "Luis Ortega"), lead)
    today = timezone.localdate()
    launch = initiative.start_date or date(today.year - 3, 1, 15)
    third = {
        key: (Status.IN_PROGRESS, today - timedelta(days=days), None, text)
        for key, (days, text) in THIRD_DAYS_AGO.items()
    }
    recorded = 0
    plans = (_finished(FIRST, launch), _finished(SECOND, launch), third)
    for phase, plan in zip(phases[:3], plans, strict=True):
        for component in phase.get("elements", []):
            if component["key"] not in plan:
                continue
            status, started, completed, evidence = plan[component["key"]]
            by = data_lead if component["key"] == E else lead
            cell = {"initiative": initiative, "phase": phase["key"], "component": component["key"]}
            services.cell_record(
                **cell,
                status=Status.IN_PROGRESS,
                started_on=started,
                evidence="" if completed else evidence,
                note="Work began",
                by=by,
                at=_at(started),
            )
            if completed:
                services.cell_record(
                    **cell,
                    status=status,
                    started_on=started,
                    completed_on=completed,
                    evidence=evidence,
                    note="Done, with the evidence",
                    by=by,
                    at=_at(completed),
                )
            recorded += 1
    return recorded
