"""How fast the dashboards answer with a million approved values, beside the bare SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/backbone \\
        .venv/bin/python benchmarks/dashboards.py --values 1000000
    .venv/bin/python benchmarks/dashboards.py --values 100000          # SQLite

The initiative is the import benchmark's (import_values.py): 50 indicators, 300 partners, 20
places, ten years of months, race × income. Each partner reports, every month, two rates by
race × income (10 cells each), three counts for its own district and five plain figures —
about 28 values a partner-month — approved and written straight into the table. Every month
but the last is closed.

It then asks, as backbone staff and as a community member (who sees no small number, so every
period's small-number decision is made as well), for the initiative scorecard and for one indicator
page, 20 times each through Django's full request path (middleware, views, templates), and
prints the median server time: cold (the cache emptied before each request, as for the first reader
after a change of values) and warm (the engine's answers read back from the cache). Beside
each it times the minimal SQL that computes the same figures — every indicator's total per
period and the cells of the latest two periods for the scorecard; one indicator's totals,
cells and partners for its page — also the median of 20.
Aim: warm under 300 ms and at most twice the bare SQL; cold under 150 ms (300 ms at ten million
values) and at most half the bare SQL, since the engine reads the roll-ups kept on write rather
than the values.

Last, it writes one submission of 10,000 values through the intake and times its approval,
which refreshes the roll-ups of the (indicator, period) pairs it touches. Aim: under 1 s.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_values import (  # noqa: E402
    INCOMES,
    N_PARTNERS,
    RACES,
    World,
    drop_database,
    prepare_database,
    setup_django,
)

REPEAT = 20
PER_PARTNER_MONTH = 2 * len(RACES) * len(INCOMES) + 3 + 5  # values a partner reports a month
AIM_MS = 300
COLD_AIM_MS = 150  # and at most half the bare SQL: the roll-ups are read, not the values
COLD_AIM_10M_MS = 300  # the cold aim at ten million values
APPROVE_AIM_MS = 1000
APPROVED = 10_000


def approval_ms(world: World) -> tuple[float, float]:
    """(intake, approval) in ms for one submission of 10,000 values across the partners in the
    open month — rates by race × income — the approval refreshing the roll-ups it touches."""
    from backbone.measurement.approval import submission_approve
    from backbone.measurement.intake import Reported
    from backbone.measurement.intake.service import values_import
    from backbone.measurement.models import Period

    period = Period.objects.filter(initiative=world.initiative).order_by("-start").first()
    rng = random.Random(9)
    rows = []
    for partner in world.partners:
        for code in world.rates[:4]:
            for race in RACES:
                for income in INCOMES:
                    den = rng.randint(3, 40)
                    rows.append(
                        Reported(
                            indicator=code,
                            period=period.code,
                            groups={"race": race, "income": income},
                            numerator=str(rng.randint(0, den)),
                            denominator=str(den),
                            partner=partner,
                        )
                    )
                    if len(rows) == APPROVED:
                        break
    rows = rows[:APPROVED]
    start = time.perf_counter()
    submission = values_import(
        rows, initiative=world.initiative, by=world.staff, channel="api", many_partners=True
    )
    intake = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    submission_approve(submission=submission, by=world.staff)
    return intake, (time.perf_counter() - start) * 1000


def load(world: World, target: int) -> int:
    """Approved values for `target` rows or a little more, a partner-month at a time."""
    from django.db import connection
    from django.utils import timezone

    from backbone.initiatives.models import Partner
    from backbone.measurement.intake import VALUE_COLUMNS
    from backbone.measurement.models import Cell, DataValue, Group, Indicator, Period
    from backbone.measurement.versions import values_changed

    i = world.initiative
    groups = {(g.dimension.key, g.key): g.pk for g in Group.objects.filter(initiative=i)}

    def cell(*keys) -> int:
        ids = sorted(groups[k] for k in keys)
        found, made = Cell.objects.get_or_create(initiative=i, key=Cell.key_for(ids))
        if made:
            found.groups.set(ids, through_defaults={"initiative": i})
        return found.pk

    race_income = [cell(("race", r), ("income", n)) for r in RACES for n in INCOMES]
    districts = [cell(("place", p)) for p in world.places]
    total = cell()
    indicators = {ind.code: ind.pk for ind in Indicator.objects.filter(initiative=i)}
    partners = list(Partner.objects.filter(initiative=i).values_list("pk", flat=True))
    periods = list(
        Period.objects.filter(initiative=i).order_by("start").values_list("pk", flat=True)
    )
    rng = random.Random(4)
    now = timezone.now()
    per_month = PER_PARTNER_MONTH
    months = max(1, min(len(periods), target // (per_month * len(partners)) + 1))
    rows = []
    for n, partner in enumerate(partners):
        district = districts[n % len(districts)]
        for period in periods[-months:]:
            for code in rng.sample(world.rates, 2):
                for c in race_income:
                    den = rng.randint(3, 40)
                    num = rng.randint(0, den)
                    value = str(round(num * 100 / den, 6))
                    rows.append(
                        (indicators[code], partner, period, c, value, str(num), str(den), None)
                    )
            for code in rng.sample(world.by_place, 3):
                rows.append(
                    (
                        indicators[code],
                        partner,
                        period,
                        district,
                        str(rng.randint(0, 300)),
                        None,
                        None,
                        None,
                    )
                )
            for code in rng.sample(world.weighted, 1):
                rows.append(
                    (
                        indicators[code],
                        partner,
                        period,
                        total,
                        str(rng.randint(150, 350)),
                        None,
                        None,
                        str(rng.randint(5, 60)),
                    )
                )
            for code in rng.sample(world.plain, 4):
                rows.append(
                    (
                        indicators[code],
                        partner,
                        period,
                        total,
                        str(rng.randint(0, 900)),
                        None,
                        None,
                        None,
                    )
                )
    # The intake's columns up to the timestamp; the notes after it take their defaults.
    written = VALUE_COLUMNS[: VALUE_COLUMNS.index("updated_at") + 1]
    table = DataValue._meta.db_table
    columns = ", ".join(written)
    full = (  # made as they are written: at ten million rows a list would take gigabytes
        (i.pk, ind, p, per, c, v, num, den, w, "approved", False, None, now)
        for ind, p, per, c, v, num, den, w in rows
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in full:
                    copy.write_row(row)
            cursor.execute(f"ANALYZE {table}")
        else:
            marks = ", ".join(["%s"] * len(written))
            stamp = connection.ops.adapt_datetimefield_value(now)
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                [(*r[:-1], stamp) for r in full],
            )
            cursor.execute("ANALYZE")
    Period.objects.filter(initiative=i).exclude(pk=periods[-1]).update(status="closed")
    values_changed(i.pk)  # written around the intake: say so, as the intake would
    return len(rows)


def median_ms(fn) -> float:
    fn()  # warm: the first request loads templates and fills caches
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


SUMS = "count(*), sum(value), sum(numerator), sum(denominator), sum(value * weight), sum(weight)"


def bare_scorecard(initiative_id: int, last_two: list[int]):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT indicator_id, period_id, {SUMS} FROM measurement_datavalue "
                "WHERE initiative_id = %s AND status = 'approved' GROUP BY indicator_id, period_id",
                [initiative_id],
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT indicator_id, period_id, cell_id, {SUMS} FROM measurement_datavalue "
                "WHERE initiative_id = %s AND status = 'approved' AND period_id IN (%s, %s) "
                "GROUP BY indicator_id, period_id, cell_id",
                [initiative_id, *last_two],
            )
            cursor.fetchall()

    return run


def bare_indicator(initiative_id: int, indicator_id: int, last: int):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT period_id, cell_id, {SUMS} FROM measurement_datavalue "
                "WHERE initiative_id = %s AND indicator_id = %s AND status = 'approved' "
                "GROUP BY period_id, cell_id",
                [initiative_id, indicator_id],
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT partner_id, {SUMS} FROM measurement_datavalue "
                "WHERE initiative_id = %s AND indicator_id = %s AND period_id = %s "
                "AND status = 'approved' GROUP BY partner_id",
                [initiative_id, indicator_id, last],
            )
            cursor.fetchall()

    return run


def profile_cold(request, cache) -> None:
    """One cold request under cProfile: the 30 calls that took longest, with what they call."""
    import cProfile
    import pstats

    request()  # the first request of a process pays for imports and templates
    cache.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    request()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats("/backbone/", 60)  # the project's own calls
    stats.strip_dirs().sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--values", type=int, default=100_000)
    parser.add_argument(
        "--profile",
        metavar="ROW",
        help='cProfile one cold request of a row ("scorecard, member") instead of timing',
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="backbone-bench-"))
    vendor, url = prepare_database(os.environ.get("DATABASE_URL"), folder)
    try:
        setup_django(url)
        from django.conf import settings
        from django.test import Client

        from backbone.measurement.models import Indicator, Period

        settings.ALLOWED_HOSTS = ["*"]
        from django.db import transaction

        start = time.perf_counter()
        with transaction.atomic():
            # ten years of months hold about a million values from 300 partners: a larger
            # network has more partners
            world = World(partners=max(N_PARTNERS, -(-args.values // (120 * PER_PARTNER_MONTH))))
            count = load(world, args.values)
        print(f"database      {vendor}")
        print(f"set-up        {time.perf_counter() - start:.1f} s: {count:,} approved values")
        from backbone.accounts.models import Person
        from backbone.initiatives.models import Membership
        from backbone.initiatives.roles import Role

        client = Client()
        client.force_login(world.staff)
        resident = Person.objects.create_user(email="resident@example.org", password="x" * 20)
        Membership.objects.create(
            initiative=world.initiative, person=resident, role=Role.COMMUNITY_MEMBER
        )
        reader = Client()
        reader.force_login(resident)
        slug = world.initiative.slug
        indicator = Indicator.objects.get(initiative=world.initiative, code=world.rates[0])
        periods = list(Period.objects.filter(initiative=world.initiative).order_by("-start")[:3])
        closed = [p.pk for p in periods[1:3]]

        def page(url, client=client):
            def get():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return get

        rows = [
            (
                "scorecard",
                page(f"/i/{slug}/scorecard/"),
                bare_scorecard(world.initiative.pk, closed),
            ),
            (
                "indicator page",
                page(f"/i/{slug}/scorecard/indicators/{indicator.code}/"),
                bare_indicator(world.initiative.pk, indicator.pk, closed[0]),
            ),
            # A community member sees no small number: every period's decision is made too.
            (
                "scorecard, member",
                page(f"/i/{slug}/scorecard/", reader),
                bare_scorecard(world.initiative.pk, closed),
            ),
            (
                "indicator, member",
                page(f"/i/{slug}/scorecard/indicators/{indicator.code}/", reader),
                bare_indicator(world.initiative.pk, indicator.pk, closed[0]),
            ),
        ]
        from django.core.cache import cache

        # As a served worker does (backbone/wsgi.py): what was built before the first request
        # (here the set-up's objects) is frozen out of the garbage collector's walks.
        gc.collect()
        gc.freeze()
        print(
            f"{'':<18} {'cold':>9} {'warm':>9} {'bare SQL':>9}   median of {REPEAT}; cold: "
            "the cache emptied before each request (the first reader after a change of values)"
        )
        if args.profile:
            profile_cold(dict((name, request) for name, request, _ in rows)[args.profile], cache)
            return
        cold_aim = COLD_AIM_10M_MS if args.values >= 10_000_000 else COLD_AIM_MS
        for name, request, sql in rows:

            def cold(request=request):
                cache.clear()
                request()

            cold_ms, warm_ms, bare = median_ms(cold), median_ms(request), median_ms(sql)
            verdict = "within" if warm_ms < AIM_MS and warm_ms <= 2 * bare else "outside"
            cold_verdict = "within" if cold_ms < cold_aim and cold_ms <= bare / 2 else "outside"
            print(
                f"{name:<18} {cold_ms:6.1f} ms {warm_ms:6.1f} ms {bare:6.1f} ms   cold "
                f"{cold_ms / bare:.2f} × the SQL ({cold_verdict} the aim: < {cold_aim} ms and "
                f"≤ 0.5 ×), warm {warm_ms / bare:.2f} × ({verdict} the aim: < {AIM_MS} ms "
                "and ≤ 2 ×)"
            )
        intake, approve = approval_ms(world)
        verdict = "within" if approve < APPROVE_AIM_MS else "outside"
        print(
            f"approving {APPROVED:,} values: {approve:.0f} ms, roll-ups included ({verdict} the "
            f"aim: < {APPROVE_AIM_MS} ms); their intake {intake:.0f} ms"
        )
    finally:
        drop_database(vendor, url)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
