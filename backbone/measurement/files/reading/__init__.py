"""Reading values from CSV and Excel files into the intake.

Two readers — `CsvReader` and `XlsxReader` — turn a file into its header and then, lazily,
`(row_number, {column: text})` pairs, with row numbers as a spreadsheet shows them (the
header is row 1). `reported_rows` maps those to `Reported` rows for `Intake.check`, one at a
time, so a file of a million rows is never held as a list of rows. `import_file` ties it
together: every problem names the file, row, column and reason, and nothing is written
unless the whole file is valid.

The columns: `indicator`, `period`, one column per dimension key (a blank cell: not broken
down by it), `value`, `numerator`, `denominator`, `n`, `missing` (why a value is blank: not
collected, suppressed at the source, not applicable), and `partner` (an organisation slug)
where one file carries many partners' values. A value cell holding a GSS symbol ([x], [c],
[z]), as ONS tables have them, is a blank with that reason (unless `missing` gives one). The
columns a downloaded template adds for reading (`IGNORED_COLUMNS`) are skipped; any other
column is refused by name.

One module for each stage: `limits` (sizes and time), `problems`, `header`, `csv_reader`,
`xlsx_reader`, `columns` (the column map), `rows` (to `Reported` rows) and `importing` (the
whole import). Callers import every name from here.
"""

from .columns import FIELDS, IGNORED_COLUMNS, REQUIRED_FIELDS, VALUE_FIELDS, ColumnMap, column_map
from .csv_reader import CsvReader
from .header import column_letter
from .importing import file_kind, import_file, open_reader
from .limits import check_size, max_upload_bytes, reading_seconds, size_text
from .problems import Problems
from .rows import reported_rows
from .xlsx_reader import XlsxReader

__all__ = [
    "FIELDS",
    "IGNORED_COLUMNS",
    "REQUIRED_FIELDS",
    "VALUE_FIELDS",
    "ColumnMap",
    "CsvReader",
    "Problems",
    "XlsxReader",
    "check_size",
    "column_letter",
    "column_map",
    "file_kind",
    "import_file",
    "max_upload_bytes",
    "open_reader",
    "reading_seconds",
    "reported_rows",
    "size_text",
]
