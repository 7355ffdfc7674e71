"""Writes of reports: each checks the period the form checks, so no path saves a bad one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from backbone.initiatives.models import Initiative
from backbone.revisions import revise

from .models import Report

FIELDS = (
    "title",
    "period_start",
    "period_end",
    "introduction",
    "shared_with_funders",
    "shared_with_members",
)


def period_problem(*, start: date | None, end: date | None) -> str | None:
    if start is not None and end is not None and end < start:
        return (
            f"The period cannot end before it starts: choose an end on or after {start:%-d %B %Y}."
        )
    return None


def _save(report: Report) -> Report:
    problem = period_problem(start=report.period_start, end=report.period_end)
    if problem:
        raise ValidationError({"period_end": problem})
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_create(*, initiative: Initiative, by: Any, data: dict) -> Report:
    report = Report(
        initiative=initiative, created_by=by, **{k: data[k] for k in FIELDS if k in data}
    )
    return _save(report)


@transaction.atomic
def report_update(
    *, report: Report, data: dict, by=None, read_revision: int | None = None
) -> Report:
    """Refused (EditConflict) when saved since the form was read at `read_revision`."""
    revise(report, read=read_revision, by=by)
    for name in FIELDS:
        if name in data:
            setattr(report, name, data[name])
    return _save(report)


def report_delete(*, report: Report) -> None:
    report.delete()
