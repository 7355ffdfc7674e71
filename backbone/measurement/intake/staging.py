"""Staging a CSV file or an Excel sheet: its data rows, as text, in a temporary table of one
column per column of the file (an empty cell is '', never NULL), so that the set-based
intake (`intake.sets`) can check and write them in SQL.

PostgreSQL takes a CSV file's bytes by COPY, untouched by Python, wherever its CSV reading
and Python's agree: a file without a double quote (Python reads a quote inside a field as
text, PostgreSQL as the start of quoting) and without a `\\.` (the end of COPY's data).
Otherwise, and on SQLite, Python's csv reader — the one the row-by-row reader uses — reads
the rows and they go in by COPY or one prepared INSERT. An Excel sheet's rows go in the
same way, each cell as the Excel reader gives it to the row-by-row reader. Anything that
cannot be staged (a row longer than the header, a line COPY refuses) returns False: the
row-by-row reader then reads the file and says what is wrong, where.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO

from django.db import DatabaseError, connection, transaction

STAGE = "intake_stage"
CHUNK = 1 << 20
BATCH = 5000
ENCODINGS = {"utf-8-sig": "UTF8", "utf-8": "UTF8", "cp1252": "WIN1252"}


def column(i: int) -> str:
    """The staging table's name for the file's column at index `i`."""
    return f"c{i}"


def stage_csv(binary: IO[bytes], *, encoding: str, delimiter: str, width: int) -> bool:
    """Put the data rows of the CSV file in `binary` (header first, `width` columns) into
    the staging table. False if they cannot all be staged as the row reader would read them."""
    _create(width)
    if connection.vendor == "postgresql" and _plain(binary, encoding):
        try:
            with transaction.atomic():
                _copy_bytes(binary, encoding=encoding, delimiter=delimiter, width=width)
            return True
        except (DatabaseError, psycopg_error()):
            pass  # a line COPY reads otherwise than Python: read it as Python does
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")
    try:
        rows = csv.reader(text, delimiter=delimiter)
        next(rows, None)  # the header
        return _insert_rows(rows, width)
    except csv.Error:
        return False
    finally:
        text.detach()


def stage_rows(rows: Iterable[list[str]], *, width: int) -> bool:
    """Put rows already read (an Excel sheet's, each cell as the row reader reads it) into
    the staging table, as `stage_csv` puts a CSV file's."""
    _create(width)
    return _insert_rows(rows, width)


def _create(width: int) -> None:
    drop(STAGE)
    columns = ", ".join(f"{column(i)} text" for i in range(width))
    # the rows' order, numbered as they arrive: values and their history are written in it
    order = (
        "row_no bigserial" if connection.vendor == "postgresql" else "row_no integer PRIMARY KEY"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {STAGE} ({order}, {columns})")


def psycopg_error() -> type[Exception]:
    """What psycopg raises from a COPY, which Django's error wrapping does not see."""
    import psycopg

    return psycopg.Error


def drop(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _plain(binary: IO[bytes], encoding: str) -> bool:
    """Whether PostgreSQL's COPY reads this file's bytes as Python's csv module would."""
    if encoding not in ENCODINGS:
        return False
    binary.seek(0)
    tail = b""
    while chunk := binary.read(CHUNK):
        seen = tail + chunk
        if b'"' in seen or b"\\." in seen:
            return False
        tail = chunk[-1:]
    return True


def _copy_bytes(binary: IO[bytes], *, encoding: str, delimiter: str, width: int) -> None:
    binary.seek(0)
    binary.readline()  # the header: a file without quotes has it on one line
    names = ", ".join(column(i) for i in range(width))
    written = "\\t" if delimiter == "\t" else delimiter
    # an empty cell is '', as Python reads it, never NULL: the checks join on the cells
    options = f"FORMAT csv, DELIMITER E'{written}', FORCE_NOT_NULL ({names})"
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {STAGE} ({names}) FROM STDIN WITH ({options}, ENCODING '{ENCODINGS[encoding]}')"
        ) as copy:
            while chunk := binary.read(CHUNK):
                copy.write(chunk)


def _insert_rows(rows, width: int) -> bool:
    """Python's reading of the rows, into the staging table. A short row is padded, as the
    row reader reads its missing cells as empty; a row longer than the header with anything
    in the extra cells is a problem the row reader names."""
    names = ", ".join(column(i) for i in range(width))

    def fitted():
        for fields in rows:
            if len(fields) > width:
                if any(f.strip() for f in fields[width:]):
                    raise _Unstaged
                fields = fields[:width]
            elif len(fields) < width:
                fields = fields + [""] * (width - len(fields))
            yield fields

    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
                    for fields in fitted():
                        copy.write_row(fields)
                return True
            sql = f"INSERT INTO {STAGE} ({names}) VALUES ({', '.join(['%s'] * width)})"
            batch: list = []
            for fields in fitted():
                batch.append(fields)
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        return True
    except _Unstaged:
        return False


class _Unstaged(Exception):
    """A row the staging table cannot hold as the row reader would read it."""
