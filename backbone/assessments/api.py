"""Assessments over the REST API: questionnaires, rounds and their results, under the same
rules as the pages (backbone.permissions `assessments.*`).

Every member reads the questionnaires. The rounds list shows each caller the rows the rounds
page shows them: every round to the backbone and evaluators (with response rates), else the
rounds they are asked in and the closed rounds whose results the backbone shares. Results
are read only once a round has closed and only from `selectors.results`, so the API hides
what the results page hides: nothing below the initiative's small-number threshold, and no
group that could be worked out by subtraction. Outsiders get 404, other members 403.
"""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import StringConstraints

from backbone.accounts.tokens import PersonalTokenHolder
from backbone.api.auth import caller, initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative
from backbone.permissions import can

from . import selectors, services
from .scoring import Comparison, Item, items_of

router = Router(tags=["assessments"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
RoundStatus = Literal["scheduled", "open", "closed"]

READ = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
GUARDED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _number(value) -> float | None:
    return None if value is None else float(value)


# --- questionnaires ------------------------------------------------------------------------


class ScalePointOut(Schema):
    value: int
    label: str


class AssessmentScaleOut(Schema):
    key: str
    name: str
    points: list[ScalePointOut]


class ItemOptionOut(Schema):
    key: str
    label: str


class QuestionnaireItemOut(Schema):
    key: str
    element: str = Field(description="The framework element it assesses, `section.element`.")
    type: str
    text: str
    help: str
    scale: AssessmentScaleOut | None
    options: list[ItemOptionOut]


class QuestionnaireOut(Schema):
    slug: str
    name: str
    summary: str
    version: str
    assesses: str = Field(description="The framework section it assesses.")


class QuestionnaireDetailOut(QuestionnaireOut):
    items: list[QuestionnaireItemOut]


def _scale(scale) -> dict | None:
    if scale is None:
        return None
    points = [{"value": v, "label": label} for v, label in scale.points]
    return {"key": scale.key, "name": scale.name, "points": points}


def _item(item: Item) -> dict:
    return {
        "key": item.key,
        "element": item.element,
        "type": item.type,
        "text": item.text,
        "help": item.help,
        "scale": _scale(item.scale),
        "options": [{"key": k, "label": label} for k, label in item.options],
    }


# --- rounds --------------------------------------------------------------------------------


class ResponseRateOut(Schema):
    answered: int
    invited: int
    percent: float | None


class AssessmentRoundOut(Schema):
    uuid: UUID
    title: str
    questionnaire: str = Field(description="The questionnaire's slug.")
    questionnaire_name: str
    status: RoundStatus
    opens_on: date
    closes_on: date
    anonymous: bool = Field(description="Nobody, the backbone included, sees who said what.")
    results_shared: bool | None = Field(
        description="Whether members may read the results; only for who sees every round."
    )
    asked: bool = Field(description="Whether the caller is asked to answer it.")
    answered: bool | None = Field(description="Whether the caller answered; null if not asked.")
    results_readable: bool = Field(description="Whether the caller may read its results now.")
    response_rate: ResponseRateOut | None = Field(
        description="Only for the backbone and evaluators (response rates)."
    )
    results: str | None = Field(description="The link to its results, when readable.")


class AssessmentRoundFilters(Schema):
    status: RoundStatus | None = None
    questionnaire: Slug | None = Field(None, description="A questionnaire's slug.")
    asked: bool | None = Field(None, description="Only the rounds the caller is asked in.")


def _round_out(initiative: Initiative, row: selectors.RoundRow, sees_all: bool) -> dict:
    found = row.round
    link = None
    if row.readable:
        link = f"/api/initiatives/{initiative.slug}/assessments/rounds/{found.uuid}/results"
    rate = None
    if sees_all:
        invited, answered = found.invited, found.answered
        rate = {"answered": answered, "invited": invited, "percent": None}
        rate["percent"] = round(100 * answered / invited, 1) if invited else None
    return {
        "uuid": found.uuid,
        "title": found.title,
        "questionnaire": found.questionnaire.slug,
        "questionnaire_name": found.questionnaire.name,
        "status": found.status(),
        "opens_on": found.opens_on,
        "closes_on": found.closes_on,
        "anonymous": found.anonymous,
        "results_shared": found.results_shared if sees_all else None,
        "asked": row.asked is not None,
        "answered": None if row.asked is None else row.asked.answered_at is not None,
        "results_readable": row.readable,
        "response_rate": rate,
        "results": link,
    }


# --- results -------------------------------------------------------------------------------


class AnswerCountOut(Schema):
    value: int | str
    label: str
    count: int
    percent: float | None


class ItemResultOut(Schema):
    key: str
    text: str
    type: str
    mean: float | None = Field(description="One decimal, as shown on the page.")
    band: str | None
    distribution: list[AnswerCountOut]
    texts: list[str] = Field(description="Free-text answers, in alphabetical order.")


class ElementResultOut(Schema):
    key: str
    name: str
    section: str
    scale: AssessmentScaleOut | None
    mean: float | None
    band: str | None
    band_label: str
    previous_mean: float | None = Field(description="In the previous closed round, if any.")
    change: float | None
    items: list[ItemResultOut]


class RespondentGroupOut(Schema):
    key: str
    label: str
    respondents: int


class GroupComparisonRowOut(Schema):
    element: str
    name: str
    means: list[float | None] = Field(description="One per group, in the groups' order.")
    gap: float | None = Field(description="The largest difference between two groups shown.")


class GroupComparisonOut(Schema):
    groups: list[RespondentGroupOut]
    rows: list[GroupComparisonRowOut]
    hidden: list[str] = Field(
        description="Groups not shown: too few respondents, or they would give one away."
    )


class AssessmentResultsOut(Schema):
    round: UUID
    status: RoundStatus
    threshold: int = Field(description="The fewest respondents results are shown for.")
    answered: int
    invited: int
    enough: bool = Field(
        description="False while the round is open or when fewer than `threshold` answered: "
        "then no figure is given."
    )
    previous_round: UUID | None
    elements: list[ElementResultOut]
    weakest_first: list[str] = Field(description="Element keys, weakest first.")
    by_sector: GroupComparisonOut | None
    community: GroupComparisonOut | None = Field(
        description="Community members beside organisations."
    )


def _comparison(comparison: Comparison | None, names: dict[str, str]) -> dict | None:
    if comparison is None:
        return None
    table = selectors.comparison_table(comparison, names)
    return {
        "groups": [{"key": k, "label": label, "respondents": n} for k, label, n in table.columns],
        "rows": [
            {
                "element": key,
                "name": name,
                "means": [_number(m) for m in means],
                "gap": _number(gap),
            }
            for key, name, means, gap in table.rows
        ],
        "hidden": table.hidden,
    }


def _results(computed: selectors.Results) -> dict:
    found = computed.round
    out = {
        "round": found.uuid,
        "status": found.status(),
        "threshold": computed.threshold,
        "answered": computed.rate.answered,
        "invited": computed.rate.invited,
        "enough": computed.enough,
        "previous_round": None,
        "elements": [],
        "weakest_first": [],
        "by_sector": None,
        "community": None,
    }
    if not computed.enough:
        return out
    names = {e.key: e.name for e in computed.elements}
    out |= {
        "previous_round": computed.previous.uuid if computed.previous else None,
        "elements": [
            {
                "key": e.key,
                "name": e.name,
                "section": e.section,
                "scale": _scale(e.scale),
                "mean": _number(e.shown_mean),
                "band": e.band,
                "band_label": e.band_label,
                "previous_mean": _number(e.shown_previous),
                "change": _number(e.change),
                "items": [
                    {
                        "key": r.item.key,
                        "text": r.item.text,
                        "type": r.item.type,
                        "mean": _number(r.shown_mean),
                        "band": r.band,
                        "distribution": [
                            {
                                "value": c.value,
                                "label": c.label,
                                "count": c.count,
                                "percent": _number(c.percent),
                            }
                            for c in r.distribution
                        ],
                        "texts": r.texts,
                    }
                    for r in e.items
                ],
            }
            for e in computed.elements
        ],
        "weakest_first": [e.key for e in computed.weakest],
        "by_sector": _comparison(computed.by_sector, names),
        "community": _comparison(computed.community, names),
    }
    return out


# --- the operations ------------------------------------------------------------------------

BASE = "/initiatives/{slug}/assessments"


@router.get(f"{BASE}/questionnaires", response={200: list[QuestionnaireOut], **GUARDED})
def list_questionnaires(request: HttpRequest, slug: Slug):
    """The questionnaires written for the initiative's framework."""
    initiative = initiative_of(request, slug, "assessments.view")
    return services.questionnaires_for(initiative)


@router.get(
    f"{BASE}/questionnaires/{{questionnaire}}", response={200: QuestionnaireDetailOut, **GUARDED}
)
def get_questionnaire(request: HttpRequest, slug: Slug, questionnaire: Slug):
    """One questionnaire with its items, as the questionnaire page shows them."""
    initiative = initiative_of(request, slug, "assessments.view")
    found = next(
        (q for q in services.questionnaires_for(initiative) if q.slug == questionnaire), None
    )
    if found is None:
        raise Http404("No such questionnaire for this initiative.")
    return {
        "slug": found.slug,
        "name": found.name,
        "summary": found.summary,
        "version": found.version,
        "assesses": found.assesses,
        "items": [_item(i) for i in items_of(found.data)],
    }


@router.get(f"{BASE}/rounds", response={200: list[AssessmentRoundOut], **GUARDED})
@paginate(Page)
def list_rounds(request: HttpRequest, slug: Slug, filters: Query[AssessmentRoundFilters]):
    """The rounds the caller sees on the rounds page, newest first."""
    initiative = initiative_of(request, slug, "assessments.view")
    person = who(request)
    sees_all = can(person, "assessments.progress", initiative)
    rows = _rounds(request, initiative)
    if filters.status:
        rows = [r for r in rows if r.round.status() == filters.status]
    if filters.questionnaire:
        rows = [r for r in rows if r.round.questionnaire.slug == filters.questionnaire]
    if filters.asked is not None:
        rows = [r for r in rows if (r.asked is not None) == filters.asked]
    return [_round_out(initiative, r, sees_all) for r in rows]


def _rounds(request: HttpRequest, initiative: Initiative) -> list[selectors.RoundRow]:
    """The caller's rows; a personal token is asked as its person, a partner's token never."""
    found = caller(request)
    invited = found.who
    if found.is_token:
        invited = found.who.person if isinstance(found.who, PersonalTokenHolder) else None
    return selectors.rounds_for(initiative=initiative, person=found.who, invited=invited)


def _row(request: HttpRequest, slug: str, uuid: UUID):
    initiative = initiative_of(request, slug, "assessments.view")
    rows = _rounds(request, initiative)
    row = next((r for r in rows if r.round.uuid == uuid), None)
    return initiative, row


@router.get(f"{BASE}/rounds/{{uuid}}", response={200: AssessmentRoundOut, **GUARDED})
def get_round(request: HttpRequest, slug: Slug, uuid: UUID):
    """One round as the rounds page lists it to the caller; 404 for a round it does not show
    them (not asked, results not shared or not closed yet)."""
    initiative, row = _row(request, slug, uuid)
    if row is None:
        raise Http404("No such round.")
    return _round_out(initiative, row, can(who(request), "assessments.progress", initiative))


@router.get(f"{BASE}/rounds/{{uuid}}/results", response={200: AssessmentResultsOut, **GUARDED})
def get_round_results(request: HttpRequest, slug: Slug, uuid: UUID):
    """The results page's figures: only once the round has closed and only when at least
    the initiative's small-number threshold answered (else `enough` is false and no figure is
    given); groups too small to show, or that would give one away, are listed as hidden.
    Members other than the backbone and evaluators read only rounds whose results are shared
    (403 otherwise)."""
    initiative = initiative_of(request, slug, "assessments.view")
    found = selectors.round_by_uuid(initiative, uuid)
    if found is None:
        raise Http404("No such round.")
    if not can(who(request), "assessments.results", initiative, found):
        raise PermissionDenied
    return _results(selectors.results(found))
