"""Activities and the 4W over the REST API, under the same rules and through the same
services as the pages.

Anyone who reads the initiative's activities page reads them here (everyone on a public
initiative, else members; others get 404). The backbone writes every activity; a partner's
people (and its token) their own organisation's, while it is an active partner; anyone else
gets 403. A change carries the `revision` it was read at: one saved meanwhile refuses it
with 409 and the activity as it now stands. What the activity's rules refuse (no strategy,
an end before the start, a place of another initiative) is 422, like a body that does not
validate; a delete refused while a grant funds the activity is 409.
"""

from collections import Counter
from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as Refused
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from backbone.agenda.models import Strategy
from backbone.api.auth import caller, initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut, problem
from backbone.api.pagination import Page
from backbone.deletion import DeleteRefused
from backbone.initiatives.models import Initiative, Partner
from backbone.measurement.models import Group, Indicator
from backbone.permissions import can
from backbone.revisions import EditConflict

from . import selectors, services
from .models import Activity

router = Router(tags=["activities"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]
GroupSpec = Annotated[
    str,
    StringConstraints(pattern=r"^([-a-zA-Z0-9_]+:)?[-a-zA-Z0-9_]+$", max_length=130),
]
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
Status_ = Literal["planned", "active", "paused", "done"]

READ = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _spec(group: Group) -> str:
    return f"{group.dimension.key}:{group.key}"


class ActivityOut(Schema):
    uuid: UUID
    name: str
    description: str
    partner: str = Field(description="The partner organisation's slug.")
    partner_name: str
    status: Status_
    strategies: list[UUID] = Field(description="The strategies of the common agenda it serves.")
    places: list[str] = Field(description="Where: places as `dimension:group` keys.")
    place_text: str = Field(description="Where, in words, when there are no places.")
    groups: list[str] = Field(description="For whom: population groups; none means everyone.")
    indicators: list[str] = Field(description="Codes of the indicators it contributes to.")
    depends_on: list[UUID]
    starts_on: date
    ends_on: date | None
    revision: int = Field(description="Send it back with a change (PATCH).")
    updated_at: datetime

    @staticmethod
    def resolve_partner(obj: Activity) -> str:
        return obj.partner.organisation.slug

    @staticmethod
    def resolve_partner_name(obj: Activity) -> str:
        return obj.partner.organisation.name

    @staticmethod
    def resolve_strategies(obj: Activity) -> list[UUID]:
        return [s.uuid for s in obj.strategies.all()]

    @staticmethod
    def resolve_places(obj: Activity) -> list[str]:
        return [_spec(g) for g in obj.places.all()]

    @staticmethod
    def resolve_groups(obj: Activity) -> list[str]:
        return [_spec(g) for g in obj.groups.all()]

    @staticmethod
    def resolve_indicators(obj: Activity) -> list[str]:
        return [i.code for i in obj.indicators.all()]

    @staticmethod
    def resolve_depends_on(obj: Activity) -> list[UUID]:
        return [a.uuid for a in obj.depends_on.all()]


class ActivityConflictOut(Schema):
    detail: str
    current: ActivityOut = Field(description="The activity as it now stands.")


class ActivityIn(Schema):
    partner: Slug = Field(description="The partner organisation's slug.")
    name: Text = Field(min_length=1, max_length=200)
    description: Text = ""
    strategies: list[UUID] = Field(min_length=1, max_length=100)
    places: list[GroupSpec] = Field(default_factory=list, max_length=500)
    place_text: Text = Field("", max_length=200)
    groups: list[GroupSpec] = Field(default_factory=list, max_length=500)
    starts_on: date
    ends_on: date | None = None
    status: Status_ = "planned"
    indicators: list[Slug] = Field(default_factory=list, max_length=500)
    depends_on: list[UUID] = Field(default_factory=list, max_length=500)


class ActivityChangeIn(Schema):
    """What to change; what is left out stays as it is."""

    revision: int = Field(
        ge=0, le=2**31 - 1, description="The `revision` the activity was read at."
    )
    partner: Slug | None = None
    name: Text | None = Field(None, min_length=1, max_length=200)
    description: Text | None = None
    strategies: list[UUID] | None = Field(None, min_length=1, max_length=100)
    places: list[GroupSpec] | None = Field(None, max_length=500)
    place_text: Text | None = Field(None, max_length=200)
    groups: list[GroupSpec] | None = Field(None, max_length=500)
    starts_on: date | None = None
    ends_on: date | None = None
    status: Status_ | None = None
    indicators: list[Slug] | None = Field(None, max_length=500)
    depends_on: list[UUID] | None = Field(None, max_length=500)


class ActivityFilters(Schema):
    status: Status_ | None = None
    strategy: UUID | None = Field(None, description="A strategy's uuid.")
    partner: Slug | None = Field(None, description="A partner organisation's slug.")
    place: GroupSpec | None = Field(
        None, description="A place (`dimension:group` or its key); includes the places in it."
    )
    group: GroupSpec | None = Field(None, description="A population group served.")


class CountOut(Schema):
    key: str
    name: str
    activities: int


class FourWOut(Schema):
    """Who does what, where, for whom: the 4W page's rows counted, filtered alike."""

    activities: int
    partners: int = Field(description="How many partners do them (who).")
    by_partner: list[CountOut]
    by_strategy: list[CountOut] = Field(description="What: the strategies they serve.")
    by_place: list[CountOut] = Field(description="Where: the places named.")
    by_group: list[CountOut] = Field(description="For whom: the population groups served.")
    by_status: list[CountOut]


# --- finding what the caller names --------------------------------------------------------


def _rows(initiative: Initiative, found: QuerySet[Activity]) -> QuerySet[Activity]:
    groups = Group.objects.of(initiative).select_related("dimension")
    strategies = Strategy.objects.of(initiative).order_by("position", "id")
    return found.prefetch_related(None).prefetch_related(
        Prefetch("strategies", queryset=strategies),
        Prefetch("places", queryset=groups),
        Prefetch("groups", queryset=groups),
        "indicators",
        Prefetch("depends_on", queryset=Activity.objects.of(initiative).only("uuid")),
    )


def _activity(request: HttpRequest, slug: str, uuid: UUID):
    initiative = initiative_of(request, slug, "activities.view")
    found = (
        _rows(initiative, selectors.activities_query(initiative=initiative))
        .filter(uuid=uuid)
        .first()
    )
    if found is None:
        raise Http404("No such activity.")
    found.initiative = found.partner.initiative = initiative
    return initiative, found


def _group(initiative: Initiative, spec: str, *, geography: bool) -> Group | None:
    dimension, _, key = spec.rpartition(":")
    found = (
        Group.objects.of(initiative)
        .filter(key=key, dimension__is_geography=geography)
        .select_related("dimension")
    )
    if dimension:
        found = found.filter(dimension__key=dimension)
    return found.first()


def _refused(exc: Refused) -> ValidationError:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    return ValidationError(
        [
            {"type": "refused", "loc": ["body", name] if name else ["body"], "msg": message}
            for name, messages in fields.items()
            for message in messages
        ]
    )


def _all_of(name: str, wanted: list, found: dict) -> list:
    if missing := [str(w) for w in wanted if str(w) not in found]:
        raise problem(name, f"None of this initiative: {', '.join(missing)}.")
    return [found[str(w)] for w in wanted]


def _data(initiative: Initiative, given: dict, activity: Activity | None) -> services.ActivityData:
    """The service's input from the body, over the activity as it stands for a change."""
    partner = activity.partner if activity is not None else None
    if given.get("partner") is not None:
        partner = (
            Partner.objects.of(initiative)
            .filter(organisation__slug=given["partner"])
            .select_related("organisation")
            .first()
        )
        if partner is None:
            raise problem("partner", f"No partner {given['partner']!r} here.")

    def listed(name: str, current):
        return given[name] if given.get(name) is not None else current

    def groups(name: str, geography: bool, current: list) -> list:
        if given.get(name) is None:
            return current
        chosen = []
        for spec in given[name]:
            if (group := _group(initiative, spec, geography=geography)) is None:
                raise problem(name, f"No such {'place' if geography else 'group'}: {spec}.")
            chosen.append(group)
        return chosen

    strategies = listed("strategies", None)
    strategies = (
        _all_of(
            "strategies",
            strategies,
            {str(s.uuid): s for s in Strategy.objects.of(initiative)},
        )
        if strategies is not None
        else list(activity.strategies.all())
    )
    indicators = listed("indicators", None)
    indicators = (
        _all_of(
            "indicators",
            indicators,
            {i.code: i for i in Indicator.objects.of(initiative).filter(code__in=indicators)},
        )
        if indicators is not None
        else list(activity.indicators.all())
    )
    depends = listed("depends_on", None)
    depends = (
        _all_of(
            "depends_on",
            depends,
            {str(a.uuid): a for a in Activity.objects.of(initiative).filter(uuid__in=depends)},
        )
        if depends is not None
        else list(activity.depends_on.all())
    )

    def field(name: str, default):
        if name in given and (given[name] is not None or name == "ends_on"):
            return given[name]
        return getattr(activity, name) if activity is not None else default

    return services.ActivityData(
        partner=partner,
        name=field("name", ""),
        starts_on=field("starts_on", None),
        strategies=strategies,
        description=field("description", ""),
        places=groups("places", True, list(activity.places.all()) if activity else []),
        place_text=field("place_text", ""),
        groups=groups("groups", False, list(activity.groups.all()) if activity else []),
        ends_on=field("ends_on", None),
        status=field("status", Activity.Status.PLANNED),
        indicators=indicators,
        depends_on=depends,
    )


def _filter(initiative: Initiative, filters: ActivityFilters) -> selectors.ActivityFilter | None:
    """The page's filter from the query; None when something named is not here (no rows)."""
    flt = selectors.ActivityFilter(status=filters.status or "")
    if filters.strategy:
        flt.strategy = Strategy.objects.of(initiative).filter(uuid=filters.strategy).first()
        if flt.strategy is None:
            return None
    if filters.partner:
        flt.partner = (
            Partner.objects.of(initiative).filter(organisation__slug=filters.partner).first()
        )
        if flt.partner is None:
            return None
    for name, geography in (("place", True), ("group", False)):
        if spec := getattr(filters, name):
            group = _group(initiative, spec, geography=geography)
            if group is None:
                return None
            setattr(flt, name, group)
    return flt


def _require_manage(request: HttpRequest, initiative: Initiative, partner=None) -> None:
    """401 for no one (on a public initiative), 403 for who may not write this."""
    person = who(request)
    if not person.is_authenticated:
        raise HttpError(401, "Sign in, or send a token.")
    if not can(person, "activities.manage", initiative, partner):
        raise PermissionDenied


def _reread(initiative: Initiative, activity: Activity) -> Activity:
    return _rows(initiative, selectors.activities_query(initiative=initiative)).get(pk=activity.pk)


# --- the operations ------------------------------------------------------------------------

COLLECTION = "/initiatives/{slug}/activities"
ONE = "/initiatives/{slug}/activities/{uuid}"


@router.get(COLLECTION, response={200: list[ActivityOut], **READ})
@paginate(Page)
def list_activities(request: HttpRequest, slug: Slug, filters: Query[ActivityFilters]):
    """The 4W rows, by partner, start and name: filtered by status, strategy, partner, place
    (a district includes its neighbourhoods) and population group."""
    initiative = initiative_of(request, slug, "activities.view")
    flt = _filter(initiative, filters)
    if flt is None:
        return Activity.objects.none()
    return _rows(initiative, selectors.activities_query(initiative=initiative, flt=flt))


@router.get(f"{COLLECTION}/4w", response={200: FourWOut, **READ})
def four_w(request: HttpRequest, slug: Slug, filters: Query[ActivityFilters]):
    """Who does what, where, for whom: the rows of the 4W page counted by partner,
    strategy, place, population group and status, with the same filters as the list."""
    initiative = initiative_of(request, slug, "activities.view")
    flt = _filter(initiative, filters)
    rows = [] if flt is None else selectors.activities(initiative=initiative, flt=flt)
    counts: dict[str, Counter] = {k: Counter() for k in ("partner", "strategy", "place", "group")}
    names: dict[tuple[str, str], str] = {}

    def count(kind: str, key: str, name: str) -> None:
        counts[kind][key] += 1
        names[kind, key] = name

    for row in rows:
        org = row.partner.organisation
        count("partner", org.slug, org.name)
        for s in row.strategies.all():
            count("strategy", str(s.uuid), s.title)
        for g in row.places.all():
            count("place", g.key, g.name)
        for g in row.groups.all():
            count("group", g.key, g.name)

    def listed(kind: str) -> list[dict]:
        return [
            {"key": key, "name": names[kind, key], "activities": n}
            for key, n in sorted(counts[kind].items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    statuses = Counter(row.status for row in rows)
    return {
        "activities": len(rows),
        "partners": len(counts["partner"]),
        "by_partner": listed("partner"),
        "by_strategy": listed("strategy"),
        "by_place": listed("place"),
        "by_group": listed("group"),
        "by_status": [
            {"key": key, "name": str(label), "activities": statuses[key]}
            for key, label in Activity.Status.choices
            if statuses[key]
        ],
    }


@router.get(ONE, response={200: ActivityOut, **READ})
def get_activity(request: HttpRequest, slug: Slug, uuid: UUID):
    return _activity(request, slug, uuid)[1]


@router.post(COLLECTION, response={201: ActivityOut, **WRITE})
def create_activity(request: HttpRequest, slug: Slug, payload: ActivityIn):
    """Add an activity: the backbone for any partner, a partner's people for their own."""
    initiative = initiative_of(request, slug, "activities.view")
    _require_manage(request, initiative)
    data = _data(initiative, payload.model_dump(), None)
    _require_manage(request, initiative, data.partner)
    try:
        created = services.activity_create(initiative=initiative, data=data)
    except Refused as exc:
        raise _refused(exc) from exc
    return Status(201, _reread(initiative, created))


@router.patch(ONE, response={200: ActivityOut, 409: ActivityConflictOut, **WRITE})
def change_activity(request: HttpRequest, slug: Slug, uuid: UUID, payload: ActivityChangeIn):
    """Change an activity read at `revision`; what is left out stays. Saved meanwhile
    (a newer revision), it is refused with 409 and the activity as it now stands."""
    initiative, found = _activity(request, slug, uuid)
    _require_manage(request, initiative, found.partner)
    data = _data(initiative, payload.model_dump(exclude_unset=True), found)
    _require_manage(request, initiative, data.partner)
    try:
        services.activity_update(
            activity=found, data=data, by=caller(request).by, read_revision=payload.revision
        )
    except EditConflict as exc:
        current = _reread(initiative, exc.current)
        return Status(409, {"detail": exc.messages[0], "current": current})
    except Refused as exc:
        if not Activity.objects.of(initiative).filter(pk=found.pk).exists():
            raise Http404("No such activity.") from exc
        raise _refused(exc) from exc
    return _reread(initiative, found)


@router.delete(ONE, response={204: None, 409: ErrorOut, **WRITE})
def delete_activity(request: HttpRequest, slug: Slug, uuid: UUID, revision: int | None = None):
    """Delete an activity. With `revision`, only if it was not saved since (409 otherwise);
    refused with 409 while a grant funds it."""
    initiative, found = _activity(request, slug, uuid)
    _require_manage(request, initiative, found.partner)
    if revision is not None and revision != found.revision:
        return Status(409, {"detail": "Saved meanwhile: read it again before deleting it."})
    try:
        services.activity_delete(activity=found)
    except DeleteRefused as exc:
        names = can(who(request), "grants.view_all", initiative)
        return Status(409, {"detail": exc.message(names=names)})
    return Status(204, None)
