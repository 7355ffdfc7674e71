"""The first steps of a new initiative, each ticked from what the initiative has recorded.

The backbone's staff see them on the overview until every one is done, so that a new
initiative reads as work under way rather than empty pages. All of them are read in one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef
from django.urls import reverse

from backbone.agenda.models import AgendaVersion
from backbone.measurement.completeness.models import ReportingAssignment
from backbone.measurement.models import Indicator, Period
from backbone.permissions import STAFF_ROLES

from .models import Initiative, Invitation, Membership, Partner


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    why: str
    done: bool
    url: str
    action: str  # the link's words


def _flags(initiative: Initiative) -> dict[str, bool]:
    """Whether each step's data exists, as one row."""
    own = {"initiative": OuterRef("pk")}
    people = Membership.objects.filter(**own).exclude(role__in=STAFF_ROLES)
    checks = {
        # A draft is not yet the partners' agenda: the step ticks once a version is published.
        "agenda": Exists(AgendaVersion.objects.filter(**own)),
        "partners": Exists(Partner.objects.filter(**own)),
        "indicators": Exists(Indicator.objects.filter(**own)),
        "assignments": Exists(ReportingAssignment.objects.filter(**own)),
        "periods": Exists(Period.objects.filter(**own)),
        "people": Exists(Invitation.objects.filter(**own)) | Exists(people),
    }
    row = (
        Initiative.objects.filter(pk=initiative.pk)
        .values(
            **{
                f"has_{k}": ExpressionWrapper(v, output_field=BooleanField())
                for k, v in checks.items()
            }
        )
        .get()
    )
    return {k: bool(row[f"has_{k}"]) for k in checks}


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]

    @property
    def done(self) -> int:
        return sum(s.done for s in self.steps)

    @property
    def complete(self) -> bool:
        return self.done == len(self.steps)


def getting_started(initiative: Initiative) -> Checklist:
    """The steps in the order a backbone takes them, each with the page that does it."""
    done = _flags(initiative)
    slug = [initiative.slug]
    steps = [
        Step(
            "agenda",
            "Write the common agenda",
            "A problem statement or vision and the goals, published as the first version.",
            done["agenda"],
            reverse("agenda:edit", args=slug),
            "Edit the agenda",
        ),
        Step(
            "partners",
            "Add the partners",
            "The organisations taking part; paste a list to add them at once.",
            done["partners"],
            reverse("initiatives:partners", args=slug) + "#add-many",
            "Add partners",
        ),
        Step(
            "indicators",
            "Define the indicators",
            "The short list of measures everyone reports the same way.",
            done["indicators"],
            reverse("measurement:home", args=slug),
            "Set up indicators",
        ),
        Step(
            "assignments",
            "Say who reports what",
            "Which partners report each indicator; without it, every partner owes every one.",
            done["assignments"],
            reverse("completeness:assignments", args=slug),
            "Assign reporting",
        ),
        Step(
            "periods",
            "Open the first reporting periods",
            "The months, quarters or years reports are due for, and when.",
            done["periods"],
            reverse("measurement:periods", args=slug),
            "Add periods",
        ),
        Step(
            "people",
            "Invite the people",
            "Partners' stewards and members, community members, funders: an invitation sent "
            "or someone joined.",
            done["people"],
            reverse("initiatives:members", args=slug),
            "Invite people",
        ),
    ]
    return Checklist(steps)
