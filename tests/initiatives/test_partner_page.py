"""A partner's own page: its values against the initiative's, its performance measures, what
it owes, its activities and commitments — each for the readers allowed to see it, with the
initiative's figures exactly as the Board publishes them to that reader."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone.activities.models import Activity
from backbone.advocacy.models import Commitment
from backbone.dashboards.scorecard import Board
from backbone.initiatives.models import Partner
from backbone.initiatives.partner_page import (
    Figure,
    is_part_of_whole,
    partner_page,
    partner_series,
    share_of,
)
from backbone.measurement import aggregation as engine
from backbone.measurement import selectors as measurement
from backbone.measurement.completeness.selectors import completeness
from backbone.measurement.models import Indicator, Period
from backbone.measurement.services_setup import period_close
from tests.assignments import assign_every_partner
from tests.budgets import NAVIGATION_QUERIES
from tests.conftest import Cast
from tests.dashboards.conftest import (  # noqa: F401 (fixtures)
    Reference,
    setting,
    setting_snapshot,
)
from tests.measurement.conftest import make_dimension, make_indicator, make_period
from tests.measurement.engine.conftest import row, submit

pytestmark = pytest.mark.integration

URL = "/i/riverton/partners/{}/"
SEES_VALUES = ["staff", "evaluator", "steward_a", "member_a"]
SEES_NO_VALUES = ["steward_b", "funder", "community", "public", "anonymous"]
# Partner A's own values, chosen so that none of them turns up on a page by chance.
SERVED_A = {"2024-01": 4101, "2024-02": 4203, "2024-03": 4817, "2024-04": 5003}
SERVED_B = {"2024-01": 1302, "2024-02": 1405, "2024-03": 1511, "2024-04": 1617}
READY_A = {"2024-01": (611, 900), "2024-02": (633, 900), "2024-03": (587, 800)}
READY_B = {"2024-01": (212, 300), "2024-02": (230, 300), "2024-03": (241, 300)}
WAIT_A = {"2024-01": ("38.5", 120), "2024-02": ("36.2", 130), "2024-03": ("33.9", 125)}
WAIT_B = {"2024-01": ("41.7", 90), "2024-02": ("44.1", 95), "2024-03": ("40.3", 88)}
CHILDREN_A = {"n1": 1234, "n2": 2345}  # March, by area
CHILDREN_B = 3  # March, a total without areas: a small stand-in hides the initiative's total


@dataclass
class Scene:
    cast: Cast
    months: list[Period]  # January to March closed, April open
    served: Indicator  # how much: a count
    ready: Indicator  # better off: a rate
    waiting: Indicator  # how well: an average weighted by n, lower is better
    children: Indicator  # population: a count by area

    @property
    def indicators(self) -> list[Indicator]:
        return [self.served, self.ready, self.waiting, self.children]


def _write(scene: Scene) -> None:
    a, b = scene.cast.partner_a, scene.cast.partner_b
    rows = []
    for p in scene.months:
        rows += [
            row(scene.served, p, a, value=SERVED_A[p.code]),
            row(scene.served, p, b, value=SERVED_B[p.code]),
        ]
        if p.code in READY_A:
            (na, da), (nb, db) = READY_A[p.code], READY_B[p.code]
            rows += [
                row(scene.ready, p, a, numerator=na, denominator=da),
                row(scene.ready, p, b, numerator=nb, denominator=db),
                row(scene.waiting, p, a, value=WAIT_A[p.code][0], weight=WAIT_A[p.code][1]),
                row(scene.waiting, p, b, value=WAIT_B[p.code][0], weight=WAIT_B[p.code][1]),
            ]
    march = scene.months[2]
    rows += [row(scene.children, march, a, {"area": k}, value=v) for k, v in CHILDREN_A.items()]
    rows.append(row(scene.children, march, b, value=CHILDREN_B))
    submit(scene, rows)


@pytest.fixture
def scene(cast) -> Scene:
    i = cast.initiative
    i.visibility = "public"
    i.small_number_threshold = 10
    i.save()
    area = make_dimension(i, "area", "Area", ["n1", "n2"], is_geography=True)
    months = [make_period(i, "month", date(2024, m, 1)) for m in (1, 2, 3, 4)]
    for p in months:
        p.due = p.end + timedelta(days=15)
        p.save()
    monthly = {"frequency": "month"}
    found = Scene(
        cast=cast,
        months=months,
        served=make_indicator(i, "served", "sum", unit="count", kind="how_much", **monthly),
        ready=make_indicator(i, "ready", "rate", unit="percent", kind="better_off", **monthly),
        waiting=make_indicator(
            i, "waiting", "weighted", unit="score", kind="how_well", direction="down", **monthly
        ),
        children=make_indicator(i, "children", "sum", (area,), unit="count", **monthly),
    )
    assign_every_partner(i)
    _write(found)
    for p in months[:3]:
        period_close(period=p, by=cast.staff)
    Activity.objects.create(
        initiative=i, partner=cast.partner_a, name="Homework club", starts_on=date(2024, 1, 8)
    )
    Activity.objects.create(
        initiative=i, partner=cast.partner_b, name="Weekend meals", starts_on=date(2024, 1, 8)
    )
    Commitment.objects.create(
        initiative=i,
        partner=cast.partner_a,
        kind="staff_time",
        description="Two librarians for the reading campaign",
        starts_on=date(2024, 1, 1),
    )
    return found


def page_for(scene: Scene, role: str, partner: Partner | None = None):
    partner = partner or scene.cast.partner_a
    return partner_page(
        initiative=scene.cast.initiative, partner=partner, person=scene.cast.person(role)
    )


def with_dimensions(scene: Scene) -> list[Indicator]:
    return measurement.indicators_of(scene.cast.initiative)


def contribution(page, indicator: Indicator):
    return next(c for c in page.contributions if c.indicator.pk == indicator.pk)


def own_numbers() -> set[str]:
    """Every figure of partner A's own, as a page would write it."""
    found = set()
    for n in [*SERVED_A.values(), *CHILDREN_A.values(), sum(CHILDREN_A.values())]:
        found |= {f"{n:,}", str(n)}
    for num, den in READY_A.values():
        found.add(f"{Decimal(num) * 100 / den:.1f}%")
    found |= {v for v, _ in WAIT_A.values()}
    return found


