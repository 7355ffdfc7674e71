"""The initiative's DHIS2 code mappings: data elements, category option combos, org units and
attribute option combos, made, listed and removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from backbone.initiatives.models import Initiative, Partner
from backbone.links import keyed

from ..models import (
    Cell,
    Dhis2Mapping,
    Group,
    Indicator,
)
from .codes import (
    DEFAULT_COMBO,
    MAX_CODE_LENGTH,
    ROLE_NAMES,
    ROLES,
    element_code,
    roles_for,
    stored_code,
)

Kind = Dhis2Mapping.Kind


# --- the mappings ----------------------------------------------------------------------------


class MappingError(ValueError):
    """A mapping that cannot be made; the message says why."""


@dataclass
class Mappings:
    """The initiative's mappings, read once, both ways."""

    elements: dict[str, tuple[Indicator, str]] = field(default_factory=dict)
    cocs: dict[str, dict[str, str]] = field(default_factory=dict)
    org_units: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    aocs: dict[str, str] = field(default_factory=dict)  # code → partner's short name
    # reversed, for export: where several codes mean the same, the one mapped first
    element_for: dict[tuple[int, str], str] = field(default_factory=dict)
    coc_for: dict[str, str] = field(default_factory=dict)
    org_unit_for: dict[int | None, str] = field(default_factory=dict)
    aoc_for: dict[int, str] = field(default_factory=dict)  # partner id → code

    @classmethod
    def load(cls, initiative: Initiative) -> Mappings:
        found = cls()
        rows = (
            Dhis2Mapping.objects.filter(initiative=initiative)
            .select_related("indicator", "place__dimension", "cell", "partner__organisation")
            .prefetch_related("cell__groups__dimension")
            .order_by("pk")
        )
        for m in rows:
            if m.kind == Kind.DATA_ELEMENT and m.indicator_id:
                code, role = element_code(m.code)
                found.elements[code] = (m.indicator, role)
                found.element_for.setdefault((m.indicator_id, role), code)
            elif m.kind == Kind.CATEGORY_OPTION_COMBO and m.cell_id:
                found.cocs[m.code] = {g.dimension.key: g.key for g in m.cell.groups.all()}
                found.coc_for.setdefault(m.cell.key, m.code)
            elif m.kind == Kind.ORG_UNIT:
                place = (m.place.dimension.key, m.place.key) if m.place_id else None
                found.org_units[m.code] = place
                found.org_unit_for.setdefault(m.place_id, m.code)
            elif m.kind == Kind.ATTRIBUTE_OPTION_COMBO and m.partner_id:
                found.aocs[m.code] = m.partner.organisation.slug
                found.aoc_for.setdefault(m.partner_id, m.code)
        return found


