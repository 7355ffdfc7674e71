"""A second, independent way to the same numbers: read every stored value of an indicator into a
pandas DataFrame and apply the rules of aggregation row by row, the slow and obvious way. The
engine's answers are checked against these."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, localcontext

import pandas as pd

from backbone.measurement.models import DataValue, Group, Indicator, IndicatorDimension, Period

SIX = Decimal("0.000001")
COLUMNS = [
    "partner_id",
    "period_id",
    "cell__key",
    "status",
    "value",
    "numerator",
    "denominator",
    "weight",
]


def frame(indicator: Indicator) -> pd.DataFrame:
    rows = DataValue.objects.filter(indicator=indicator).values(*COLUMNS)
    return pd.DataFrame.from_records(list(rows), columns=COLUMNS)


def _q(x):
    return None if x is None else Decimal(x).quantize(SIX)


def _answer(indicator: Indicator, rows: pd.DataFrame) -> tuple:
    """(value, numerator, denominator, weight, partners, values) of some rows."""
    if rows.empty:
        return (None, None, None, None, 0, 0)
    counts = (rows["partner_id"].nunique(), len(rows))
    with localcontext() as ctx:
        ctx.prec = 60
        if indicator.aggregation == "rate":
            num = sum(rows["numerator"], Decimal(0))
            den = sum(rows["denominator"], Decimal(0))
            return (_q(num * indicator.rate_per / den), _q(num), _q(den), _q(den), *counts)
        if indicator.aggregation == "weighted":
            n = sum(rows["weight"], Decimal(0))
            vn = sum(
                (v * w for v, w in zip(rows["value"], rows["weight"], strict=True)), Decimal(0)
            )
            return (_q(vn / n), None, None, _q(n), *counts)
        return (_q(sum(rows["value"], Decimal(0))), None, None, None, *counts)


class Reference:
    """The stored values of one indicator, read once, and the answers computed from them."""

    def __init__(self, indicator: Indicator):
        self.indicator = indicator
        self.dims = list(
            IndicatorDimension.objects.filter(indicator=indicator).values_list(
                "dimension_id", flat=True
            )
        )
        self.info = {
            g["id"]: g
            for g in Group.objects.filter(initiative_id=indicator.initiative_id).values(
                "id", "dimension_id", "parent_id", "dimension__is_geography"
            )
        }
        self.frame = frame(indicator)

    def expected(self, **question) -> dict:
        return expected(self.indicator, _read=self, **question)


def expected(
    indicator: Indicator,
    *,
    periods: Iterable[Period],
    partners: Iterable | None = None,
    groups: Iterable[Group] = (),
    provisional: bool = False,
    key: Callable[[dict[int, int]], tuple | None] | None = None,
    per: str | None = None,
    _read: Reference | None = None,
) -> dict:
    """{group key: answer tuple}. `key` maps a cell's {dimension id: group id} to a breakdown
    key (None: left out); `per` is "partner_id" or "period_id" for one answer per partner or
    per period; with neither, the single key is None."""
    read = _read or Reference(indicator)
    periods = sorted(set(periods), key=lambda p: (p.start, p.end, p.pk))
    rank = {p.pk: i for i, p in enumerate(periods)}
    dims, info = read.dims, read.info

    def lineage(gid: int) -> set[int]:
        found = {gid}
        if info[gid]["dimension__is_geography"]:
            while info[gid]["parent_id"] is not None:
                gid = info[gid]["parent_id"]
                found.add(gid)
        return found

    df = read.frame
    statuses = ["approved", "submitted"] if provisional else ["approved"]
    df = df[df["status"].isin(statuses) & df["period_id"].isin(rank)]
    if partners is not None:
        ids = [getattr(p, "pk", p) for p in partners]
        df = df[df["partner_id"].isin(ids)]
    needed = {"rate": ["numerator", "denominator"], "weighted": ["value", "weight"]}
    df = df.dropna(subset=needed.get(indicator.aggregation, ["value"]))

    def by_dim(cell_key: str) -> dict[int, int]:
        return {info[int(g)]["dimension_id"]: int(g) for g in cell_key.split(".") if g}

    df = df.assign(
        groups=df["cell__key"].map(by_dim),
        is_total=(df["cell__key"] == "").astype(bool),
        rank=df["period_id"].map(rank),
    )
    if dims:
        df = df.assign(
            full=df["groups"]
            .map(lambda g: sorted(g) == sorted(dims) and len(g) == len(dims))
            .astype(bool)
        )
    else:
        df = df.assign(full=df["is_total"])

    filters: dict[int, set[int]] = {}
    for g in groups:
        filters.setdefault(g.dimension_id, set()).add(g.pk)

    def passes(gs: dict[int, int]) -> bool:
        return all(dim in gs and bool(lineage(gs[dim]) & chosen) for dim, chosen in filters.items())

    full = df[df["full"].astype(bool) & df["groups"].map(passes).astype(bool)]
    if dims and not filters and key is None:
        gave = set(zip(full["partner_id"], full["period_id"], strict=True))
        totals = df[df["is_total"]]
        totals = totals[
            [
                (a, b) not in gave
                for a, b in zip(totals["partner_id"], totals["period_id"], strict=True)
            ]
        ]
        rows = pd.concat([full, totals])
    else:
        rows = full

    if indicator.aggregation in ("stock", "cumulative") and per != "period_id" and not rows.empty:
        kept = []
        for _, mine in rows.groupby("partner_id"):
            stand_ins = mine[mine["is_total"] & ~mine["full"]] if dims else mine.iloc[0:0]
            cells = mine.drop(stand_ins.index)
            newest_cells = cells["rank"].max() if not cells.empty else -1
            if not stand_ins.empty and stand_ins["rank"].max() > newest_cells:
                kept.append(stand_ins[stand_ins["rank"] == stand_ins["rank"].max()])
            elif not cells.empty:
                latest = cells.groupby("cell__key")["rank"].transform("max")
                kept.append(cells[cells["rank"] == latest])
        rows = pd.concat(kept) if kept else rows.iloc[0:0]

    if key is not None:
        keys = rows["groups"].map(key)
        rows = rows.assign(k=keys)[keys.notna()]
        return {k: _answer(indicator, part) for k, part in rows.groupby("k", sort=False)}
    if per is not None:
        return {k: _answer(indicator, part) for k, part in rows.groupby(per, sort=False)}
    return {None: _answer(indicator, rows)}


def as_tuple(result) -> tuple:
    return (
        result.value,
        result.numerator,
        result.denominator,
        result.weight,
        result.partners,
        result.values,
    )
