"""Reading a pasted list or a CSV file of partners: names, sectors in any spelling, dates,
and every problem named by its line and column."""

from datetime import date

import pytest

from backbone.initiatives.partner_lists import PartnerListError, lines_from_csv, lines_from_text

pytestmark = pytest.mark.unit


def test_a_pasted_list_reads_names_sectors_and_dates():
    lines = lines_from_text(
        "name, sector\n"
        "Eastgate Clinic, Health\n"
        "\n"
        "  riverton   ymca ,non-profit\n"
        '"Parks, Recreation and Culture", GOVERNMENT, 2025-03-01\n'
        "Lone Name\n"
    )
    assert [(x.line, x.name, x.sector, x.joined_on) for x in lines] == [
        (2, "Eastgate Clinic", "health", None),
        (4, "riverton ymca", "nonprofit", None),
        (5, "Parks, Recreation and Culture", "government", date(2025, 3, 1)),
        (6, "Lone Name", "", None),
    ]


def test_every_problem_of_a_pasted_list_names_its_line_and_column():
    with pytest.raises(PartnerListError) as caught:
        lines_from_text(
            "Eastgate Clinic, Health\n"
            "Parks, Recreation and Culture\n"
            "Riverton YMCA, nonprofit, 03/01/2025\n"
            "A, health, 2025-01-01, extra\n"
        )
    said = [str(p) for p in caught.value.problems]
    assert said[0].startswith("Line 2, sector: “Recreation and Culture” is not a sector")
    assert "double quotes" in said[0]
    assert said[1].startswith("Line 3, joined_on: “03/01/2025” is not a date")
    assert said[2].startswith("Line 4, name: more than three parts")


def test_a_csv_file_reads_by_its_header_whatever_the_order_and_separator():
    data = "\ufeffJoined on;Organisation;Sector;Size\n2024-05-01;Eastgate Clinic;health;small\n"
    (line,) = lines_from_csv(data.encode())
    assert (line.line, line.name, line.sector, line.joined_on) == (
        2,
        "Eastgate Clinic",
        "health",
        date(2024, 5, 1),
    )


def test_a_csv_file_problem_names_the_file_line():
    data = b"name,sector,joined_on\nEastgate Clinic,health,\n\nRiverton YMCA,church,\n"
    with pytest.raises(PartnerListError) as caught:
        lines_from_csv(data)
    (problem,) = caught.value.problems
    assert str(problem).startswith("Line 4, sector: “church” is not a sector")


@pytest.mark.parametrize(
    "data, said",
    [
        (b"organisation name,sector\nX,health\n", "Line 1, columns: no “name” column"),
        ("name\nCaf\u00e9".encode("latin-1"), "File: not UTF-8 text"),
    ],
)
def test_a_csv_file_that_cannot_be_read_says_why(data, said):
    with pytest.raises(PartnerListError) as caught:
        lines_from_csv(data)
    assert str(caught.value.problems[0]).startswith(said)
