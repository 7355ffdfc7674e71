"""The backbone's work plan and its funding over the REST API, under the same rules and
through the same services as the pages.

Members read the plan and the effort logged on it; backbone staff write them. The funding
overview (sums only) is for the backbone, evaluators and funders; the grants themselves for
the backbone and evaluators, and a funder's people see their own organisation's only
(`permissions.grant_funders`, as on the pages and in reports); a grant's private note is the
backbone's alone. A change carries the `revision` it was read at (409 if saved since); what
the services refuse is 422 with their message.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.api.auth import caller, members_initiative, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut, problem, refused
from backbone.api.pagination import Page
from backbone.initiatives.models import Initiative
from backbone.permissions import can, grant_funders
from backbone.revisions import EditConflict

from . import selectors, services
from .models import BackboneTask, EffortEntry, Funder, Grant

router = Router(tags=["workplan"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
Key = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60)]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]
TaskStatus = Literal["planned", "in_progress", "done", "dropped"]
GrantStatus = Literal["prospect", "asked", "committed", "received", "declined"]
Funds = Literal["backbone", "strategy", "activity"]
Revision = Annotated[int, Field(ge=0, le=2**31 - 1, description="The `revision` it was read at.")]
Hours = Annotated[Decimal, Field(max_digits=7, decimal_places=1, allow_inf_nan=False)]
Money = Annotated[Decimal, Field(max_digits=14, decimal_places=2, allow_inf_nan=False)]

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


# --- schemas ------------------------------------------------------------------------------


class BackboneTaskOut(Schema):
    uuid: UUID
    title: str
    role: str = Field(description="The key of one of the framework's backbone roles.")
    owner: UUID = Field(description="One of the backbone's staff.")
    owner_name: str
    due_on: date | None
    status: TaskStatus
    estimated_hours: str | None = Field(description="A decimal number, as text.")
    logged_hours: str = Field(description="Hours logged on it, a decimal number as text.")
    revision: int = Field(description="Send it back with a change (PATCH).")

    @staticmethod
    def resolve_owner(obj: BackboneTask) -> UUID:
        return obj.owner.uuid

    @staticmethod
    def resolve_owner_name(obj: BackboneTask) -> str:
        return obj.owner.name or obj.owner.email

    @staticmethod
    def resolve_estimated_hours(obj: BackboneTask) -> str | None:
        return _text(obj.estimated_hours)

    @staticmethod
    def resolve_logged_hours(obj: BackboneTask) -> str:
        return _text(getattr(obj, "logged_hours", None) or Decimal("0.0"))


class BackboneTaskConflictOut(Schema):
    detail: str
    current: BackboneTaskOut = Field(description="The task as it now stands.")


class BackboneTaskIn(Schema):
    title: Text = Field(min_length=1, max_length=200)
    role: Key = Field(description="The key of one of the framework's backbone roles.")
    owner: UUID = Field(description="One of the backbone's staff.")
    due_on: date | None = None
    status: TaskStatus = "planned"
    estimated_hours: Hours | None = None


class BackboneTaskChangeIn(Schema):
    """What to change; what is left out stays as it is."""

    revision: Revision
    title: Text | None = Field(None, min_length=1, max_length=200)
    role: Key | None = None
    owner: UUID | None = None
    due_on: date | None = None
    status: TaskStatus | None = None
    estimated_hours: Hours | None = None


class BackboneTaskFilters(Schema):
    status: TaskStatus | None = None
    owner: UUID | None = Field(None, description="A person's uuid.")
    role: Key | None = Field(None, description="A backbone role's key.")


class EffortEntryOut(Schema):
    worked_on: date
    hours: str = Field(description="A decimal number, as text.")
    note: str
    person: UUID
    person_name: str
    created_at: datetime

    @staticmethod
    def resolve_hours(obj: EffortEntry) -> str:
        return _text(obj.hours)

    @staticmethod
    def resolve_person(obj: EffortEntry) -> UUID:
        return obj.person.uuid

    @staticmethod
    def resolve_person_name(obj: EffortEntry) -> str:
        return obj.person.name or obj.person.email


class EffortEntryIn(Schema):
    worked_on: date = Field(description="The day the work was done; not ahead.")
    hours: Annotated[Decimal, Field(max_digits=5, decimal_places=1, allow_inf_nan=False)]
    note: Text = Field("", max_length=300)


class FunderOut(Schema):
    uuid: UUID
    name: str
    organisation: str | None = Field(description="The partner organisation's slug, if one.")

    @staticmethod
    def resolve_organisation(obj: Funder) -> str | None:
        return obj.organisation.slug if obj.organisation else None


class FunderIn(Schema):
    name: Text = Field(min_length=1, max_length=200)
    organisation: Slug | None = Field(None, description="A partner organisation's slug.")


class GrantOut(Schema):
    uuid: UUID
    funder: UUID
    funder_name: str
    title: str
    amount: str = Field(description="A decimal number, as text.")
    currency: str
    starts_on: date
    ends_on: date
    status: GrantStatus
    restrictions: str
    funds: Funds
    strategy: UUID | None = Field(description="The strategy it funds.")
    activity: UUID | None = Field(description="The partner's activity it funds.")
    private_note: str | None = Field(description="Backbone staff only; null for anyone else.")
    url: str = Field(description="The grants page.")
    revision: int

    @staticmethod
    def resolve_funder(obj: Grant) -> UUID:
        return obj.funder.uuid

    @staticmethod
    def resolve_funder_name(obj: Grant) -> str:
        return obj.funder.name

    @staticmethod
    def resolve_amount(obj: Grant) -> str:
        return _text(obj.amount)

    @staticmethod
    def resolve_strategy(obj: Grant) -> UUID | None:
        return obj.strategy.uuid if obj.strategy else None

    @staticmethod
    def resolve_activity(obj: Grant) -> UUID | None:
        return obj.activity.uuid if obj.activity else None

    @staticmethod
    def resolve_private_note(obj: Grant, context) -> str | None:
        request = context["request"]
        return obj.private_note if can(who(request), "grant.private_note", obj.initiative) else None

    @staticmethod
    def resolve_url(obj: Grant) -> str:
        return reverse("workplan:grants", args=[obj.initiative.slug])


class GrantConflictOut(Schema):
    detail: str
    current: GrantOut


class GrantIn(Schema):
    funder: UUID
    title: Text = Field(min_length=1, max_length=200)
    amount: Money
    currency: Currency
    starts_on: date
    ends_on: date
    status: GrantStatus = "prospect"
    restrictions: Text = ""
    funds: Funds = "backbone"
    strategy: UUID | None = Field(None, description="When it funds a strategy.")
    activity: UUID | None = Field(None, description="When it funds a partner's activity.")
    private_note: Text = ""


class GrantChangeIn(Schema):
    revision: Revision
    funder: UUID | None = None
    title: Text | None = Field(None, min_length=1, max_length=200)
    amount: Money | None = None
    currency: Currency | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    status: GrantStatus | None = None
    restrictions: Text | None = None
    funds: Funds | None = None
    strategy: UUID | None = None
    activity: UUID | None = None
    private_note: Text | None = None


class GrantFilters(Schema):
    status: GrantStatus | None = None
    funder: UUID | None = Field(None, description="A funder's uuid.")
    funds: Funds | None = None


class FundingYearOut(Schema):
    year: int
    currency: str
    needed: str | None = Field(description="The budget's amount needed, if set.")
    secured: str = Field(description="Committed and received grants, pro rata by days.")
    gap: str | None
    share: int | None = Field(description="Secured, in percent of needed.")

    @staticmethod
    def resolve_needed(obj) -> str | None:
        return _text(obj.needed)

    @staticmethod
    def resolve_secured(obj) -> str:
        return _text(obj.secured)

    @staticmethod
    def resolve_gap(obj) -> str | None:
        return _text(obj.gap)


class FundingSumOut(Schema):
    currency: str
    amount: str


class FundingPipelineOut(Schema):
    status: GrantStatus
    label: str
    count: int
    sums: list[FundingSumOut]

    @staticmethod
    def resolve_sums(obj) -> list[dict]:
        return [{"currency": c, "amount": _text(a)} for c, a in obj.sums]


class FundingOut(Schema):
    """Secured against needed per year and currency, and the pipeline by status."""

    own_only: bool = Field(description="Counted from the caller's own organisation's grants.")
    years: list[FundingYearOut]
    pipeline: list[FundingPipelineOut]


class BudgetYearIn(Schema):
    year: int = Field(ge=2000, le=2100)
    currency: Currency
    amount_needed: Money


class BudgetYearOut(Schema):
    year: int
    currency: str
    amount_needed: str

    @staticmethod
    def resolve_amount_needed(obj) -> str:
        return _text(obj.amount_needed)


# --- helpers ------------------------------------------------------------------------------


def _require(request: HttpRequest, rule: str, initiative: Initiative) -> None:
    if not can(who(request), rule, initiative):
        raise PermissionDenied


def _task(request: HttpRequest, slug: str, uuid: UUID) -> BackboneTask:
    initiative = members_initiative(request, slug, "workplan.view")
    found = selectors.task_get(initiative=initiative, uuid=uuid)
    if found is None:
        raise Http404("No such task.")
    found.initiative = initiative
    return found


def _person(name: str, uuid: UUID | None):
    if uuid is None:
        return None
    found = selectors.person_named(uuid=uuid)
    if found is None:
        raise problem(name, "The owner must be one of the backbone's staff.")
    return found


def _task_data(initiative: Initiative, given: dict, task: BackboneTask | None):
    def field(name: str, default):
        if name in given and (given[name] is not None or name in ("due_on", "estimated_hours")):
            return given[name]
        return getattr(task, name) if task is not None else default

    owner = _person("owner", given.get("owner")) if given.get("owner") else None
    return services.TaskData(
        title=field("title", ""),
        owner=owner or (task.owner if task is not None else None),
        role=field("role", ""),
        status=field("status", BackboneTask.Status.PLANNED),
        due_on=field("due_on", None),
        estimated_hours=field("estimated_hours", None),
    )


def _grant_data(initiative: Initiative, given: dict, grant: Grant | None) -> services.GrantData:
    def field(name: str, default):
        if name in given and given[name] is not None:
            return given[name]
        return getattr(grant, name) if grant is not None else default

    funder = grant.funder if grant is not None else None
    if given.get("funder") is not None:
        funder = selectors.funder_get(initiative=initiative, uuid=given["funder"])
        if funder is None:
            raise problem("funder", "Choose a funder of this initiative.")
    found = {}
    for name, finder in (
        ("strategy", selectors.funded_strategy),
        ("activity", selectors.funded_activity),
    ):
        found[name] = getattr(grant, name) if grant is not None else None
        if name in given:
            found[name] = None
            if given[name] is not None:
                found[name] = finder(initiative=initiative, uuid=given[name])
                if found[name] is None:
                    raise problem(name, f"No such {name} here.")
    return services.GrantData(
        funder=funder,
        title=field("title", ""),
        amount=field("amount", None),
        currency=field("currency", "").upper(),
        starts_on=field("starts_on", None),
        ends_on=field("ends_on", None),
        status=field("status", Grant.Status.PROSPECT),
        restrictions=field("restrictions", ""),
        funds=field("funds", Grant.Funds.BACKBONE),
        strategy=found["strategy"],
        activity=found["activity"],
        private_note=field("private_note", ""),
    )


def _grant(request: HttpRequest, slug: str, uuid: UUID) -> Grant:
    initiative = members_initiative(request, slug, "grants.view")
    own = grant_funders(who(request), initiative)
    found = selectors.grant_get(initiative=initiative, uuid=uuid, organisation_ids=own)
    if found is None:
        raise Http404("No such grant.")  # another funder's grant is never hinted at
    found.initiative = initiative
    return found


def _reread_task(initiative: Initiative, task: BackboneTask) -> BackboneTask:
    found = selectors.task_get(initiative=initiative, uuid=task.uuid)
    found.initiative = initiative
    return found


def _reread_grant(initiative: Initiative, grant: Grant) -> Grant:
    found = selectors.grant_get(initiative=initiative, uuid=grant.uuid)
    found.initiative = initiative
    return found


# --- the work plan ------------------------------------------------------------------------

TASKS = "/initiatives/{slug}/workplan/tasks"
TASK = "/initiatives/{slug}/workplan/tasks/{uuid}"


@router.get(TASKS, response={200: list[BackboneTaskOut], **READ})
@paginate(Page)
def list_tasks(request: HttpRequest, slug: Slug, filters: Query[BackboneTaskFilters]):
    """The backbone's tasks by due date and title, each with the hours logged on it;
    filtered by status, owner and backbone role."""
    initiative = members_initiative(request, slug, "workplan.view")
    owner = None
    if filters.owner is not None:
        owner = selectors.person_named(uuid=filters.owner)
        if owner is None:
            return []
    return selectors.tasks(
        initiative=initiative, status=filters.status or "", owner=owner, role=filters.role or ""
    )


@router.get(TASK, response={200: BackboneTaskOut, **READ})
def get_task(request: HttpRequest, slug: Slug, uuid: UUID):
    return _task(request, slug, uuid)


@router.post(TASKS, response={201: BackboneTaskOut, **WRITE})
def create_task(request: HttpRequest, slug: Slug, payload: BackboneTaskIn):
    """Add a task to the plan: backbone staff only; its owner one of them, its role one of
    the framework's backbone roles (422 otherwise)."""
    initiative = members_initiative(request, slug, "workplan.view")
    _require(request, "workplan.edit", initiative)
    data = _task_data(initiative, payload.model_dump(), None)
    try:
        made = services.task_create(initiative=initiative, data=data)
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, _reread_task(initiative, made))


