"""Snapshots, change lists and word diffs: pure functions, no database."""

import pytest

from backbone.agenda.diff import compare_snapshots, plain_text, word_diff
from backbone.agenda.snapshots import empty_snapshot, snapshot_changes

pytestmark = pytest.mark.unit


def _snapshot(**header) -> dict:
    return empty_snapshot() | header


def _goal(uuid: str, title: str, *strategies: dict, description: str = "") -> dict:
    return {
        "uuid": uuid,
        "title": title,
        "description": description,
        "strategies": list(strategies),
    }


def _strategy(uuid: str, title: str, *actions: dict) -> dict:
    return {"uuid": uuid, "title": title, "description": "", "actions": list(actions)}


def _action(uuid: str, title: str, status: str = "planned") -> dict:
    return {"uuid": uuid, "title": title, "description": "", "status": status}


def test_word_diff_marks_removed_and_added_words():
    old, new = word_diff("every child succeeds", "every young person succeeds")

    assert old == "every <del>child</del> succeeds"
    assert new == "every <ins>young person</ins> succeeds"


def test_word_diff_escapes_text_before_marking():
    old, new = word_diff("a <b>bold</b> claim", "a <script>alert(1)</script> claim")

    assert "<script>" not in new and "<b>" not in old
    assert "&lt;script&gt;" in new
    assert "<ins>" in new and "<del>" in old


def test_word_diff_of_equal_texts_marks_nothing():
    old, new = word_diff("same words", "same words")

    assert old == new == "same words"


def test_plain_text_strips_tags_and_keeps_paragraphs():
    text = plain_text("<p>Tom &amp; Jerry</p><p>second <strong>line</strong></p>")

    assert text == "Tom & Jerry\nsecond line"


def test_snapshot_changes_names_header_changes():
    old = _snapshot(vision="<p>Old</p>")
    new = _snapshot(vision="<p>New</p>", problem_statement="<p>Written</p>")

    assert snapshot_changes(old, new) == ["Problem statement written", "Vision changed"]


def test_snapshot_changes_names_added_renamed_and_removed_items():
    old = _snapshot(
        goals=[_goal("g1", "Ready", _strategy("s1", "Attendance")), _goal("g2", "Jobs")]
    )
    new = _snapshot(
        goals=[
            _goal(
                "g1",
                "Ready",
                _strategy("s1", "Chronic absence", _action("a1", "Nudges", "done")),
            )
        ]
    )

    changes = snapshot_changes(old, new)

    assert "Strategy renamed: Attendance → Chronic absence" in changes
    assert "Agreed action added: Nudges (under Chronic absence)" in changes
    assert "Goal removed: Jobs" in changes


def test_snapshot_changes_lists_a_removed_goal_once_not_its_strategies():
    old = _snapshot(goals=[_goal("g1", "Ready", _strategy("s1", "Pre-K"))])

    assert snapshot_changes(old, empty_snapshot()) == ["Goal removed: Ready"]


def test_snapshot_changes_names_status_changes_and_reordering():
    old = _snapshot(
        goals=[_goal("g1", "A", _strategy("s1", "S", _action("a1", "Act"))), _goal("g2", "B")]
    )
    new = _snapshot(
        goals=[
            _goal("g2", "B"),
            _goal("g1", "A", _strategy("s1", "S", _action("a1", "Act", "done"))),
        ]
    )

    changes = snapshot_changes(old, new)

    assert "Agreed action status: Act — Planned → Done" in changes
    assert "Goals reordered" in changes


def test_compare_snapshots_matches_items_by_uuid():
    old = _snapshot(goals=[_goal("g1", "Ready to learn"), _goal("g2", "Gone")])
    new = _snapshot(goals=[_goal("g1", "Ready to learn and thrive"), _goal("g3", "New")])

    rows = {row.key: row for row in compare_snapshots(old, new)}

    assert rows["g1"].state == "changed"
    assert "<ins>and thrive</ins>" in rows["g1"].fields[0].new
    assert rows["g2"].state == "removed"
    assert rows["g3"].state == "added"
    assert rows["vision"].state == "same"


def test_compare_snapshots_keeps_removed_items_near_their_old_place():
    old = _snapshot(goals=[_goal("g1", "One"), _goal("g2", "Two"), _goal("g3", "Three")])
    new = _snapshot(goals=[_goal("g1", "One"), _goal("g3", "Three")])

    keys = [row.key for row in compare_snapshots(old, new) if row.kind == "goal"]

    assert keys == ["g1", "g2", "g3"]


def test_compare_snapshots_shows_a_moved_strategy_once_under_its_new_goal():
    old = _snapshot(goals=[_goal("g1", "One", _strategy("s1", "Moving")), _goal("g2", "Two")])
    new = _snapshot(goals=[_goal("g1", "One"), _goal("g2", "Two", _strategy("s1", "Moving"))])

    rows = [row for row in compare_snapshots(old, new) if row.key == "s1"]

    assert len(rows) == 1
    assert rows[0].parent_title == "Two"
    assert rows[0].state == "changed"
