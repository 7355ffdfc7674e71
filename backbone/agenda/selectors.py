"""Reads of the common agenda that several pages need."""

from __future__ import annotations

from django.db.models import Prefetch

from backbone.initiatives.models import Initiative

from .models import Agenda, AgendaVersion, Goal, Strategy


def current_version(initiative: Initiative) -> AgendaVersion | None:
    return AgendaVersion.objects.filter(initiative=initiative).order_by("-number").first()


def goals_with_strategies(initiative: Initiative):
    return Goal.objects.filter(initiative=initiative).prefetch_related(
        Prefetch(
            "strategies",
            queryset=Strategy.objects.prefetch_related("actions"),
        )
    )


def agenda_summary(initiative: Initiative) -> dict:
    """What an overview shows of the agenda: vision, goals and the current version."""
    return {
        "agenda": Agenda.objects.filter(initiative=initiative).first(),
        "goals": list(goals_with_strategies(initiative)),
        "version": current_version(initiative),
    }


def pending_endorsements(person) -> list[dict]:
    """Partners this person stewards that have not endorsed their initiative's current version."""
    from backbone.initiatives.models import Membership, Partner

    from .models import Endorsement

    if not person.is_authenticated:
        return []
    stewardships = Membership.objects.filter(
        person=person, role="partner_steward"
    ).select_related("initiative", "organisation")
    waiting = []
    for membership in stewardships:
        version = current_version(membership.initiative)
        if version is None:
            continue
        partner = Partner.objects.filter(
            initiative=membership.initiative,
            organisation=membership.organisation,
            status="active",
        ).first()
        if partner and not Endorsement.objects.filter(version=version, partner=partner).exists():
            waiting.append({"initiative": membership.initiative, "partner": partner, "version": version})
    return waiting