@router.patch(TASK, response={200: BackboneTaskOut, 409: BackboneTaskConflictOut, **WRITE})
def change_task(request: HttpRequest, slug: Slug, uuid: UUID, payload: BackboneTaskChangeIn):
    """Change a task read at `revision`; what is left out stays (409 if saved since)."""
    found = _task(request, slug, uuid)
    initiative = found.initiative
    _require(request, "workplan.edit", initiative)
    data = _task_data(initiative, payload.model_dump(exclude_unset=True), found)
    try:
        services.task_update(
            task=found, data=data, by=caller(request).by, read_revision=payload.revision
        )
    except EditConflict as exc:
        return Status(
            409, {"detail": exc.messages[0], "current": _reread_task(initiative, exc.current)}
        )
    except Refused as exc:
        raise refused(exc) from exc
    return _reread_task(initiative, found)


@router.get(f"{TASK}/effort", response={200: list[EffortEntryOut], **READ})
@paginate(Page)
def list_effort(request: HttpRequest, slug: Slug, uuid: UUID):
    """The hours logged on one task, latest first."""
    return selectors.effort_of(task=_task(request, slug, uuid))


@router.post(f"{TASK}/effort", response={201: EffortEntryOut, **WRITE})
def log_effort(request: HttpRequest, slug: Slug, uuid: UUID, payload: EffortEntryIn):
    """Log hours worked on a task, by the caller, once done (not ahead; at most 24 a day):
    backbone staff only."""
    found = _task(request, slug, uuid)
    _require(request, "workplan.edit", found.initiative)
    try:
        made = services.effort_log(
            task=found,
            person=caller(request).by,
            worked_on=payload.worked_on,
            hours=payload.hours,
            note=payload.note,
            today=timezone.localdate(),
        )
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, made)


