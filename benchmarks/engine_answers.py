"""How long the aggregation engine takes to answer with a million values in the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/backbone \\
        .venv/bin/python benchmarks/engine_answers.py
    .venv/bin/python benchmarks/engine_answers.py --partners 20      # SQLite, smaller

It builds an initiative of 100 partners, 27 months, a geography of a city, 5 districts and
25 neighbourhoods crossed with 5 race groups (125 cells), and three indicators (a sum, a rate,
a stock): about a million approved values, written straight into the table. Then it asks the
questions dashboards ask — a year's total, every month, one district for ten partners, a
breakdown by district and by area × race, one answer per partner, a monthly series — and
prints how long each took, with the slowest, against a target of one second. It works in its
own database (see import_values.py) and removes it afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_values import drop_database, prepare_database, setup_django  # noqa: E402

MONTHS = 27
TARGET_SECONDS = 1.0


def build(partner_count: int):
    from django.utils import timezone

    from backbone.initiatives import services
    from backbone.initiatives.models import Initiative
    from backbone.measurement.models import Cell, Dimension, Group, Indicator, Period
    from backbone.measurement.periods import period_bounds, period_code

    initiative = Initiative.objects.create(slug="bench", name="Bench", place="Riverton")
    area = Dimension.objects.create(
        initiative=initiative, key="area", name="Area", is_geography=True
    )
    race = Dimension.objects.create(initiative=initiative, key="race", name="Race", position=1)
    city = Group.objects.create(initiative=initiative, dimension=area, key="city", name="City")
    leaves = []
    for d in range(5):
        district = Group.objects.create(
            initiative=initiative, dimension=area, key=f"d{d}", name=f"District {d}", parent=city
        )
        for n in range(5):
            leaves.append(
                Group.objects.create(
                    initiative=initiative,
                    dimension=area,
                    key=f"d{d}n{n}",
                    name=f"Neighbourhood {d}.{n}",
                    parent=district,
                )
            )
    races = [
        Group.objects.create(initiative=initiative, dimension=race, key=k, name=k, position=i)
        for i, k in enumerate("abcde")
    ]
    cells = []
    for place in leaves:
        for group in races:
            cell = Cell.objects.create(
                initiative=initiative, key=Cell.key_for([place.pk, group.pk])
            )
            cell.groups.set([place, group], through_defaults={"initiative": initiative})
            cells.append(cell.pk)
    partners = []
    for p in range(partner_count):
        org = services.organisation_create(name=f"Partner {p:03d}", sector="nonprofit")
        partners.append(services.partner_add(initiative=initiative, organisation=org))
    periods = []
    for m in range(MONTHS):
        start = date(2022 + m // 12, m % 12 + 1, 1)
        start, end = period_bounds("month", start)
        periods.append(
            Period.objects.create(
                initiative=initiative,
                kind="month",
                start=start,
                end=end,
                code=period_code("month", start),
            )
        )
    indicators = []
    for code, aggregation, unit in (
        ("served", "sum", "count"),
        ("ready", "rate", "percent"),
        ("open-cases", "stock", "count"),
    ):
        ind = Indicator.objects.create(
            initiative=initiative,
            code=code,
            name=code,
            aggregation=aggregation,
            unit=unit,
            frequency="month",
            numerator_definition="n" if aggregation == "rate" else "",
            denominator_definition="d" if aggregation == "rate" else "",
        )
        for position, dim in enumerate((area, race)):
            Indicator.dimensions.through.objects.create(
                initiative=initiative, indicator=ind, dimension=dim, position=position
            )
        indicators.append(ind)
    count = load(initiative, indicators, partners, periods, cells, timezone.now())
    return area, indicators, partners, periods, count


def load(initiative, indicators, partners, periods, cells, now) -> int:
    """Approved values straight into the table (COPY on PostgreSQL), a batch at a time."""
    from django.db import connection

    from backbone.measurement.intake import VALUE_COLUMNS
    from backbone.measurement.models import DataValue

    columns_written = VALUE_COLUMNS[: VALUE_COLUMNS.index("updated_at") + 1]

    rng = random.Random(7)
    table = DataValue._meta.db_table
    columns = ", ".join(columns_written)
    count = 0
    with connection.cursor() as cursor:
        for ind in indicators:
            rows = []
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
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns_written))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            count += len(rows)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
    return count


def ask(area, indicators, partners, periods) -> list[tuple[str, float]]:
    from backbone.measurement import aggregation as engine
    from backbone.measurement.models import Dimension, Group

    year = periods[-12:]
    district = Group.objects.get(dimension=area, key="d2")
    race = Dimension.objects.get(initiative=area.initiative_id, key="race")
    timings = []
    for ind in indicators:
        questions = {
            "aggregate, 12 months": partial(engine.aggregate, ind, periods=year),
            f"aggregate, all {len(periods)} months": partial(
                engine.aggregate, ind, periods=periods
            ),
            "aggregate, one district, 10 partners": partial(
                engine.aggregate, ind, periods=year, groups=[district], partners=partners[:10]
            ),
            "breakdown by district": partial(
                engine.breakdown, ind, by=engine.Level(area, depth=1), periods=year
            ),
            "breakdown area × race": partial(engine.breakdown, ind, by=[area, race], periods=year),
            "by partner": partial(engine.by_partner, ind, periods=year),
            f"series, {len(periods)} months": partial(engine.series, ind, periods=periods),
        }
        for label, question in questions.items():
            start = time.perf_counter()
            question()
            timings.append((f"{ind.aggregation:<6} {label}", time.perf_counter() - start))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=100)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="backbone-bench-"))
    vendor, url = prepare_database(os.environ.get("DATABASE_URL"), folder)
    try:
        setup_django(url)
        from django.db import transaction

        start = time.perf_counter()
        with transaction.atomic():
            area, indicators, partners, periods, count = build(args.partners)
        print(f"database      {vendor}")
        print(f"set-up        {time.perf_counter() - start:.1f} s: {count:,} approved values")
        timings = ask(area, indicators, partners, periods)
        for label, seconds in timings:
            print(f"{seconds * 1000:8.1f} ms  {label}")
        label, slowest = max(timings, key=lambda t: t[1])
        verdict = "within" if slowest < TARGET_SECONDS else "over"
        print(
            f"slowest       {slowest * 1000:.0f} ms ({label}), "
            f"{verdict} the {TARGET_SECONDS:.0f} s target"
        )
    finally:
        drop_database(vendor, url)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
