"""Every figure of a round's results recomputed independently, with pandas on the raw answer
table (the `Response` rows as stored, the items read from the questionnaire file), and the
small-group suppression attacked with linear algebra."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import yaml
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from backbone.assessments import scoring, selectors, services
from backbone.assessments.loader import QUESTIONNAIRES_DIR
from backbone.assessments.models import Respondent, Response
from backbone.initiatives.roles import Role

from .conftest import crowd, residents

pytestmark = pytest.mark.integration

ITEMS = pd.DataFrame(yaml.safe_load((QUESTIONNAIRES_DIR / "conditions.yaml").read_text())["items"])[
    ["key", "element", "type"]
].rename(columns={"key": "item"})
ELEMENT_ORDER = list(dict.fromkeys(ITEMS["element"]))
SECTOR_OF = {  # how many answer for each sector in the scenario; faith is alone
    "education": 7,
    "nonprofit": 5,
    "health": 4,
    "faith": 1,
}
COMMUNITY_N = 4
THRESHOLD = 3


# --- the scenario ------------------------------------------------------------------------


def _people(cast, initiative):
    """Everyone answering, with their group: the cast's own people and crowds."""
    people = [
        (cast.steward_a, "education"),
        (cast.member_a, "education"),
        (cast.steward_b, "nonprofit"),
    ]
    people += [(p, "education") for p in crowd(initiative, sector="education", n=5)]
    people += [(p, "nonprofit") for p in crowd(initiative, sector="nonprofit", n=4)]
    people += [(p, "health") for p in crowd(initiative, sector="health", n=4)]
    people += [(p, "faith") for p in crowd(initiative, sector="faith", n=1)]
    people += [(cast.community, "community")]
    people += [(p, "community") for p in residents(initiative, COMMUNITY_N - 1)]
    # people asked who never answer, so the response rate is not 100%
    crowd(initiative, sector="health", n=2)
    residents(initiative, 1)
    return people


def _answers(found, group, rng, shift):
    out = {}
    for item in scoring.items_of(found.questionnaire_data):
        element = item.element.split(".")[1]
        if item.type == "scale":
            centre = 3.2 + shift.get((group, element), 0) + shift.get(element, 0)
            out[item.key] = min(5, max(1, round(rng.gauss(centre, 1.0))))
        elif rng.random() < 0.5:
            out[item.key] = f"note {rng.randrange(1000):03d} from {group}"
    return out


def _run(cast, initiative, questionnaire, people, *, opens_ago, closes_ago, seed, shift):
    today = timezone.localdate()
    opens_on = today - timedelta(days=opens_ago)
    found = services.round_open(
        initiative=initiative,
        questionnaire=questionnaire,
        opens_on=opens_on,
        closes_on=today - timedelta(days=closes_ago) if closes_ago > 0 else today + timedelta(5),
        roles=[Role.PARTNER_STEWARD, Role.PARTNER_MEMBER, Role.COMMUNITY_MEMBER],
        today=opens_on,
    )
    rng = random.Random(seed)
    for person, group in people:
        moment = timezone.now() - timedelta(days=opens_ago - 1)
        services.response_submit(
            round=found, person=person, answers=_answers(found, group, rng, shift), now=moment
        )
    if closes_ago <= 0:
        services.round_close(round=found)
    found.refresh_from_db()
    return found


@pytest.fixture
def scenario(cast, initiative, questionnaires):
    people = _people(cast, initiative)
    before = _run(
        cast,
        initiative,
        questionnaires["conditions"],
        people,
        opens_ago=400,
        closes_ago=380,
        seed=1,
        shift={"shared_measurement": -0.8, "continuous_communication": 0.9},
    )
    now = _run(
        cast,
        initiative,
        questionnaires["conditions"],
        people,
        opens_ago=20,
        closes_ago=0,
        seed=2,
        shift={
            "shared_measurement": 0.6,
            ("community", "common_agenda"): -1.6,
            ("education", "common_agenda"): 0.9,
        },
    )
    now.initiative = before.initiative = initiative
    return before, now


# --- the independent computation ------------------------------------------------------------


def raw_table(found) -> pd.DataFrame:
    """One row per answer, straight from the stored responses."""
    rows = [
        {
            "response": str(r["id"]),
            "group": "community" if r["is_community_member"] else r["sector"],
            "item": item,
            "value": value,
        }
        for r in Response.objects.filter(round=found).values(
            "id", "sector", "is_community_member", "answers"
        )
        for item, value in r["answers"].items()
    ]
    return pd.DataFrame(rows).merge(ITEMS, on="item")


def scale_table(found) -> pd.DataFrame:
    table = raw_table(found)
    table = table[table["type"] == "scale"].copy()
    table["value"] = table["value"].astype(int)
    return table


def tenths(total: int, n: int) -> int:
    """The mean in tenths, halves up, by integer arithmetic: floor((20·total + n) / (2n))."""
    return (20 * total + n) // (2 * n)