def _clean_code(initiative: Initiative, kind: str, code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise MappingError("Give the DHIS2 code.")
    if len(code) > MAX_CODE_LENGTH:
        raise MappingError(f"A DHIS2 code has at most {MAX_CODE_LENGTH} characters.")
    taken = [code]
    if kind == Kind.DATA_ELEMENT:
        if element_code(code)[1] != "value":
            raise MappingError("A data element code cannot start with a role and a colon.")
        taken = [stored_code(code, role) for role in ROLES]
    if Dhis2Mapping.objects.filter(initiative=initiative, kind=kind, code__in=taken).exists():
        raise MappingError(f"{code} is already mapped; delete that mapping first.")
    return code


def mapping_add_element(
    *, initiative: Initiative, code: str, indicator: Indicator, role: str = "value"
) -> Dhis2Mapping:
    """Map a DHIS2 data element to one number (`role`) of an indicator."""
    if indicator.initiative_id != initiative.pk:
        raise MappingError("No such indicator.")
    allowed = roles_for(indicator)
    if role not in allowed:
        raise MappingError(
            f"{indicator.name} takes its {' and '.join(allowed)} from DHIS2, not a {role}."
        )
    code = _clean_code(initiative, Kind.DATA_ELEMENT, code)
    return Dhis2Mapping.objects.create(
        initiative=initiative,
        kind=Kind.DATA_ELEMENT,
        code=stored_code(code, role),
        indicator=indicator,
    )


@transaction.atomic
def mapping_add_coc(*, initiative: Initiative, code: str, groups: Iterable[Group]) -> Dhis2Mapping:
    """Map a DHIS2 category option combo to a combination of groups (none: the total)."""
    groups = list(groups)
    dims = [g.dimension_id for g in groups]
    if len(set(dims)) != len(dims):
        raise MappingError("Choose at most one group of each dimension.")
    for g in groups:
        if g.initiative_id != initiative.pk:
            raise MappingError("No such group.")
        if g.dimension.is_geography:
            raise MappingError("Places come from org units, not from category option combos.")
    code = _clean_code(initiative, Kind.CATEGORY_OPTION_COMBO, code)
    key = Cell.key_for(g.pk for g in groups)
    cell, created = Cell.objects.get_or_create(initiative=initiative, key=key)
    if created and groups:
        cell.groups.set(groups, through_defaults=keyed(cell))
    return Dhis2Mapping.objects.create(
        initiative=initiative, kind=Kind.CATEGORY_OPTION_COMBO, code=code, cell=cell
    )


def mapping_add_org_unit(*, initiative: Initiative, code: str, place: Group | None) -> Dhis2Mapping:
    """Map a DHIS2 org unit to a place, or (place None) to the whole area."""
    if place is not None and (
        place.initiative_id != initiative.pk or not place.dimension.is_geography
    ):
        raise MappingError("Choose a place of a geography dimension.")
    code = _clean_code(initiative, Kind.ORG_UNIT, code)
    return Dhis2Mapping.objects.create(
        initiative=initiative, kind=Kind.ORG_UNIT, code=code, place=place
    )


def mapping_add_aoc(*, initiative: Initiative, code: str, partner: Partner) -> Dhis2Mapping:
    """Map a DHIS2 attribute option combo to a partner organisation."""
    if partner.initiative_id != initiative.pk:
        raise MappingError("No such partner.")
    if (code or "").strip() == DEFAULT_COMBO:
        raise MappingError(
            f"{DEFAULT_COMBO} is DHIS2's default combo: it stands for the partner sending the "
            "values, so it is not mapped to one partner."
        )
    code = _clean_code(initiative, Kind.ATTRIBUTE_OPTION_COMBO, code)
    return Dhis2Mapping.objects.create(
        initiative=initiative, kind=Kind.ATTRIBUTE_OPTION_COMBO, code=code, partner=partner
    )


def mapping_delete(*, initiative: Initiative, kind: str, code: str) -> bool:
    """Delete one mapping by its kind and stored code; False if there was none."""
    deleted, _ = Dhis2Mapping.objects.filter(initiative=initiative, kind=kind, code=code).delete()
    return bool(deleted)


@dataclass(frozen=True)
class MappingRow:
    kind: str
    stored: str  # the stored code, which identifies the mapping
    code: str  # the DHIS2 code
    meaning: str  # what it maps to, in words
    role: str = ""
    exported_as: str = ""  # the code the export writes instead, when it is not this one


def _target(m: Dhis2Mapping) -> tuple:
    """What a mapping means, so that codes meaning the same can be found."""
    if m.kind == Kind.DATA_ELEMENT:
        return (m.kind, m.indicator_id, element_code(m.code)[1])
    return (m.kind, m.cell_id, m.place_id, m.partner_id)


def _dhis2_code(m: Dhis2Mapping) -> str:
    return element_code(m.code)[0] if m.kind == Kind.DATA_ELEMENT else m.code


def mapping_rows(initiative: Initiative) -> dict[str, list[MappingRow]]:
    """Every mapping of the initiative in words, by kind, each saying which code the export
    writes when several mean the same."""
    rows: dict[str, list[MappingRow]] = {k: [] for k in Kind.values}
    found = list(
        Dhis2Mapping.objects.filter(initiative=initiative)
        .select_related("indicator", "place__dimension", "cell", "partner__organisation")
        .prefetch_related("cell__groups__dimension")
        .order_by("pk")
    )
    first: dict[tuple, str] = {}
    for m in found:
        first.setdefault(_target(m), _dhis2_code(m))
    for m in sorted(found, key=lambda m: m.code):
        instead = first[_target(m)]
        instead = "" if instead == _dhis2_code(m) else instead
        if m.kind == Kind.DATA_ELEMENT:
            code, role = element_code(m.code)
            meaning = m.indicator.name if m.indicator_id else "—"
            rows[m.kind].append(
                MappingRow(m.kind, m.code, code, meaning, ROLE_NAMES[role], instead)
            )
            continue
        if m.kind == Kind.CATEGORY_OPTION_COMBO:
            groups = sorted(m.cell.groups.all(), key=lambda g: (g.dimension.position, g.pk))
            meaning = " × ".join(g.name for g in groups) if groups else "Total (no groups)"
        elif m.kind == Kind.ATTRIBUTE_OPTION_COMBO:
            meaning = m.partner.organisation.name if m.partner_id else "—"
        else:
            meaning = m.place.name if m.place_id else "The whole area (no place)"
        rows[m.kind].append(MappingRow(m.kind, m.code, m.code, meaning, exported_as=instead))
    rows[Kind.DATA_ELEMENT].sort(key=lambda r: (r.code, r.role))
    return rows
