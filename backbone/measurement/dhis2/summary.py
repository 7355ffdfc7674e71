"""DHIS2's import parameters (dryRun, importStrategy) and the import summary DHIS2 answers
with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from ..models import (
    Submission,
)
from ..problems import IntakeRefused, Problem
from .payload import flag_of, text_of

# --- import parameters and the import summary ------------------------------------------------

CREATE_AND_UPDATE, CREATE, UPDATE, DELETE = "CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE"
IMPORT_STRATEGIES = (CREATE_AND_UPDATE, CREATE, UPDATE, DELETE)
_STRATEGY_ALIASES = {  # the names older DHIS2 versions and clients send
    "NEW_AND_UPDATES": CREATE_AND_UPDATE,
    "NEW": CREATE,
    "UPDATES": UPDATE,
    "DELETES": DELETE,
}
NO_DELETING = gettext_lazy(
    "deleting a value is not done by import, since its history would go with it; leave the "
    "value out, or ask the backbone team to correct it"
)
# Why data values were ignored, said after their number ("6 unchanged"); the keys of
# `ImportSummary.ignored`, turned into text where they are shown.
IGNORED_UNCHANGED = pgettext_lazy("data values ignored, after their number", "unchanged")
IGNORED_STORED = pgettext_lazy(
    "data values ignored, after their number", "already stored (importStrategy CREATE)"
)
IGNORED_NEW = pgettext_lazy(
    "data values ignored, after their number", "not stored yet (importStrategy UPDATE)"
)
IGNORED_REFUSED = pgettext_lazy(
    "data values ignored, after their number", "refused with the payload"
)


def shortened(text: str, most: int = 30) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


@dataclass(frozen=True)
class ImportOptions:
    """DHIS2's import parameters that Backbone honours."""

    dry_run: bool = False
    strategy: str = CREATE_AND_UPDATE

    @property
    def creates(self) -> bool:
        return self.strategy in (CREATE_AND_UPDATE, CREATE)

    @property
    def updates(self) -> bool:
        return self.strategy in (CREATE_AND_UPDATE, UPDATE)


def import_options(
    *sources: Mapping[str, object], file_name: str = ""
) -> tuple[ImportOptions, list[Problem]]:
    """dryRun and importStrategy from each source in turn, the request's parameters first and
    then the payload's own, which win as they do in DHIS2. A dry run asked for by any source
    is a dry run, so that nothing is written by surprise."""
    dry_run, strategy, problems = False, CREATE_AND_UPDATE, []
    for params in sources:
        raw = params.get("dryRun")
        if raw is not None and raw != "":
            flag = flag_of(raw)
            if flag is None:
                problems.append(
                    Problem(
                        _("dryRun is true or false, not %(sent)s")
                        % {"sent": repr(shortened(text_of(raw)))},
                        file_name,
                        None,
                        "dryRun",
                    )
                )
            dry_run = dry_run or bool(flag)
        raw = text_of(params.get("importStrategy"))
        if raw:
            name = _STRATEGY_ALIASES.get(raw.upper(), raw.upper())
            if name in IMPORT_STRATEGIES:
                strategy = name
            else:
                problems.append(
                    Problem(
                        _("importStrategy is %(strategies)s or %(last)s, not %(sent)s")
                        % {
                            "strategies": ", ".join(IMPORT_STRATEGIES[:-1]),
                            "last": IMPORT_STRATEGIES[-1],
                            "sent": repr(shortened(raw)),
                        },
                        file_name,
                        None,
                        "importStrategy",
                    )
                )
    if strategy == DELETE:
        problems.append(
            Problem(
                _("importStrategy DELETE is not offered: %(why)s") % {"why": NO_DELETING},
                file_name,
                None,
                "importStrategy",
            )
        )
    return ImportOptions(dry_run, strategy), problems


@dataclass
class ImportSummary:
    """What an import did, or in a dry run would do. Counted in data values, as DHIS2 counts
    them (a rate's numerator and denominator are two), with why each ignored one was."""

    options: ImportOptions = field(default_factory=ImportOptions)
    imported: int = 0
    updated: int = 0
    ignored: Counter = field(default_factory=Counter)  # why → how many data values
    submission: Submission | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    conflicts: list[dict] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "ERROR" if self.problem_count else "SUCCESS"

    @property
    def ignored_count(self) -> int:
        return sum(self.ignored.values())

    @property
    def description(self) -> str:
        if self.problem_count:
            return ngettext(
                "Nothing was imported: %(count)s problem. A data value set with any problem is "
                "refused as a whole; the conflicts say where.",
                "Nothing was imported: %(count)s problems. A data value set with any problem is "
                "refused as a whole; the conflicts say where.",
                self.problem_count,
            ) % {"count": self.problem_count}
        said = {
            "imported": self.imported,
            "updated": self.updated,
            "ignored": self.ignored_count,
            "why": ", ".join(
                pgettext("data values ignored: how many, and why", "%(count)s %(why)s")
                % {"count": n, "why": why}
                for why, n in self.ignored.most_common()
            ),
        }
        counts = (
            _("%(imported)s imported, %(updated)s updated, %(ignored)s ignored (%(why)s)") % said
            if self.ignored
            else _("%(imported)s imported, %(updated)s updated, %(ignored)s ignored") % said
        )
        if self.options.dry_run:
            return _("Dry run, nothing was written: %(counts)s.") % {"counts": counts}
        if self.submission is None:
            return _("Nothing to write, so no submission was made: %(counts)s.") % {
                "counts": counts
            }
        return _("Import process completed successfully: %(counts)s.") % {"counts": counts}

    def as_dhis2(self) -> dict:
        """The summary as DHIS2's ImportSummary in JSON; `reference` is the submission."""
        found = {
            "responseType": "ImportSummary",
            "status": self.status,
            "importOptions": {
                "dryRun": self.options.dry_run,
                "importStrategy": self.options.strategy,
                "idSchemes": {},
            },
            "description": self.description,
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored_count,
                "deleted": 0,
            },
            "conflicts": self.conflicts,
            "dataSetComplete": "false",
        }
        if self.submission is not None:
            found["reference"] = str(self.submission.uuid)
        return found


def web_message(summary: ImportSummary) -> tuple[dict, int]:
    """DHIS2's answer to POST /api/dataValueSets and its HTTP status: 200 with the summary,
    or 409 when the payload was refused."""
    if summary.status == "ERROR":
        head = {
            "httpStatus": "Conflict",
            "httpStatusCode": 409,
            "status": "ERROR",
            "message": _("An error occurred, please check import summary."),
        }
    else:
        head = {
            "httpStatus": "OK",
            "httpStatusCode": 200,
            "status": "OK",
            "message": _("Import was successful."),
        }
    return {**head, "response": summary.as_dhis2()}, head["httpStatusCode"]


class Dhis2Refused(IntakeRefused):
    """Nothing was written; `summary` is DHIS2's answer saying why."""

    def __init__(self, summary: ImportSummary):
        super().__init__(summary.problems, summary.problem_count)
        self.summary = summary
