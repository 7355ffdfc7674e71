"""Trust and value: recomputed here from the raw ratings with pandas, whole network, per
partner and per sub-network, and by hand on a small case."""

from __future__ import annotations

import pandas as pd
import pytest

from backbone.initiatives import services as initiatives
from backbone.network import selectors, services
from backbone.network.models import Rating

from .conftest import open_wave
from .test_measures import random_wave

pytestmark = pytest.mark.integration

TRUST = ["reliable", "supports_mission", "open_to_discussion"]
VALUE = ["power", "involvement", "resources"]


def ratings_frame(wave) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(
        Rating.objects.filter(wave=wave).values("rater_id", "rated_id", "level", *TRUST, *VALUE)
    )
    scored = frame[frame.level > 0].copy()
    scored["trust"] = scored[TRUST].astype(float).mean(axis=1)
    scored["value"] = scored[VALUE].astype(float).mean(axis=1)
    return scored


@pytest.mark.parametrize("seed", [11, 12])
def test_trust_and_value_percentages_match_the_raw_ratings(cast, seed):
    wave, partners = random_wave(cast, seed, chance=0.3)
    found = selectors.wave_measures(wave)
    scored = ratings_frame(wave)
    assert found.ratings == len(scored)
    assert found.trust_pct == pytest.approx(scored.trust.mean() / 4 * 100)
    assert found.value_pct == pytest.approx(scored.value.mean() / 4 * 100)
    per = scored.groupby("rated_id").agg(
        trust=("trust", "mean"), value=("value", "mean"), n=("trust", "size")
    )
    for p in partners:
        m = found.by_partner[p.pk]
        if p.pk in per.index:
            assert m.trust_pct == pytest.approx(per.loc[p.pk, "trust"] * 25)
            assert m.value_pct == pytest.approx(per.loc[p.pk, "value"] * 25)
            assert m.raters == per.loc[p.pk, "n"]
        else:
            assert (m.trust_pct, m.value_pct, m.raters) == (None, None, 0)

    # A sector's sub-network: only ratings among its own partners.
    faith = {p.pk for p in partners if p.organisation.sector == "faith"}
    sub = selectors.results(wave, sub=selectors.Subnetwork(sector="faith")).measures
    inside = scored[scored.rater_id.isin(faith) & scored.rated_id.isin(faith)]
    assert sub.trust_pct == pytest.approx(inside.trust.mean() * 25)
    assert sub.value_pct == pytest.approx(inside.value.mean() * 25)


def test_trust_worked_by_hand(cast):
    """Three partners. A rates B collaboration with trust 4, 4, 3 and value 2, 2, 2; B rates
    A awareness with trust 1, 2, 3 and value 4, 4, 4; C rates no one and no one rates C.
    Trust per rating: (4+4+3)/3 = 11/3 and 2; the network's mean (11/3 + 2)/2 = 17/6 →
    17/6 ÷ 4 × 100 ≈ 70.83%. Value: 2 and 4 → 3 → 75%. B received 11/3 → 91.67%, A 2 → 50%."""
    orgs = [initiatives.organisation_create(name=f"Hand {n}", sector="health") for n in "ABC"]
    a, b, c = (initiatives.partner_add(initiative=cast.initiative, organisation=o) for o in orgs)
    wave = open_wave(cast.initiative, partners=[a, b, c])
    none = {"level": 0}
    services.answer_submit(
        wave=wave,
        partner=a,
        by=None,
        ratings={
            b.pk: {"level": 4, "reliable": 4, "supports_mission": 4, "open_to_discussion": 3}
            | {"power": 2, "involvement": 2, "resources": 2},
            c.pk: none,
        },
    )
    services.answer_submit(
        wave=wave,
        partner=b,
        by=None,
        ratings={
            a.pk: {"level": 1, "reliable": 1, "supports_mission": 2, "open_to_discussion": 3}
            | {"power": 4, "involvement": 4, "resources": 4},
            c.pk: none,
        },
    )
    wave.refresh_from_db()
    found = selectors.wave_measures(wave)
    assert found.trust_pct == pytest.approx(70.8333, abs=1e-4)
    assert found.value_pct == pytest.approx(75.0)
    assert found.by_partner[b.pk].trust_pct == pytest.approx(91.6667, abs=1e-4)
    assert found.by_partner[a.pk].trust_pct == pytest.approx(50.0)
    assert found.by_partner[c.pk].trust_pct is None
    assert found.ties == 1  # awareness is rated and scored, but is no tie


def test_partners_never_read_back_one_partners_scores(cast):
    """B was rated by A alone: the backbone sees its trust received, other readers do not."""
    wave, partners = random_wave(cast, 13, size=6, chance=0.3)
    found = selectors.wave_measures(wave)
    few = [p for p in partners if 0 < found.by_partner[p.pk].raters < selectors.MIN_RATERS]
    many = [p for p in partners if found.by_partner[p.pk].raters >= selectors.MIN_RATERS]
    assert few and many
    for individual in (True, False):
        rows = {r.partner.pk: r for r in selectors.results(wave, individual=individual).rows}
        for p in few:
            assert (rows[p.pk].trust_pct is None) == (not individual)
            assert rows[p.pk].hidden == (not individual)
        for p in many:
            assert rows[p.pk].trust_pct == pytest.approx(found.by_partner[p.pk].trust_pct)
    data = selectors.map_data(wave, individual=False)
    trust = {n["id"]: n["trust"] for n in data["nodes"]}
    assert all(trust[p.organisation.slug] is None for p in few)