def band_of(t: int) -> str:
    return "strength" if t >= 40 else "discuss" if t >= 30 else "concern"


def element_tenths(table: pd.DataFrame) -> dict[str, int]:
    sums = table.groupby("element")["value"].agg(["sum", "count"])
    return {e: tenths(int(row["sum"]), int(row["count"])) for e, row in sums.iterrows()}


def as_tenths(value) -> int:
    return int(value * 10)


# --- tests ---------------------------------------------------------------------------------


def test_element_and_item_means_bands_and_distributions(scenario):
    _, now = scenario
    found = selectors.results(now)
    table = scale_table(now)

    expected = element_tenths(table)
    assert {e.key: as_tenths(e.shown_mean) for e in found.elements} == expected
    assert {e.key: e.band for e in found.elements} == {k: band_of(t) for k, t in expected.items()}
    exact = table.groupby("element")["value"].mean()
    for e in found.elements:
        assert float(e.mean) == pytest.approx(exact[e.key])

    items = table.groupby("item")["value"]
    counts = table.groupby(["item", "value"]).size()
    for e in found.elements:
        for r in e.items:
            if r.item.type != "scale":
                continue
            assert as_tenths(r.shown_mean) == tenths(
                int(items.sum()[r.item.key]), int(items.count()[r.item.key])
            )
            got = {c.value: c.count for c in r.distribution}
            assert got == {v: int(counts.get((r.item.key, v), 0)) for v in range(1, 6)}
            assert sum(got.values()) == table["response"].nunique()


def test_weakest_elements_come_first(scenario):
    _, now = scenario
    expected = element_tenths(scale_table(now))
    order = sorted(expected, key=lambda k: (expected[k], ELEMENT_ORDER.index(k)))
    assert [e.key for e in selectors.results(now).weakest] == order


def test_response_rate_counts_those_asked(scenario):
    _, now = scenario
    found = selectors.results(now)
    invited = Respondent.objects.filter(round=now).count()
    answered = raw_table(now)["response"].nunique()
    assert (found.rate.answered, found.rate.invited) == (answered, invited)
    assert found.rate.percent == round(Fraction(100 * answered, invited))
    assert answered == sum(SECTOR_OF.values()) + COMMUNITY_N and invited == answered + 3


def test_free_text_answers_are_listed_alphabetically(scenario):
    _, now = scenario
    table = raw_table(now)
    texts = table[(table["type"] == "text") & (table["value"] != "")]
    found = selectors.results(now)
    for e in found.elements:
        for r in e.items:
            if r.item.type == "text":
                wanted = texts[texts["item"] == r.item.key]["value"].tolist()
                assert r.texts == sorted(wanted, key=str.casefold)


def test_change_since_previous_round(scenario):
    before, now = scenario
    found = selectors.results(now)
    old, new = element_tenths(scale_table(before)), element_tenths(scale_table(now))
    assert found.previous == before
    assert {e.key: as_tenths(e.change) for e in found.elements} == {k: new[k] - old[k] for k in new}
    shared = next(e for e in found.elements if e.key == "conditions.shared_measurement")
    assert shared.change > 0


def test_small_groups_are_hidden_with_a_complement(scenario):
    _, now = scenario
    found = selectors.results(now)
    # faith has one respondent: hidden. With the rest shown, faith would be organisations
    # minus the other sectors, so one more sector goes: the smallest, health.
    assert set(found.by_sector.hidden) == {"faith", "health"}
    assert found.by_sector.groups == ["nonprofit", "education", "community"]
    assert found.community.groups == ["community", "organisations"]


def test_sector_comparison_largest_disagreement_first(scenario):
    _, now = scenario
    found = selectors.results(now)
    table = scale_table(now)
    shown = found.by_sector.groups
    sums = table.groupby(["element", "group"])["value"].agg(["sum", "count"])
    expected = {}
    for element in ELEMENT_ORDER:
        means = {
            g: tenths(int(sums.loc[(element, g), "sum"]), int(sums.loc[(element, g), "count"]))
            for g in shown
        }
        expected[element] = (means, max(means.values()) - min(means.values()))
    rows = found.by_sector.rows
    for row in rows:
        means, gap = expected[row.element]
        assert {g: as_tenths(v) for g, v in row.shown_means.items()} == means
        assert as_tenths(row.gap) == gap
    gaps = [as_tenths(r.gap) for r in rows]
    assert gaps == sorted(gaps, reverse=True)
    assert rows[0].element == "conditions.common_agenda"


