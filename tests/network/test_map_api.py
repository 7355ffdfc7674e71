"""The network map's data through the API: the map page's rules, for every way in."""

import pytest

from backbone.network.models import Level
from tests.api.callers import EVERYONE
from tests.network.conftest import answer, open_wave

pytestmark = pytest.mark.integration

# partners, the backbone and evaluators; community members and funders are refused
MAP_READERS = {"member_a", "steward_a", "steward_b", "evaluator", "staff"}
MAP_READERS |= {"partner_token", "personal_token"}
MEMBERS = MAP_READERS | {"community", "funder"}


@pytest.fixture
def wave(cast):
    found = open_wave(cast.initiative, partners=[cast.partner_a, cast.partner_b])
    partners = [cast.partner_a, cast.partner_b]
    answer(found, cast.partner_a, partners, {cast.partner_b.pk: Level.COLLABORATION})
    answer(found, cast.partner_b, partners, {cast.partner_a.pk: Level.COOPERATION})
    return found


@pytest.mark.parametrize("who", EVERYONE)
def test_map_by_role(cast, wave, call, who):
    response = call(who, "get", f"/api/initiatives/riverton/network/waves/{wave.uuid}/map")
    if who == "revoked_token":
        assert response.status_code == 401
    elif who in MAP_READERS:
        assert response.status_code == 200
        found = response.json()
        assert {n["id"] for n in found["nodes"]} == {cast.org_a.slug, cast.org_b.slug}
        assert len(found["edges"]) == 2
        if not who.endswith("token"):  # the same data as the page's own map.json ...
            page = call(who, "get", f"/i/riverton/network/waves/{wave.uuid}/map.json").json()
            del page["status"]  # ... which adds the sentences the page shows
            for node in page["nodes"]:
                del node["description"]
            assert page == found
    elif who in MEMBERS:
        assert response.status_code == 403
    else:
        assert response.status_code == 404


def test_map_filters_and_refusals(cast, wave, call):
    path = f"/api/initiatives/riverton/network/waves/{wave.uuid}/map"
    strong = call("staff", "get", path, level=4).json()
    assert [(e["source"], e["level"]) for e in strong["edges"]] == [(cast.org_a.slug, 4)]
    only = call("staff", "get", path, sector="education").json()
    assert [n["id"] for n in only["nodes"]] == [cast.org_a.slug]
    assert call("staff", "get", path, level=9).status_code == 422
    assert call("staff", "get", path, sector="no-such").status_code == 422
    other = "/api/initiatives/riverton/network/waves/00000000-0000-0000-0000-000000000000/map"
    assert call("staff", "get", other).status_code == 404
