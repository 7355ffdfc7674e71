"""The figures of a run, from the request log the locustfile writes: per kind of page the
requests, the 50th, 95th and 99th percentile of the response time and the errors, and what
clients got in a window of time (the fault run's outage)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

AIM_P95_MS = 500


@dataclass(frozen=True)
class Request:
    at: float  # when it started (epoch seconds)
    page: str
    status: int  # 0: no answer (connection refused or reset)
    ms: float
    ok: bool

    @property
    def answered(self) -> float:
        return self.at + self.ms / 1000


def read_log(path: Path) -> list[Request]:
    requests = []
    for line in path.read_text().splitlines():
        at, page, status, ms, ok = line.split("\t")
        requests.append(Request(float(at), page, int(status), float(ms), ok == "1"))
    return requests


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest rank: the smallest time at least p% of the requests took no longer than."""
    if not sorted_ms:
        return 0.0
    rank = max(1, -(-len(sorted_ms) * p // 100))
    return sorted_ms[int(rank) - 1]


def table(requests: list[Request]) -> tuple[str, list[str]]:
    """The table, and the pages that miss the aim (p95 ≥ 500 ms or any error)."""
    by_page: dict[str, list[Request]] = defaultdict(list)
    for r in requests:
        by_page[r.page].append(r)
    head = f"{'page':<16} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
    lines = [head, "-" * len(head)]
    missed = []

    def line(name: str, rows: list[Request]) -> str:
        ms = sorted(r.ms for r in rows)
        p95 = percentile(ms, 95)
        errors = sum(not r.ok for r in rows)
        flag = ""
        if name != "total" and (p95 >= AIM_P95_MS or errors):
            flag = "  <-- " + ", ".join(
                x
                for x in (
                    "p95 ≥ 500 ms" if p95 >= AIM_P95_MS else "",
                    f"{errors} errors" if errors else "",
                )
                if x
            )
            missed.append(name)
        return (
            f"{name:<16} {len(rows):>8} {percentile(ms, 50):>7.0f} {p95:>7.0f} "
            f"{percentile(ms, 99):>7.0f} {errors:>6}{flag}"
        )

    for name in sorted(by_page, key=lambda n: -len(by_page[n])):
        lines.append(line(name, by_page[name]))
    lines.append("-" * len(head))
    lines.append(line("total", requests))
    return "\n".join(lines), missed


def error_kinds(requests: list[Request]) -> Counter:
    """(page, status) of the requests that failed."""
    return Counter((r.page, r.status) for r in requests if not r.ok)


def answered_between(requests: list[Request], start: float, end: float) -> Counter:
    """Statuses of the requests answered in [start, end)."""
    return Counter(r.status for r in requests if start <= r.answered < end)


def pages_answered_between(
    requests: list[Request], start: float, end: float, status: int
) -> Counter:
    """Pages of the requests answered in [start, end) with this status."""
    return Counter(r.page for r in requests if start <= r.answered < end and r.status == status)


def first_success_after(requests: list[Request], moment: float) -> float | None:
    """Seconds from `moment` to the first successful answer after it."""
    later = [r.answered for r in requests if r.answered >= moment and r.ok]
    return min(later) - moment if later else None


def last_failure_after(requests: list[Request], moment: float) -> float | None:
    """Seconds from `moment` to the last failed answer after it."""
    later = [r.answered for r in requests if r.answered >= moment and not r.ok]
    return max(later) - moment if later else None
