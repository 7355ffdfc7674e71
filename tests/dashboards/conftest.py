"""Generated data for checking the scorecard's numbers: four partners, six months (five closed,
the last one open), a rate by race × area, a count by area, a weighted score by race and a rate
without dimensions, with baselines and targets. Values go in through the real intake and the
approval steps; some stay submitted, draft or returned, so only the approved ones count.

`Reference` reads the stored rows back into pandas and applies the aggregation rules itself."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

import pandas as pd
import pytest

from backbone.initiatives import services
from backbone.initiatives.models import Partner
from backbone.measurement.models import (
    DataValue,
    Dimension,
    Group,
    Indicator,
    IndicatorDimension,
    Period,
)
from backbone.measurement.services_setup import period_close, target_set
from tests.conftest import build_cast
from tests.measurement.conftest import make_dimension, make_indicator, make_period
from tests.measurement.engine.conftest import larger, row, submit, total_of
from tests.snapshots import once_per_session

SEED = 20240601
RACES = ("black", "latino", "white")
AREAS = {"north": ("n1", "n2"), "south": ("s1", "s2")}
# (race, area) of the cells with few people in them, so that small numbers turn up in every
# table: two cells of the readiness cross-tab, the s2 count and the white score.
FEW = {("white", "s2"), ("latino", "n2"), (None, "s2"), ("white", None)}
MODES = ("cells", "cells", "some", "total", "both", "partial", "none")


@dataclass
class Setting:
    cast: object
    race: Dimension
    area: Dimension
    groups: dict[str, Group]  # "race:black", "area:n1", …
    partners: list[Partner]
    months: list[Period]  # 2024-01 … 2024-06; the last one open
    readiness: Indicator  # rate (percent) by race × area, public
    enrolled: Indicator  # sum (count) by area, for members and funders
    score: Indicator  # weighted average (score) by race, members only
    absent: Indicator  # rate (percent) without dimensions, down is better, public

    @property
    def indicators(self) -> list[Indicator]:
        return [self.readiness, self.enrolled, self.score, self.absent]


def _cells(setting: Setting, ind: Indicator, partner_index: int) -> list[dict]:
    """Every combination of groups `ind` is reported by; the fourth partner reports the
    readiness rate on the south district as a whole, not on its neighbourhoods."""
    places = [n for ns in AREAS.values() for n in ns]
    if ind is setting.readiness:
        if partner_index == 3:
            places = ["n1", "n2", "south"]
        return [{"race": r, "area": a} for r in RACES for a in places]
    if ind is setting.enrolled:
        return [{"area": a} for a in places]
    return [{"race": r} for r in RACES]


def _numbers(ind: Indicator, groups: dict, rng: random.Random) -> dict:
    """Plausible numbers for one cell; a total typed on its own stands for many cells."""
    few, whole = (groups.get("race"), groups.get("area")) in FEW, not groups
    size = (1, 2) if few else (40, 200) if whole else (3, 25)
    if ind.aggregation == "rate":
        den = rng.randint(*size)
        top = den // 3 if ind.direction == "down" else den
        return {"numerator": rng.randint(0, top), "denominator": den}
    if ind.aggregation == "weighted":
        return {"value": rng.randint(150, 300), "weight": rng.randint(*size)}
    return {"value": rng.randint(0, 2) if few else rng.randint(size[0], size[1] * 2)}


def _report(setting, ind, period, partner, index, rng) -> list:
    """One partner's rows of one indicator and period: all cells, some, the total only, cells
    and their total, some cells and a larger total, or nothing."""
    if not ind.dimensions.exists():
        return [] if rng.random() < 0.2 else [row(ind, period, partner, **_numbers(ind, {}, rng))]
    mode = rng.choice(MODES)
    combos = _cells(setting, ind, index)
    if mode in ("some", "partial"):
        combos = rng.sample(combos, rng.randint(1, len(combos) - 1))
    elif mode not in ("cells", "both"):
        combos = []
    parts, out = [], []
    for groups in combos:
        nums = _numbers(ind, groups, rng)
        parts.append(nums)
        out.append(row(ind, period, partner, groups, **nums))
    if mode in ("total", "both", "partial"):
        nums = total_of(ind.aggregation, parts) if parts else _numbers(ind, {}, rng)
        if mode == "partial":
            nums = larger(ind.aggregation, nums, rng)
        out.append(row(ind, period, partner, **nums))
    return out


def _write(setting: Setting, rng: random.Random) -> None:
    """Each month three partners' reports are approved and one stays submitted, draft or
    returned. The score of May is only ever a draft (a gap in a closed month), and the absence
    rate of February comes from one partner's few children (a small total)."""
    feb, may = setting.months[1], setting.months[4]
    for period in setting.months:
        statuses = ["approved"] * 3 + [rng.choice(("submitted", "draft", "returned"))]
        rng.shuffle(statuses)
        for index, (partner, status) in enumerate(zip(setting.partners, statuses, strict=True)):
            rows, drafts = [], []
            for ind in setting.indicators:
                if ind is setting.absent and period is feb:
                    continue
                found = _report(setting, ind, period, partner, index, rng)
                (drafts if ind is setting.score and period is may else rows).extend(found)
            if rows:
                submit(setting, rows, status=status)
            if drafts:
                submit(setting, drafts, status="draft")
    first = setting.partners[0]
    submit(setting, [row(setting.absent, feb, first, numerator=2, denominator=7)])