#: Addresses and names of things carry row ids, and tokens (CSRF, nonces) random digits: none
#: is a figure, and on a database whose ids run into the thousands one may read like one.
NOT_FIGURES = re.compile(r'\b(?:href|action|src|id|for|name|nonce|hx-[a-z]+)="[^"]*"')
FIGURE = re.compile(r"(?<![\w.,-])\d[\d,.]*%?(?![\w])")


def figures_in(html: str) -> set[str]:
    """Every number the page shows a reader or keeps in an attribute other than an address,
    a name or a token."""
    return set(FIGURE.findall(NOT_FIGURES.sub(" ", html)))


# --- who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize("role", SEES_VALUES)
def test_people_who_may_read_the_partners_data_see_its_figures(scene, as_role, role):
    response = as_role(role).get(URL.format(scene.cast.org_a.slug))
    page = response.context["page"]
    assert response.status_code == 200
    assert {c.indicator.pk for c in page.contributions} == {i.pk for i in scene.indicators}
    assert page.questions is not None and page.owed is not None
    assert f"{SERVED_A['2024-03']:,}" in response.text
    assert figures_in(response.text) & own_numbers()  # what the next test looks for is found


@pytest.mark.parametrize("role", SEES_NO_VALUES)
def test_no_number_of_the_partners_own_reaches_a_reader_who_may_not_see_them(scene, as_role, role):
    response = as_role(role).get(URL.format(scene.cast.org_a.slug))
    page = response.context["page"]
    assert response.status_code == 200
    assert page.contributions is None and page.questions is None and page.owed is None
    assert not figures_in(response.text) & own_numbers()


