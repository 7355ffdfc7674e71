"""The totals a simulated partner reports, by how its indicator adds up; shared by the
preparation (which checks that the intake takes them) and the locustfile (which sends them)."""

from __future__ import annotations

import random

RATE = "rate"
WEIGHTED = "weighted"


def total_fields(aggregation: str, rng: random.Random) -> dict[str, str]:
    """A plausible total: a rate as numerator and denominator, a weighted mean with its n,
    anything else as a plain count."""
    if aggregation == RATE:
        denominator = rng.randint(40, 400)
        return {"numerator": str(rng.randint(0, denominator)), "denominator": str(denominator)}
    if aggregation == WEIGHTED:
        return {"value": str(rng.randint(80, 99)), "n": str(rng.randint(20, 400))}
    return {"value": str(rng.randint(1, 500))}
