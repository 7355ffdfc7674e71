"""A signal's figures are a sentence in the reader's language: "3 sur 5 réunions", never
"3 of 5 meetings" on a French page. `unit` stays the key the API gives."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from backbone.health.signals import NONE_TO_COUNT, OF_WHOLE, SO_FAR, Signal, all_signals

pytestmark = pytest.mark.integration

LANGUAGES = ["es", "fr"]


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text.lower()))


def signal(unit: str, part, whole, basis=None, basis_unit="") -> Signal:
    return Signal(
        key="k",
        label="k",
        share=None if not whole else float(part) / float(whole),
        numerator=part,
        denominator=whole,
        unit=unit,
        period="",
        basis=basis,
        basis_unit=basis_unit,
    )


#: The English of each unit's sentences, which no translation keeps.
ENGLISH = words(
    " ".join(str(m) for m in [*NONE_TO_COUNT.values()])
    + " of so far counts from partners reports strategies activities months sectors meetings"
    " roles open expected active attendance with"
) - {"no"}  # "no" is Spanish too


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("whole", [1, 2, 0])
def test_every_unit_is_written_in_the_readers_language(language, whole):
    with translation.override(language):
        for unit in OF_WHOLE:
            found = signal(unit, min(whole, 1), whole).figures
            assert found and not words(found) & ENGLISH, (unit, whole, found)
        for basis_unit in SO_FAR:
            found = signal("partners", 0, 1, basis=whole, basis_unit=basis_unit).wanting
            assert found and not words(found) & ENGLISH, (basis_unit, whole, found)


def test_english_counts_its_nouns():
    assert signal("meetings", 1, 1).figures == "1 of 1 meeting"
    assert signal("meetings", 2, 3).figures == "2 of 3 meetings"
    assert signal("meetings", 0, 1, basis=1, basis_unit="open meetings").wanting.startswith(
        "1 open meeting so far"
    )


@pytest.mark.parametrize(
    "language, expected",
    [("en", "USD 40,000 of 60,000"), ("fr", "40\u202f000 sur 60\u202f000 USD")],
)
def test_money_is_written_as_the_reader_writes_it(language, expected):
    with translation.override(language):
        found = signal("USD", Decimal("40000"), Decimal("60000")).figures
    assert found.replace("\xa0", "\u202f") == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_signal_of_an_initiative_reads_in_the_readers_language(framed, language):
    """Whatever the signals find, what they say has none of the units' English."""
    with translation.override(language):
        found = all_signals(initiative=framed.initiative, today=timezone.localdate())
        said = {key: f"{s.figures} {s.wanting}" for key, s in found.items()}
    assert {key: text for key, text in said.items() if words(text) & ENGLISH} == {}
