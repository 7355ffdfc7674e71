"""`backbone report <initiative> --start --end --out`: the full report, as backbone staff
read it, written to a PDF file."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from backbone import cli
from backbone.reports.models import Report
from tests.conftest import make_initiative

from .conftest import PRIVATE_NOTE, SMALL_RATE, pdf_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_report_command_writes_the_full_report(quarter, tmp_path):
    out = tmp_path / "q2.pdf"
    said = StringIO()
    call_command(
        "report",
        "riverton",
        "--start",
        "2026-04-01",
        "--end",
        "2026-06-30",
        "--out",
        str(out),
        stdout=said,
    )
    text = pdf_text(out.read_bytes())
    assert "Progress report to funders, Q2 2026" in text
    assert "1. Common agenda" in text and "8. Learning" in text
    assert SMALL_RATE in text and PRIVATE_NOTE in text  # as backbone staff read it
    assert f"Wrote {out}" in said.getvalue()
    assert Report.objects.count() == 3  # the command saves no report of its own


def test_backbone_command_dispatches_report_to_django(quarter, tmp_path):
    out = tmp_path / "q2.pdf"
    args = ["report", "riverton", "--start", "2026-04-01", "--end", "2026-06-30"]
    assert cli.main([*args, "--out", str(out), "--title", "For the board"]) == 0
    assert "For the board" in pdf_text(out.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "--start", "2026-04-01", "--end", "2026-06-30"], "No initiative 'nowhere'"),
        (["riverton", "--start", "2026-04-01", "--end", "2026-03-31"], "cannot end before"),
        (["riverton", "--start", "1 April", "--end", "2026-06-30"], "write it as YYYY-MM-DD"),
        (
            ["riverton", "--start", "2026-04-01", "--end", "2026-06-30", "--as", "x@example.org"],
            "is not backbone staff",
        ),
    ],
)
def test_report_command_refuses_bad_input(cast, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, "--out", str(out))
    assert not out.exists()


def test_report_command_needs_someone_to_read_as(cast, tmp_path):
    make_initiative("harbour", "Harbour Collaborative")
    with pytest.raises(CommandError, match="no backbone staff"):
        call_command(
            "report", "harbour", "--start", "2026-04-01", "--end", "2026-06-30",
            "--out", str(tmp_path / "x.pdf"),
        )  # fmt: skip
