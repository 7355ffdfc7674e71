"""CSV files of a round: aggregated results for anyone who may read them, and answers by
respondent only for a round that is not anonymous. Names, answers and questionnaire texts are
people's words: they go out through SafeWriter, never as a live formula."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpResponse
from django.utils.text import slugify

from backbone.spreadsheets import SafeWriter

from .models import Respondent, Response, Round
from .scoring import TOTAL, Comparison, items_of
from .selectors import Results, group_label

RESULT_COLUMNS = [
    "group",
    "respondents",
    "element_key",
    "element",
    "item_key",
    "item",
    "measure",
    "value",
]


def result_rows(found: Results) -> Iterator[list]:
    """Long format: one figure per row. Free-text answers are on the results page only."""
    total = found.answered
    for element in found.elements:
        if element.scale is not None:
            base = [group_label(TOTAL), total, element.key, element.name, "", ""]
            yield [*base, "mean", element.shown_mean]
            yield [*base, "band", element.band_label]
            if element.change is not None:
                yield [*base, f"change since {found.previous.title}", element.change]
        for result in element.items:
            item = result.item
            base = [group_label(TOTAL), total, element.key, element.name, item.key, item.text]
            if result.mean is not None:
                yield [*base, "mean", result.shown_mean]
            for count in result.distribution:
                yield [*base, f"answered: {count.label}", count.count]
    for comparison in (found.by_sector, found.community):
        yield from _comparison_rows(found, comparison)


def _comparison_rows(found: Results, comparison: Comparison | None) -> Iterator[list]:
    if comparison is None:
        return
    names = {e.key: e.name for e in found.elements}
    for group in comparison.groups:
        for row in comparison.rows:
            value = row.shown_means.get(group)
            if value is None:
                continue
            yield [
                group_label(group),
                comparison.counts[group],
                row.element,
                names[row.element],
                "",
                "",
                "mean",
                value,
            ]


def results_csv(found: Results) -> HttpResponse:
    response = _csv_response(found.round, "results")
    writer = SafeWriter(response)
    writer.writerow(RESULT_COLUMNS)
    seen = set()
    for row in result_rows(found):
        if tuple(row) not in seen:  # community members are in both comparisons
            seen.add(tuple(row))
            writer.writerow(row)
    return response


def answers_csv(found: Round) -> HttpResponse:
    """One row per respondent with their answers: only ever for a round that is not
    anonymous (the view refuses the others, and anonymous responses hold no person)."""
    if found.anonymous:
        raise ValueError("An anonymous round has no answers by respondent.")
    items = items_of(found.questionnaire_data)
    asked = {
        r.person_id: r
        for r in Respondent.objects.filter(round=found).select_related("person", "organisation")
    }
    response = _csv_response(found, "answers")
    writer = SafeWriter(response)
    writer.writerow(
        ["name", "email", "asked as", "organisation", "sector", "answered_at"]
        + [item.key for item in items]
    )
    rows = Response.objects.filter(round=found, person__isnull=False).select_related("person")
    for answer in sorted(rows, key=lambda r: (r.person.name, r.person.email)):
        respondent = asked.get(answer.person_id)
        values = []
        for item in items:
            value = answer.answers.get(item.key)
            values.append("; ".join(value) if isinstance(value, list) else value)
        writer.writerow(
            [
                answer.person.name,
                answer.person.email,
                respondent.get_role_display() if respondent else "",
                respondent.organisation.name if respondent and respondent.organisation else "",
                group_label(answer.sector) if answer.sector else "",
                respondent.answered_at.isoformat() if respondent and respondent.answered_at else "",
                *values,
            ]
        )
    return response


def _csv_response(found: Round, what: str) -> HttpResponse:
    name = f"{slugify(found.title)}-{what}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
