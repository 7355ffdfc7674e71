from decimal import Decimal

import pytest

from backbone.measurement.numbers import as_text, as_typed_in, on_page, parse_number, places

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("1,234", 1234),
        ("1,234.5", Decimal("1234.5")),
        ("45.5%", Decimal("45.5")),
        ("-3", -3),
        ("\u22123.5", Decimal("-3.5")),  # copied from a page, which writes a true minus
        (".5", Decimal("0.5")),
        ("1e3", 1000),
        ("", None),
        (None, None),
        (7, 7),
        (0.1, Decimal("0.1")),
    ],
)
def test_parse_number_reads_what_people_type(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["ten", "1,23", "12a", "1.2.3", "--1", "1e99", "nan", True])
def test_parse_number_refuses_the_rest(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("0.0000004", "0"),
        ("0.0000005", "0.000001"),  # half away from zero, as PostgreSQL rounds
        (-0.0000005, "-0.000001"),
        (Decimal("1.23456789"), "1.234568"),
        (0.1 + 0.2, "0.3"),
        ("99999999999999.999999", "99999999999999.999999"),
    ],
)
def test_parse_number_gives_the_number_rounded_as_it_is_kept(given, kept):
    assert parse_number(given) == Decimal(kept)


@pytest.mark.parametrize(
    "number",
    [
        10**14,
        -(10**14),
        1e14,
        1e20,
        Decimal("1E+14"),
        "99999999999999.9999995",  # rounds up to 10^14
        Decimal("NaN"),
        float("nan"),
        Decimal("-Infinity"),
    ],
)
def test_parse_number_refuses_what_cannot_be_kept_whatever_its_type(number):
    with pytest.raises(ValueError):
        parse_number(number)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (Decimal("12"), "12"),
        (Decimal("12.500"), "12.5"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-0.0"), "0"),
        (Decimal("0.000001"), "0.000001"),
        (None, None),
    ],
)
def test_as_text_is_compact_and_exact(number, text):
    assert as_text(number) == text


def test_on_page_writes_a_true_minus_sign():
    assert (on_page("-12.5"), on_page("12.5"), on_page("0")) == ("\u221212.5", "12.5", "0")


def test_places_counts_decimals():
    assert (places("12"), places("0.25"), places("1.1234567")) == (0, 2, 7)


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [
        ("fr", "12,5", Decimal("12.5")),
        ("fr", "-0,25", Decimal("-0.25")),
        ("fr", "1\u202f234,5", Decimal("1234.5")),
        ("fr", "1 234", 1234),
        ("fr", "12,5 %", Decimal("12.5")),
        ("es", "1.234,5", Decimal("1234.5")),
        ("es", "12.5", Decimal("12.5")),  # a point still reads as the decimal point
        ("en", "1,234", 1234),  # in English the comma groups thousands
    ],
)
def test_a_number_typed_in_the_readers_format_reads_as_they_mean_it(language, typed, read):
    assert parse_number(as_typed_in(typed, language)) == read


@pytest.mark.parametrize(
    ("language", "typed"),
    [("fr", "12,5,3"), ("fr", "1 23,5"), ("en", "12,5"), ("en", "1 234")],
)
def test_what_is_no_number_in_the_readers_format_is_still_refused(language, typed):
    with pytest.raises(ValueError, match="expected a number"):
        parse_number(as_typed_in(typed, language))