def test_community_and_organisations_compared_largest_difference_first(scenario):
    _, now = scenario
    table = scale_table(now)
    table["side"] = np.where(table["group"] == "community", "community", "organisations")
    sums = table.groupby(["element", "side"])["value"].agg(["sum", "count"])

    def t(element, side):
        return tenths(
            int(sums.loc[(element, side), "sum"]), int(sums.loc[(element, side), "count"])
        )

    expected = {e: t(e, "community") - t(e, "organisations") for e in ELEMENT_ORDER}
    rows = selectors.results(now).community.rows
    assert {r.element: as_tenths(r.gap) for r in rows} == expected
    assert [abs(as_tenths(r.gap)) for r in rows] == sorted(
        map(abs, expected.values()), reverse=True
    )
    assert rows[0].element == "conditions.common_agenda" and rows[0].gap < 0


def test_csv_holds_the_same_figures_and_no_hidden_group(scenario, as_role):
    _, now = scenario
    response = as_role("staff").get(f"/i/riverton/assessments/rounds/{now.uuid}/results.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    table = scale_table(now)
    expected = element_tenths(table)
    means = {
        r["element_key"]: int(round(float(r["value"]) * 10))
        for r in rows
        if r["group"] == "All respondents" and r["measure"] == "mean" and not r["item_key"]
    }
    assert means == expected
    groups = {r["group"] for r in rows}
    assert groups == {
        "All respondents",
        "Education",
        "Non-profit",
        "Community members",
        "Organisations",
    }
    assert len(rows) == len({tuple(r.values()) for r in rows})


def test_results_need_a_closed_round_with_enough_respondents(
    cast, initiative, questionnaires, as_role
):
    from .conftest import answers_for, open_round

    found = open_round(initiative, questionnaires["conditions"])
    for person in (cast.steward_a, cast.member_a, cast.steward_b):
        services.response_submit(round=found, person=person, answers=answers_for(found))
    assert not selectors.results(found).enough  # open: nobody reads results yet
    url = f"/i/riverton/assessments/rounds/{found.uuid}/results.csv"
    assert as_role("staff").get(url).status_code == 404
    services.round_close(round=found)
    found.refresh_from_db()
    assert selectors.results(found).enough  # three answered, the threshold is three
    initiative.small_number_threshold = 4
    initiative.save()
    found.refresh_from_db()
    assert not selectors.results(found).enough
    assert as_role("staff").get(url).status_code == 404


# --- bands on other scales, and suppression in general ---------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("low", "high", "mean", "band"),
    [
        (1, 5, Fraction(79, 20), "strength"),  # 3.95 shows as 4.0
        (1, 5, Fraction(39, 10), "discuss"),
        (1, 5, Fraction(3), "discuss"),
        (1, 5, Fraction(59, 20), "discuss"),  # 2.95 shows as 3.0
        (1, 5, Fraction(29, 10), "concern"),
        (1, 7, Fraction(55, 10), "strength"),
        (1, 7, Fraction(54, 10), "discuss"),
        (1, 7, Fraction(4), "discuss"),
        (1, 7, Fraction(39, 10), "concern"),
        (1, 4, Fraction(33, 10), "strength"),
        (1, 4, Fraction(32, 10), "discuss"),
        (1, 4, Fraction(25, 10), "discuss"),
        (1, 4, Fraction(24, 10), "concern"),
        (0, 10, Fraction(75, 10), "strength"),
        (0, 10, Fraction(49, 10), "concern"),
    ],
)
def test_bands_are_proportional_on_other_scales(low, high, mean, band):
    scale = scoring.Scale("s", "S", tuple((v, str(v)) for v in range(low, high + 1)))
    assert scoring.band(mean, scale) == band


def recoverable(hidden: set[str], counts: dict[str, int]) -> set[str]:
    """Hidden figures a reader can solve for: e_i in the row space of the relations."""
    sectors = [k for k in counts if k != "community"]
    relations = [("total", ["community", "organisations"]), ("organisations", sectors)]
    keys = sorted(hidden)
    rows = []
    for total, parts in relations:
        row = [0.0] * len(keys)
        for key, sign in [(total, 1), *((p, -1) for p in parts)]:
            if key in hidden:
                row[keys.index(key)] += sign
        if any(row):
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for i, key in enumerate(keys):
        unit = np.zeros(len(keys))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(key)
    return found


@pytest.mark.unit
@settings(max_examples=200, deadline=None)
@given(
    sectors=st.dictionaries(
        st.sampled_from(["education", "health", "faith", "business", "nonprofit", "government"]),
        st.integers(min_value=0, max_value=15),
        min_size=1,
    ),
    community=st.integers(min_value=0, max_value=15),
    threshold=st.integers(min_value=1, max_value=10),
)
def test_no_hidden_group_can_be_worked_out(sectors, community, threshold):
    counts = {**sectors, "community": community}
    hidden = scoring.hidden_groups(counts, threshold=threshold)
    people = {**counts, "organisations": sum(sectors.values())}
    people["total"] = people["organisations"] + community
    small = {k for k, n in people.items() if 0 < n < threshold}
    assert small <= hidden
    assert not recoverable(set(hidden), counts)
    assert all(people[k] > 0 for k in hidden)
