"""The results page's bars: each as long as its mean's place on the answers' scale, in the
tables' order and with the tables' figures; nothing drawn without means."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from backbone.assessments import charts, services
from backbone.assessments.models import Respondent
from backbone.assessments.scoring import Scale
from backbone.assessments.selectors import ComparisonTable, ElementResult
from backbone.charts import GRAPHIC_CONTRAST, declared_colours, least_contrast

from .conftest import answers_for, crowd, open_round, residents

STYLESHEET = Path(charts.__file__).parent / "static" / "assessments" / "assessments.css"
FIVE = Scale(key="agree", name="Agreement", points=tuple((n, str(n)) for n in range(1, 6)))


def element(key, mean, band) -> ElementResult:
    return ElementResult(
        key=key,
        name=key.title(),
        section="conditions",
        scale=FIVE,
        mean=None if mean is None else Fraction(mean),
        band=band,
        items=[],
    )


@pytest.mark.unit
def test_element_bars_start_at_the_lowest_answer_in_the_tables_order():
    weakest = [
        element("talk", "2.8", "concern"),
        element("empty", None, None),
        element("agenda", "3.8", "discuss"),
        element("backbone", "5", "strength"),
    ]
    chart = charts.element_bars(weakest, FIVE)
    assert [(r.name, r.bars[0].mean, r.bars[0].length, r.bars[0].css) for r in chart.rows] == [
        ("Talk", Decimal("2.8"), 45.0, "band-concern"),
        ("Agenda", Decimal("3.8"), 70.0, "band-discuss"),
        ("Backbone", Decimal("5.0"), 100.0, "band-strength"),
    ]
    assert chart.ticks == [1, 2, 3, 4, 5]
    assert chart.rows[0].bars[0].label == "Concern"  # the band named, not only coloured
    assert chart.summary.startswith("Talk: Concern 2.8; Agenda: Worth discussing 3.8")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("weakest", "scale"),
    [([], FIVE), ([element("talk", None, None)], FIVE), ([element("talk", "3", "discuss")], None)],
)
def test_element_bars_are_none_without_a_mean_or_a_scale(weakest, scale):
    assert charts.element_bars(weakest, scale) is None


@pytest.mark.unit
def test_group_bars_draw_a_bar_per_group_and_skip_missing_means():
    table = ComparisonTable(
        columns=[("education", "Education", 12), ("community", "Community members", 11)],
        rows=[
            ("c.agenda", "Common agenda", [Decimal("4.2"), Decimal("2.7")], Decimal("1.5")),
            ("c.talk", "Continuous communication", [Decimal("3.0"), None], None),
        ],
        hidden=[],
    )
    chart = charts.group_bars(table, FIVE)
    assert [[(b.label, b.length, b.css) for b in r.bars] for r in chart.rows] == [
        [("Education", 80.0, "series-0"), ("Community members", 42.5, "series-1")],
        [("Education", 50.0, "series-0")],
    ]
    assert chart.grouped and chart.legend == [
        ("series-0", "Education"),
        ("series-1", "Community members"),
    ]


@pytest.mark.unit
def test_group_bars_need_two_groups():
    one = ComparisonTable(columns=[("education", "Education", 12)], rows=[], hidden=[])
    assert charts.group_bars(one, FIVE) is None


@pytest.mark.unit
def test_band_colours_stand_out_and_match_the_stylesheet():
    declared = declared_colours(STYLESHEET, "band-")
    for band, colour in charts.BAND_COLOURS.items():
        assert declared[band] == colour
        assert least_contrast(colour) >= GRAPHIC_CONTRAST, band


@pytest.mark.integration
def test_results_page_draws_the_tables_means(cast, initiative, questionnaires, as_role):
    crowd(initiative, sector="education", n=2, organisation=cast.org_a)
    crowd(initiative, sector="nonprofit", n=2, organisation=cast.org_b)
    residents(initiative, 2)
    found = open_round(initiative, questionnaires["conditions"], title="How are we doing?")
    for n, respondent in enumerate(Respondent.objects.filter(round=found).order_by("pk")):
        value = 2 if respondent.role == "community_member" else 3 + n % 3
        services.response_submit(
            round=found, person=respondent.person, answers=answers_for(found, value)
        )
    services.round_close(round=found)
    response = as_role("staff").get(f"/i/riverton/assessments/rounds/{found.uuid}/results/")
    html = response.content.decode()
    computed = response.context["found"]
    chart = response.context["chart"]
    scored = [e for e in computed.weakest if e.shown_mean is not None]
    assert [(r.name, r.bars[0].mean) for r in chart.rows] == [
        (e.name, e.shown_mean) for e in scored
    ]
    drawn = re.findall(r'<rect class="band-(\w+)" width="([\d.]+)"', html)
    assert drawn == [
        (e.band, str(r.bars[0].length)) for e, r in zip(scored, chart.rows, strict=True)
    ]
    assert 'id="elements-chart" role="img"' in html and 'id="groups-chart" role="img"' in html
    assert "chart.umd" not in html and "<script src" not in html.split("</head>")[1]
