"""Backbone under the load of a whole network, and through faults, measured.

    .venv/bin/python benchmarks/load.py                          # 100 people, 5 minutes
    .venv/bin/python benchmarks/load.py --users 20 --minutes 1   # a quick look
    .venv/bin/python benchmarks/load.py --faults                 # 2 minutes, with faults

It builds the demo initiative in a fresh PostgreSQL database (`backbone_load` on the server
DATABASE_URL names, else 127.0.0.1:5432; dropped at the end), starts the production server
(`backbone serve --workers 2`, gunicorn, 4 threads each) on a free port and lets locust
(headless, as a subprocess) play --users people of mixed roles —
partner stewards and members, community members, backbone staff, a funder, an evaluator —
arriving two a second (--spawn-rate; at ten a second the 100 sign-ins' password hashing,
280 ms of CPU each, alone asks 2.8 core-seconds a second of two cores), each signing in once
through the form and then, 5–15 s apart (--think), reading scorecards,
indicator pages and the feed, reporting values by the web form, uploading small CSV files and
voting on an open proposal (benchmarks/load/locustfile.py has the mix). It prints, per kind
of page, the requests, the 50th, 95th and 99th percentile response times and the errors, and
flags each page that misses the aim: p95 under 500 ms and no error, on a 2-core machine that
also runs PostgreSQL and locust; then the same from the moment everyone has signed in, and
the CPU time Backbone's workers used per request beside how busy the whole machine was.

--faults runs a shorter load on a private PostgreSQL instance (so that restarting it disturbs
nobody else's database) and, during it: (a) stops PostgreSQL for 10 s and starts it again —
what clients got meanwhile (503s, not 500s) and how soon requests succeed again, with no
restart of Backbone; (c) SIGKILLs the gunicorn worker in the middle of a large upload — no
value or submission of it may be left; (b) SIGKILLs `backbone worker` while it sends the
digests, right after the mail server accepted a message — whether anyone gets a digest twice,
and whether the run resumes. One line per fault.

Bounded: locust stops after --minutes, every wait has a time limit, and every process it
started (server, worker, locust, private PostgreSQL) is stopped at the end, on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import figures, stack  # noqa: E402

DATABASE = "backbone_load"
SETTLE_SECONDS = 30  # after the last person started, before the steady state counts


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100, help="simulated people (100)")
    parser.add_argument(
        "--minutes", type=float, help="length of the load (5; 2 with --faults)", default=None
    )
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=2,
        help="people started a second (2: the 100 arrive within 50 s)",
    )
    parser.add_argument(
        "--think",
        default="5,15",
        help="seconds each person reads a page before the next, MIN,MAX (5,15)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--faults", action="store_true", help="cause the three faults")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    parser.add_argument(
        "--reuse", action="store_true", help=f"use the {DATABASE} a --keep run left (no --faults)"
    )
    args = parser.parse_args()
    if args.reuse and args.faults:
        parser.error("--reuse works without --faults only (a fault run has its own PostgreSQL)")
    if args.minutes is None:
        args.minutes = 2 if args.faults else 5
    return args


def run_locust(procs, *, args, url: str, plan: Path, log: Path, work: Path):
    env = {**os.environ, "LOAD_PLAN": str(plan), "LOAD_LOG": str(log), "LOAD_THINK": args.think}
    argv = [
        str(stack.BIN / "locust"),
        "-f",
        str(Path(__file__).with_name("load") / "locustfile.py"),
    ]
    argv += ["--headless", "--host", url, "-u", str(args.users), "-r", str(args.spawn_rate)]
    argv += ["--run-time", f"{int(args.minutes * 60)}s", "--stop-timeout", "10"]
    argv += ["--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    return procs.start(argv, env=env, log=work / "locust.out")


def _load_average() -> str:
    """The machine's 1-minute load average: other work on it slows the figures."""
    return f"{os.getloadavg()[0]:.1f}"


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    args = arguments()
    procs = stack.Processes()
    work = Path(tempfile.mkdtemp(prefix="backbone-load-"))
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)  # even where it was started with SIGINT ignored
    postgres: stack.Postgres | None = None
    started = time.monotonic()
    try:
        if args.faults:
            postgres = stack.Postgres.private(work)
            print(f"PostgreSQL: a private instance on port {postgres.port} (restarted by fault a)")
        else:
            postgres = stack.Postgres.named_by(os.environ.get("DATABASE_URL", ""))
        url_db = postgres.url(DATABASE)
        if not args.reuse:
            postgres.create(DATABASE)
            print(f"Building the demo in {url_db} …", flush=True)
            stack.build_demo(database_url=url_db, var_dir=work / "var", log=work / "demo.log")
        port = stack.free_port()
        env = stack.backbone_env(database_url=url_db, var_dir=work / "var", port=port)
        plan = work / "plan.json"
        big = work / "big" if args.faults else None
        stack.run_prepare(env=env, plan=plan, big_csv=big, log=work / "prepare.log")
        server = stack.serve(
            procs, env=env, port=port, workers=args.workers, log=work / "server.log"
        )
        url = f"http://127.0.0.1:{port}"
        print(
            f"Serving at {url} with {args.workers} workers; {args.users} people for "
            f"{args.minutes:g} min, {args.think.replace(',', '–')} s between pages "
            f"(ready after {time.monotonic() - started:.0f} s)",
            flush=True,
        )
        log = work / "requests.tsv"
        log.touch()
        load_before = _load_average()
        workers = stack.worker_pids(server.pid)
        server_cpu = stack.cpu_seconds(workers)
        busy, total = stack.machine_busy_seconds()
        load_started = time.time()
        locust = run_locust(procs, args=args, url=url, plan=plan, log=log, work=work)
        outcomes: list[str] = []
        if args.faults:
            from load import faults

            outcomes = faults.run_all(
                procs=procs,
                postgres=postgres,
                database=DATABASE,
                server=server,
                env=env,
                url=url,
                plan=plan,
                log=log,
                work=work,
                load_started=load_started,
                load_seconds=args.minutes * 60,
                settle_seconds=args.users / args.spawn_rate + SETTLE_SECONDS,
            )
        locust_cpu = 0.0
        deadline = time.monotonic() + args.minutes * 60 + 120
        while locust.poll() is None and time.monotonic() < deadline:
            locust_cpu = stack.cpu_seconds([locust.pid]) or locust_cpu
            time.sleep(1)
        if locust.poll() is None:
            print("locust did not stop in time; stopping it")
        server_cpu = stack.cpu_seconds(workers) - server_cpu
        busy_end, total_end = stack.machine_busy_seconds()
        procs.stop(locust)
        requests = figures.read_log(log)
        text, missed = figures.table(requests)
        seconds = args.minutes * 60
        print()
        print(
            f"{args.users} people, {args.minutes:g} min: {len(requests)} requests, "
            f"{len(requests) / seconds:.1f} a second; load average {load_before} before, "
            f"{_load_average()} after ({os.cpu_count()} cores)"
        )
        if not args.faults:  # the faults kill workers and outlast locust
            print(
                f"CPU while it ran: Backbone's workers {server_cpu:.0f} s "
                f"({server_cpu / max(len(requests), 1) * 1000:.0f} ms a request), locust "
                f"{locust_cpu:.0f} s; the machine {busy_end - busy:.0f} of "
                f"{total_end - total:.0f} core-seconds busy (PostgreSQL and everything else "
                "included)"
            )
        print(text)
        if missed:
            print(f"Missing the aim (p95 < {figures.AIM_P95_MS} ms, no error): {', '.join(missed)}")
        else:
            print(f"Every page meets the aim: p95 < {figures.AIM_P95_MS} ms, no error.")
        settled = load_started + args.users / args.spawn_rate + SETTLE_SECONDS
        steady = [r for r in requests if r.at >= settled]
        if not args.faults and steady and len(steady) < len(requests):
            print(
                f"\nThe same once everyone has signed in (from {settled - load_started:.0f} s on; "
                "the sign-ins' password hashing loads the start):"
            )
            print(figures.table(steady)[0])
        kinds = figures.error_kinds(requests)
        if kinds:
            print("Errors by page and status (0: no answer):")
            for (page, status), n in kinds.most_common():
                print(f"  {page:<16} {status:>3}  × {n}")
        for line in outcomes:
            print(line)
        return 0
    except KeyboardInterrupt:
        print("\nInterrupted: stopping what this run started.")
        return 130
    finally:
        procs.stop_all()
        if postgres is not None:
            if postgres.data_dir is not None:
                postgres.destroy()  # stopped; with --keep its files stay in `work`
            if args.keep:
                print(f"Kept {DATABASE} and {work}")
            elif postgres.data_dir is None:
                try:
                    postgres.drop(DATABASE)
                except subprocess.CalledProcessError as exc:
                    print(f"Could not drop {DATABASE}: {exc.stderr}")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
