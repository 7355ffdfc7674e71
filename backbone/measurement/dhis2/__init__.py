"""DHIS2 `dataValueSets` in (JSON, CSV or XML) and out (JSON or CSV), through the initiative's
code mappings.

What a DHIS2 code means here is kept in `Dhis2Mapping` rows:

- a **data element** is one number of an indicator. Most indicators take one number, the
  value. A rate takes two data elements, its numerator and its denominator; a weighted
  average takes its value and its n. DHIS2 sends plain numbers, so the mapping says which
  part of the indicator a data element carries: its *role* (value, numerator, denominator or
  n). Until `Dhis2Mapping` has a field for it, the role is kept in the stored code:
  "numerator:KR01" maps the DHIS2 data element "KR01" to the numerator (a plain "KR01" is
  the value). `element_code` and `stored_code` are the only places that know this.
- a **category option combo** is a combination of groups (at most one group of each
  dimension that is not a geography), kept as the `Cell` of those groups — created when
  the mapping is made, with the cell key convention of the intake (`Cell.key_for`). A combo
  mapped to no groups is the total; an empty categoryOptionCombo is the total too.
- an **org unit** is a place (a group of a geography dimension), or no place: the whole
  area, for indicators not reported by place.
- an **attribute option combo** is a partner organisation, as DHIS2's attribute combos name
  an implementing partner or mechanism. A partner's short name is read too, and DHIS2's
  default combo (`DEFAULT_COMBO`) or none stands for the partner sending the values. A
  partner importing its own values may send a code of its own system, which is ignored;
  the backbone importing for many partners either names one partner for the whole payload
  or lets this column say whose each value is.

Several DHIS2 codes may mean the same thing (two combos for the total, say). Importing reads
each of them; exporting writes the one mapped first, since which code a value came in with
is not kept.

Periods: monthly yyyyMM, quarterly yyyyQn, yearly yyyy and financial years yyyyApril,
yyyyJuly, yyyyOct, yyyyNov map to the Backbone period of that kind starting that month (a
financial year may be kept in Backbone as a fiscal or a school year). DHIS2 has no other
period Backbone uses: a school year starting in August or September is not exported, and
DHIS2's daily, weekly and six-monthly periods are refused on import.

Importing checks every data value, then hands the values to the one intake path; any
problem names the row (the n-th data value of JSON or XML, or the line of the CSV file) and
the column, and nothing is written (DHIS2 would import the rest; Backbone refuses the whole
payload, as it does every file). CSV is read by position, as DHIS2 reads it. A column,
field or attribute Backbone does not understand is refused, never dropped: a dropped
categoryOptionCombo would file a breakdown as a total. ADX is refused. A data value's
comment, followup and storedBy are kept with the value.

DHIS2's import parameters `dryRun` and `importStrategy` (CREATE_AND_UPDATE, CREATE, UPDATE)
are honoured, from the request or the payload's own attributes (which win, as in DHIS2;
a dry run asked for either way is a dry run). A value equal to the stored one (numbers,
comment and followup, as DHIS2 compares them) is ignored, so importing the same payload
twice makes no second submission. DELETE and `deleted` values are refused: a value is
never deleted by import, since its history goes with it. The answer is DHIS2's import
summary, counted in data values as DHIS2 counts them.

Exporting writes the same format with the mappings reversed; values whose codes are not all
mapped are left out and counted by reason.

The package by stage: `codes` (roles of data elements, periods), `mappings`, `payload`
(a data value set as read, and reading JSON), `payload_csv` and `payload_xml` (reading CSV
and XML), `reading` (which format a payload is in), `summary` (import parameters and
DHIS2's import summary), `resolving` (data values into Backbone values through the
mappings), `importing` and `exporting`.
"""

from __future__ import annotations

from .codes import (  # noqa: F401
    DEFAULT_COMBO,
    FINANCIAL_MONTHS,
    MAX_CODE_LENGTH,
    MAX_COMMENT_LENGTH,
    MAX_STORED_BY_LENGTH,
    ROLE_NAMES,
    ROLES,
    dhis2_period_of,
    dhis2_period_parse,
    element_code,
    roles_for,
    stored_code,
)
from .exporting import (  # noqa: F401
    NO_DHIS2_PERIOD,
    Dhis2Export,
    dhis2_export,
    export_csv_rows,
    export_json,
)
from .importing import (  # noqa: F401
    NUMBER_AT,
    Dhis2Import,
    dhis2_import,
)
from .mappings import (  # noqa: F401
    MappingError,
    MappingRow,
    Mappings,
    mapping_add_aoc,
    mapping_add_coc,
    mapping_add_element,
    mapping_add_org_unit,
    mapping_delete,
    mapping_rows,
)
from .payload import (  # noqa: F401
    IMPORT_PARAMS,
    JSON_FIELDS,
    Dhis2Value,
    Payload,
    read_json,
)
from .payload_csv import (  # noqa: F401
    CSV_COLUMNS,
    read_csv,
)
from .payload_xml import (  # noqa: F401
    ADX_NAMESPACE,
    DXF_NAMESPACE,
    read_xml,
)
from .reading import read_payload  # noqa: F401
from .summary import (  # noqa: F401
    CREATE,
    CREATE_AND_UPDATE,
    DELETE,
    IGNORED_NEW,
    IGNORED_REFUSED,
    IGNORED_STORED,
    IGNORED_UNCHANGED,
    IMPORT_STRATEGIES,
    NO_DELETING,
    UPDATE,
    Dhis2Refused,
    ImportOptions,
    ImportSummary,
    import_options,
    web_message,
)
