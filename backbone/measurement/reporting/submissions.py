"""Submissions a person may read, filtered and ordered for the review queue, and a
submission's values with their history."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When
from django.utils.translation import gettext

from backbone import permissions
from backbone.initiatives.models import Initiative, Partner

from ..missing import read_change_reason
from ..models import (
    DataValue,
    Group,
    Indicator,
    IndicatorDimension,
    Submission,
    ValueChange,
)
from .form import stored_text, value_text
from .reports import S, partners_visible

# --- submissions ------------------------------------------------------------------------


def submissions_visible(
    *, initiative: Initiative, person, partners: list[Partner] | None = None
) -> QuerySet[Submission]:
    """Every submission for those who read all values; a partner's own for its people.
    `partners` is `partners_visible(...)` when the caller has it already."""
    qs = Submission.objects.filter(initiative=initiative)
    if not permissions.can(person, "values.view_all", initiative):
        if partners is None:
            partners = partners_visible(initiative=initiative, person=person)
        qs = qs.filter(partner_id__in=[p.pk for p in partners])
    return qs


def submission_list(
    qs: QuerySet[Submission],
    *,
    status: str = "",
    partner: str = "",
    channel: str = "",
    queue_first: bool = False,
) -> QuerySet[Submission]:
    """Filtered submissions, with how many of their values they still carry; submitted ones
    first when the reader approves."""
    if status:
        qs = qs.filter(status=status)
    if partner:
        qs = qs.filter(partner__organisation__slug=partner)
    if channel:
        qs = qs.filter(channel=channel)
    qs = qs.select_related("partner__organisation", "created_by").annotate(
        current_count=Count("values")
    )
    if queue_first:
        qs = qs.annotate(
            waiting=Case(
                When(status=S.SUBMITTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("waiting", "submitted_at", "-created_at", "-pk")
    else:
        qs = qs.order_by("-created_at", "-pk")
    return qs


@dataclass
class ValueRow:
    value: DataValue
    groups: str  # "Black × Low income", or "Total"
    text: str
    changes: list[tuple[ValueChange, str, str, str]]  # (change, old text, new text, why)


def submission_values(submission: Submission) -> QuerySet[DataValue]:
    """The values a submission carries, with what `value_rows` needs, in reading order."""
    return with_history(DataValue.objects.filter(submission=submission)).order_by(
        "indicator__position", "indicator__name", "period__start", "cell__key", "pk"
    )


def with_history(values: QuerySet[DataValue]) -> QuerySet[DataValue]:
    """`values` with what `value_rows` reads of each: its indicator, period and cell, the
    cell's groups in their dimensions' order, and its changes with who made them."""
    return values.select_related("indicator", "period", "cell").prefetch_related(
        Prefetch(
            "cell__groups",
            queryset=Group.objects.select_related("dimension").order_by(
                "dimension__position", "dimension__name", "position"
            ),
        ),
        Prefetch(
            "changes",
            queryset=ValueChange.objects.select_related("changed_by", "previous_submission"),
        ),
    )


def value_rows(values) -> list[ValueRow]:
    """Values as they read on a page, each with its history, newest change first."""
    values = list(values)
    order = {
        (ind_id, dim_id): pos
        for ind_id, dim_id, pos in IndicatorDimension.objects.filter(
            indicator_id__in={v.indicator_id for v in values}
        ).values_list("indicator_id", "dimension_id", "position")
    }
    rows = []
    for v in values:
        ind = v.indicator
        groups = sorted(v.cell.groups.all(), key=lambda g: order.get((ind.pk, g.dimension_id), 0))
        rows.append(
            ValueRow(
                value=v,
                groups=" × ".join(g.name for g in groups) or gettext("Total"),
                text=stored_text(ind, v),
                changes=[_change(ind, c) for c in v.changes.all()],
            )
        )
    return rows


def _change(ind: Indicator, c: ValueChange) -> tuple[ValueChange, str, str, str]:
    """A change as it reads: old and new values (or why they were blank), and why it was
    made."""
    why, old, new = read_change_reason(c.reason)
    return (
        c,
        value_text(ind, c.old_value, c.old_numerator, c.old_denominator, c.old_weight, old),
        value_text(ind, c.new_value, c.new_numerator, c.new_denominator, c.new_weight, new),
        why,
    )
