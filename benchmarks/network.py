"""How fast the partner network's measures and the map's data answer for 300 partners and
20,000 ties.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/backbone \\
        .venv/bin/python benchmarks/network.py
    .venv/bin/python benchmarks/network.py                                # SQLite

It builds an initiative of 300 partners in nine sectors and one survey wave in which every
partner rated every other (89,700 ratings): 20,000 at cooperation or more (the ties), a few
thousand at awareness, the rest none, each above none with its six scores. Then it times the
network's measures from the database (cold: the cache empty; warm: read back under the wave's
version), networkx's exact betweenness alone, and, through Django's full request path as
backbone staff, the map's JSON (whole network, and one sector at coordination or more) and
the results page, cold and warm (median of 20). Aim: under a second.
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

import import_values  # noqa: E402
from import_values import drop_database, prepare_database, setup_django  # noqa: E402

import_values.BENCH_DB = "backbone_bench_network"  # its own database beside the others'
REPEAT = 20
AIM_MS = 1000


def build(partner_count: int, tie_count: int):
    from django.utils import timezone

    from backbone.accounts.models import Person
    from backbone.initiatives.models import Initiative, Membership, Organisation, Partner
    from backbone.initiatives.roles import Role, Sector
    from backbone.network.models import SCORE_ITEMS, Answer, Rating, Wave, WavePartner

    rng = random.Random(11)
    i = Initiative.objects.create(slug="bench", name="Bench", place="Bench City")
    sectors = [s for s in Sector.values if s != Sector.OTHER]
    orgs = Organisation.objects.bulk_create(
        Organisation(slug=f"partner-{n:03d}", name=f"Partner {n:03d}", sector=sectors[n % 9])
        for n in range(partner_count)
    )
    partners = Partner.objects.bulk_create(
        Partner(initiative=i, organisation=o, joined_on=date(2020, 1, 1)) for o in orgs
    )
    staff = Person.objects.create_user(email="bench@example.org", password="x" * 20)
    Membership.objects.create(initiative=i, person=staff, role=Role.BACKBONE_STAFF)
    today = timezone.localdate()
    wave = Wave.objects.create(
        initiative=i, name="Bench wave", opens_on=today - timedelta(days=5), closes_on=today
    )
    WavePartner.objects.bulk_create(
        WavePartner(initiative=i, wave=wave, partner=p) for p in partners
    )
    now = timezone.now()
    answers = Answer.objects.bulk_create(
        Answer(initiative=i, wave=wave, partner=p, answered_at=now, first_answered_at=now)
        for p in partners
    )
    pairs = [(a, b) for a in range(partner_count) for b in range(partner_count) if a != b]
    # Ties cluster within sectors, as they do: a pair of one sector is three times as likely.
    weights = [3 if a % 9 == b % 9 else 1 for a, b in pairs]
    ties = set(rng.choices(range(len(pairs)), weights=weights, k=tie_count * 2))
    ties = set(rng.sample(sorted(ties), tie_count))
    rows = []
    for n, (a, b) in enumerate(pairs):
        if n in ties:
            level = rng.choice([2, 2, 3, 3, 4])
        else:
            level = 1 if rng.random() < 0.08 else 0
        fields = {item: rng.randint(1, 4) for item in SCORE_ITEMS} if level else {}
        rows.append(
            Rating(
                initiative=i,
                wave=wave,
                answer=answers[a],
                rater=partners[a],
                rated=partners[b],
                level=level,
                **fields,
            )
        )
    Rating.objects.bulk_create(rows, batch_size=5000)
    return i, staff, wave


def median_ms(fn) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cold_ms(fn) -> float:
    from django.core.cache import cache

    times = []
    for _ in range(3):
        cache.clear()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report(name: str, cold: float | None, warm: float, extra: str = "") -> None:
    worst = max(cold or 0, warm)
    verdict = "within" if worst < AIM_MS else "over"
    first = f"cold {cold:7.1f} ms, " if cold is not None else " " * 19
    print(f"{name:<22} {first}warm {warm:7.1f} ms {extra}({verdict} {AIM_MS} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=300)
    parser.add_argument("--ties", type=int, default=20_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="backbone-bench-"))
    vendor, url = prepare_database(os.environ.get("DATABASE_URL"), folder)
    try:
        setup_django(url)
        import networkx as nx
        from django.conf import settings
        from django.db import transaction
        from django.test import Client

        from backbone.network import measures, selectors

        settings.ALLOWED_HOSTS = ["*"]
        start = time.perf_counter()
        with transaction.atomic():
            initiative, staff, wave = build(args.partners, args.ties)
        print(f"database               {vendor}")
        print(
            f"build                  {time.perf_counter() - start:.1f} s: {args.partners} "
            f"partners, {args.ties:,} ties among {args.partners * (args.partners - 1):,} ratings"
        )
        found = selectors.wave_measures(wave)
        print(
            f"network                density {found.density:.3f}, centralisation "
            f"{found.centralisation:.3f}, reciprocity {found.reciprocity:.3f}, "
            f"{len(found.groups)} groups, trust {found.trust_pct:.1f}%"
        )
        rows = selectors.rows(wave)
        graph = measures.tie_graph(wave.participants.values_list("partner_id", flat=True), rows)
        both = measures.undirected(graph)
        start = time.perf_counter()
        nx.betweenness_centrality(both)
        betweenness = (time.perf_counter() - start) * 1000
        print(
            f"betweenness alone      {betweenness:7.1f} ms (networkx, exact, "
            f"{both.number_of_edges():,} undirected ties)"
        )
        start = time.perf_counter()
        measures.betweenness(both)
        print(
            f"betweenness used       {(time.perf_counter() - start) * 1000:7.1f} ms "
            "(Brandes by numpy matrices, the same figures)"
        )
        start = time.perf_counter()
        selectors.rows(wave)
        print(f"reading the ratings    {(time.perf_counter() - start) * 1000:7.1f} ms")
        report(
            "measures",
            cold_ms(lambda: selectors.wave_measures(wave)),
            median_ms(lambda: selectors.wave_measures(wave)),
        )

        client = Client()
        client.force_login(staff)
        base = f"/i/{initiative.slug}/network/waves/{wave.uuid}/"
        pages = [
            ("map data", f"{base}map.json"),
            ("map data, a sector", f"{base}map.json?sector=education&level=3"),
            ("results page", base),
        ]
        for name, page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            size = f"{len(response.content) / 1024:,.0f} KiB, "
            report(
                name,
                cold_ms(lambda p=page: client.get(p)),
                median_ms(lambda p=page: client.get(p)),
                size,
            )
    finally:
        drop_database(vendor, url)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