# --- funding ------------------------------------------------------------------------------

FUNDING = "/initiatives/{slug}/funding"
GRANTS = "/initiatives/{slug}/funding/grants"
GRANT = "/initiatives/{slug}/funding/grants/{uuid}"
FUNDERS = "/initiatives/{slug}/funding/funders"


@router.get(FUNDING, response={200: FundingOut, **READ})
def funding(request: HttpRequest, slug: Slug):
    """Secured against needed per year and the pipeline: sums only, and for a funder's
    people counted from their own organisation's grants alone."""
    initiative = members_initiative(request, slug, "funding.view")
    own = grant_funders(who(request), initiative)
    return {
        "own_only": own is not None,
        "years": selectors.secured_against_needed(initiative=initiative, organisation_ids=own),
        "pipeline": selectors.pipeline(initiative=initiative, organisation_ids=own),
    }


@router.put(f"{FUNDING}/budget", response={200: BudgetYearOut, **WRITE})
def set_budget(request: HttpRequest, slug: Slug, payload: BudgetYearIn):
    """Set what a year needs, in one currency; setting it again replaces it. The backbone."""
    initiative = members_initiative(request, slug, "funding.view")
    _require(request, "funding.manage", initiative)
    try:
        return services.budget_set(
            initiative=initiative,
            year=payload.year,
            currency=payload.currency.upper(),
            amount_needed=payload.amount_needed,
        )
    except Refused as exc:
        raise refused(exc) from exc


