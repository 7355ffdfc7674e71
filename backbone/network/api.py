"""The partner network over the REST API: survey waves, their results and the map's data,
under the pages' rules. Every member reads the waves and the whole network's figures;
partners, the backbone and evaluators also the per-partner measures, sectors, groups, ties
gained and lost, and the map (other members 403 there, outsiders 404 everywhere); a
partner's trust and value received from fewer than three raters only the backbone and
evaluators, who also see which partners have not answered."""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import StringConstraints

from backbone.api.auth import initiative_of, token_or_session, who
from backbone.api.errors import ErrorOut, ValidationErrorOut
from backbone.api.pagination import Page
from backbone.communication.selectors import groups_visible
from backbone.permissions import can

from . import selectors
from .forms import MapForm, SubnetworkForm
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


# --- waves and their results ---------------------------------------------------------------

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WaveStatus = Literal["upcoming", "open", "closed"]


class NetworkWaveOut(Schema):
    uuid: UUID
    name: str
    opens_on: date
    closes_on: date
    status: WaveStatus
    partners: int = Field(description="How many partners take part.")
    answered: int = Field(description="How many of them answered.")
    results: str = Field(description="The link to its results.")


class NetworkFiguresOut(Schema):
    partners: int
    ties: int
    density: float
    centralisation: float | None
    reciprocity: float | None
    trust_pct: float | None
    value_pct: float | None
    groups: int


class NetworkPartnerOut(Schema):
    organisation: str = Field(description="The organisation's slug.")
    name: str
    sector: str
    named: int = Field(description="Partners it names as ties.")
    named_by: int
    degree: float
    betweenness: float
    closeness: float
    group: int | None
    trust_pct: float | None = Field(description="Null when hidden: fewer than 3 raters.")
    value_pct: float | None
    hidden: bool


class SectorTiesOut(Schema):
    sector: str
    label: str
    partners: int
    within: int
    out: int
    into: int
    outside_share: float | None


class TieChangeOut(Schema):
    organisation: str
    gained: list[str] = Field(description="Partners it gained a tie with, by name.")
    lost: list[str]


class NetworkContributionOut(Schema):
    kind: str
    label: str
    partners: int
    most_important: int


class PartnerContributionsOut(Schema):
    organisation: str
    contributes: list[str]
    main: str


class WaveResultsOut(Schema):
    wave: UUID
    status: WaveStatus
    subnetwork: str = Field(description="Which part is shown; empty for the whole network.")
    answered: int
    invited: int
    ratings: int = Field(description="Ratings above none: the base of trust and value.")
    figures: NetworkFiguresOut
    previous_wave: UUID | None
    previous_figures: NetworkFiguresOut | None
    partners: list[NetworkPartnerOut] | None = Field(
        description="Per partner: for partners, the backbone and evaluators only."
    )
    groups: list[list[str]] | None = Field(description="Louvain groups of partners, by name.")
    sectors: list[SectorTiesOut] | None
    joined: list[str] | None
    left: list[str] | None
    tie_changes: list[TieChangeOut] | None
    contributions: list[NetworkContributionOut]
    partner_contributions: list[PartnerContributionsOut] | None
    not_answered: list[str] | None = Field(description="For the backbone and evaluators only.")


class SubnetworkQuery(Schema):
    sector: Slug | None = Field(None, description="Only the partners of this sector.")
    group: UUID | None = Field(None, description="Only the partners in this working group.")


def _wave_out(initiative, wave, today) -> dict:
    return {
        "uuid": wave.uuid,
        "name": wave.name,
        "opens_on": wave.opens_on,
        "closes_on": wave.closes_on,
        "status": wave.status_on(today),
        "partners": wave.partner_count,
        "answered": wave.answer_count,
        "results": f"/api/initiatives/{initiative.slug}/network/waves/{wave.uuid}/results",
    }


@router.get("/initiatives/{slug}/network/waves", response={200: list[NetworkWaveOut], **READ})
@paginate(Page)
def list_waves(request: HttpRequest, slug: Slug, status: WaveStatus | None = None):
    """The survey waves, newest first, with how many partners take part and answered."""
    initiative = initiative_of(request, slug, "network.view")
    today = timezone.localdate()
    found = [_wave_out(initiative, w, today) for w in selectors.waves(initiative=initiative)]
    return [w for w in found if status is None or w["status"] == status]


