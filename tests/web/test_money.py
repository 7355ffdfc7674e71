"""Money as every page writes it: grouped, its currency code in front, cents only when there
are some, a true minus sign, a dash for no amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from backbone.money import format_money

pytestmark = pytest.mark.unit

NB = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        (Decimal("420000.00"), "USD", f"USD{NB}420,000"),
        (Decimal("355000"), "USD", f"USD{NB}355,000"),
        (Decimal("1234.5"), "EUR", f"EUR{NB}1,234.50"),
        (Decimal("180472.456"), "USD", f"USD{NB}180,472.46"),
        (Decimal("0.005"), "USD", f"USD{NB}0.01"),  # halves round up, as the reports do
        (Decimal("-1500"), "USD", f"USD{NB}\u22121,500"),
        (Decimal("-0.75"), "GBP", f"GBP{NB}\u22120.75"),
        (Decimal("-0.001"), "USD", f"USD{NB}0"),  # never "−0"
        (Decimal("0"), "USD", f"USD{NB}0"),
        (Decimal("0.00"), "USD", f"USD{NB}0"),
        (Decimal("12345678901234.56"), "USD", f"USD{NB}12,345,678,901,234.56"),
        (10**15, "JPY", f"JPY{NB}1,000,000,000,000,000"),
        (2500, "usd", f"USD{NB}2,500"),
        (99.99, "USD", f"USD{NB}99.99"),
        ("1000", "USD", f"USD{NB}1,000"),
        (Decimal("420000.00"), "", "420,000"),
        (Decimal("420000.00"), None, "420,000"),
    ],
)
def test_format_money_writes_amounts_the_one_way(amount, currency, written):
    assert format_money(amount, currency) == written


@pytest.mark.parametrize("missing", [None, ""])
def test_format_money_writes_a_dash_for_no_amount(missing):
    assert format_money(missing, "USD") == "–"


@pytest.mark.parametrize("odd", ["n/a", "NaN", "Infinity"])
def test_format_money_leaves_what_is_not_a_number_as_it_was(odd):
    assert format_money(odd, "USD") == odd


def test_money_filter_writes_what_the_function_writes():
    page = Template("{% load money %}{{ a|money:c }} · {{ none|money:c }} · {{ a|money }}").render(
        Context({"a": Decimal("240000.00"), "c": "USD", "none": None})
    )
    assert page == f"USD{NB}240,000 · – · 240,000"


@pytest.mark.parametrize(
    ("language", "amount", "written"),
    [
        ("fr", Decimal("1234.5"), f"EUR{NB}1\u202f234,50"),
        ("fr", Decimal("-420000"), f"EUR{NB}\u2212420\u202f000"),
        ("es", Decimal("1234567.25"), f"EUR{NB}1\u202f234\u202f567,25"),
    ],
)
def test_money_is_written_as_the_readers_language_writes_it(language, amount, written):
    """Grouping and decimal signs follow the reader's language; the code and sign do not."""
    with translation.override(language):
        found = format_money(amount, "EUR")
    assert found.replace("\xa0", "\u202f").replace("EUR\u202f", f"EUR{NB}") == written
