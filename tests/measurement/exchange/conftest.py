"""Shared set-up for the API, token and DHIS2 tests: token clients and DHIS2 codes."""

from __future__ import annotations

import pytest
from django.test import Client

from backbone.measurement.tokens import token_create


@pytest.fixture
def token_client(cast):
    """`token_client(partner)` gives (client, raw token) for a new token of `partner`; the
    client sends the token and no session."""

    def make(partner=None, *, name="sync"):
        partner = partner or cast.partner_a
        _, raw = token_create(partner=partner, name=name, by=cast.steward_a)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), raw

    return make


# Codes in the style of a DHIS2 instance: uids for org units and the default combo, codes
# for data elements (as in the IHE ADX sample's MAL01…), readable combo codes.
DEFAULT_COMBO = "HllvX50cXC0"
WHOLE_AREA, NORTH, SOUTH = "ImspTQPwCqd", "O6uvpzGd5pu", "fdc6uOvgoji"
# attribute option combos, one per implementing partner, as a DHIS2 funding mechanism has
LIBRARY_AOC, FOOD_BANK_AOC = "pRqSz4WmW1b", "Bv8bgk9f2Yb"
ELEMENTS = {
    "ECE01": ("children-enrolled", "value"),
    "KR01": ("kindergarten-readiness", "numerator"),
    "KR02": ("kindergarten-readiness", "denominator"),
    "RS01": ("reading-score", "value"),
    "RS02": ("reading-score", "n"),
    "OC01": ("open-cases", "value"),
    "FS01": ("families-served", "value"),
}


def combo_code(race: str, income: str) -> str:
    return f"COC-{race.upper()}-{income.upper()}"


@pytest.fixture
def mapped(cast, measured):
    """DHIS2 mappings for every indicator, cell, place and partner of the `measured`
    fixture."""
    from backbone.measurement import dhis2
    from backbone.measurement.models import Group, Indicator

    from .helpers import INCOMES, RACES

    initiative = cast.initiative
    for code, (indicator, role) in ELEMENTS.items():
        dhis2.mapping_add_element(
            initiative=initiative,
            code=code,
            indicator=Indicator.objects.get(initiative=initiative, code=indicator),
            role=role,
        )
    dhis2.mapping_add_coc(initiative=initiative, code=DEFAULT_COMBO, groups=[])
    group = {(g.dimension.key, g.key): g for g in Group.objects.select_related("dimension")}
    for race in RACES:
        for income in INCOMES:
            dhis2.mapping_add_coc(
                initiative=initiative,
                code=combo_code(race, income),
                groups=[group[("race", race)], group[("income", income)]],
            )
    dhis2.mapping_add_org_unit(initiative=initiative, code=WHOLE_AREA, place=None)
    dhis2.mapping_add_org_unit(initiative=initiative, code=NORTH, place=group[("place", "north")])
    dhis2.mapping_add_org_unit(initiative=initiative, code=SOUTH, place=group[("place", "south")])
    dhis2.mapping_add_aoc(initiative=initiative, code=LIBRARY_AOC, partner=cast.partner_a)
    dhis2.mapping_add_aoc(initiative=initiative, code=FOOD_BANK_AOC, partner=cast.partner_b)
    return measured
