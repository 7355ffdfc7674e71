"""How fast the 4W view and the alignment matrix answer for 300 partners and 3,000 activities.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/backbone \\
        .venv/bin/python benchmarks/activities.py
    .venv/bin/python benchmarks/activities.py                             # SQLite

It builds an initiative of 300 partners in nine sectors, four goals of three strategies, a city
of 20 districts with 3 neighbourhoods each and six population groups, and 3,000 activities
(one to three strategies, one or two places, some for a population group, dates over five
years, every status). Then it asks, as backbone staff, for the 4W view (unfiltered, and
filtered by a strategy and a district) and the alignment matrix, 20 times each through Django's
full request path, and prints the median server time and the number of SQL queries of each.
Aim: under 300 ms on PostgreSQL, with the same queries however many activities.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_values import drop_database, prepare_database, setup_django  # noqa: E402

REPEAT = 20
AIM_MS = 300
SECTORS = [
    "government",
    "nonprofit",
    "business",
    "philanthropy",
    "education",
    "health",
    "faith",
    "community",
    "other",
]


def build(activity_count: int):
    from backbone.accounts.models import Person
    from backbone.activities.models import Activity
    from backbone.agenda.models import Goal, Strategy
    from backbone.initiatives.models import Initiative, Membership, Organisation, Partner
    from backbone.initiatives.roles import Role
    from backbone.measurement.models import Dimension, Group

    rng = random.Random(6)
    i = Initiative.objects.create(slug="bench", name="Bench", place="Bench City")
    sectors = [c for c, _ in Organisation._meta.get_field("sector").choices] or SECTORS
    orgs = Organisation.objects.bulk_create(
        Organisation(slug=f"partner-{n:03d}", name=f"Partner {n:03d}", sector=sectors[n % 9])
        for n in range(300)
    )
    partners = Partner.objects.bulk_create(
        Partner(initiative=i, organisation=o, joined_on=date(2020, 1, 1)) for o in orgs
    )
    staff = Person.objects.create_user(email="bench@example.org", password="x" * 20)
    Membership.objects.create(initiative=i, person=staff, role=Role.BACKBONE_STAFF)
    strategies = []
    for g in range(4):
        goal = Goal.objects.create(initiative=i, title=f"Goal {g}", position=g)
        for s in range(3):
            strategies.append(
                Strategy.objects.create(
                    initiative=i, goal=goal, title=f"Strategy {g}.{s}", position=s
                )
            )
    area = Dimension.objects.create(initiative=i, key="place", name="Place", is_geography=True)
    city = Group.objects.create(initiative=i, dimension=area, key="city", name="City")
    places = []
    for d in range(20):
        district = Group.objects.create(
            initiative=i, dimension=area, key=f"d{d}", name=f"District {d}", parent=city
        )
        places.append(district)
        for n in range(3):
            places.append(
                Group.objects.create(
                    initiative=i,
                    dimension=area,
                    key=f"d{d}n{n}",
                    name=f"Neighbourhood {d}.{n}",
                    parent=district,
                )
            )
    people = Dimension.objects.create(initiative=i, key="age", name="Age group")
    groups = [
        Group.objects.create(initiative=i, dimension=people, key=f"g{n}", name=f"Group {n}")
        for n in range(6)
    ]
    statuses = ["planned", "active", "active", "active", "paused", "done"]
    activities = Activity.objects.bulk_create(
        Activity(
            initiative=i,
            partner=rng.choice(partners),
            name=f"Activity {n}",
            starts_on=date(2021, 1, 1) + timedelta(days=rng.randint(0, 1500)),
            status=rng.choice(statuses),
        )
        for n in range(activity_count)
    )
    for a in activities:
        if rng.random() < 0.7:
            a.ends_on = a.starts_on + timedelta(days=rng.randint(30, 700))
    Activity.objects.bulk_update(activities, ["ends_on"])
    through = Activity.strategies.through
    through.objects.bulk_create(
        through(initiative=i, activity_id=a.pk, strategy_id=s.pk)
        for a in activities
        for s in rng.sample(strategies, rng.randint(1, 3))
    )
    through = Activity.places.through
    through.objects.bulk_create(
        through(initiative=i, activity_id=a.pk, group_id=p.pk)
        for a in activities
        for p in rng.sample(places, rng.randint(1, 2))
    )
    through = Activity.groups.through
    through.objects.bulk_create(
        through(initiative=i, activity_id=a.pk, group_id=rng.choice(groups).pk)
        for a in activities
        if rng.random() < 0.5
    )
    return i, staff, strategies[0], places[0]


def measure(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=3000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="backbone-bench-"))
    vendor, url = prepare_database(os.environ.get("DATABASE_URL"), folder)
    try:
        setup_django(url)
        from django.conf import settings
        from django.db import transaction
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        start = time.perf_counter()
        with transaction.atomic():
            initiative, staff, strategy, district = build(args.activities)
        print(f"database      {vendor}")
        print(
            f"set-up        {time.perf_counter() - start:.1f} s: 300 partners, "
            f"{args.activities:,} activities"
        )
        client = Client()
        client.force_login(staff)
        base = f"/i/{initiative.slug}/activities/"
        pages = [
            ("4W view", base),
            ("4W, filtered", f"{base}?strategy={strategy.uuid}&place={district.pk}"),
            ("alignment", f"{base}alignment/"),
        ]
        for name, page in pages:
            ms, queries = measure(client, page)
            verdict = "within" if ms < AIM_MS else "over"
            print(
                f"{name:<14} {ms:7.1f} ms median of {REPEAT}, {queries} queries "
                f"({verdict} {AIM_MS} ms)"
            )
    finally:
        drop_database(vendor, url)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
