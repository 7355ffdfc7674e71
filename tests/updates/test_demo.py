"""The demo's feed: news and data releases with comments from partners and residents."""

import pytest

from backbone.updates.models import Update, UpdateComment

pytestmark = pytest.mark.integration


def test_demo_has_updates_of_both_kinds_with_comments(demo):
    assert set(Update.objects.values_list("kind", flat=True)) == {"news", "data_release"}
    assert UpdateComment.objects.count() >= 4
    commenters = set(UpdateComment.objects.values_list("author__email", flat=True))
    assert "rosa.delgado@riverton.example" in commenters  # a community member
