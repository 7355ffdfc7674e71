"""Two partners of the demo drift away, so the backbone's home page has something to catch.

The Northside Family Resource Center and the Little Steps Early Learning Network, both monthly
reporters and both in a working group, stop reporting five months before the end of the
reporting calendar (the demo's values run to the last month anyone reported, so their last
reports are five months older than everyone else's), stop coming to meetings four months ago
and more, and report no progress on their commitments since. Run after the other demos: it
changes what they built.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from backbone.advocacy.models import CommitmentUpdate
from backbone.communication.models import Meeting
from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.initiatives.roles import PARTNER_ROLES_FOR_STEWARDS
from backbone.measurement.models import DataValue, Submission
from backbone.measurement.versions import values_changed

DRIFTING = ["Northside Family Resource Center", "Little Steps Early Learning Network"]
REPORTS_STOP_DAYS = 150  # before the end of the reporting calendar
MEETINGS_STOP_DAYS = 130  # before today


@transaction.atomic
def health_demo(*, initiative: Initiative) -> dict[str, int]:
    """Make the drifting partners quiet; returns how many values and attendances were taken
    away and how many progress updates moved back."""
    partners = list(Partner.objects.filter(initiative=initiative, organisation__name__in=DRIFTING))
    counts = {"values": 0, "attendances": 0, "updates": 0}
    if not partners:
        return counts
    latest = DataValue.objects.filter(initiative=initiative).aggregate(end=Max("period__end"))[
        "end"
    ]
    if latest is not None:
        stop = latest - timedelta(days=REPORTS_STOP_DAYS)
        values = DataValue.objects.filter(
            initiative=initiative, partner__in=partners, period__end__gt=stop
        )
        submissions = set(values.values_list("submission_id", flat=True))
        counts["values"] = values.count()
        values.delete()
        Submission.objects.filter(pk__in=submissions, values__isnull=True).delete()
        values_changed(initiative.pk)

    people = Membership.objects.filter(
        initiative=initiative,
        organisation__in=[p.organisation_id for p in partners],
        role__in=PARTNER_ROLES_FOR_STEWARDS,
    ).values("person_id")
    since = timezone.now() - timedelta(days=MEETINGS_STOP_DAYS)
    attended = Meeting.attendees.through.objects.filter(
        meeting__initiative=initiative, meeting__starts_at__gte=since, person_id__in=people
    )
    counts["attendances"] = attended.count()
    attended.delete()

    # Their latest progress updates move back to before they went quiet.
    stop_day = timezone.localdate() - timedelta(days=MEETINGS_STOP_DAYS)
    recent = CommitmentUpdate.objects.filter(commitment__partner__in=partners, on__gte=stop_day)
    for n, update in enumerate(recent.order_by("-on", "-pk")):
        update.on = stop_day - timedelta(days=3 + 9 * n)
        update.save(update_fields=["on"])
        counts["updates"] += 1
    return counts
