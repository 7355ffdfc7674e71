"""`import_file`: the whole import of a file, from its name and size to the intake's record,
the reader, the column map and the rows tied together under a time limit."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from time import monotonic
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backbone.initiatives.models import Initiative, Partner

from ...intake import MAX_PROBLEMS_KEPT, Catalogue, Intake
from ...intake.set_checks import check_staged
from ...intake.set_writing import write_staged
from ...intake.sets import LOOKUPS, Layout, Unsure
from ...intake.staging import STAGE, drop, stage_csv, stage_rows
from ...models import Dimension, Submission
from ...problems import IntakeRefused, Problem
from .columns import ColumnMap, column_map
from .csv_reader import CsvReader
from .limits import check_size, reading_seconds
from .problems import Problems
from .rows import period_problem, reported_rows
from .xlsx_reader import XlsxReader

CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}


def _binary(source: Any) -> IO[bytes]:
    """The plain binary stream under an uploaded file (Django wraps it once or twice)."""
    while not isinstance(source, io.IOBase) and hasattr(source, "file"):
        source = source.file
    return source


def file_kind(file_name: str) -> str:
    """ "csv" or "xlsx" by the name's extension; IntakeRefused for anything else."""
    suffix = Path(file_name).suffix.lower()
    if suffix in CSV_EXTENSIONS:
        return "csv"
    if suffix in XLSX_EXTENSIONS:
        return "xlsx"
    if suffix == ".xls":
        reason = _("old Excel files (.xls) are not read: save it as “Excel Workbook (.xlsx)”")
    else:
        reason = _("only CSV (.csv) and Excel (.xlsx) files are read")
    raise IntakeRefused([Problem(reason, file_name)])


def open_reader(binary: IO[bytes], *, kind: str, problems: Problems) -> CsvReader | XlsxReader:
    return (CsvReader if kind == "csv" else XlsxReader)(binary, problems=problems)


def import_file(
    *,
    initiative: Initiative,
    by,
    partner: Partner | None = None,
    many_partners: bool = False,
    uploaded_file=None,
    path: str | os.PathLike | None = None,
    file_name: str = "",
    correction_reason: str = "",
    status: str = Submission.Status.SUBMITTED,
    narrative: str = "",
) -> Submission:
    """Read a CSV or Excel file of values and hand it to the intake: every value is written,
    in one transaction, or none is and IntakeRefused lists every problem (file, row,
    column, reason). The caller has checked that `by` may report for `partner` (or, with
    `many_partners`, for every partner) and may give a `correction_reason`."""
    if (uploaded_file is None) == (path is None):
        raise ValueError("Give either an uploaded file or a path.")
    if uploaded_file is not None:
        name, size = file_name or uploaded_file.name or "", uploaded_file.size
    else:
        name, size = file_name or Path(path).name, os.stat(path).st_size
    name = Path(name or "values.csv").name
    kind = file_kind(name)
    check_size(size, name)
    intake = Intake(
        initiative=initiative,
        by=by,
        channel=kind,
        partner=partner,
        many_partners=many_partners,
        file_name=name,
        correction_reason=correction_reason,
        catalogue=Catalogue(initiative),
    )
    if uploaded_file is not None:
        uploaded_file.seek(0)
        binary = _binary(uploaded_file)
        submission = _staged(binary, kind=kind, intake=intake, status=status, narrative=narrative)
        if submission is not None:
            return submission
        binary.seek(0)
        checked = _check(binary, kind=kind, intake=intake)
    else:
        with open(path, "rb") as binary:
            submission = _staged(
                binary, kind=kind, intake=intake, status=status, narrative=narrative
            )
            if submission is not None:
                return submission
            binary.seek(0)
            checked = _check(binary, kind=kind, intake=intake)
    return intake.record(checked, status=status, narrative=narrative)