def _targets(setting: Setting) -> None:
    """Baselines and targets of the totals (and one of a group, which the scorecard ignores)."""
    s, m, staff = setting, setting.months, setting.cast.staff
    plan = [
        (s.readiness, "baseline", 0, "50"),
        (s.readiness, "target", 4, "60"),
        (s.readiness, "target", 5, "62"),
        (s.enrolled, "baseline", 0, "300"),
        (s.enrolled, "baseline", 2, "320"),
        (s.enrolled, "target", 5, "500"),
        (s.score, "baseline", 0, "210"),
        (s.score, "target", 1, "220"),
        (s.score, "target", 3, "240"),
        (s.absent, "baseline", 1, "20"),
        (s.absent, "target", 4, "15"),
    ]
    for ind, kind, at, value in plan:
        target_set(indicator=ind, by=staff, kind=kind, period=m[at], value=Decimal(value))
    black = s.groups["race:black"]
    target_set(
        indicator=s.readiness, by=staff, kind="target", period=m[4], value=Decimal(99), group=black
    )


def _setting_alone() -> Setting:
    return build_setting(build_cast())


setting_snapshot = once_per_session(_setting_alone)


@pytest.fixture
def setting(request, db, setting_snapshot) -> Setting:
    """Four partners' random monthly reports, closed periods and targets: built once a
    session, or afresh on a test's own cast (or the demo's database)."""
    if {"cast", "demo"} & set(request.fixturenames):
        return build_setting(request.getfixturevalue("cast"))
    return setting_snapshot.restore()


def build_setting(cast) -> Setting:
    i = cast.initiative
    race = make_dimension(i, "race", "Race/ethnicity", list(RACES))
    area = make_dimension(
        i,
        "area",
        "Area",
        [("city", "Riverton"), ("north", "North", "city"), ("south", "South", "city")]
        + [(n, n.upper(), d) for d, ns in AREAS.items() for n in ns],
        is_geography=True,
    )
    partners = [cast.partner_a, cast.partner_b]
    for name in ("Eastside Clinic", "Westside School District"):
        org = services.organisation_create(name=name, sector="education")
        partners.append(
            services.partner_add(initiative=i, organisation=org, joined_on=date(2024, 1, 1))
        )
    monthly = {"frequency": "month"}
    s = Setting(
        cast=cast,
        race=race,
        area=area,
        groups={f"{g.dimension.key}:{g.key}": g for g in Group.objects.filter(initiative=i)},
        partners=partners,
        months=[make_period(i, "month", date(2024, m, 1)) for m in range(1, 7)],
        readiness=make_indicator(
            i, "readiness", "rate", (race, area), unit="percent", visibility="public", **monthly
        ),
        enrolled=make_indicator(
            i, "enrolled", "sum", (area,), unit="count", visibility="funders", **monthly
        ),
        score=make_indicator(
            i, "score", "weighted", (race,), unit="score", kind="how_well", **monthly
        ),
        absent=make_indicator(
            i, "absent", "rate", unit="percent", direction="down", visibility="public", **monthly
        ),
    )
    _write(s, random.Random(SEED))
    for period in s.months[:-1]:
        period_close(period=period, by=cast.staff)
    _targets(s)
    return s


# --- the reference: the stored rows read straight from the database, and the rules of
# aggregation applied to them the slow and obvious way (never through the engine) ---------

SIX = Decimal("0.000001")
COLUMNS = "indicator_id partner_id period_id cell__key status value numerator denominator weight"
COLUMNS = COLUMNS.split()
NEEDED = {"rate": ["numerator", "denominator"], "weighted": ["value", "weight"]}


def q(number) -> Decimal | None:
    return None if number is None else Decimal(number).quantize(SIX)


