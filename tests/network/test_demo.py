"""The demo's two waves: denser and a little more trusting a year on, the faith partners at
the network's edge, the same every time it is built."""

from __future__ import annotations

import pytest
from django.test import Client

from backbone.network import selectors
from backbone.network.demo import network_demo
from backbone.network.selectors import latest_wave_figures

pytestmark = pytest.mark.integration


def test_demo_network_grows_denser_with_one_sector_left_out(demo):
    initiative = demo
    first, second = sorted(selectors.waves(initiative=initiative), key=lambda w: w.opens_on)
    assert (first.partner_count, second.partner_count) == (25, 23)
    assert (second.opens_on - first.opens_on).days == 365
    assert first.answer_count < first.partner_count and second.answer_count >= 20

    figures = latest_wave_figures(initiative)
    before = figures["previous"]
    assert figures["wave"] == second.name and before["wave"] == first.name
    assert figures["density"] > before["density"] + 0.05
    assert 0 < figures["trust_pct"] - before["trust_pct"] < 10  # rising, slightly

    for wave in (first, second):
        per_partner = {
            s.sector: (s.out + s.into) / s.partners
            for s in (row.ties for row in selectors.results(wave).sectors)
        }
        isolated = min(per_partner, key=per_partner.get)
        assert isolated == "faith"
        assert per_partner["faith"] < 0.4 * sorted(per_partner.values())[1]

    staff = Client()
    staff.force_login(
        initiative.memberships.get(person__email="maya.okafor@riverton.example").person
    )
    page = staff.get(f"/i/{initiative.slug}/network/waves/{second.uuid}/").text
    assert "Ties gained and lost since " + first.name in page
    assert "Greater Hope Baptist Church" in page
    steward = Client()
    steward.force_login(
        initiative.memberships.get(person__email="priya.natarajan@riverton.example").person
    )
    data = steward.get(f"/i/{initiative.slug}/network/waves/{second.uuid}/map.json").json()
    assert len(data["nodes"]) == 23 and len(data["edges"]) > 80

    network_demo(initiative=initiative)  # built again, the same
    again = latest_wave_figures(initiative)
    assert {k: again[k] for k in ("density", "trust_pct", "value_pct", "reciprocity")} == {
        k: figures[k] for k in ("density", "trust_pct", "value_pct", "reciprocity")
    }