def _staged(
    binary: IO[bytes], *, kind: str, intake: Intake, status: str, narrative: str
) -> Submission | None:
    """The set-based intake (`intake.sets`), where it can take the file: a CSV file or an
    Excel sheet, not a correction of closed periods. None where it leaves the file to the
    row reader, which then reads it from the start, names every problem, or writes it row
    by row."""
    if intake.correction_reason:
        return None
    problems = Problems(intake.file_name)
    try:
        reader = open_reader(binary, kind=kind, problems=problems)
    except IntakeRefused:
        return None  # the row reader refuses it in the same words
    try:
        try:
            columns = _columns(reader, intake, problems)
        except IntakeRefused:
            return None  # the row reader refuses it in the same words
        width = len(reader.header)
        with transaction.atomic():
            if kind == "csv":
                reader.close()
                staged = stage_csv(
                    binary, encoding=reader.encoding, delimiter=reader.delimiter, width=width
                )
            else:  # the sheet's rows as the row reader reads them, under its time limit
                rows = _before(monotonic() + reading_seconds(), iter(reader), problems=problems)
                staged = stage_rows(
                    ([cells.get(name, "") for name in reader.header] for _, cells in rows),
                    width=width,
                )
            if not staged or problems.count:
                raise Unsure
            layout = Layout.of(
                reader.header,
                fields=columns.fields,
                dimensions=columns.dimensions,
                unnamed=columns.unnamed,
            )
            check_staged(intake, layout, period_problem=period_problem)
            submission = write_staged(intake, status=status, narrative=narrative)
            drop(STAGE, *LOOKUPS)
            return submission
    except Unsure:
        return None
    finally:
        reader.close()


def _columns(reader: CsvReader | XlsxReader, intake: Intake, problems: Problems) -> ColumnMap:
    """Which of the file's columns carries which field or dimension of the initiative."""
    keys = Dimension.objects.filter(initiative=intake.initiative).values_list("key", flat=True)
    return column_map(
        reader.header,
        dimension_keys=list(keys),
        many_partners=intake.many_partners,
        problems=problems,
    )


def _before(
    deadline: float, rows: Iterator[tuple[int, dict[str, str]]], *, problems: Problems
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows, until the time to read the file runs out: then it is refused, naming the
    row reached, rather than holding the request (and a server worker) for longer."""
    for count, (number, cells) in enumerate(rows):
        if not count & 1023 and monotonic() > deadline:
            seconds = reading_seconds()
            raise problems.refuse(
                ngettext(
                    "reading the file took longer than %(seconds)s second and stopped here: "
                    "split it into smaller files",
                    "reading the file took longer than %(seconds)s seconds and stopped here: "
                    "split it into smaller files",
                    seconds,
                )
                % {"seconds": seconds},
                number,
            )
        yield number, cells


def _check(binary: IO[bytes], *, kind: str, intake: Intake) -> list:
    """The intake's checked rows; IntakeRefused with the reader's and the intake's problems
    together, in row order."""
    problems = Problems(intake.file_name)
    deadline = monotonic() + reading_seconds()
    reader = open_reader(binary, kind=kind, problems=problems)
    try:
        columns = _columns(reader, intake, problems)
        rows = _before(deadline, iter(reader), problems=problems)
        checked = intake.check(reported_rows(rows, columns=columns, problems=problems))
    finally:
        reader.close()
    if problems.count:
        # rows refused here never reached the intake: its "no data rows" would mislead
        no_rows = _("no values: the file has no data rows")  # the intake's words
        found = [p for p in intake.problems if not (p.row is None and p.reason == no_rows)]
        merged = sorted([*problems.items, *found], key=lambda p: p.row or 0)
        total = problems.count + intake.problem_count - (len(intake.problems) - len(found))
        raise IntakeRefused(merged[:MAX_PROBLEMS_KEPT], total)
    if intake.problem_count:
        raise IntakeRefused(intake.problems, intake.problem_count)
    return checked
