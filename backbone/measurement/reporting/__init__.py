"""Reads behind the reporting pages: which reports a partner owes (indicator × period) and
where each stands, the cells of an indicator's web form with current and last period's
values, who may report for whom, and a submission's values with their history.

Writes go through `intake.Intake` and `approval`; nothing here changes data. One module for
each: `reports` (what a partner owes), `form` (the web form's cells) and `submissions` (the
review queue and a submission's values); callers import every name from here.
"""

from .form import (
    FIELD_LABELS,
    FormCell,
    FormLayout,
    FormState,
    Input,
    fields_for,
    form_layout,
    form_state,
    number_text,
    previous_period,
    stored_text,
    value_text,
)
from .reports import (
    NOT_REPORTED,
    RECENT_CLOSED_PER_KIND,
    STATUS_ORDER,
    ExpectedReport,
    partner_reports,
    partners_visible,
    report_status,
    reporting_periods,
    status_label,
)
from .submissions import (
    ValueRow,
    submission_list,
    submission_values,
    submissions_visible,
    value_rows,
    with_history,
)

__all__ = [
    "FIELD_LABELS",
    "NOT_REPORTED",
    "RECENT_CLOSED_PER_KIND",
    "STATUS_ORDER",
    "ExpectedReport",
    "FormCell",
    "FormLayout",
    "FormState",
    "Input",
    "ValueRow",
    "fields_for",
    "form_layout",
    "form_state",
    "number_text",
    "partner_reports",
    "partners_visible",
    "previous_period",
    "report_status",
    "reporting_periods",
    "status_label",
    "stored_text",
    "submission_list",
    "submission_values",
    "submissions_visible",
    "value_rows",
    "value_text",
    "with_history",
]