@router.get(FUNDERS, response={200: list[FunderOut], **READ})
@paginate(Page)
def list_funders(request: HttpRequest, slug: Slug):
    """The funders, by name: all of them for the backbone and evaluators, a funder's own
    organisation for its people."""
    initiative = members_initiative(request, slug, "grants.view")
    own = grant_funders(who(request), initiative)
    return selectors.funders(initiative=initiative, organisation_ids=own)


@router.post(FUNDERS, response={201: FunderOut, **WRITE})
def create_funder(request: HttpRequest, slug: Slug, payload: FunderIn):
    """Add a funder, maybe one of the partner organisations: the backbone only."""
    initiative = members_initiative(request, slug, "funding.view")
    _require(request, "funding.manage", initiative)
    organisation = None
    if payload.organisation:
        organisation = selectors.partner_organisation(
            initiative=initiative, slug=payload.organisation
        )
        if organisation is None:
            raise problem("organisation", "Choose one of the initiative's partners.")
    try:
        made = services.funder_create(
            initiative=initiative, name=payload.name, organisation=organisation
        )
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, made)


@router.get(GRANTS, response={200: list[GrantOut], **READ})
@paginate(Page)
def list_grants(request: HttpRequest, slug: Slug, filters: Query[GrantFilters]):
    """The grants by funder and start, as the grants page lists them: every one for the
    backbone and evaluators, a funder's own for its people; filtered by status, funder and
    what they fund."""
    initiative = members_initiative(request, slug, "grants.view")
    own = grant_funders(who(request), initiative)
    found = selectors.grants_listed(
        initiative=initiative,
        organisation_ids=own,
        status=filters.status or "",
        funder=filters.funder,
        funds=filters.funds or "",
    )
    rows = list(found)
    for row in rows:
        row.initiative = initiative
    return rows


