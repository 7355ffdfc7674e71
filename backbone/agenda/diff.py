"""Two agenda snapshots side by side, words removed in <del> and added in <ins>.

Pure functions over snapshots (see snapshots.py): no database, easy to test. Texts in a
snapshot are sanitised HTML; we compare their words, not their markup, and escape every
word before marking it, so nothing a person typed is ever rendered as markup here.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .snapshots import HEADER_FIELDS, KIND_LABELS, STATUS_LABELS, Snapshot, index

_BLOCK_END = re.compile(r"<\s*(br|/p|/li|/h3|/h4|/blockquote|/ul|/ol)\b[^>]*>", re.IGNORECASE)
_WORDS = re.compile(r"(\S+)(\s*)")


def plain_text(value: str) -> str:
    """The words of sanitised HTML: block ends become line breaks, tags go, entities decode."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", value or "")))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _separator(space: str) -> str:
    return "<br>" if "\n" in space else (" " if space else "")


def _run(words: list[tuple[str, str]], tag: str = "") -> str:
    """Escaped words with their separators; marked with <tag> except the space after them."""
    if not words:
        return ""
    body = "".join(escape(word) + _separator(space) for word, space in words[:-1])
    body += escape(words[-1][0])
    if tag:
        body = f"<{tag}>{body}</{tag}>"
    return body + _separator(words[-1][1])


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """(old with removed words in <del>, new with added words in <ins>), both escaped."""
    # str(): a status label is translated lazily
    a, b = _WORDS.findall(str(old or "")), _WORDS.findall(str(new or ""))
    left, right = [], []
    matcher = difflib.SequenceMatcher(
        None, [word for word, _ in a], [word for word, _ in b], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        marked = op != "equal"
        left.append(_run(a[i1:i2], "del" if marked else ""))
        right.append(_run(b[j1:j2], "ins" if marked else ""))
    # Every word went through escape() in _run; only our <del>, <ins> and <br> are markup.
    return mark_safe("".join(left)), mark_safe("".join(right))


@dataclass(frozen=True)
class FieldDiff:
    label: str
    old: SafeString
    new: SafeString
    changed: bool


@dataclass
class DiffRow:
    """One part of the agenda in both versions; `old` or `new` is None when absent there."""

    kind: str  # "header", "goal", "strategy" or "action"
    key: str  # the field name for the header, the uuid otherwise
    title: str
    state: str  # "same", "changed", "added" or "removed"
    depth: int = 0
    parent_title: str = ""
    fields: list[FieldDiff] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(KIND_LABELS.get(self.kind, ""))

    @property
    def is_changed(self) -> bool:
        return self.state != "same"


def _field(label: str, old: str | None, new: str | None) -> FieldDiff:
    old, new = old or "", new or ""
    left, right = word_diff(old, new)
    return FieldDiff(label=label, old=left, new=right, changed=old != new)


def _item_fields(kind: str, old: dict | None, new: dict | None) -> list[FieldDiff]:
    old, new = old or {}, new or {}
    fields = [
        _field("Title", old.get("title"), new.get("title")),
        _field(
            "Description",
            plain_text(old.get("description", "")),
            plain_text(new.get("description", "")),
        ),
    ]
    if kind == "action":
        fields.append(
            _field(
                "Status",
                STATUS_LABELS.get(old.get("status"), old.get("status")),
                STATUS_LABELS.get(new.get("status"), new.get("status")),
            )
        )
    return fields


def _merged(old_ids: list[str], new_ids: list[str], everywhere_new: set[str]) -> list[str]:
    """New order, with items gone from the new version kept near their old place."""
    merged: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_ids, new_ids, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            merged += [u for u in old_ids[i1:i2] if u not in everywhere_new]
        merged += new_ids[j1:j2]
    return merged


def _title(items: dict, uuid: str | None) -> str:
    return items[uuid][1]["title"] if uuid in items else ""


def compare_snapshots(old: Snapshot, new: Snapshot) -> list[DiffRow]:
    """Header fields, then every goal › strategy › action matched by uuid, in document order."""
    rows = []
    for key, lazy_label in HEADER_FIELDS:
        label = str(lazy_label)
        before, after = old.get(key, ""), new.get(key, "")
        diff = _field(label, plain_text(before), plain_text(after))
        state = "same" if before == after else "changed"
        rows.append(DiffRow(kind="header", key=key, title=label, state=state, fields=[diff]))

    old_index, new_index = index(old), index(new)
    child_key = {"goal": "strategies", "strategy": "actions"}

    def children(kind: str, item: dict | None) -> list[str]:
        if item is None or kind not in child_key:
            return []
        return [child["uuid"] for child in item.get(child_key[kind], [])]

    def visit(uuids: list[str], depth: int, parent_title: str) -> None:
        for uuid in uuids:
            kind, before, after = "", None, None
            if uuid in old_index:
                kind, before, _ = old_index[uuid]
            if uuid in new_index:
                kind, after, _ = new_index[uuid]
            fields = _item_fields(kind, before, after)
            if before is not None and after is not None:
                old_parent, new_parent = old_index[uuid][2], new_index[uuid][2]
                if old_parent != new_parent:
                    before_under = _title(old_index, old_parent)
                    fields.append(_field("Under", before_under, _title(new_index, new_parent)))
            if before is None:
                state = "added"
            elif after is None:
                state = "removed"
            else:
                state = "changed" if any(f.changed for f in fields) else "same"
            title = (after or before)["title"]
            rows.append(
                DiffRow(
                    kind=kind,
                    key=uuid,
                    title=title,
                    state=state,
                    depth=depth,
                    parent_title=parent_title,
                    fields=fields,
                )
            )
            # Children that moved elsewhere are shown under their new parent only.
            old_children = [u for u in children(kind, before) if u not in new_index]
            visit(
                _merged(children(kind, before), children(kind, after), set(new_index))
                if after is not None
                else old_children,
                depth + 1,
                title,
            )

    old_goals = [g["uuid"] for g in old.get("goals", [])]
    new_goals = [g["uuid"] for g in new.get("goals", [])]
    visit(_merged(old_goals, new_goals, set(new_index)), 0, "")
    return rows