class Reference:
    """Every stored value row of the initiative, read once into a DataFrame. A figure is a
    pair (value, people): people are a rate's summed denominator, an average's n, a count's
    own value — what the small-number rule is about."""

    def __init__(self, setting):
        initiative = setting.cast.initiative
        rows = DataValue.objects.filter(initiative=initiative).values(*COLUMNS)
        self.df = pd.DataFrame.from_records(list(rows), columns=COLUMNS)
        groups = Group.objects.filter(initiative=initiative).values()
        self.group = {g["id"]: g for g in groups}
        self.threshold = initiative.small_number_threshold

    def dims(self, ind) -> list[int]:
        found = IndicatorDimension.objects.filter(indicator=ind).order_by("position")
        return list(found.values_list("dimension_id", flat=True))

    def approved(self, ind) -> pd.DataFrame:
        """The indicator's approved rows carrying the numbers its kind needs, each with its
        groups ({dimension id: group id}) and whether it is a full cell."""
        df = self.df[(self.df["indicator_id"] == ind.pk) & (self.df["status"] == "approved")]
        df = df.dropna(subset=NEEDED.get(ind.aggregation, ["value"]))
        dims = self.dims(ind)

        def groups(key: str) -> dict[int, int]:
            return {self.group[int(g)]["dimension_id"]: int(g) for g in key.split(".") if g}

        by_dim = df["cell__key"].map(groups)
        full = by_dim.map(lambda g: sorted(g) == sorted(dims)) & df["cell__key"].map(
            lambda k: len(k.split(".")) == len(dims) if dims else k == ""
        )
        return df.assign(groups=by_dim, full=full.astype(bool))

    def overall(self, ind) -> pd.DataFrame:
        """Full cells, plus the totals of (partner, period) pairs that gave no full cell."""
        df = self.approved(ind)
        full = df[df["full"]]
        gave = set(zip(full["partner_id"], full["period_id"], strict=True))
        totals = df[(df["cell__key"] == "") & ~df["full"]]
        pairs = zip(totals["partner_id"], totals["period_id"], strict=True)
        return pd.concat([full, totals[[pair not in gave for pair in pairs]]])

    def figure(self, ind, rows: pd.DataFrame) -> tuple[Decimal | None, Decimal | None]:
        """Σnum/Σden × rate_per, Σ(v·n)/Σn or Σv of some rows, and their people."""
        if rows.empty:
            return None, None
        with localcontext() as ctx:
            ctx.prec = 60
            if ind.aggregation == "rate":
                num, den = sum(rows["numerator"], Decimal(0)), sum(rows["denominator"], Decimal(0))
                return q(num * ind.rate_per / den), q(den)
            if ind.aggregation == "weighted":
                n = sum(rows["weight"], Decimal(0))
                vn = sum((v * w for v, w in zip(rows["value"], rows["weight"], strict=True)), 0)
                return q(vn / n), q(n)
            total = q(sum(rows["value"], Decimal(0)))
            return total, total if ind.unit == "count" else None

    def totals(self, ind) -> dict:
        """period id → the indicator's figure in that period alone."""
        return {p: self.figure(ind, rows) for p, rows in self.overall(ind).groupby("period_id")}

    def by_group(self, ind, period, dims: tuple[int, ...]) -> dict:
        """(group id, …) → figure of the full cells of one period; places are the places
        values were reported on."""
        df = self.approved(ind)
        df = df[df["full"] & (df["period_id"] == period.pk)]
        keys = df["groups"].map(lambda g: tuple(g[d] for d in dims))
        return {k: self.figure(ind, rows) for k, rows in df.assign(k=keys).groupby("k")}

    def by_partner(self, ind, period) -> dict:
        df = self.overall(ind)
        df = df[df["period_id"] == period.pk]
        return {p: self.figure(ind, rows) for p, rows in df.groupby("partner_id")}

    def small(self, people) -> bool:
        return people is not None and 0 < people < self.threshold

    def named(self, key):
        """A figure's key with group keys for ids, for messages."""
        return key if isinstance(key, str) else tuple(g and self.group[g]["key"] for g in key)

    def depths(self) -> dict[int, int]:
        return {gid: self.order(gid)[0] for gid in self.group}

    def rolled(self, gid: int, depth: int) -> int | None:
        """The place at `depth` that holds `gid`, walking parents; None above that depth."""
        chain = [gid]
        while (parent := self.group[chain[-1]]["parent_id"]) is not None:
            chain.append(parent)
        chain.reverse()  # top first
        return chain[depth] if depth < len(chain) else None

    def at_level(self, ind, period, axes: list[tuple[int, int | None]]) -> dict:
        """(group id, …) → (value, people) of the full cells of one period, each axis a
        dimension id and a depth (None: the groups as reported); places at a depth hold
        the values reported on the places inside them."""
        df = self.approved(ind)
        df = df[df["full"] & (df["period_id"] == period.pk)]

        def key(groups: dict) -> tuple | None:
            found = []
            for dim, depth in axes:
                gid = groups[dim]
                found.append(gid if depth is None else self.rolled(gid, depth))
            return None if None in found else tuple(found)

        keys = df["groups"].map(key)
        df = df.assign(k=keys)[keys.notna()]
        return {k: self.figure(ind, rows) for k, rows in df.groupby("k")}

    def order(self, gid: int) -> tuple:
        """Groups are listed by depth (places), position, name."""
        depth, parent = 0, self.group[gid]["parent_id"]
        while parent is not None:
            depth, parent = depth + 1, self.group[parent]["parent_id"]
        return (depth, self.group[gid]["position"], self.group[gid]["name"], gid)


@pytest.fixture
def ref(setting) -> Reference:
    return Reference(setting)