@pytest.mark.parametrize(
    ("role", "activities", "commitments"),
    [
        ("staff", True, True),
        ("steward_a", True, True),
        ("steward_b", True, True),
        ("funder", True, True),
        ("community", True, True),
        ("public", True, False),
        ("anonymous", True, False),
    ],
)
def test_activities_and_commitments_show_to_those_who_may_see_them(
    scene, as_role, role, activities, commitments
):
    response = as_role(role).get(URL.format(scene.cast.org_a.slug))
    assert ("Homework club" in response.text) is activities
    assert "Weekend meals" not in response.text  # partner B's
    activity = Activity.objects.get(name="Homework club")
    assert (f"/i/riverton/activities/{activity.uuid}/" in response.text) is activities
    assert ("Two librarians for the reading campaign" in response.text) is commitments
    if commitments:
        commitment = Commitment.objects.get()
        link = f"/i/riverton/advocacy/commitments/{scene.cast.org_a.slug}/#c-{commitment.uuid}"
        assert link in response.text


def test_a_private_initiatives_partner_page_is_not_found_for_outsiders(scene, as_role):
    scene.cast.initiative.visibility = "members"
    scene.cast.initiative.save()
    assert as_role("anonymous").get(URL.format(scene.cast.org_a.slug)).status_code == 404
    assert as_role("public").get(URL.format(scene.cast.org_a.slug)).status_code == 404


# --- against the initiative ------------------------------------------------------------------


def test_a_count_shows_its_share_of_the_initiatives_figure(scene):
    found = contribution(page_for(scene, "steward_a"), scene.served)
    assert found.period.code == "2024-03"  # the latest closed period, not the open April
    assert found.own == Figure(Decimal(SERVED_A["2024-03"]))
    assert found.overall == Figure(Decimal(SERVED_A["2024-03"] + SERVED_B["2024-03"]))
    assert found.share == (found.own.value / found.overall.value).quantize(Decimal("0.0001"))


def test_a_rate_is_shown_beside_the_initiatives_rate_not_as_a_share(scene):
    found = contribution(page_for(scene, "steward_a"), scene.ready)
    (na, da), (nb, db) = READY_A["2024-03"], READY_B["2024-03"]
    assert not found.is_part_of_whole and found.share is None
    assert found.own.value == (Decimal(na) * 100 / da).quantize(Decimal("0.000001"))
    assert found.overall.value == (Decimal(na + nb) * 100 / (da + db)).quantize(Decimal("0.000001"))


def test_a_reader_with_the_initiatives_figure_hidden_gets_neither_it_nor_a_share(scene, as_role):
    page = page_for(scene, "steward_a")
    found = contribution(page, scene.children)
    board = Board.read(scene.cast.initiative, with_dimensions(scene), shows_small=False)
    assert board.total_hidden(scene.children, scene.months[2])  # the Board hides it too
    assert found.own == Figure(Decimal(sum(CHILDREN_A.values())))
    assert found.overall == Figure(None, hidden=True)
    assert found.share is None
    total = sum(CHILDREN_A.values()) + CHILDREN_B
    html = as_role("steward_a").get(URL.format(scene.cast.org_a.slug)).text
    assert f"{total:,}" not in html and str(total) not in html
    cells = re.search(r"Children</a>.*?</tr>", html, re.S).group(0)
    assert "hidden" in cells and "%" not in cells


def test_those_who_see_small_numbers_get_the_figure_and_the_share(scene):
    found = contribution(page_for(scene, "staff"), scene.children)
    total = Decimal(sum(CHILDREN_A.values()) + CHILDREN_B)
    assert found.overall == Figure(total)
    assert found.share == (found.own.value / total).quantize(Decimal("0.0001"))


def test_the_initiatives_figure_is_the_boards_for_every_reader(scene):
    for role in SEES_VALUES:
        page = page_for(scene, role)
        board = Board.read(
            scene.cast.initiative, with_dimensions(scene), shows_small=page.shows_small
        )
        for c in page.contributions:
            hidden = board.total_hidden(c.indicator, c.period)
            published = board.totals[c.indicator.pk][c.period.pk].value
            assert c.overall == (Figure(None, True) if hidden else Figure(published)), (role, c)


