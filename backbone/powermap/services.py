"""Writes of the power map: each checks the rules its form shows, so no path saves bad data,
and a stakeholder's every move is kept as a placement."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.permissions import COMMUNITY_ROLES
from backbone.revisions import revise

from .models import Body, Placement, Seat, Stakeholder

PLACEMENT_FIELDS = ("influence", "interest", "stance")


def organisation_problem(*, initiative: Initiative, organisation: Any) -> str | None:
    """A stakeholder or seat names an organisation only when it is a partner here."""
    if organisation is None:
        return None
    if not Partner.objects.filter(initiative=initiative, organisation=organisation).exists():
        return "That organisation is not a partner of this initiative."
    return None


def person_problem(*, initiative: Initiative, person: Any) -> str | None:
    if person is None:
        return None
    if not Membership.objects.filter(initiative=initiative, person=person).exists():
        return "The seat holder must be a person of this initiative."
    return None


def is_community_member(*, initiative: Initiative, person: Any) -> bool:
    return (
        person is not None
        and Membership.objects.filter(
            initiative=initiative, person=person, role__in=COMMUNITY_ROLES
        ).exists()
    )


def _raise(problems: dict[str, str | None]) -> None:
    found = {k: v for k, v in problems.items() if v}
    if found:
        raise ValidationError(found)


@transaction.atomic
def stakeholder_save(
    *, stakeholder: Stakeholder, by=None, note: str = "", read_revision: int | None = None
) -> Stakeholder:
    """Create or change a stakeholder. A new one, or one whose influence, interest or stance
    changed, gets a new placement (who placed it, when, and why it moved); the earlier ones
    stay as its history. A change is refused (EditConflict) when the stakeholder was saved
    since the form was read at `read_revision`."""
    _raise(
        {
            "organisation": organisation_problem(
                initiative=stakeholder.initiative, organisation=stakeholder.organisation
            )
        }
    )
    if stakeholder.organisation_id and not stakeholder.name:
        stakeholder.name = stakeholder.organisation.name
    if stakeholder.organisation_id and not stakeholder.sector:
        stakeholder.sector = stakeholder.organisation.sector
    revise(stakeholder, read=read_revision, by=by)
    before = None
    if stakeholder.pk:
        before = (
            Stakeholder.objects.filter(pk=stakeholder.pk).values(*PLACEMENT_FIELDS).first() or None
        )
    moved = before is None or any(before[f] != getattr(stakeholder, f) for f in PLACEMENT_FIELDS)
    now = timezone.now()
    if moved:
        stakeholder.placed_at, stakeholder.placed_by = now, by
    elif stakeholder.placed_at is None:
        stakeholder.placed_at = now
    stakeholder.full_clean()
    stakeholder.save()
    if moved:
        placement = Placement(
            initiative=stakeholder.initiative,
            stakeholder=stakeholder,
            influence=stakeholder.influence,
            interest=stakeholder.interest,
            stance=stakeholder.stance,
            note=note.strip(),
            placed_by=by,
            placed_at=now,
        )
        placement.full_clean()
        placement.save()
    return stakeholder


def stakeholder_delete(*, stakeholder: Stakeholder) -> None:
    stakeholder.delete()


@transaction.atomic
def body_save(*, body: Body, by=None, read_revision: int | None = None) -> Body:
    body.full_clean()
    revise(body, read=read_revision, by=by)
    body.save()
    return body


def seat_problems(*, seat: Seat) -> dict[str, str | None]:
    initiative = seat.body.initiative
    problems = {
        "person": person_problem(initiative=initiative, person=seat.person),
        "organisation": organisation_problem(initiative=initiative, organisation=seat.organisation),
    }
    if seat.person is None and seat.organisation is None:
        problems["person"] = "Name who holds the seat: a person, an organisation or both."
    if seat.since and seat.until and seat.until < seat.since:
        problems["until"] = "A seat cannot end before it starts."
    return problems


@transaction.atomic
def seat_save(*, seat: Seat, by=None, read_revision: int | None = None) -> Seat:
    """A seat held by a person with the community-member role is a community member's seat,
    whatever the box said; the backbone may also mark a seat so for a resident it seats
    without that role."""
    seat.initiative_id = seat.body.initiative_id
    _raise(seat_problems(seat=seat))
    if is_community_member(initiative=seat.body.initiative, person=seat.person):
        seat.community_member = True
    seat.full_clean()
    revise(seat, read=read_revision, by=by)
    seat.save()
    return seat


def seat_delete(*, seat: Seat) -> None:
    seat.delete()
