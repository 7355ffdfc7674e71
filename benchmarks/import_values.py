"""How fast a big file of values comes in through the real path, beside a bare COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/backbone \\
        .venv/bin/python benchmarks/import_values.py --rows 1000000
    .venv/bin/python benchmarks/import_values.py --rows 100000          # SQLite

It sets up an initiative of the shape PRODUCT.md §15 designs for — 50 indicators, 300
partners, 20 places, monthly periods over 10 years, dimensions (place, race × income) —
writes a CSV of N rows for a backbone import of many partners (a partner column), and
imports it through `intake.service.values_import`: the set-based intake (the file staged,
checked in SQL, written by INSERT … SELECT, the roll-ups refreshed) in one transaction.
Beside it, the same file goes into a plain table: by PostgreSQL's COPY, or on SQLite by a
bare executemany INSERT.

It prints rows per second for both, their ratio, the import's time by stage (staging,
checking, writing, roll-ups), and its peak memory: the growth of the process's peak resident
set size (`resource.getrusage(...).ru_maxrss`) over the import, which is what the operating
system had to give it — Python's allocations, the database driver's buffers and all.

It works in its own database (PostgreSQL: `backbone_bench` on the server of DATABASE_URL,
created and dropped; SQLite: a file in a temporary folder) and cleans up after itself.
`--profile` adds a cProfile of the import (slower; the figures then include its overhead).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import io
import os
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_DB = "backbone_bench"
N_INDICATORS = 50
N_PARTNERS = 300
N_PLACES = 20
YEARS = 10
RACES = ("asian", "black", "latino", "white", "other")
INCOMES = ("low", "not-low")
# a partner's month in the file: a count by place and its total, a rate by race × income and
# its total, an average and six plain counts
ROWS_A_MONTH = N_PLACES + 1 + len(RACES) * len(INCOMES) + 1 + 1 + 6
HEADER = [
    "partner",
    "indicator",
    "period",
    "place",
    "race",
    "income",
    "value",
    "numerator",
    "denominator",
    "n",
]


# --- the database ----------------------------------------------------------------------


def prepare_database(url: str | None, folder: Path) -> tuple[str, str]:
    """(vendor, DATABASE_URL of the benchmark's own database)."""
    if not url or url.startswith("sqlite"):
        return "sqlite", f"sqlite:///{folder / 'bench.sqlite3'}"
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return "postgresql", urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def drop_database(vendor: str, url: str) -> None:
    from django.db import connections

    connections.close_all()
    if vendor != "postgresql":
        return
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backbone.settings")
    os.environ.setdefault("BACKBONE_DEBUG", "0")
    if os.environ["BACKBONE_DEBUG"] in {"", "0"}:
        os.environ.setdefault("BACKBONE_SECRET_KEY", os.urandom(24).hex())  # this run only
    # Pages are measured as the server answers them behind its TLS proxy: no https redirect.
    os.environ.setdefault("BACKBONE_SSL_REDIRECT", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log growing with every statement
    call_command("migrate", verbosity=0)


# --- the initiative --------------------------------------------------------------------


class World:
    """50 indicators: 15 counts by place (sum, stock, cumulative), 10 percentages by race ×
    income (rates), 5 averages weighted by n, 20 counts without a breakdown."""

    def __init__(self, partners: int = N_PARTNERS):
        from backbone.accounts.models import Person
        from backbone.initiatives.models import Initiative, Membership, Organisation, Partner
        from backbone.initiatives.roles import Role
        from backbone.measurement.models import (
            Dimension,
            Group,
            Indicator,
            IndicatorDimension,
            Period,
        )
        from backbone.measurement.periods import period_bounds, period_code

        i = Initiative.objects.create(
            slug="bench", name="Benchmark Partnership", place="Bench City", issue_area="Bench"
        )
        self.initiative = i
        orgs = Organisation.objects.bulk_create(
            Organisation(slug=f"partner-{n:03d}", name=f"Partner {n:03d}", sector="nonprofit")
            for n in range(partners)
        )
        Partner.objects.bulk_create(
            Partner(initiative=i, organisation=o, joined_on=date(2015, 1, 1)) for o in orgs
        )
        self.partners = [o.slug for o in orgs]
        self.staff = Person.objects.create_user(email="bench@example.org", password="x" * 20)
        Membership.objects.create(initiative=i, person=self.staff, role=Role.BACKBONE_STAFF)

        def dimension(key, groups, geography=False, parent=None):
            d = Dimension.objects.create(initiative=i, key=key, name=key, is_geography=geography)
            top = None
            if parent:
                top = Group.objects.create(initiative=i, dimension=d, key=parent, name=parent)
            Group.objects.bulk_create(
                Group(initiative=i, dimension=d, key=g, name=g, parent=top, position=n)
                for n, g in enumerate(groups)
            )
            return d

        self.places = [f"district-{n:02d}" for n in range(N_PLACES)]
        place = dimension("place", self.places, geography=True, parent="city")
        race = dimension("race", RACES)
        income = dimension("income", INCOMES)

        kinds = ["sum", "stock", "cumulative"]
        self.by_place, self.rates, self.weighted, self.plain = [], [], [], []
        links = []
        for n in range(N_INDICATORS):
            if n < 15:
                code, agg, unit, dims = f"count-by-place-{n:02d}", kinds[n % 3], "count", [place]
                self.by_place.append(code)
            elif n < 25:
                code, agg, unit, dims = f"rate-{n:02d}", "rate", "percent", [race, income]
                self.rates.append(code)
            elif n < 30:
                code, agg, unit, dims = f"average-{n:02d}", "weighted", "score", []
                self.weighted.append(code)
            else:
                code, agg, unit, dims = f"count-{n:02d}", "sum", "count", []
                self.plain.append(code)
            ind = Indicator.objects.create(
                initiative=i,
                code=code,
                name=code,
                aggregation=agg,
                unit=unit,
                frequency="month",
                position=n,
            )
            links += [
                IndicatorDimension(initiative=i, indicator=ind, dimension=d, position=p)
                for p, d in enumerate(dims)
            ]
        IndicatorDimension.objects.bulk_create(links)
        periods = []
        for n in range(12 * YEARS):
            start = date(2015 + n // 12, n % 12 + 1, 1)
            _, end = period_bounds("month", start)
            periods.append(
                Period(
                    initiative=i,
                    kind="month",
                    code=period_code("month", start),
                    start=start,
                    end=end,
                )
            )
        Period.objects.bulk_create(periods)
        self.periods = [p.code for p in periods]


def write_csv(world: World, rows: int, path: Path) -> int:
    """A backbone's file of many partners' reports: per partner and month, one count by
    place (its 20 districts and the total), one rate by race × income (10 cells and the
    total), one average and six plain counts. Totals agree with their parts."""
    rng = random.Random(15)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        k = 0
        partners = len(world.partners)
        while written < rows:
            period = world.periods[k // partners % len(world.periods)]
            partner = world.partners[k % partners]
            if k >= partners * len(world.periods):
                raise SystemExit("More rows than partners × months × indicators allow.")
            bundle: list[list] = []
            code = world.by_place[k % len(world.by_place)]
            counts = [rng.randrange(0, 200) for _ in world.places]
            bundle += [
                [partner, code, period, p, "", "", c, "", "", ""]
                for p, c in zip(world.places, counts, strict=True)
            ]
            bundle.append([partner, code, period, "", "", "", sum(counts), "", "", ""])
            code = world.rates[k % len(world.rates)]
            nums, dens = 0, 0
            for race in RACES:
                for income in INCOMES:
                    den = rng.randrange(20, 400)
                    num = rng.randrange(0, den + 1)
                    nums, dens = nums + num, dens + den
                    bundle.append([partner, code, period, "", race, income, "", num, den, ""])
            bundle.append([partner, code, period, "", "", "", "", nums, dens, ""])
            code = world.weighted[k % len(world.weighted)]
            value = f"{rng.uniform(150, 300):.1f}"
            bundle.append([partner, code, period, "", "", "", value, "", "", rng.randrange(5, 90)])
            for j in range(6):
                code = world.plain[(k + j) % len(world.plain)]
                bundle.append(
                    [partner, code, period, "", "", "", rng.randrange(0, 5000), "", "", ""]
                )
            bundle = bundle[: rows - written]
            out.writerows(bundle)
            written += len(bundle)
            k += 1
    return written


# --- measuring -------------------------------------------------------------------------


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        return None
    return None


def reset_peak() -> bool:
    """Reset the process's peak resident set size to its current size (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def memory_now_mb() -> float:
    return _status_mb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_peak_mb() -> float:
    """The peak resident set size: VmHWM, else ru_maxrss (KiB on Linux)."""
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, phases: dict, fn):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            phases[label] = phases.get(label, 0.0) + time.perf_counter() - start

    return wrapper


def reading_only(path: Path, world: World) -> float:
    """Seconds to read and map the file to Reported rows, without the intake."""
    from backbone.measurement.files import reading
    from backbone.measurement.models import Dimension

    start = time.perf_counter()
    problems = reading.Problems(path.name)
    with path.open("rb") as f:
        reader = reading.open_reader(f, kind="csv", problems=problems)
        keys = list(
            Dimension.objects.filter(initiative=world.initiative).values_list("key", flat=True)
        )
        columns = reading.column_map(
            reader.header, dimension_keys=keys, many_partners=True, problems=problems
        )
        for _ in reading.reported_rows(iter(reader), columns=columns, problems=problems):
            pass
    return time.perf_counter() - start


def run_import(world: World, path: Path, profile: bool) -> dict:
    from django.conf import settings
    from django.db import connection

    from backbone.measurement.files.reading import importing
    from backbone.measurement.intake import set_writing
    from backbone.measurement.intake.service import values_import
    from backbone.measurement.models import DataValue

    settings.BACKBONE_MAX_UPLOAD_MB = 4096  # the benchmark's file is bigger than uploads
    phases: dict[str, float] = {}
    # time the stages from outside: the import is not changed, only watched
    watched = [
        (importing, "stage_csv"),
        (importing, "check_staged"),
        (importing, "write_staged"),
        (set_writing, "values_changed"),
        (importing, "_check"),  # the row reader, for a file the sets leave to it
        (connection, "commit"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name in watched]
    for owner, name, fn in originals:
        setattr(owner, name, timed(name, phases, fn))
    gc.collect()
    before = memory_now_mb()
    exact = reset_peak()
    if not exact:
        before = memory_peak_mb()  # the peak can only be measured above the earlier peak
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    try:
        if profiler:
            profiler.enable()
        submission = values_import(
            initiative=world.initiative, by=world.staff, many_partners=True, path=path
        )
        if profiler:
            profiler.disable()
    finally:
        for owner, name, fn in originals:
            if owner is connection:
                del connection.commit  # back to the class's own
            else:
                setattr(owner, name, fn)
    seconds = time.perf_counter() - start
    peak = memory_peak_mb() - before
    stored = DataValue.objects.filter(initiative=world.initiative).count()
    assert stored == submission.value_count, (stored, submission.value_count)
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(30)
        print(out.getvalue())
    return {
        "seconds": seconds,
        "rows": stored,
        "peak_mb": peak,
        "phases": phases,
        "rss_before_mb": before,
        "how": "VmHWM after resetting it through /proc/self/clear_refs, minus VmRSS before"
        if exact
        else "growth of ru_maxrss",
    }


def bare_copy(vendor: str, path: Path) -> float:
    """Seconds to put the same file into a plain table: COPY on PostgreSQL, a bare
    executemany INSERT on SQLite (which has no COPY)."""
    from django.db import connection, transaction

    columns = ", ".join(
        f"{c} text"
        if c in {"partner", "indicator", "period", "place", "race", "income"}
        else f"{c} numeric"
        for c in HEADER
    )
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(f"CREATE UNLOGGED TABLE bench_copy ({columns})")
            start = time.perf_counter()
            with (
                cursor.cursor.copy(
                    "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
                path.open("rb") as f,
            ):
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
            seconds = time.perf_counter() - start
        else:
            cursor.execute(f"CREATE TABLE bench_copy ({columns})")
            start = time.perf_counter()
            with path.open(newline="", encoding="utf-8") as f, transaction.atomic():
                reader = csv.reader(f)
                next(reader)
                marks = ", ".join(["%s"] * len(HEADER))
                cursor.executemany(
                    f"INSERT INTO bench_copy VALUES ({marks})",
                    ([v or None for v in row] for row in reader),
                )
            seconds = time.perf_counter() - start
        cursor.execute("SELECT count(*) FROM bench_copy")
        (count,) = cursor.fetchone()
        cursor.execute("DROP TABLE bench_copy")
    return seconds, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the import")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="backbone-bench-"))
    vendor, url = prepare_database(os.environ.get("DATABASE_URL"), folder)
    try:
        setup_django(url)
        t = time.perf_counter()
        # a partner's month is ROWS_A_MONTH rows: a bigger file comes from more partners
        world = World(partners=max(N_PARTNERS, -(-args.rows // (12 * YEARS * ROWS_A_MONTH))))
        path = folder / "values.csv"
        rows = write_csv(world, args.rows, path)
        size = path.stat().st_size / (1024 * 1024)
        print(f"database      {vendor} ({BENCH_DB if vendor == 'postgresql' else path.parent})")
        print(
            f"set-up        {time.perf_counter() - t:.1f} s: {N_INDICATORS} indicators, "
            f"{len(world.partners)} partners, {N_PLACES} places, {12 * YEARS} months; "
            f"file of {rows:,} rows, {size:.1f} MB"
        )
        read_s = reading_only(path, world)
        result = run_import(world, path, args.profile)
        copy_s, copied = bare_copy(vendor, path)
        assert copied == rows, (copied, rows)
        imp_rate = result["rows"] / result["seconds"]
        copy_rate = copied / copy_s
        baseline = "COPY" if vendor == "postgresql" else "bare executemany INSERT"
        print(
            f"import        {result['seconds']:.1f} s, {imp_rate:,.0f} rows/s "
            "(the set-based intake, one transaction)"
        )
        p = result["phases"]
        if p.get("_check"):
            print(f"  row reader  {p['_check']:.1f} s: the sets left this file to the row reader")
        rollups = p.get("values_changed", 0.0)
        print(f"  staging     {p.get('stage_csv', 0.0):.1f} s (the file's rows into a table)")
        print(f"  checking    {p.get('check_staged', 0.0):.1f} s (every check, in SQL)")
        print(
            f"  writing     {p.get('write_staged', 0.0) - rollups:.1f} s (values and history) "
            f"+ roll-ups {rollups:.1f} s, commit {p.get('commit', 0):.1f} s"
        )
        print(f"  (the row reader alone reads the file into rows in {read_s:.1f} s)")
        print(f"{baseline:<13} {copy_s:.1f} s, {copy_rate:,.0f} rows/s (same file, plain table)")
        print(f"ratio         import runs at {imp_rate / copy_rate:.2f} × the speed of {baseline}")
        print(
            f"peak memory   +{result['peak_mb']:,.0f} MB over the {result['rss_before_mb']:,.0f} "
            f"MB before the import ({result['how']})"
        )
    finally:
        drop_database(vendor, url)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