def test_a_share_is_only_shown_where_both_figures_are_shown_and_add_up():
    count = Indicator(aggregation="sum", unit="count")
    rate = Indicator(aggregation="rate", unit="percent")
    average = Indicator(aggregation="weighted", unit="score")
    ten, forty = Figure(Decimal(10)), Figure(Decimal(40))
    assert share_of(count, ten, forty) == Decimal("0.25")
    assert share_of(count, ten, Figure(None, hidden=True)) is None
    assert share_of(count, Figure(None, hidden=True), forty) is None
    assert share_of(count, ten, None) is None
    assert share_of(count, forty, ten) is None  # more than the whole is no share
    assert share_of(count, ten, Figure(Decimal(0))) is None
    assert share_of(rate, ten, forty) is None and share_of(average, ten, forty) is None
    assert is_part_of_whole(Indicator(aggregation="stock", unit="count"))
    assert is_part_of_whole(Indicator(aggregation="cumulative", unit="currency"))


# --- the partner's values, counted again -------------------------------------------------------


def test_the_partners_values_are_the_engines_and_a_recount_of_the_rows(setting):  # noqa: F811
    """On generated reports (cells, totals standing in for them, partial cells, every status),
    each partner's value per period is `engine.series` for that partner and a recount of the
    stored rows in pandas."""
    initiative = setting.cast.initiative
    indicators = measurement.indicators_of(initiative)
    layout = engine.Layout(initiative.pk)
    reference = Reference(setting)
    compared = 0
    for partner in setting.partners:
        found = partner_series(indicators, partner=partner, periods=setting.months, layout=layout)
        for ind in indicators:
            points = engine.series(ind, periods=setting.months, partners=[partner], layout=layout)
            for period, result in points:
                mine = found.get(ind.pk, {}).get(period.pk, engine.NO_DATA)
                assert mine == result, (partner, ind.code, period.code)
                counted = reference.by_partner(ind, period).get(partner.pk, (None, None))[0]
                assert mine.value == counted, (partner, ind.code, period.code)
                compared += not mine.is_gap
    assert compared > 50


def test_the_partners_count_is_a_plain_sum_of_its_approved_rows(scene):
    page = page_for(scene, "staff")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(value) FROM measurement_datavalue "
            "WHERE partner_id = %s AND indicator_id = %s AND period_id = %s AND status = %s",
            [scene.cast.partner_a.pk, scene.served.pk, scene.months[2].pk, "approved"],
        )
        (summed,) = cursor.fetchone()
        cursor.execute(
            "SELECT SUM(value) FROM measurement_datavalue "
            "WHERE indicator_id = %s AND period_id = %s AND status = %s",
            [scene.served.pk, scene.months[2].pk, "approved"],
        )
        (everyone,) = cursor.fetchone()
    found = contribution(page, scene.served)
    assert found.own.value == Decimal(str(summed))
    assert found.overall.value == Decimal(str(everyone))


# --- performance measures ------------------------------------------------------------------


def test_performance_measures_sit_under_the_three_questions(scene):
    page = page_for(scene, "steward_a")
    assert [q.title for q in page.questions] == [
        "How much did we do?",
        "How well did we do it?",
        "Is anyone better off?",
    ]
    for q in page.questions:
        assert all(m.indicator.kind == q.kind for m in q.measures)
    placed = {m.indicator.pk for q in page.questions for m in q.measures}
    assert placed == {scene.served.pk, scene.ready.pk, scene.waiting.pk}  # not the population


