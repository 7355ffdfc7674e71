"""Who reports what, for tests whose partners all report every indicator: an indicator is
expected only from the partners assigned to it."""

from __future__ import annotations

from backbone.initiatives.models import Initiative, Partner
from backbone.measurement.completeness.models import ReportingAssignment
from backbone.measurement.completeness.services import assignments_set
from backbone.measurement.models import Indicator


def assign_every_partner(initiative: Initiative) -> None:
    """Assign every partner of `initiative` to every one of its indicators."""
    partners = list(Partner.objects.filter(initiative=initiative))
    assignments_set(
        initiative=initiative,
        reporters={i: partners for i in Indicator.objects.filter(initiative=initiative)},
        by=None,
    )


def assign(indicator: Indicator, partner: Partner) -> None:
    """Add `partner` to `indicator`'s reporters, keeping the others."""
    ReportingAssignment.objects.get_or_create(
        initiative_id=indicator.initiative_id, indicator=indicator, partner=partner
    )


def assign_to_every_indicator(partner: Partner) -> None:
    """A partner added to a test reports every indicator its initiative has so far."""
    for indicator in Indicator.objects.filter(initiative_id=partner.initiative_id):
        assign(indicator, partner)
