"""How long the one small-number decision of a period takes as an indicator's table grows.

    .venv/bin/python benchmarks/disclosure.py

For indicators crossed by more and larger dimensions — up to race × income × age × a city of
5 districts and 25 neighbourhoods — it fills one period's cells with random numbers of people
(about a third of them below the threshold, the worst case for complementary suppression),
decides what to hide (`disclosure.decide`) and prints, per table, its atoms, the figures of its
cube, how many were hidden, and the time. A cube above `disclosure.MAX_FIGURES` is decided over
its published tables only (figures choosing at most two dimensions), which bounds the cost.
Nothing is cached: each time is what the first reader after an approval pays. It works in its
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
from decimal import Decimal
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_values import drop_database, prepare_database, setup_django  # noqa: E402

THRESHOLD = 10
# (name, race groups, income groups, age groups, with the city's places)
TABLES = [
    ("race 5 × place 31", 5, 0, 0, True),
    ("race 8 × income 4", 8, 4, 0, False),
    ("race 6 × income 3 × place 31", 6, 3, 0, True),
    ("race 8 × income 4 × place 31", 8, 4, 0, True),
    ("race 8 × income 4 × age 6 × place 31", 8, 4, 6, True),
]


def build(rng: random.Random):
    from backbone.initiatives.models import Initiative
    from backbone.measurement.models import Cell, Dimension, Group, Indicator, IndicatorDimension

    initiative = Initiative.objects.create(slug="bench", name="Bench", place="Riverton")

    def dimension(key: str, count: int, position: int) -> tuple[Dimension, list[Group]]:
        dim = Dimension.objects.create(
            initiative=initiative, key=key, name=key.title(), position=position
        )
        groups = [
            Group.objects.create(initiative=initiative, dimension=dim, key=f"{key}{n}", name=f"{n}")
            for n in range(count)
        ]
        return dim, groups

    race, races = dimension("race", 8, 0)
    income, incomes = dimension("income", 4, 1)
    age, ages = dimension("age", 6, 2)
    area = Dimension.objects.create(
        initiative=initiative, key="area", name="Area", is_geography=True, position=3
    )
    city = Group.objects.create(initiative=initiative, dimension=area, key="city", name="City")
    leaves = []
    for d in range(5):
        district = Group.objects.create(
            initiative=initiative, dimension=area, key=f"d{d}", name=f"D{d}", parent=city
        )
        leaves += [
            Group.objects.create(
                initiative=initiative,
                dimension=area,
                key=f"d{d}n{n}",
                name=f"N{n}",
                parent=district,
            )
            for n in range(5)
        ]
    Cell.objects.create(initiative=initiative, key="")
    made = []
    for name, n_race, n_income, n_age, with_place in TABLES:
        axes = [(race, races[:n_race])]
        axes += [(income, incomes[:n_income])] if n_income else []
        axes += [(age, ages[:n_age])] if n_age else []
        axes += [(area, leaves)] if with_place else []
        ind = Indicator.objects.create(
            initiative=initiative,
            code=f"t{len(made)}",
            name=name,
            aggregation="rate",
            unit="percent",
        )
        for position, (dim, _) in enumerate(axes):
            IndicatorDimension.objects.create(
                initiative=initiative, indicator=ind, dimension=dim, position=position
            )
        keys = [
            ".".join(str(g) for g in sorted(g.pk for g in combo))
            for combo in product(*(groups for _, groups in axes))
        ]
        existing = dict(Cell.objects.filter(initiative=initiative).values_list("key", "id"))
        Cell.objects.bulk_create(
            [Cell(initiative=initiative, key=k) for k in keys if k not in existing],
            batch_size=2000,
        )
        made.append((name, ind, keys))
    return initiative, made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20261205)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="backbone-bench-"))
    vendor, url = prepare_database(os.environ.get("DATABASE_URL"), folder)
    try:
        setup_django(url)
        from backbone.measurement import aggregation as engine
        from backbone.measurement.privacy import disclosure

        rng = random.Random(args.seed)
        initiative, made = build(rng)
        layout = engine.Layout(initiative.pk)
        ids = {key: pk for pk, key in [(c, ".".join(map(str, g))) for c, g in layout.cells.items()]}
        print(
            f"{vendor}: one period's decision, threshold {THRESHOLD}, "
            f"cubes above {disclosure.MAX_FIGURES:,} figures decided over two-way tables"
        )
        print(f"{'table':<40}{'atoms':>7}{'figures':>9}{'hidden':>8}{'seconds':>9}")
        slowest = 0.0
        for name, ind, keys in made:
            cells = {}
            for key in keys:
                people = rng.choice([rng.randint(1, 9), rng.randint(10, 60), rng.randint(10, 60)])
                num = Decimal(rng.randint(0, people))
                cells[ids[key]] = engine.Result(
                    value=num * 100 / people,
                    numerator=num,
                    denominator=Decimal(people),
                    weight=Decimal(people),
                )
            total = engine.Result(value=Decimal(1), weight=sum(r.weight for r in cells.values()))
            started = time.perf_counter()
            decided = disclosure.decide(layout, ind, cells, total, threshold=THRESHOLD)
            took = time.perf_counter() - started
            slowest = max(slowest, took)
            size = disclosure.cube_size(layout, ind)
            bounded = f" (up to {decided.most_chosen}-way)" if decided.bounded else ""
            print(
                f"{name:<40}{len(keys):>7}{size:>9,}{len(decided.hidden):>8}{took:>9.2f}{bounded}"
            )
        print(f"slowest: {slowest:.2f} s")
    finally:
        drop_database(vendor, url)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
