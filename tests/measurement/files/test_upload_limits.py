"""Uploads that would hold a server: refused from what they declare before they are read
(the request's length, the sizes in a workbook's zip directory), and a file that takes too
long to read is refused where the time ran out. Nothing is written either way."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from backbone.measurement.files.reading import xlsx_reader
from backbone.measurement.models import Submission
from backbone.measurement.problems import IntakeRefused

from .conftest import BASE, ENROLLED, counts, csv_bytes, import_as_a, write_csv, write_xlsx

pytestmark = pytest.mark.integration

SHARED_STRINGS_REL = (
    b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def with_shared_strings(path, strings: list[bytes], *, repeat: int) -> None:
    """Give a workbook a shared-strings part of `strings` written `repeat` times: what a
    file that unpacks to far more than it weighs looks like inside."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", SHARED_STRINGS_REL)
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", SHARED_STRINGS_TYPE)
            out.writestr(info.filename, data)
        with out.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas')
            part.write(b'.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"".join(b"<si><t>%s</t></si>" % s for s in strings)
            for _ in range(repeat):
                part.write(chunk)
            part.write(b"</sst>")


def refusal(cast, path) -> str:
    with pytest.raises(IntakeRefused) as exc:
        import_as_a(cast, path)
    (problem,) = exc.value.problems
    assert problem.file == path.name
    return problem.reason


def test_a_workbook_that_unpacks_hundreds_of_times_its_size_is_refused_unread(
    cast, files, tmp_path
):
    before = counts()
    path = write_xlsx(tmp_path, "bomb.xlsx", ENROLLED)
    with_shared_strings(path, [b"padding"] * 1000, repeat=500)  # 11 MB in a few kilobytes
    assert path.stat().st_size < 100 * 1024
    reason = refusal(cast, path)
    assert reason.startswith("the workbook's part xl/sharedStrings.xml unpacks to 11.0 MB from")
    assert "which no sheet of values does" in reason
    assert counts() == before


def test_a_workbook_whose_text_cells_are_larger_than_read_is_refused(
    cast, files, tmp_path, monkeypatch
):
    """Shared strings are read whole before the first row, so they are capped even where
    they pack no better than text does."""
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS", 64 * 1024)
    path = write_xlsx(tmp_path, "notes.xlsx", ENROLLED)
    with_shared_strings(path, [b"note %d" % i for i in range(20_000)], repeat=1)
    reason = refusal(cast, path)
    assert reason.startswith("the workbook's text cells hold")
    assert "more than this site reads (64 KB)" in reason


def test_a_workbook_within_the_limits_is_read(cast, files, tmp_path):
    path = write_xlsx(tmp_path, "january.xlsx", ENROLLED)
    with_shared_strings(path, [b"note %d" % i for i in range(100)], repeat=1)
    assert import_as_a(cast, path).channel == "xlsx"


@override_settings(BACKBONE_UPLOAD_SECONDS=0)
def test_a_file_that_takes_longer_than_allowed_is_refused_where_reading_stopped(
    cast, files, tmp_path
):
    before = counts()
    path = write_csv(tmp_path, "slow.csv", ENROLLED * 3)
    reason = refusal(cast, path)
    assert reason == (
        "reading the file took longer than 0 seconds and stopped here: split it into smaller files"
    )
    assert counts() == before


@override_settings(BACKBONE_MAX_UPLOAD_MB=0.01)
def test_an_upload_declared_larger_than_allowed_is_refused_before_it_is_read(cast, files, as_role):
    content = csv_bytes(ENROLLED)
    response = as_role("steward_a").post(
        f"{BASE}/files/upload/",
        {"file": SimpleUploadedFile("values.csv", content), "action": "submit"},
        CONTENT_LENGTH=str(2 * 1024 * 1024),
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "Files up to 10 KB are read: split it into smaller files" in html
    assert "<h1>This file is too large</h1>" in html
    assert not Submission.objects.exists()
