"""A world for the aggregation engine: places three levels deep (city › district ›
neighbourhood), race from the shared set-up, four partners, one indicator of each aggregation
kind reported by place × race and one without dimensions, and helpers that write values the
way partners do — through the intake, approved or returned through the approval steps."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from backbone.initiatives import services
from backbone.initiatives.models import Partner
from backbone.measurement.approval import submission_approve, submission_return
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import Dimension, Group, Indicator, Period, Submission
from tests.measurement.conftest import make_dimension, make_indicator, make_period

KINDS = ("sum", "rate", "weighted", "stock", "cumulative")
NEIGHBOURHOODS = {"north": ("n1", "n2"), "south": ("s1", "s2", "s3")}
RACES = ("black", "latino", "white")
SIX = Decimal("0.000001")


@dataclass
class World:
    cast: object
    measured: object
    area: Dimension
    race: Dimension
    groups: dict[str, Group]  # "area:n1", "race:black", …
    partners: list[Partner]
    by_cells: dict[str, Indicator]  # kind → indicator reported by area × race
    plain: dict[str, Indicator]  # kind → indicator without dimensions
    months: list[Period]  # 2024-01 … 2024-06, oldest first

    def g(self, key: str) -> Group:
        return self.groups[key]

    @property
    def leaves(self) -> list[tuple[str, str]]:
        return [(n, r) for ns in NEIGHBOURHOODS.values() for n in ns for r in RACES]


@pytest.fixture
def world(cast, measured) -> World:
    return build_world(cast, measured)


def build_world(cast, measured) -> World:
    i = cast.initiative
    area = make_dimension(
        i,
        "area",
        "Area",
        [("city", "Riverton"), ("north", "North", "city"), ("south", "South", "city")]
        + [(n, n.upper(), d) for d, ns in NEIGHBOURHOODS.items() for n in ns],
        is_geography=True,
    )
    partners = [cast.partner_a, cast.partner_b]
    for name in ("Eastside Clinic", "Westside School District"):
        org = services.organisation_create(name=name, sector="education")
        partners.append(
            services.partner_add(initiative=i, organisation=org, joined_on=date(2024, 1, 1))
        )
    months = [measured.periods[f"2024-0{m}"] for m in (1, 2, 3)]
    months += [make_period(i, "month", date(2024, m, 1)) for m in (4, 5, 6)]
    groups = {f"{g.dimension.key}:{g.key}": g for g in Group.objects.filter(initiative=i)}
    extra = {"rate": {"unit": "percent"}, "weighted": {"unit": "score"}}
    by_cells = {
        k: make_indicator(i, f"cells-{k}", k, (area, measured.race), **extra.get(k, {}))
        for k in KINDS
    }
    plain = {k: make_indicator(i, f"plain-{k}", k, **extra.get(k, {})) for k in KINDS}
    return World(
        cast=cast,
        measured=measured,
        area=area,
        race=measured.race,
        groups=groups,
        partners=partners,
        by_cells=by_cells,
        plain=plain,
        months=months,
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    """Everything written inside is undone: one hypothesis example never sees another's."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def slug(partner: Partner) -> str:
    return partner.organisation.slug


def numbers(kind: str, rng: random.Random) -> dict:
    """Plausible numbers for one cell of an indicator of `kind`."""
    if kind == "rate":
        den = rng.randint(1, 60)
        return {"numerator": rng.randint(0, den), "denominator": den}
    if kind == "weighted":
        return {"value": rng.randint(150, 300), "weight": rng.randint(1, 40)}
    return {"value": Decimal(rng.randint(0, 4000)) / 4}


def total_of(kind: str, parts: list[dict]) -> dict:
    """The total cell that agrees with complete parts, as a partner's file would carry it."""
    if kind == "rate":
        return {
            "numerator": sum(p["numerator"] for p in parts),
            "denominator": sum(p["denominator"] for p in parts),
        }
    if kind == "weighted":
        n = sum(p["weight"] for p in parts)
        mean = sum(Decimal(p["value"]) * p["weight"] for p in parts) / n
        return {"value": mean.quantize(SIX), "weight": n}
    return {"value": sum(Decimal(p["value"]) for p in parts)}


def larger(kind: str, total: dict, rng: random.Random) -> dict:
    """A total above its incomplete parts: the groups not given account for the rest."""
    extra = rng.randint(1, 9)
    if kind == "rate":
        return {
            "numerator": total["numerator"] + extra,
            "denominator": total["denominator"] + extra + rng.randint(0, 9),
        }
    if kind == "weighted":
        return {"value": rng.randint(150, 300), "weight": total["weight"] + extra}
    return {"value": total["value"] + extra}


def row(indicator: Indicator, period: Period, partner: Partner, groups=None, **nums) -> Reported:
    return Reported(
        indicator=indicator.code,
        period=period.code,
        groups=groups or {},
        partner=slug(partner),
        **nums,
    )


def submit(world: World, rows: list[Reported], *, status: str = "approved") -> Submission:
    """Write rows through the intake as the backbone importing for many partners, then take
    the submission to `status` through the approval steps (draft stays a draft)."""
    staff = world.cast.staff
    first = "draft" if status == "draft" else "submitted"
    submission = Intake(
        initiative=world.cast.initiative, by=staff, channel="csv", many_partners=True
    ).submit(rows, status=first)
    if status == "approved":
        submission_approve(submission=submission, by=staff)
    elif status == "returned":
        submission_return(submission=submission, by=staff, comment="Check the counts.")
    return submission


MODES = ("cells", "some", "total", "both", "partial", "none")


def generate(
    world: World,
    rng: random.Random,
    *,
    indicators: list[Indicator],
    periods: list[Period],
    partners: list[Partner] | None = None,
    modes: tuple[str, ...] = MODES,
) -> dict[tuple[int, int], list[Reported]]:
    """Random reports: for each partner and period, one submission with every indicator's rows
    — all cells, some cells, the total only, all cells and their total, some cells and a
    larger total, or nothing. Returns the rows per (partner, period) without writing them, so
    a test can write them as it likes."""
    out: dict[tuple[int, int], list[Reported]] = defaultdict(list)
    has_dims = {ind.pk: ind.dimensions.exists() for ind in indicators}
    for partner in partners or world.partners:
        for period in periods:
            for ind in indicators:
                kind = ind.aggregation
                dims = has_dims[ind.pk]
                mode = rng.choice(modes) if dims else rng.choice(("total", "none", "total"))
                if mode == "none":
                    continue
                cells = []
                if mode in ("cells", "both"):
                    cells = world.leaves
                elif mode in ("some", "partial"):
                    cells = rng.sample(world.leaves, rng.randint(1, len(world.leaves) - 1))
                parts = []
                for n, r in cells:
                    nums = numbers(kind, rng)
                    parts.append(nums)
                    out[(partner.pk, period.pk)].append(
                        row(ind, period, partner, {"area": n, "race": r}, **nums)
                    )
                if mode in ("total", "both", "partial"):
                    nums = total_of(kind, parts) if parts else numbers(kind, rng)
                    if mode == "partial":
                        nums = larger(kind, nums, rng)
                    out[(partner.pk, period.pk)].append(row(ind, period, partner, **nums))
    return out


def write_all(world: World, rng: random.Random, reports: dict, statuses=None) -> None:
    statuses = statuses or ("approved", "approved", "submitted", "returned", "draft")
    for rows in reports.values():
        submit(world, rows, status=rng.choice(statuses))
