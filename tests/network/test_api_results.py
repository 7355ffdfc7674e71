"""Survey waves and their results through the API: every member reads the waves and the
whole network's figures; partners, the backbone and evaluators the per-partner measures;
only the backbone and evaluators who has not answered and a partner's scores from fewer than
three raters."""

import pytest

from backbone.network.models import Level
from tests.api.callers import EVERYONE
from tests.network.conftest import answer, open_wave

pytestmark = pytest.mark.integration

PARTNERS_SEEN = {"member_a", "steward_a", "steward_b", "evaluator", "staff"}
PARTNERS_SEEN |= {"partner_token", "personal_token"}
MEMBERS = PARTNERS_SEEN | {"community", "funder"}
INDIVIDUAL = {"evaluator", "staff"}
BASE = "/api/initiatives/riverton/network/waves"


@pytest.fixture
def wave(cast):
    found = open_wave(cast.initiative, partners=[cast.partner_a, cast.partner_b])
    partners = [cast.partner_a, cast.partner_b]
    answer(found, cast.partner_a, partners, {cast.partner_b.pk: Level.COLLABORATION})
    return found


def status_for(who: str) -> int:
    if who == "revoked_token":
        return 401
    return 200 if who in MEMBERS else 404


@pytest.mark.parametrize("who", EVERYONE)
def test_waves_and_results_by_role(cast, wave, call, who):
    listed = call(who, "get", BASE)
    assert listed.status_code == status_for(who)
    results = call(who, "get", f"{BASE}/{wave.uuid}/results")
    assert results.status_code == status_for(who)
    if listed.status_code != 200:
        return
    (row,) = listed.json()["items"]
    assert (row["uuid"], row["status"], row["partners"], row["answered"]) == (
        str(wave.uuid),
        "open",
        2,
        1,
    )
    assert call(who, "get", f"{BASE}/{wave.uuid}").json() == row
    body = results.json()
    assert body["figures"]["partners"] == 2 and body["answered"] == 1
    if who in PARTNERS_SEEN:
        assert {p["organisation"] for p in body["partners"]} == {cast.org_a.slug, cast.org_b.slug}
        rated = next(p for p in body["partners"] if p["organisation"] == cast.org_b.slug)
        # one rater only: hidden from partners, shown to the backbone and evaluators
        assert rated["hidden"] == (who not in INDIVIDUAL)
        assert (rated["trust_pct"] is None) == (who not in INDIVIDUAL)
    else:
        assert body["partners"] is None and body["sectors"] is None
    if who in INDIVIDUAL:
        assert body["not_answered"] == [cast.org_b.name]
    else:
        assert body["not_answered"] is None


def test_sub_networks_and_refusals(cast, wave, call):
    path = f"{BASE}/{wave.uuid}/results"
    only = call("staff", "get", path, sector="education").json()
    assert [p["organisation"] for p in only["partners"]] == [cast.org_a.slug]
    assert only["subnetwork"]
    assert call("staff", "get", path, sector="no-such").status_code == 422
    assert call("funder", "get", path, sector="education").status_code == 403
    none = f"{BASE}/00000000-0000-0000-0000-000000000000"
    assert call("staff", "get", none).status_code == 404
    assert call("staff", "get", none + "/results").status_code == 404
    assert call("staff", "get", BASE, status="closed").json()["count"] == 0
    assert call("other_initiative_token", "get", path).status_code == 404
