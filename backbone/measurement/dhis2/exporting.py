"""Exporting values as DHIS2 data values, with the mappings reversed; values whose codes are
not all mapped are left out and counted by reason.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from backbone.initiatives.models import Initiative

from ..models import (
    Aggregation,
    Cell,
    DataValue,
)
from ..numbers import as_text
from .codes import dhis2_period_of
from .mappings import Mappings

# --- exporting -------------------------------------------------------------------------------


@dataclass
class Dhis2Export:
    """What an export wrote: DHIS2 data values, how many Backbone values they carry, and the
    values left out, counted by reason."""

    data_values: list[dict[str, object]] = field(default_factory=list)
    exported: int = 0
    skipped: Counter = field(default_factory=Counter)

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())


NO_DHIS2_PERIOD = (
    "DHIS2 has no such period: a school or fiscal year must start in January, April, July, "
    "October or November"
)


def _cell_groups(initiative: Initiative) -> dict[int, list[tuple[int, bool]]]:
    """cell id → [(group id, is a place)] for every cell of the initiative."""
    found: dict[int, list[tuple[int, bool]]] = {}
    links = Cell.groups.through.objects.filter(cell__initiative=initiative).values_list(
        "cell_id", "group_id", "group__dimension__is_geography"
    )
    for cell_id, group_id, is_place in links:
        found.setdefault(cell_id, []).append((group_id, is_place))
    return found


def dhis2_export(*, initiative: Initiative, values: QuerySet[DataValue]) -> Dhis2Export:
    """The values as DHIS2 data values, the mappings reversed, with their comment, followup
    and storedBy. A value is left out (and counted) when its indicator, groups, place,
    partner or period has no DHIS2 code; where several codes mean the same, the one mapped
    first is written."""
    mappings = Mappings.load(initiative)
    cells = _cell_groups(initiative)
    out = Dhis2Export()
    rows = values.filter(initiative=initiative).values_list(
        "indicator_id",
        "indicator__aggregation",
        "period__kind",
        "period__start",
        "cell_id",
        "partner_id",
        "value",
        "numerator",
        "denominator",
        "weight",
        "updated_at",
        "comment",
        "followup",
        "stored_by",
    )
    for row in rows.iterator(chunk_size=5000):
        ind_id, aggregation, kind, start, cell_id, partner_id, value, num, den, weight = row[:10]
        at, comment, followup, stored_by = row[10:]
        period = dhis2_period_of(kind, start)
        if period is None:
            out.skipped[NO_DHIS2_PERIOD] += 1
            continue
        groups = cells.get(cell_id, [])
        places = [g for g, is_place in groups if is_place]
        if len(places) > 1:
            out.skipped["it is for more than one place"] += 1
            continue
        place = places[0] if places else None
        org_unit = mappings.org_unit_for.get(place)
        if org_unit is None:
            out.skipped[
                "no org unit is mapped to its place"
                if place
                else "no org unit is mapped to the whole area"
            ] += 1
            continue
        combo_key = Cell.key_for(g for g, is_place in groups if not is_place)
        combo = mappings.coc_for.get(combo_key, "" if combo_key == "" else None)
        if combo is None:
            out.skipped["no category option combo is mapped to its groups"] += 1
            continue
        aoc = mappings.aoc_for.get(partner_id)
        if aoc is None:
            out.skipped["no attribute option combo is mapped to its partner"] += 1
            continue
        numbers = {"value": value, "numerator": num, "denominator": den, "n": weight}
        if aggregation == Aggregation.RATE:
            needed = ("numerator", "denominator")
        elif aggregation == Aggregation.WEIGHTED:
            needed = ("value", "n")
        else:
            needed = ("value",)
        elements = [mappings.element_for.get((ind_id, role)) for role in needed]
        if None in elements:
            missing = needed[elements.index(None)]
            out.skipped[f"no data element is mapped to its {missing}"] += 1
            continue
        if any(numbers[role] is None for role in needed):
            # DHIS2 reads an empty value as a deletion: a blank (with its reason) stays here.
            out.skipped["it is blank"] += 1
            continue
        for role, element in zip(needed, elements, strict=True):
            data_value = {
                "dataElement": element,
                "period": period,
                "orgUnit": org_unit,
                "categoryOptionCombo": combo,
                "attributeOptionCombo": aoc,
                "value": as_text(Decimal(numbers[role])),
                "storedBy": stored_by,
                "lastUpdated": at.isoformat(timespec="seconds"),
                "comment": comment,
                "followup": followup,
            }
            for empty in ("storedBy", "comment"):  # DHIS2 leaves out what a value lacks
                if not data_value[empty]:
                    del data_value[empty]
            out.data_values.append(data_value)
        out.exported += 1
    return out


def export_json(export: Dhis2Export) -> str:
    """A dataValueSet as DHIS2 reads it (`POST /api/dataValueSets`)."""
    return json.dumps({"dataValues": export.data_values}, indent=1, ensure_ascii=False)


def export_csv_rows(export: Dhis2Export) -> list[list[object]]:
    """Rows of DHIS2's CSV data value set, without the header row. Numbers stay numbers,
    so that no spreadsheet reads them as text, and negative ones keep their sign."""
    return [
        [
            dv["dataElement"],
            dv["period"],
            dv["orgUnit"],
            dv["categoryOptionCombo"],
            dv["attributeOptionCombo"],
            Decimal(dv["value"]) if dv["value"] else "",
            dv.get("storedBy", ""),
            dv["lastUpdated"],
            dv.get("comment", ""),
            "true" if dv["followup"] else "false",
            "false",
        ]
        for dv in export.data_values
    ]
