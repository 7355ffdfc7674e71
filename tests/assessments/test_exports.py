"""A round's CSV files open in a spreadsheet as text: nothing a respondent typed, nor a
questionnaire text, comes out as a live formula."""

from __future__ import annotations

import csv
import io

import pytest

from backbone.assessments import services
from backbone.initiatives.roles import Role
from backbone.spreadsheets import FORMULA_STARTS

from .conftest import answers_for, open_round

pytestmark = pytest.mark.integration

COMMAND = '=cmd|"/c calc"!A1'


def _cells(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_answers_csv_neutralises_formulas_in_names_and_answers(
    cast, as_role, initiative, questionnaires
):
    cast.steward_a.name = "@SUM(1)"
    cast.steward_a.save()
    found = open_round(
        initiative, questionnaires["conditions"], roles=[Role.PARTNER_STEWARD], anonymous=False
    )
    services.response_submit(
        round=found, person=cast.steward_a, answers=answers_for(found, 2, activities_gaps=COMMAND)
    )

    response = as_role("evaluator").get(f"/i/riverton/assessments/rounds/{found.uuid}/answers.csv")

    cells = _cells(response)
    row = dict(zip(cells[0], cells[1], strict=True))
    assert (row["name"], row["activities_gaps"]) == ("'@SUM(1)", "'" + COMMAND)
    assert not [c for r in cells for c in r if c.startswith(FORMULA_STARTS)]


def test_results_csv_neutralises_formulas_in_questionnaire_texts(
    cast, as_role, initiative, questionnaires
):
    found = open_round(initiative, questionnaires["conditions"])
    first = next(i for i in found.questionnaire_data["items"] if i["type"] == "scale")
    first["text"] = "+1+1 agree?"
    found.save()
    for person in (cast.steward_a, cast.member_a, cast.steward_b):
        services.response_submit(round=found, person=person, answers=answers_for(found))
    services.round_close(round=found)

    response = as_role("staff").get(f"/i/riverton/assessments/rounds/{found.uuid}/results.csv")

    cells = _cells(response)
    assert "'+1+1 agree?" in {c for r in cells for c in r}
    assert not [c for r in cells for c in r if c.startswith(FORMULA_STARTS)]
