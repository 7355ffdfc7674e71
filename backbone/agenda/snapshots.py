"""The agenda frozen as JSON, and what changed between two such snapshots.

A snapshot is plain data (dicts, lists, strings) so it survives the JSON column unchanged:

    {"problem_statement": html, "vision": html, "community_aspirations": html,
     "goals": [{"uuid", "title", "description",
                "strategies": [{"uuid", "title", "description",
                                "actions": [{"uuid", "title", "description", "status"}]}]}]}

Order is the order of the lists. Texts are the sanitised HTML that was saved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy

from backbone.initiatives.models import Initiative

from .models import Agenda, AgreedAction, Goal, Strategy

Snapshot = dict[str, Any]

HEADER_FIELDS: list[tuple[str, str]] = [
    ("problem_statement", gettext_lazy("Problem statement")),
    ("vision", gettext_lazy("Vision")),
    ("community_aspirations", gettext_lazy("Community aspirations")),
]
STATUS_LABELS = dict(AgreedAction.Status.choices)


def empty_snapshot() -> Snapshot:
    return {key: "" for key, _label in HEADER_FIELDS} | {"goals": []}


def snapshot_fingerprint(snapshot: Snapshot) -> str:
    """A short digest of a snapshot, so a page can tell whether the draft it showed is still
    the draft when the person acts on it."""
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def snapshot_of(initiative: Initiative) -> Snapshot:
    """The agenda as it stands now, read in four queries."""
    agenda = Agenda.objects.filter(initiative=initiative).first()
    snapshot = empty_snapshot()
    if agenda is not None:
        for key, _label in HEADER_FIELDS:
            snapshot[key] = getattr(agenda, key)
    actions: dict[int, list[dict]] = {}
    for row in AgreedAction.objects.filter(initiative=initiative).values(
        "uuid", "title", "description", "status", "strategy_id"
    ):
        strategy_id = row.pop("strategy_id")
        actions.setdefault(strategy_id, []).append(row | {"uuid": str(row["uuid"])})
    strategies: dict[int, list[dict]] = {}
    for row in Strategy.objects.filter(initiative=initiative).values(
        "id", "uuid", "title", "description", "goal_id"
    ):
        strategy_id, goal_id = row.pop("id"), row.pop("goal_id")
        strategies.setdefault(goal_id, []).append(
            row | {"uuid": str(row["uuid"]), "actions": actions.get(strategy_id, [])}
        )
    for row in Goal.objects.filter(initiative=initiative).values(
        "id", "uuid", "title", "description"
    ):
        goal_id = row.pop("id")
        snapshot["goals"].append(
            row | {"uuid": str(row["uuid"]), "strategies": strategies.get(goal_id, [])}
        )
    return snapshot


# --- flattening, shared by the change list and the side-by-side comparison ---------------

KIND_LABELS = {
    "goal": gettext_lazy("Goal"),
    "strategy": gettext_lazy("Strategy"),
    "action": gettext_lazy("Agreed action"),
}
CHILDREN = {"goal": ("strategies", "strategy"), "strategy": ("actions", "action")}


def walk(snapshot: Snapshot) -> Iterator[tuple[str, dict, str | None]]:
    """Every goal, strategy and action as (kind, item, parent uuid), in document order."""

    def _walk(kind: str, items: list[dict], parent: str | None):
        for item in items:
            yield kind, item, parent
            if kind in CHILDREN:
                key, child_kind = CHILDREN[kind]
                yield from _walk(child_kind, item.get(key, []), item["uuid"])

    yield from _walk("goal", snapshot.get("goals", []), None)


def index(snapshot: Snapshot) -> dict[str, tuple[str, dict, str | None]]:
    return {item["uuid"]: (kind, item, parent) for kind, item, parent in walk(snapshot)}


# --- the human-readable change list ------------------------------------------------------


#: What happened to a header text, a message per text so a translation can agree with it.
HEADER_CHANGES = {
    "problem_statement": (
        gettext_lazy("Problem statement written"),
        gettext_lazy("Problem statement removed"),
        gettext_lazy("Problem statement changed"),
    ),
    "vision": (
        gettext_lazy("Vision written"),
        gettext_lazy("Vision removed"),
        gettext_lazy("Vision changed"),
    ),
    "community_aspirations": (
        gettext_lazy("Community aspirations written"),
        gettext_lazy("Community aspirations removed"),
        gettext_lazy("Community aspirations changed"),
    ),
}

#: What happened to a goal, strategy or agreed action, a message per kind for the same reason.
ITEM_CHANGES = {
    "goal": {
        "added": gettext_lazy("Goal added: %(title)s"),
        "removed": gettext_lazy("Goal removed: %(title)s"),
        "renamed": gettext_lazy("Goal renamed: %(old)s → %(new)s"),
        "described": gettext_lazy("Goal description changed: %(title)s"),
        "reordered": gettext_lazy("Goals reordered"),
    },
    "strategy": {
        "added": gettext_lazy("Strategy added: %(title)s"),
        "added_under": gettext_lazy("Strategy added: %(title)s (under %(parent)s)"),
        "removed": gettext_lazy("Strategy removed: %(title)s"),
        "renamed": gettext_lazy("Strategy renamed: %(old)s → %(new)s"),
        "described": gettext_lazy("Strategy description changed: %(title)s"),
        "moved": gettext_lazy("Strategy moved: %(title)s"),
        "reordered": gettext_lazy("Strategies reordered under: %(title)s"),
    },
    "action": {
        "added": gettext_lazy("Agreed action added: %(title)s"),
        "added_under": gettext_lazy("Agreed action added: %(title)s (under %(parent)s)"),
        "removed": gettext_lazy("Agreed action removed: %(title)s"),
        "renamed": gettext_lazy("Agreed action renamed: %(old)s → %(new)s"),
        "described": gettext_lazy("Agreed action description changed: %(title)s"),
        "status": gettext_lazy("Agreed action status: %(title)s — %(old)s → %(new)s"),
        "moved": gettext_lazy("Agreed action moved: %(title)s"),
        "reordered": gettext_lazy("Agreed actions reordered under: %(title)s"),
    },
}


def _said(kind: str, what: str, **values) -> str:
    return str(ITEM_CHANGES[kind][what]) % values


def _header_changes(old: Snapshot, new: Snapshot) -> list[str]:
    changes = []
    for key, (written, removed, changed) in HEADER_CHANGES.items():
        before, after = old.get(key, ""), new.get(key, "")
        if before == after:
            continue
        changes.append(str(written if not before else removed if not after else changed))
    return changes


def _item_changes(kind: str, before: dict, after: dict, parents: tuple) -> list[str]:
    changes = []
    if before["title"] != after["title"]:
        changes.append(_said(kind, "renamed", old=before["title"], new=after["title"]))
    if before.get("description", "") != after.get("description", ""):
        changes.append(_said(kind, "described", title=after["title"]))
    if kind == "action" and before.get("status") != after.get("status"):
        old_status = STATUS_LABELS.get(before.get("status"), before.get("status"))
        new_status = STATUS_LABELS.get(after.get("status"), after.get("status"))
        changes.append(_said(kind, "status", title=after["title"], old=old_status, new=new_status))
    old_parent, new_parent = parents
    if old_parent != new_parent and new_parent is not None:
        changes.append(_said(kind, "moved", title=after["title"]))
    return changes


def _order(items: list[dict]) -> list[str]:
    return [item["uuid"] for item in items]


def _reorders(old: Snapshot, new: Snapshot) -> list[str]:
    """ "Goals reordered" and the like, when common items changed places."""
    changes = []

    def same_order(before: list[dict], after: list[dict]) -> bool:
        common = set(_order(before)) & set(_order(after))
        return [u for u in _order(before) if u in common] == [
            u for u in _order(after) if u in common
        ]

    if not same_order(old.get("goals", []), new.get("goals", [])):
        changes.append(_said("goal", "reordered"))
    old_items, new_items = index(old), index(new)
    for uuid, (kind, item, _parent) in new_items.items():
        if kind not in CHILDREN or uuid not in old_items:
            continue
        key, child_kind = CHILDREN[kind]
        if not same_order(old_items[uuid][1].get(key, []), item.get(key, [])):
            changes.append(_said(child_kind, "reordered", title=item["title"]))
    return changes


def snapshot_changes(old: Snapshot | None, new: Snapshot) -> list[str]:
    """What a person would say changed from `old` to `new`, one line per change, in the
    language of whoever publishes (a version keeps them as written)."""
    old = old or empty_snapshot()
    changes = _header_changes(old, new)
    old_items, new_items = index(old), index(new)
    for uuid, (kind, item, parent) in new_items.items():
        if uuid not in old_items:
            if parent is not None and parent in new_items:
                under = new_items[parent][1]["title"]
                changes.append(_said(kind, "added_under", title=item["title"], parent=under))
            else:
                changes.append(_said(kind, "added", title=item["title"]))
        else:
            _kind, before, old_parent = old_items[uuid]
            changes += _item_changes(kind, before, item, (old_parent, parent))
    for uuid, (kind, item, parent) in old_items.items():
        if uuid in new_items:
            continue
        if parent is not None and parent not in new_items:
            continue  # removed with its goal or strategy, which is already listed
        changes.append(_said(kind, "removed", title=item["title"]))
    changes += _reorders(old, new)
    return changes
