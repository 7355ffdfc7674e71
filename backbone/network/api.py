"""The partner network's map over the REST API: the data the map page draws, under the same
rules (partners, the backbone and evaluators; other members 403, outsiders 404)."""

from typing import Annotated
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import StringConstraints

from backbone.api.auth import initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.communication.selectors import groups_visible
from backbone.permissions import can

from . import selectors
from .forms import MapForm
from .models import TIE_LEVEL

router = Router(tags=["network"], auth=token_or_session)

Slug = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)]


class MapQuery(Schema):
    sector: Slug | None = Field(None, description="Only the partners of this sector.")
    group: UUID | None = Field(None, description="Only the partners in this working group.")
    level: int | None = Field(
        None,
        ge=1,
        le=4,
        description=f"The lowest level of a tie drawn; {int(TIE_LEVEL)} by default.",
    )


class NodeOut(Schema):
    id: str = Field(description="The organisation's slug.")
    label: str
    sector: str
    sector_label: str
    colour: str
    group: int | None = None
    named: int | None = None
    named_by: int | None = None
    degree: float
    betweenness: float
    closeness: float
    trust: float | None
    lines: int


class EdgeOut(Schema):
    source: str
    target: str
    level: int


class SectorOut(Schema):
    key: str
    label: str
    colour: str


class LevelOut(Schema):
    level: int
    label: str


class MapOut(Schema):
    wave: str
    min_level: int
    min_level_label: str
    subnetwork: str
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    sectors: list[SectorOut]
    levels: list[LevelOut]


def map_of(person, initiative, wave, params: dict) -> dict:
    """The map's data for `person`, from the page's query (`sector`, `group`, `level`);
    None when the query does not validate (the form's errors on `form`)."""
    partners = selectors.wave_partners(wave)
    form = MapForm(
        {"level": str(int(TIE_LEVEL)), "size": "degree", **params},
        sectors=sorted({p.organisation.sector for p in partners}),
        groups=[g for g, _ in groups_visible(initiative=initiative, person=person)],
    )
    if not form.is_valid():
        return {"errors": form.errors}
    individual = can(person, "network.ratings", initiative)
    return selectors.map_data(
        wave, sub=form.subnetwork(), min_level=form.min_level(), individual=individual
    )


@router.get(
    "/initiatives/{slug}/network/waves/{uuid}/map",
    response={200: MapOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
)
def network_map(request: HttpRequest, slug: Slug, uuid: UUID, filters: Query[MapQuery]):
    """The network map of a survey wave: partners as nodes (with the whole network's
    measures), the ties at `level` or above as edges, for one sector or working group or
    the whole network. Single ratings' trust only for the backbone and evaluators."""
    initiative = initiative_of(request, slug, "network.partners")
    wave = selectors.wave_get(initiative=initiative, uuid=uuid)
    params = {k: str(v) for k, v in filters.model_dump().items() if v is not None}
    found = map_of(who(request), initiative, wave, params)
    if "errors" in found:
        raise ValidationError(
            [
                {"type": "refused", "loc": ["query", name], "msg": message}
                for name, messages in found["errors"].items()
                for message in messages
            ]
        )
    return found