def test_a_measures_trend_is_good_or_bad_by_its_direction_of_good(scene):
    page = page_for(scene, "steward_a")
    for measure in (m for q in page.questions for m in q.measures):
        latest, prior = measure.latest.figure.value, measure.prior.figure.value
        assert measure.latest.period.code == "2024-03" and measure.prior.period.code == "2024-02"
        went_up = latest > prior
        assert measure.trend.direction == ("up" if went_up else "down")
        assert measure.trend.better is (went_up == (measure.indicator.direction == "up"))
    waiting = next(m for q in page.questions for m in q.measures if m.indicator == scene.waiting)
    assert waiting.trend.direction == "down" and waiting.trend.better  # lower is better


def test_a_small_own_value_is_hidden_and_draws_no_trend(scene):
    """As on the indicator page, a partner's value from fewer people than the threshold is
    hidden from readers without the small-numbers right; no trend is drawn to it."""
    april = scene.months[3]
    submit(scene, [row(scene.ready, april, scene.cast.partner_a, numerator=2, denominator=3)])
    period_close(period=april, by=scene.cast.staff)
    steward = page_for(scene, "steward_a")
    ready = next(m for q in steward.questions for m in q.measures if m.indicator == scene.ready)
    assert ready.latest.period == april and ready.latest.figure == Figure(None, hidden=True)
    assert ready.trend is None
    assert contribution(steward, scene.ready).own.hidden
    staff = page_for(scene, "staff")
    assert contribution(staff, scene.ready).own.value == Decimal("66.666667")


# --- what it owes ------------------------------------------------------------------------------


def test_what_it_owes_is_the_completeness_apps_figures(scene):
    page = page_for(scene, "steward_a")
    found = completeness(initiative=scene.cast.initiative, partner=scene.cast.partner_a)
    assert page.owed.figures == found.by_partner[scene.cast.partner_a.pk]
    owed = [p for p, _ in found.by_period_reports()]
    assert [p for p, _ in page.owed.periods] == owed[: len(page.owed.periods)]
    assert len(page.owed.periods) + page.owed.more_periods == len(owed)
    for period, figures in page.owed.periods:
        reports = [r for r in found.reports if r.period == period]
        assert figures.expected == len(reports)
        assert figures.received == sum(r.is_received for r in reports)
        assert figures.late == sum(r.is_late for r in reports)
        assert figures.returned == sum(r.state == "returned" for r in reports)


@pytest.mark.parametrize(
    ("role", "link"), [("steward_a", True), ("member_a", True), ("staff", False)]
)
def test_the_reporting_page_is_linked_for_those_who_may_report(scene, as_role, role, link):
    html = as_role(role).get(URL.format(scene.cast.org_a.slug)).text
    assert ("/i/riverton/measurement/report/?partner=riverton-public-library" in html) is link
    assert f"/i/riverton/completeness/{scene.cast.org_a.slug}/" in html


# --- cost ----------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    """The queries of a first reader: nothing of the dashboards' answers in the cache."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_costs_the_same_queries_however_many_indicators_and_periods(scene, as_role):
    url = URL.format(scene.cast.org_a.slug)
    first = _queries(as_role("steward_a"), url)
    i = scene.cast.initiative
    more = [make_period(i, "month", date(2023, m, 1)) for m in (9, 10, 11, 12)]
    extra = [
        make_indicator(i, f"extra-{n}", "sum", unit="count", kind="how_much", frequency="month")
        for n in range(4)
    ]
    submit(
        scene,
        [
            row(ind, p, partner, value=100 + n)
            for n, ind in enumerate(extra)
            for p in more
            for partner in (scene.cast.partner_a, scene.cast.partner_b)
        ],
    )
    page = page_for(scene, "steward_a")
    assert len(page.contributions) == len(scene.indicators) + len(extra)
    assert _queries(as_role("steward_a"), url) == first


@pytest.mark.parametrize("role", ["staff", "steward_a", "steward_b", "anonymous"])
def test_the_page_stays_within_its_query_budget(
    scene, as_role, role, django_assert_max_num_queries
):
    client = as_role(role)
    cache.clear()
    with django_assert_max_num_queries(32 + NAVIGATION_QUERIES):
        assert client.get(URL.format(scene.cast.org_a.slug)).status_code == 200