@router.get("/initiatives/{slug}/network/waves/{uuid}", response={200: NetworkWaveOut, **READ})
def get_wave(request: HttpRequest, slug: Slug, uuid: UUID):
    initiative = initiative_of(request, slug, "network.view")
    today = timezone.localdate()
    for wave in selectors.waves(initiative=initiative):
        if wave.uuid == uuid:
            return _wave_out(initiative, wave, today)
    raise Http404("No such wave.")


def _subnetwork(person, initiative, wave, filters: SubnetworkQuery):
    """The page's sub-network form over the query; 422 when it names what is not there."""
    params = {k: str(v) for k, v in filters.model_dump().items() if v is not None}
    partners = selectors.wave_partners(wave)
    form = SubnetworkForm(
        params or None,
        sectors=sorted({p.organisation.sector for p in partners}),
        groups=[g for g, _ in groups_visible(initiative=initiative, person=person)],
    )
    if params and not form.is_valid():
        raise ValidationError(
            [
                {"type": "refused", "loc": ["query", name], "msg": message}
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    return form.subnetwork()


def _figures(m) -> dict:
    return {k: v for k, v in m.as_figures().items()}


@router.get(
    "/initiatives/{slug}/network/waves/{uuid}/results", response={200: WaveResultsOut, **READ}
)
def get_wave_results(request: HttpRequest, slug: Slug, uuid: UUID, filters: Query[SubnetworkQuery]):
    """A wave's results as its page shows them to the caller. `sector` and `group` narrow
    them to a sub-network, for those who see per-partner measures (403 for the others)."""
    initiative = initiative_of(request, slug, "network.view")
    wave = selectors.wave_get(initiative=initiative, uuid=uuid)
    person = who(request)
    partners = can(person, "network.partners", initiative)
    individual = can(person, "network.ratings", initiative)
    if not partners and (filters.sector or filters.group):
        raise PermissionDenied
    sub = _subnetwork(person, initiative, wave, filters) if partners else selectors.WHOLE
    result = selectors.results(wave, sub=sub, individual=individual)
    summary, per_partner = selectors.contributions(wave)
    before = None
    if result.previous is not None and result.comparison is not None:
        before = {c.key: c.before for c in result.comparison.changes}
    m = result.measures
    out = {
        "wave": wave.uuid,
        "status": wave.status_on(timezone.localdate()),
        "subnetwork": result.sub.label,
        "answered": result.answered,
        "invited": result.invited,
        "ratings": m.ratings,
        "figures": _figures(m),
        "previous_wave": result.previous.uuid if result.previous else None,
        "previous_figures": None,
        "partners": None,
        "groups": None,
        "sectors": None,
        "joined": None,
        "left": None,
        "tie_changes": None,
        "contributions": [
            {
                "kind": c.kind,
                "label": str(c.label),
                "partners": c.partners,
                "most_important": c.most_important,
            }
            for c in summary
        ],
        "partner_contributions": None,
        "not_answered": [p.organisation.name for p in result.not_answered] if individual else None,
    }
    if before is not None:
        out["previous_figures"] = {**_figures(m), **before}
    if partners:
        out |= {
            "partners": [
                {
                    "organisation": r.partner.organisation.slug,
                    "name": r.name,
                    "sector": r.partner.organisation.sector,
                    "named": r.measures.named,
                    "named_by": r.measures.named_by,
                    "degree": r.measures.degree,
                    "betweenness": r.measures.betweenness,
                    "closeness": r.measures.closeness,
                    "group": r.measures.group,
                    "trust_pct": r.trust_pct,
                    "value_pct": r.value_pct,
                    "hidden": r.hidden,
                }
                for r in result.rows
            ],
            "groups": result.groups,
            "sectors": [
                {
                    "sector": s.ties.sector,
                    "label": s.label,
                    "partners": s.ties.partners,
                    "within": s.ties.within,
                    "out": s.ties.out,
                    "into": s.ties.into,
                    "outside_share": s.ties.outside_share,
                }
                for s in result.sectors
            ],
            "joined": result.joined if result.comparison else None,
            "left": result.left if result.comparison else None,
            "tie_changes": [
                {"organisation": t.partner.organisation.slug, "gained": t.gained, "lost": t.lost}
                for t in result.tie_rows
            ]
            if result.comparison
            else None,
            "partner_contributions": [
                {"organisation": p.organisation.slug, "contributes": kinds, "main": main}
                for p, kinds, main in per_partner
            ],
        }
    return out