@router.get(GRANT, response={200: GrantOut, **READ})
def get_grant(request: HttpRequest, slug: Slug, uuid: UUID):
    return _grant(request, slug, uuid)


@router.post(GRANTS, response={201: GrantOut, **WRITE})
def create_grant(request: HttpRequest, slug: Slug, payload: GrantIn):
    """Record a grant: the backbone only. A strategy or activity it funds must be this
    initiative's; the period cannot end before it starts (422)."""
    initiative = members_initiative(request, slug, "funding.view")
    _require(request, "funding.manage", initiative)
    data = _grant_data(initiative, payload.model_dump(), None)
    try:
        made = services.grant_create(initiative=initiative, data=data)
    except Refused as exc:
        raise refused(exc) from exc
    return Status(201, _reread_grant(initiative, made))


@router.patch(GRANT, response={200: GrantOut, 409: GrantConflictOut, **WRITE})
def change_grant(request: HttpRequest, slug: Slug, uuid: UUID, payload: GrantChangeIn):
    """Change a grant read at `revision`; what is left out stays (409 if saved since)."""
    found = _grant(request, slug, uuid)
    initiative = found.initiative
    _require(request, "funding.manage", initiative)
    data = _grant_data(initiative, payload.model_dump(exclude_unset=True), found)
    try:
        services.grant_update(
            grant=found, data=data, by=caller(request).by, read_revision=payload.revision
        )
    except EditConflict as exc:
        return Status(
            409, {"detail": exc.messages[0], "current": _reread_grant(initiative, exc.current)}
        )
    except Refused as exc:
        raise refused(exc) from exc
    return _reread_grant(initiative, found)
