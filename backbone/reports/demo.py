"""The demo's progress report: last quarter's, shared with funders, as the backbone would
send it to them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from backbone.initiatives.models import Initiative, Membership
from backbone.initiatives.roles import Role

from . import periods
from .models import Report


@transaction.atomic
def reports_demo(*, initiative: Initiative) -> Report:
    Report.objects.filter(initiative=initiative).delete()
    start, end = periods.last_quarter(timezone.localdate())
    first_staff = (
        Membership.objects.filter(initiative=initiative, role=Role.BACKBONE_STAFF)
        .select_related("person")
        .order_by("id")
        .first()
    )
    return Report.objects.create(
        initiative=initiative,
        title=periods.suggested_title(start, end),
        period_start=start,
        period_end=end,
        introduction=(
            "Thank you for standing with the partnership this quarter. This report shows "
            "where our shared indicators stand, what partners did together, how the backbone "
            "spent its time and money, and what we won in policy."
        ),
        shared_with_funders=True,
        shared_with_members=False,
        created_by=first_staff.person if first_staff else None,
    )
