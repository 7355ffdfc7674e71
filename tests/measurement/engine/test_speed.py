"""The engine answers in well under a second with a million values on PostgreSQL.

Slow to set up (a million rows), so it runs only when asked:
BACKBONE_BENCH=1 DATABASE_URL=postgres://… pytest tests/measurement/engine/test_speed.py
"""

from __future__ import annotations

import os
import random
import time
from datetime import date
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from backbone.initiatives import services
from backbone.measurement import aggregation as engine
from backbone.measurement.models import Cell, DataValue, Group
from tests.measurement.conftest import make_dimension, make_indicator, make_period

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not os.environ.get("BACKBONE_BENCH"), reason="set BACKBONE_BENCH=1"),
]

PARTNERS = 100
MONTHS = 27  # × 125 cells × 100 partners × 3 indicators ≈ 1,000,000 values
LIMIT = 1.0


def _load(initiative, indicators, partners, periods, cells):
    """A million approved values, written straight to the table (COPY on PostgreSQL)."""
    rng = random.Random(7)
    now = timezone.now()
    rows = []
    for ind in indicators:
        for partner in partners:
            for period in periods:
                for cell in cells:
                    if ind.aggregation == "rate":
                        den = rng.randint(1, 50)
                        num = rng.randint(0, den)
                        nums = (str(round(num * 100 / den, 6)), str(num), str(den), None)
                    else:
                        nums = (str(rng.randint(0, 500)), None, None, None)
                    rows.append(
                        (initiative.pk, ind.pk, partner.pk, period.pk, cell, *nums)
                        + ("approved", False, None, now)
                    )
    columns = (
        "initiative_id, indicator_id, partner_id, period_id, cell_id, value, numerator, "
        "denominator, weight, status, is_outlier, submission_id, updated_at"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY {DataValue._meta.db_table} ({columns}) FROM STDIN"
            ) as copy:
                for r in rows:
                    copy.write_row(r)
            cursor.execute(f"ANALYZE {DataValue._meta.db_table}")
        else:
            marks = ", ".join(["%s"] * 13)
            cursor.executemany(
                f"INSERT INTO {DataValue._meta.db_table} ({columns}) VALUES ({marks})", rows
            )
    return len(rows)


def _timed(label, fn, timings):
    start = time.perf_counter()
    out = fn()
    timings[label] = time.perf_counter() - start
    return out


def test_answers_with_a_million_values_are_fast(cast):
    i = cast.initiative
    places = [("city", "City")]
    for d in range(5):
        places.append((f"d{d}", f"District {d}", "city"))
        places += [(f"d{d}n{n}", f"Neighbourhood {d}.{n}", f"d{d}") for n in range(5)]
    area = make_dimension(i, "area", "Area", places, is_geography=True)
    race = make_dimension(i, "race", "Race", ["a", "b", "c", "d", "e"])
    leaves = Group.objects.filter(dimension=area, children__isnull=True)
    cells = []
    for place in leaves:
        for g in race.groups.all():
            cell = Cell.objects.create(initiative=i, key=Cell.key_for([place.pk, g.pk]))
            cell.groups.set([place, g])
            cells.append(cell.pk)
    partners = []
    for p in range(PARTNERS):
        org = services.organisation_create(name=f"Partner {p:03d}", sector="nonprofit")
        partners.append(services.partner_add(initiative=i, organisation=org))
    periods = [make_period(i, "month", date(2022 + m // 12, m % 12 + 1, 1)) for m in range(MONTHS)]
    indicators = [
        make_indicator(i, "served", "sum", (area, race)),
        make_indicator(i, "ready", "rate", (area, race), unit="percent"),
        make_indicator(i, "open-cases", "stock", (area, race)),
    ]
    assert _load(i, indicators, partners, periods, cells) >= 1_000_000

    year = periods[-12:]
    timings: dict[str, float] = {}
    district = Group.objects.get(dimension=area, key="d2")
    level = engine.Level(area, depth=1)
    for ind in indicators:
        k = ind.aggregation
        questions = {
            "aggregate, 12 months": partial(engine.aggregate, ind, periods=year),
            "aggregate, all 27 months": partial(engine.aggregate, ind, periods=periods),
            "aggregate, one district, 10 partners": partial(
                engine.aggregate, ind, periods=year, groups=[district], partners=partners[:10]
            ),
            "breakdown by district": partial(engine.breakdown, ind, by=level, periods=year),
            "breakdown area × race": partial(engine.breakdown, ind, by=[area, race], periods=year),
            "by partner": partial(engine.by_partner, ind, periods=year),
            "series, 27 months": partial(engine.series, ind, periods=periods),
        }
        answers = {label: _timed(f"{k} {label}", ask, timings) for label, ask in questions.items()}
        expected_values = PARTNERS * len(cells) * (1 if k == "stock" else 12)
        assert answers["aggregate, 12 months"].values == expected_values
        assert len(answers["breakdown by district"]) == 5
    for label, seconds in timings.items():
        print(f"{seconds * 1000:8.1f} ms  {label}")
    slow = {label: s for label, s in timings.items() if s >= LIMIT}
    assert not slow, slow
