"""Who reports what in the demo initiative, for the demo builder to call once its values are in.

Each indicator is assigned to the partners that reported values for it; an indicator nobody
reported yet goes to the organisation that owns it, when that organisation is a partner.
Without this nobody would owe anything, and the demo's completeness would be empty.
"""

from __future__ import annotations

from collections import defaultdict

from backbone.initiatives.models import Initiative, Partner
from backbone.measurement.models import DataValue, Indicator

from .services import assignments_set


def completeness_demo(*, initiative: Initiative, by=None) -> dict[str, list[str]]:
    """Assign the demo's reporting partners; returns indicator code → organisation names."""
    found = Partner.objects.filter(initiative=initiative).select_related("organisation")
    partners = {p.pk: p for p in found}
    by_org = {p.organisation_id: p for p in partners.values()}
    reported: dict[int, set[int]] = defaultdict(set)
    for indicator_id, partner_id in (
        DataValue.objects.filter(initiative=initiative)
        .values_list("indicator_id", "partner_id")
        .distinct()
    ):
        reported[indicator_id].add(partner_id)
    reporters = {}
    for indicator in Indicator.objects.filter(initiative=initiative):
        ids = reported.get(indicator.pk) or (
            {by_org[indicator.owner_id].pk} if indicator.owner_id in by_org else set()
        )
        reporters[indicator] = [partners[pk] for pk in sorted(ids)]
    assignments_set(initiative=initiative, reporters=reporters, by=by)
    return {
        indicator.code: sorted(p.organisation.name for p in chosen)
        for indicator, chosen in reporters.items()
    }
