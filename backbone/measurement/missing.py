"""A blank with a reason: a partner may say why it has no value (not collected, suppressed at
the source, not applicable), so that the gap reads as such and never as a zero.

Every way in reads a reason here, in its code or its label, in any case; files may also carry
the GSS symbols that ONS tables put in a blank cell. A value's history (`ValueChange`) has no
field for the reason, so a change to or from a blank with one is noted at the end of the
change's `reason` text, where `read_change_reason` finds it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from .models import DataValue, Indicator, Missing, Period, ValueChange

#: GSS/ONS symbols for a figure that is not there: [x] not available, [c] confidential, [z]
#: not applicable.
SYMBOLS = {
    "[x]": Missing.NOT_COLLECTED,
    "[c]": Missing.SUPPRESSED,
    "[z]": Missing.NOT_APPLICABLE,
}
#: How pages name each reason, in the reader's language. Files, exports and a value's history
#: keep the English label (`label`), which every way in reads whatever the language.
SHOWN = {
    Missing.NOT_COLLECTED: gettext_lazy("Not collected"),
    Missing.SUPPRESSED: gettext_lazy("Suppressed at the source"),
    Missing.NOT_APPLICABLE: gettext_lazy("Not applicable"),
}
#: The reasons a form offers: no reason, then each one as the reader's language names it.
CHOICES = [("", "—"), *SHOWN.items()]
WAS, NOW = "was blank: ", "now blank: "
_LABELS = {str(label): code for code, label in Missing.choices}


def _normal(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).lower()


_CODES = (
    {_normal(code): code for code in Missing.values}
    | {_normal(str(label)): code for code, label in Missing.choices}
    | SYMBOLS
)


def _translated_codes() -> dict[str, str]:
    """The reasons as each language of the interface names them ("non collecté"), read the
    same as the English: a file filled in from a French page reads as well as any. Asked
    only of a text that is no code, English label or symbol."""
    found = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found |= {_normal(str(text)): code for code, text in SHOWN.items()}
    return found


def is_blank(text: object) -> bool:
    return text is None or str(text).strip() == ""


def reason_code(text: object) -> str | None:
    """The code of the reason `text` names: a code or a label, any case, or a GSS symbol;
    None for anything else."""
    normal = _normal(str(text))
    return _CODES.get(normal) or _translated_codes().get(normal)


def unknown_reason(text: object) -> str:
    shown = str(text).strip()
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    named = {
        code: gettext("%(code)s (%(reason)s)") % {"code": code, "reason": text}
        for code, text in SHOWN.items()
    }
    return gettext(
        "unknown reason for a blank %(given)s: give %(not_collected)s, %(suppressed)s or "
        "%(not_applicable)s"
    ) % {"given": repr(shown), **named}


def label(code: str) -> str:
    """The English label of a reason (Not collected for not_collected), as files, exports and
    a value's history keep it; "" for no reason."""
    return str(Missing(code).label) if code else ""


def shown(code: str) -> str:
    """A reason as a page names it, in the reader's language; "" for no reason."""
    return str(SHOWN[code]) if code else ""


def change_reason(reason: str, old: str, new: str) -> str:
    """What a change keeps as its reason: the correction's reason, then the blank's reason
    before and after ("was blank: Not collected"), shortening the first to fit."""
    notes = [f"{start}{label(code)}" for start, code in ((WAS, old), (NOW, new)) if code]
    if not notes:
        return reason
    note = "; ".join(notes)
    room = ValueChange._meta.get_field("reason").max_length - len(note) - 2
    if len(reason) > room:
        reason = reason[: room - 1] + "…"
    return "; ".join([reason, note]) if reason else note


def read_change_reason(text: str) -> tuple[str, str, str]:
    """(the correction's reason, the old blank's reason code, the new one's) from what
    `change_reason` wrote."""
    found = {}
    for start in (NOW, WAS):
        head, _, last = text.rpartition("; ")
        code = _LABELS.get(last[len(start) :]) if last.startswith(start) else None
        if code:
            found[start] = code
            text = head
    return text, found.get(WAS, ""), found.get(NOW, "")


def reasons_by_partner(
    indicator: Indicator, *, periods: Iterable[Period], include_provisional: bool = False
) -> dict[int, str]:
    """Partner id → the reasons its blank values give for `indicator` in `periods` ("Not
    collected", or several joined), in the reader's language, read from the values the
    engine would count (approved, and submitted with `include_provisional`): why a
    partner's gap is a gap. One query."""
    statuses = [DataValue.Status.APPROVED]
    if include_provisional:
        statuses.append(DataValue.Status.SUBMITTED)
    found: dict[int, set[str]] = defaultdict(set)
    for partner_id, code in (
        DataValue.objects.filter(indicator=indicator, period__in=list(periods), status__in=statuses)
        .exclude(missing="")
        .values_list("partner_id", "missing")
        .distinct()
    ):
        found[partner_id].add(code)
    return {
        pk: ", ".join(shown(code) for code in Missing.values if code in codes)
        for pk, codes in found.items()
    }
